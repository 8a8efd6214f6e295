"""The shipped dataset: it loads, it is sourced, its dates are the fact sheet's, its main chains show."""

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.config import PROJECT_DIR, Settings
from app.ingest import ingest
from app.ingest.check import check
from app.main import create_app
from app.models import Event

SEEDS = PROJECT_DIR / "seeds"
EXCEPTIONS = PROJECT_DIR / "docs" / "fact-sheet-exceptions.yaml"
FACTS = PROJECT_DIR.parent / "shared" / "facts"
GALWAN = "2020-06-15-galwan-valley-clash"
TOPICS = [
    "diplomacy",
    "border",
    "security",
    "trade",
    "investment",
    "technology",
    "rare-earths",
    "energy",
    "water",
    "multilateral",
    "people-to-people",
]
# Events that carry only one of India and China as a party, and concern the other.
CONCERNING_BOTH = [
    "2023-07-03-gallium-germanium-controls",
    "2023-10-20-graphite-export-controls",
    "2025-04-04-china-rare-earth-export-licensing",
    "2025-07-20-rare-earth-magnet-exports-rebound",
    "2025-10-09-china-expands-rare-earth-controls",
    "2025-08-06-us-tariff-on-india-russian-oil",
]
REQUIRED = [
    "1950-04-01-diplomatic-relations-established",
    "1954-04-29-panchsheel-agreement",
    "1962-10-20-sino-indian-war",
    "1967-09-11-nathu-la-clashes",
    "1988-12-19-rajiv-gandhi-visits-china",
    "1993-09-07-lac-peace-and-tranquillity-agreement",
    "1996-11-29-military-cbm-agreement",
    "2003-06-22-vajpayee-visits-china",
    "2005-04-11-strategic-partnership-and-guiding-principles",
    "2013-10-23-border-defence-cooperation-agreement",
    "2014-09-17-xi-jinping-state-visit",
    "2017-06-16-doklam-standoff",
    "2018-04-27-wuhan-informal-summit",
    "2019-10-11-mamallapuram-informal-summit",
    "2020-04-17-press-note-3-fdi-curbs",
    "2020-06-29-india-bans-59-chinese-apps",
    "2020-06-15-galwan-valley-clash",
    "2020-05-05-eastern-ladakh-standoff",
    "2020-07-06-galwan-disengagement",
    "2021-02-10-pangong-disengagement",
    "2024-10-30-depsang-demchok-disengagement",
    "2022-12-09-yangtse-clash",
    "2024-10-21-lac-patrolling-agreement",
    "2024-10-23-modi-xi-kazan-meeting",
    "2024-12-18-23rd-special-representatives-talks",
    "2025-06-20-kailash-yatra-resumes",
    "2025-07-24-india-resumes-tourist-visas",
    "2025-10-26-direct-flights-resume",
    "2025-04-01-75th-anniversary-messages",
    "2025-04-04-china-rare-earth-export-licensing",
    "2025-07-20-rare-earth-magnet-exports-rebound",
    "2025-08-18-jaishankar-wang-yi-delhi-talks",
    "2025-08-19-24th-special-representatives-talks",
    "2025-08-06-us-tariff-on-india-russian-oil",
    "2025-08-31-sco-tianjin-summit",
    "2025-08-31-modi-xi-tianjin-meeting",
]


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def events() -> list[dict]:
    return load(SEEDS / "india-china.yaml")["events"]


def test_seeds_ingest_without_error(engine):
    report = ingest(engine, [SEEDS])
    assert report.events.created >= 80
    with engine.connect() as connection:
        assert set(REQUIRED) <= set(connection.execute(select(Event.slug)).scalars())


def test_every_source_is_https(events):
    cited = [s["url"] for e in events for s in e["sources"] + [said["source"] for said in e.get("statements", [])]]
    assert [url for url in cited if not url.startswith("https://")] == []


def test_slugs_and_titles_are_unique(events):
    assert len({e["slug"] for e in events}) == len(events)
    assert len({e["title"].casefold() for e in events}) == len(events)


