"""Every ingest that changes an event records what changed; the event page and the API show it."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.ingest import ingest
from app.main import create_app
from app.models import Revision
from tests.conftest import FIXTURES, REFERENCE, write

LINKED = FIXTURES / "linked.yaml"
CLASH_SUMMARY = "Soldiers died in hand-to-hand fighting at the Line of Actual Control."


def edited_reference(tmp_path, *replacements: tuple[str, str]):
    """reference.yaml with some text replaced, written where a test can ingest it."""
    text = REFERENCE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return write(tmp_path, "reference.yaml", text)


def revision_rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(
                    Revision.event_id, Revision.number, Revision.field, Revision.old_value, Revision.new_value
                ).order_by(Revision.id)
            )
        ]


@pytest.fixture
def app_client(seeded_engine, database_url):
    def make() -> TestClient:
        return TestClient(create_app(Settings(database_url=database_url)))

    return make


def history(client, slug: str = "2020-clash") -> BeautifulSoup:
    return BeautifulSoup(client.get(f"/events/{slug}").text, "html.parser").select_one(".history")


def test_new_events_record_no_revision(shared_engine):
    assert revision_rows(shared_engine) == []


def test_ingesting_unchanged_files_records_nothing(seeded_engine):
    ingest(seeded_engine, [REFERENCE, LINKED])
    ingest(seeded_engine, [REFERENCE, LINKED])
    assert revision_rows(seeded_engine) == []


def test_editing_a_summary_adds_exactly_one_revision_with_old_and_new_text(seeded_engine, tmp_path):
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "Twenty soldiers died in the fighting."))])
    ((_, number, field, old, new),) = revision_rows(seeded_engine)
    assert (number, field, old, new) == (1, "summary", CLASH_SUMMARY, "Twenty soldiers died in the fighting.")


def test_edited_summary_is_visible_on_the_event_page(seeded_engine, app_client, tmp_path):
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "Twenty soldiers died in the fighting."))])
    with app_client() as client:
        section = history(client)
    assert section.p.get_text().startswith("Last updated ")
    assert "(1 revision since it was added on" in section.p.get_text()
    assert section.select_one("details.revisions summary").get_text() == "Show what changed"
    (change,) = section.select(".change")
    assert change.dt.get_text() == "Summary"
    assert change.select_one(".change-old").get_text() == f"Before: {CLASH_SUMMARY}"
    assert change.select_one(".change-new").get_text() == "After: Twenty soldiers died in the fighting."


def test_an_unchanged_event_says_it_has_not_been_corrected(shared_client):
    section = history(shared_client)
    assert section.p.get_text().startswith("Added on ")
    assert section.select_one("details") is None


def test_one_ingest_changing_several_fields_is_one_revision_listing_each(seeded_engine, tmp_path):
    path = edited_reference(
        tmp_path,
        ("title: Deadly clash in the valley", "title: Deadly clash in the Galwan Valley"),
        ("    location: Galwan Valley\n    countries: [IN, CN]", "    location: Galwan Valley\n    countries: [IN]"),
    )
    ingest(seeded_engine, [path])
    rows = revision_rows(seeded_engine)
    assert [(number, field, old, new) for _, number, field, old, new in rows] == [
        (1, "title", "Deadly clash in the valley", "Deadly clash in the Galwan Valley"),
        (1, "countries", "CN, IN", "IN"),
    ]


def test_each_further_changing_ingest_is_the_next_revision(seeded_engine, tmp_path):
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "First correction."))])
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "Second correction."))])
    assert [(number, new) for _, number, field, _, new in revision_rows(seeded_engine)] == [
        (1, "First correction."),
        (2, "Second correction."),
    ]


def test_changing_only_statements_or_links_is_a_revision(seeded_engine, tmp_path):
    ingest(seeded_engine, [LINKED])
    edited = LINKED.read_text(encoding="utf-8").replace("twenty of its soldiers", "20 of its soldiers")
    edited = edited.replace(
        "{type: response_to, to: 2024-10-patrol-deal}", "{type: follow_up_of, to: 2024-10-patrol-deal}"
    )
    report = ingest(seeded_engine, [write(tmp_path, "linked.yaml", edited)])
    assert report.events.updated == 2
    changes = {field: (old, new) for _, _, field, old, new in revision_rows(seeded_engine)}
    assert changes["links"] == ("response_to 2024-10-patrol-deal", "follow_up_of 2024-10-patrol-deal")
    old, new = changes["statements"]
    assert "twenty of its soldiers" in old and "20 of its soldiers" in new


def test_api_event_has_its_revision_count_and_date(seeded_engine, app_client, tmp_path):
    with app_client() as client:
        before = client.get("/api/events/2020-clash").json()
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "A correction."))])
    with app_client() as client:
        after = client.get("/api/events/2020-clash").json()
        listed = client.get("/api/events?q=correction").json()["items"]
    assert (before["revision_count"], before["last_revised"]) == (0, None)
    assert after["revision_count"] == 1 and after["last_revised"].startswith("20")
    assert listed[0]["revision_count"] == 1


def test_revisions_go_with_their_event_when_it_is_deleted(seeded_engine, tmp_path):
    ingest(seeded_engine, [edited_reference(tmp_path, (CLASH_SUMMARY, "A correction."))])
    with seeded_engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM event WHERE slug = '2020-clash'")
    with seeded_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Revision)).scalar_one() == 0
