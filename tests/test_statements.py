"""Each party's account of an event: validated at ingest, shown side by side, searchable, exported."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.formats.seed import database_document
from app.ingest import IngestFailed, ingest
from app.main import create_app
from app.models import Revision
from tests.conftest import FIXTURES, write

LINKED = FIXTURES / "linked.yaml"
CLASH = "2020-06-river-clash"


def event_with_statements(statements: str) -> str:
    return f"""events:
  - slug: 2021-said-event
    title: An event with accounts
    summary: Something happened.
    start_date: "2021"
    countries: [IN]
    topics: [border]
    sources: [{{url: "https://example.org/event", title: Report}}]
    statements: {statements}
"""


@pytest.fixture
def linked_engine(seeded_engine):
    ingest(seeded_engine, [LINKED])
    return seeded_engine


@pytest.fixture
def linked_client(linked_engine, database_url):
    with TestClient(create_app(Settings(database_url=database_url, page_size=50))) as client:
        yield client


def accounts(client, slug: str = CLASH) -> list[BeautifulSoup]:
    return BeautifulSoup(client.get(f"/events/{slug}").text, "html.parser").select(".accounts > li.account")


def matching_slugs(client, q: str) -> list[str]:
    return [item["slug"] for item in client.get("/api/events", params={"q": q, "limit": 200}).json()["items"]]


def test_event_page_shows_each_account_with_party_date_text_and_source(linked_client):
    army, newspaper = accounts(linked_client)
    assert army.h3.get_text() == "India (Army)"
    assert army.time["datetime"] == "2020-06-16" and army.time.get_text() == "16 June 2020"
    assert army.select_one(".account-text").get_text() == (
        "The army said twenty of its soldiers had died after the fighting at the river."
    )
    source = army.select_one(".account-source a")
    assert source["href"] == "https://example.org/army-statement"
    assert source["rel"] == ["noopener", "noreferrer"]
    assert "Example Wire" in army.select_one(".account-source").get_text()
    assert newspaper.time.get_text() == "February 2021"


def test_an_event_without_statements_shows_no_accounts(linked_client):
    assert BeautifulSoup(linked_client.get("/events/2020-clash").text, "html.parser").select_one(".accounts") is None


def test_search_matches_words_that_are_only_in_a_statement(linked_client):
    assert matching_slugs(linked_client, "twenty") == [CLASH]


def test_search_follows_statements_when_they_are_edited(linked_engine, database_url, tmp_path):
    document = LINKED.read_text(encoding="utf-8").replace("twenty of its soldiers", "a score of its soldiers")
    ingest(linked_engine, [write(tmp_path, "linked.yaml", document)])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert matching_slugs(client, "twenty") == []
        assert matching_slugs(client, "score") == [CLASH]


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            "[{party: India, text: Said so., source: {url: 'ftp://example.org/x', title: X}}]",
            "statements.1.source.url: 'ftp://example.org/x' is not an http or https URL",
        ),
        ("[{party: India, text: Said so.}]", "statements.1.source: is required"),
        (
            "[{party: India, party_country: xx, text: Said so., source: {url: 'https://example.org/x', title: X}}]",
            "statements.1.party_country: unknown country code 'XX'",
        ),
        (
            "[{party: India, text: Said so., date: '2021-13', source: {url: 'https://example.org/x', title: X}}]",
            "statements.1.date: '2021-13' is not a valid date",
        ),
    ],
)
def test_an_invalid_statement_is_reported_with_file_event_and_field(seeded_engine, tmp_path, statements, message):
    path = write(tmp_path, "said.yaml", event_with_statements(statements))
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert failure.value.errors == [f"{path}: event #1 '2021-said-event': {message}"]


def test_api_event_carries_its_statements(linked_client):
    statements = linked_client.get(f"/api/events/{CLASH}").json()["statements"]
    assert statements[1] == {
        "party": "China (Military newspaper)",
        "party_country": "CN",
        "text": "The newspaper named four soldiers who had died, eight months later.",
        "said_on": "2021-02-01",
        "said_on_precision": "month",
        "source": {
            "url": "https://example.org/newspaper",
            "title": "Newspaper report",
            "headline": None,
            "publisher": None,
            "published_date": None,
        },
    }


def test_statements_csv_has_a_row_per_statement_of_the_view(linked_client):
    response = linked_client.get("/events/statements.csv?topic=border")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(row["event_slug"], row["party"], row["date"]) for row in rows] == [
        (CLASH, "India (Army)", "2020-06-16"),
        (CLASH, "China (Military newspaper)", "2021-02"),
    ]
    assert rows[0]["source_url"] == "https://example.org/army-statement"


def test_statements_csv_keeps_spreadsheet_formulas_as_text(seeded_engine, database_url, tmp_path):
    statements = "[{party: '=HYPERLINK(1)', text: '+said', source: {url: 'https://example.org/x', title: '@x'}}]"
    ingest(seeded_engine, [write(tmp_path, "said.yaml", event_with_statements(statements))])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        (row,) = csv.DictReader(io.StringIO(client.get("/events/statements.csv").text))
    assert (row["party"], row["text"], row["source_title"]) == ("'=HYPERLINK(1)", "'+said", "'@x")


def test_timeline_offers_the_statements_csv_of_its_view(linked_client):
    html = BeautifulSoup(linked_client.get("/?topic=border").text, "html.parser")
    assert "/events/statements.csv?topic=border" in {a["href"] for a in html.select(".exports a")}


def test_ingesting_a_csv_export_keeps_the_statements_it_cannot_carry(linked_engine, linked_client, tmp_path):
    path = write(tmp_path, "events.csv", linked_client.get("/events.csv").text)
    ingest(linked_engine, [path])
    assert len(accounts(linked_client)) == 2
    with linked_engine.connect() as connection:
        assert connection.execute(select(Revision.field).where(Revision.field == "statements")).all() == []


def test_whole_database_export_round_trips_links_and_statements(linked_engine, linked_client, new_database, tmp_path):
    with Session(linked_engine) as session:
        exported = write(tmp_path, "timeline.json", "".join(database_document(session)))
    url = new_database("copy", migrated=True)
    copy = make_engine(url)
    ingest(copy, [exported])
    copy.dispose()
    with TestClient(create_app(Settings(database_url=url))) as client:
        for slug in (CLASH, "2020-07-first-pullback"):
            assert client.get(f"/api/events/{slug}").json() == linked_client.get(f"/api/events/{slug}").json()