def test_dates_fall_within_1950_to_2025(events):
    assert all("1950" <= e["start_date"][:4] <= "2025" for e in events)
    assert all("1950" <= e.get("end_date", "2025")[:4] <= "2025" for e in events)


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_has_at_least_three_events(events, topic):
    assert sum(topic in e["topics"] for e in events) >= 3


def test_key_events_make_a_short_overview(events):
    assert 15 <= sum(e["importance"] == 1 for e in events) <= 25


def test_named_events_are_present(events):
    assert set(REQUIRED) <= {e["slug"] for e in events}


def test_every_fact_sheet_date_starts_an_event_or_is_a_documented_exception(events):
    if not FACTS.is_dir():
        pytest.skip(f"the fact sheet is not beside the project ({FACTS})")
    rows = load(FACTS / "india-china-events.yaml") + load(FACTS / "india-china-events-more.yaml")
    exceptions = {entry["fact_sheet_date"]: entry for entry in load(EXCEPTIONS)}
    starts = {(e["start_date"], e.get("end_date")) for e in events} | {(e["start_date"], None) for e in events}
    by_slug = {e["slug"]: e for e in events}
    missing = []
    for row in rows:
        date, end = str(row["date"]), row.get("end_date") and str(row["end_date"])
        if (date, end) in starts:
            continue
        exception = exceptions.get(date)
        if exception is None or by_slug[exception["seed_slug"]]["start_date"] != exception["seed_date"]:
            missing.append((date, row["title"]))
    assert missing == []


def test_each_fact_sheet_exception_cites_a_source_of_its_event(events):
    by_slug = {e["slug"]: e for e in events}
    for entry in load(EXCEPTIONS):
        cited = {s["url"] for s in by_slug[entry["seed_slug"]]["sources"]}
        assert set(entry["sources"]) <= cited, entry["seed_slug"]


@pytest.fixture
def seeds_client(engine, database_url):
    ingest(engine, [SEEDS])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def event_page(client, slug: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(f"/events/{slug}").text, "html.parser")


def test_galwan_page_shows_each_governments_account_with_its_source(seeds_client):
    accounts = event_page(seeds_client, GALWAN).select(".accounts > li")
    parties = [account.h3.get_text() for account in accounts]
    assert "India (Ministry of External Affairs)" in parties
    assert any(party.startswith("China (Ministry of Foreign Affairs") for party in parties)
    assert all(account.select_one(".account-source a[href^='https://']") for account in accounts)


def test_galwan_page_shows_a_chain_of_linked_events_reaching_the_2025_talks(seeds_client):
    linked = [a["href"] for a in event_page(seeds_client, GALWAN).select(".chain-list a")]
    assert len(linked) >= 4
    for slug in [
        "2020-07-06-galwan-disengagement",
        "2024-10-21-lac-patrolling-agreement",
        "2024-10-23-modi-xi-kazan-meeting",
        "2025-08-19-24th-special-representatives-talks",
    ]:
        assert f"/events/{slug}" in linked


def test_wuhan_summit_leads_on_to_mamallapuram(seeds_client):
    linked = [a["href"] for a in event_page(seeds_client, "2018-04-27-wuhan-informal-summit").select(".chain-list a")]
    assert "/events/2019-10-11-mamallapuram-informal-summit" in linked


def test_the_shipped_seeds_pass_the_data_check():
    report = check([SEEDS])
    assert [str(finding) for finding in report.errors] == []
    assert report.events >= 150


def test_every_decade_from_the_1950s_to_the_2010s_has_at_least_eight_events(events):
    for decade in range(1950, 2020, 10):
        assert sum(decade <= int(e["start_date"][:4]) < decade + 10 for e in events) >= 8, decade


def test_no_five_years_since_1950_pass_without_an_event(events):
    years = sorted({int(e["start_date"][:4]) for e in events})
    assert years[0] == 1950
    assert max(later - earlier for earlier, later in zip(years, years[1:], strict=False)) < 5


def test_events_that_concern_both_countries_appear_in_their_view(seeds_client):
    listed = {item["slug"] for item in seeds_client.get("/api/events?country=IN&country=CN&limit=200").json()["items"]}
    assert set(CONCERNING_BOTH) <= listed
    relation = seeds_client.get("/relations/IN-CN?limit=200")
    assert relation.status_code == 200
