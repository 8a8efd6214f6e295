"""An event's chips: on the timeline they add their country or topic to the reader's view; on the
event page each is a view of only that country or topic."""

import pytest
from bs4 import BeautifulSoup


def chips_of(client, path: str, slug: str):
    html = BeautifulSoup(client.get(path).text, "html.parser")
    return html.find("li", id=slug).select_one(".chips")


@pytest.mark.parametrize(
    ("view", "chip", "href"),
    [
        ("country=IN&q=border", "Diplomacy", "/?country=IN&q=border&topic=diplomacy"),
        ("country=IN&q=border", "China", "/?country=IN&q=border&country=CN"),
        ("topic=border&from=1980&order=desc", "Diplomacy", "/?topic=border&from=1980&order=desc&topic=diplomacy"),
        ("", "India", "/?country=IN"),
    ],
)
def test_a_chip_adds_its_country_or_topic_to_the_view_keeping_every_other_filter(shared_client, view, chip, href):
    chips = chips_of(shared_client, f"/?{view}", "1988-visit")
    assert chips.find("a", string=chip)["href"] == href


def test_a_chip_already_in_the_view_is_marked_and_not_a_link(shared_client):
    chips = chips_of(shared_client, "/?country=IN&topic=border", "1988-visit")
    marked = [chip.get_text() for chip in chips.select(".chip-in-view")]
    assert marked == ["India (in this view)", "Border (in this view)"]
    assert [a.get_text() for a in chips.select("a")] == ["China", "Diplomacy"]


def test_a_page_further_on_narrows_the_view_from_its_start(shared_client):
    first = BeautifulSoup(shared_client.get("/?country=IN&limit=2").text, "html.parser")
    next_page = first.select_one("#later a")["href"]
    chips = chips_of(shared_client, next_page, "1999-year-event")
    assert chips.find("a", string="Trade")["href"] == "/?country=IN&topic=trade"


def test_the_event_page_s_chips_are_each_a_view_of_only_that_country_or_topic(shared_client):
    html = BeautifulSoup(shared_client.get("/events/1988-visit").text, "html.parser")
    links = {a.get_text(): a["href"] for a in html.select(".event-page .chips a")}
    assert links == {
        "China: only this country": "/?country=CN",
        "India: only this country": "/?country=IN",
        "Diplomacy: only this topic": "/?topic=diplomacy",
        "Border: only this topic": "/?topic=border",
    }
