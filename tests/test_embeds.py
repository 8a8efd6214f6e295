"""Embeds of a view and of one event: titles in words, a chosen theme, and framing by other sites."""

import pytest
from bs4 import BeautifulSoup

EVENT_EMBED = "/events/2020-clash/embed"
EMBEDS = ["/embed?country=IN", EVENT_EMBED]


def parsed(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("country=in&country=cn&from=2020-04&to=2020-07", "India and China · April–July 2020"),
        ("country=IN&country=CN&country=RU", "India, China and Russia"),
        ("topic=border&topic=trade&from=2020", "Border or Trade · from 2020"),
        ("to=2020-06-15&importance=1", "Until 15 June 2020 · key events"),
        ("from=2017&to=2020", "2017–2020"),
        ("", "All events"),
    ],
)
def test_a_view_embed_is_titled_in_words(shared_client, query, title):
    html = parsed(shared_client, f"/embed?{query}")
    assert html.select_one("h1").get_text() == f"{title} (opens in a new tab)"
    assert html.title.get_text() == f"{title} · Relations Timeline"


@pytest.mark.parametrize("path", EMBEDS)
@pytest.mark.parametrize(
    ("theme", "data_theme", "color_scheme"),
    [("light", "light", "light"), ("dark", "dark", "dark"), ("auto", None, "light dark"), (None, None, "light dark")],
)
def test_the_theme_parameter_forces_light_or_dark_and_auto_follows_the_reader(
    shared_client, path, theme, data_theme, color_scheme
):
    separator = "&" if "?" in path else "?"
    html = parsed(shared_client, path + (f"{separator}theme={theme}" if theme else ""))
    assert html.html.get("data-theme") == data_theme
    assert html.select_one("meta[name=color-scheme]")["content"] == color_scheme


@pytest.mark.parametrize("path", ["/embed?theme=purple", f"{EVENT_EMBED}?theme=Dark"])
def test_an_unknown_theme_is_refused_naming_the_parameter(shared_client, path):
    response = shared_client.get(path)
    assert response.status_code == 422
    message = BeautifulSoup(response.text, "html.parser").select_one(".error-page").get_text()
    assert "theme: Input should be 'auto', 'light' or 'dark'" in message


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_may_be_framed_by_any_site(shared_client, path):
    headers = shared_client.get(path).headers
    assert headers["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in headers


@pytest.mark.parametrize(
    "path", ["/events/2020-clash", "/events/2020-clash/card.png", "/events/embed", "/print?country=IN", "/"]
)
def test_pages_beside_the_embeds_still_refuse_framing(shared_client, path):
    headers = shared_client.get(path).headers
    assert headers["content-security-policy"].endswith("frame-ancestors 'none'")
    assert headers["x-frame-options"] == "DENY"


def test_an_event_embed_shows_the_event_its_sources_and_a_link_to_its_page(shared_client):
    html = parsed(shared_client, EVENT_EMBED)
    assert html.select_one(".event-date time")["datetime"] == "2020-06-15"
    assert html.select_one(".event-date").get_text(" ", strip=True) == "15 June 2020 Key event"
    title_link = html.select_one("h1 a")
    assert title_link.get_text() == "Deadly clash in the valley (opens in a new tab)"
    assert title_link["href"] == "http://testserver/events/2020-clash"
    assert html.select_one(".summary").get_text().startswith("Soldiers died in hand-to-hand fighting")
    facts = {div.dt.get_text(): div.dd.get_text() for div in html.select(".embed-facts div")}
    assert facts == {"Countries": "China, India", "Topics": "Border"}
    assert [a["href"] for a in html.select(".embed-sources a")] == [
        "https://example.org/2020-a",
        "https://example.org/2020-b",
    ]
    assert html.select_one("base")["target"] == "_blank"


def test_an_embed_of_an_unknown_event_is_a_404(shared_client):
    assert shared_client.get("/events/no-such-event/embed").status_code == 404


def test_the_event_page_offers_the_code_to_embed_the_event(shared_client):
    html = parsed(shared_client, "/events/2020-clash")
    snippet = html.select_one(".event-embed textarea").get_text()
    assert snippet.startswith('<iframe src="http://testserver/events/2020-clash/embed"')
    assert 'title="Deadly clash in the valley · Relations Timeline"' in snippet


def test_the_view_embed_code_names_the_view(shared_client):
    snippet = parsed(shared_client, "/?country=IN&country=CN").select_one(".exports textarea").get_text()
    assert snippet.startswith('<iframe src="http://testserver/embed?country=IN&country=CN"')
    assert 'title="India and China · Relations Timeline"' in snippet
