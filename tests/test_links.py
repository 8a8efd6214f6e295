"""Links between events: declared by slug, checked at the end of a run, shown as a chain on event pages."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.config import Settings
from app.ingest import IngestFailed, ingest, validation
from app.main import create_app
from app.models import Event, EventLink
from tests.conftest import FIXTURES, write

LINKED = FIXTURES / "linked.yaml"


def event_yaml(slug: str, links: str = "") -> str:
    return f"""
  - slug: {slug}
    title: Event {slug}
    summary: Something happened.
    start_date: "{slug[:4]}"
    countries: [IN]
    topics: [border]
    sources: [{{url: "https://example.org/{slug}", title: Report}}]
""" + (f"    links: {links}\n" if links else "")


def events_file(tmp_path, *events: str):
    return write(tmp_path, "events.yaml", "events:" + "".join(events))


def stored_links(engine) -> set[tuple[str, str, str]]:
    source, target = Event.__table__.alias("source"), Event.__table__.alias("target")
    link = EventLink.__table__
    statement = (
        select(source.c.slug, link.c.type, target.c.slug)
        .join(source, source.c.id == link.c.event_id)
        .join(target, target.c.id == link.c.target_id)
    )
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(statement)}


def errors_of(engine, path) -> list[str]:
    with pytest.raises(IngestFailed) as failure:
        ingest(engine, [path])
    return failure.value.errors


@pytest.fixture
def linked_client(seeded_engine, database_url):
    ingest(seeded_engine, [LINKED])
    with TestClient(create_app(Settings(database_url=database_url, page_size=50))) as client:
        yield client


def page(client, slug: str) -> BeautifulSoup:
    response = client.get(f"/events/{slug}")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def chain_slugs(html: BeautifulSoup) -> list[str]:
    """The chain as the page lists it: linked slugs, and 'this' where the event itself stands."""
    return [
        "this" if "chain-current" in (li.get("class") or []) else li.a["href"].removeprefix("/events/")
        for li in html.select(".chain-list > li")
    ]


def test_a_link_may_point_to_an_event_later_in_the_run(seeded_engine, tmp_path, monkeypatch):
    # Two events a chunk: the target is written in a later chunk than the event that links to it.
    monkeypatch.setattr(validation, "CHUNK", 2)
    path = events_file(
        tmp_path,
        event_yaml("2021-first", "[{type: led_to, to: 2023-third}]"),
        event_yaml("2022-second"),
        event_yaml("2023-third"),
    )
    ingest(seeded_engine, [path])
    assert stored_links(seeded_engine) == {("2021-first", "led_to", "2023-third")}


def test_a_link_may_point_to_an_event_already_in_the_database(seeded_engine, tmp_path):
    ingest(seeded_engine, [events_file(tmp_path, event_yaml("2021-later", "[{type: response_to, to: 2020-clash}]"))])
    assert stored_links(seeded_engine) == {("2021-later", "response_to", "2020-clash")}


def test_a_link_to_an_unknown_slug_is_rejected_naming_file_event_and_field(seeded_engine, tmp_path):
    links = "[{type: led_to, to: 2020-clash}, {type: led_to, to: no-such-slug}]"
    path = events_file(tmp_path, event_yaml("2021-linking", links))
    assert errors_of(seeded_engine, path) == [
        f"{path}: event #1 '2021-linking': links.2.to: unknown event 'no-such-slug'"
    ]
    assert stored_links(seeded_engine) == set()


def test_a_link_to_the_event_itself_is_rejected(seeded_engine, tmp_path):
    path = events_file(tmp_path, event_yaml("2021-selfish", "[{type: part_of, to: 2021-selfish}]"))
    assert errors_of(seeded_engine, path) == [
        f"{path}: event #1 '2021-selfish': links.1.to: an event cannot link to itself"
    ]


def test_a_link_type_other_than_the_four_is_rejected(seeded_engine, tmp_path):
    path = events_file(tmp_path, event_yaml("2021-vague", "[{type: related, to: 2020-clash}]"))
    (error,) = errors_of(seeded_engine, path)
    assert error.startswith(f"{path}: event #1 '2021-vague': links.1.type: 'related': Input should be 'led_to'")


def test_removing_links_from_a_seed_file_removes_them(seeded_engine, tmp_path):
    ingest(seeded_engine, [events_file(tmp_path, event_yaml("2021-later", "[{type: led_to, to: 2025-border-talks}]"))])
    ingest(seeded_engine, [events_file(tmp_path, event_yaml("2021-later"))])
    assert stored_links(seeded_engine) == set()


def test_event_page_shows_the_chain_before_and_after_in_date_order(linked_client):
    html = page(linked_client, "2020-06-river-clash")
    assert chain_slugs(html) == [
        "2020-05-line-standoff",
        "this",
        "2020-07-first-pullback",
        "2021-02-lake-pullback",
        "2024-10-patrol-deal",
        "2024-10-leaders-meet",
        "2025-08-envoys-talks",
    ]


def test_chain_says_how_each_event_is_linked_in_words(linked_client):
    html = page(linked_client, "2020-06-river-clash")
    relations = [span.get_text() for span in html.select(".chain-relation")]
    assert relations == [
        "Includes this event",
        "Followed from this event",
        "Follow-up of “First pullback at the river”",
        "Follow-up of “Pullback at the lake”",
        "In response to “Deal on patrols”",
        "Follow-up of “Leaders meet at a summit”",
    ]


def test_chain_is_walked_from_the_middle_in_both_directions(linked_client):
    html = page(linked_client, "2024-10-patrol-deal")
    assert chain_slugs(html) == [
        "2020-05-line-standoff",
        "2020-06-river-clash",
        "2020-07-first-pullback",
        "2021-02-lake-pullback",
        "this",
        "2024-10-leaders-meet",
        "2025-08-envoys-talks",
    ]


def test_an_unlinked_event_has_no_chain(linked_client):
    assert page(linked_client, "2020-clash").select_one(".chain") is None


def test_a_cycle_of_links_shows_each_event_once(seeded_engine, database_url, tmp_path):
    path = events_file(
        tmp_path,
        event_yaml("2021-one", "[{type: led_to, to: 2022-two}]"),
        event_yaml("2022-two", "[{type: led_to, to: 2021-one}]"),
    )
    ingest(seeded_engine, [path])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert chain_slugs(page(client, "2021-one")) == ["this", "2022-two"]


def test_api_event_lists_links_declared_on_it_and_to_it(linked_client):
    item = linked_client.get("/api/events/2020-07-first-pullback").json()
    assert item["links"] == []
    assert item["linked_from"] == [
        {
            "type": "led_to",
            "slug": "2020-06-river-clash",
            "title": "Clash by the river",
            "url": "http://testserver/events/2020-06-river-clash",
        },
        {
            "type": "follow_up_of",
            "slug": "2021-02-lake-pullback",
            "title": "Pullback at the lake",
            "url": "http://testserver/events/2021-02-lake-pullback",
        },
    ]


def test_csv_export_carries_links_and_its_import_restores_them(linked_client, seeded_engine, tmp_path):
    response = linked_client.get("/events.csv?q=river")
    path = write(tmp_path, "events.csv", response.text)
    with seeded_engine.begin() as connection:
        connection.execute(EventLink.__table__.delete())
    ingest(seeded_engine, [path])
    assert stored_links(seeded_engine) == {
        ("2020-06-river-clash", "part_of", "2020-05-line-standoff"),
        ("2020-06-river-clash", "led_to", "2020-07-first-pullback"),
    }
