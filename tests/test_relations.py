"""Relation pages, /relations/{A}-{B}: one address per pair of countries, the pair's overview, key
events, topics, and first and latest events; the unfiltered timeline lists the pairs."""

import pytest
from bs4 import BeautifulSoup

from app import queries
from app.ingest import ingest
from tests.conftest import FIXTURES


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize(("codes", "order"), [(("CN", "IN"), ("IN", "CN")), (("IN", "US"), ("US", "IN"))])
def test_the_canonical_order_is_the_later_code_first(codes, order):
    assert queries.relation_order(*codes) == queries.relation_order(*reversed(codes)) == order


@pytest.mark.parametrize("typed", ["CN-IN", "cn-in", "in-cn", "In-Cn"])
def test_other_spellings_redirect_permanently_to_the_canonical_address(shared_client, typed):
    response = shared_client.get(f"/relations/{typed}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == "/relations/IN-CN"


def test_the_relation_page_shows_the_pairs_overview_key_events_topics_and_ends(client, seeded_engine):
    ingest(seeded_engine, [FIXTURES / "eras.yaml"])
    response = client.get("/relations/IN-CN")
    assert response.status_code == 200
    html = soup(response)
    assert html.find("h1").get_text() == "India and China"
    assert html.select_one("link[rel=canonical]")["href"] == "http://testserver/relations/IN-CN"
    assert "8 events between India and China, from 1962 to 2025" in html.select_one(".lead").get_text()
    assert html.find("a", string="Read the full timeline")["href"] == "/?country=IN&country=CN"

    svg = html.select_one("svg.navigator-axis")
    # A period opens the pair's timeline there.
    assert [a["href"] for a in svg.select("a.period")][-1] == "/?country=IN&country=CN&at=2020"
    assert len(svg.select("rect.era-band")) == 3

    key_events = [a["href"] for a in html.select("ol.key-events a")]
    assert key_events == [
        "/events/1962-war",
        "/events/1988-visit",
        "/events/2017-standoff",
        "/events/2020-clash",
        "/events/2025-border-talks",
    ]
    topics = {a.get_text(): (a["href"], a.find_next_sibling("span").get_text()) for a in html.select(".topic-counts a")}
    assert list(topics) == ["Border", "Diplomacy", "Trade", "Multilateral"]
    assert topics["Border"] == ("/?country=IN&country=CN&topic=border", "5 events")
    ends = {div.find("dt").get_text(): div.find("dd") for div in html.select(".relation-ends > div")}
    assert ends["First event"].find("a")["href"] == "/events/1962-war"
    assert ends["Latest event"].find("a")["href"] == "/events/2025-border-talks"
    assert [dt.contents[0].strip() for dt in html.select("dl.eras dt")] == [
        "War on the frontier",
        "Standoff on the plateau",
        "Renewed talks",
    ]


def test_a_pair_with_a_third_country_counts_only_the_shared_events(shared_client):
    html = soup(shared_client.get("/relations/RU-IN"))
    assert "1 event between Russia and India." in html.select_one(".lead").get_text()
    assert [a["href"] for a in html.select("ol.key-events a")] == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/relations/IN", "is not a pair of countries"),
        ("/relations/IN-CN-US", "is not a pair of countries"),
        ("/relations/IN-XX", "There is no country with the code XX."),
        ("/relations/IN-IN", "A relation is between two different countries."),
        ("/relations/RU-PK", "There are no events between Russia and Pakistan yet."),
    ],
)
def test_addresses_that_are_not_a_pair_with_events_are_404_pages_that_say_why(shared_client, path, message):
    response = shared_client.get(path)
    assert response.status_code == 404
    assert message in soup(response).select_one("main").get_text()


def test_the_unfiltered_timeline_lists_the_pairs_that_have_events(shared_client):
    pairs = soup(shared_client.get("/")).select("nav.pairs li")
    listed = [(li.find("a").get_text(), li.find("a")["href"], li.select_one(".pair-count").get_text()) for li in pairs]
    assert listed[0] == ("India–China", "/relations/IN-CN", "8 events")
    assert {href for _, href, _ in listed} == {
        "/relations/IN-CN",
        "/relations/US-IN",
        "/relations/US-CN",
        "/relations/RU-IN",
        "/relations/RU-CN",
        "/relations/PK-CN",
    }
    assert [count for _, _, count in listed[1:]] == ["1 event"] * 5


def test_a_filtered_timeline_does_not_list_pairs_but_links_a_pair_to_its_page(shared_client):
    assert soup(shared_client.get("/?country=IN")).select_one("nav.pairs") is None
    html = soup(shared_client.get("/?country=CN&country=IN&topic=border"))
    assert html.find("a", class_="relation-link")["href"] == "/relations/IN-CN"
