"""The timeline page and its htmx fragments, event pages and error pages."""

from bs4 import BeautifulSoup

HX = {"HX-Request": "true"}
BILATERAL_BORDER = "/?country=IN&country=CN&topic=border"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def event_ids(html: BeautifulSoup) -> list[str]:
    return [li["id"] for li in html.select("li.event")]


def test_full_page_has_layout_form_and_results(shared_client):
    html = soup(shared_client.get(BILATERAL_BORDER))
    assert html.find("html") and html.select_one("form#filters[method=get][action='/']")
    assert html.select_one("section#results")
    assert html.select_one("h2#results-heading").get_text(strip=True) == "5 events match"


def test_htmx_request_gets_only_the_results_with_the_same_events(shared_client):
    full = soup(shared_client.get(BILATERAL_BORDER))
    fragment_response = shared_client.get(BILATERAL_BORDER, headers=HX)
    fragment = soup(fragment_response)
    assert fragment.find("html") is None and fragment.find("form") is None
    assert fragment.select_one("section#results")
    assert event_ids(fragment) == event_ids(full)
    assert "HX-Request" in fragment_response.headers["vary"]


def test_htmx_fragment_updates_facet_counts_and_messages_out_of_band(shared_client):
    fragment = soup(shared_client.get("/?country=US", headers=HX))
    count = fragment.select_one("#count-country-CN[hx-swap-oob]")
    assert count.get_text(" ", strip=True) == "1 events"
    assert fragment.select_one("#error-from[hx-swap-oob]").get_text() == ""


def test_htmx_request_for_history_restore_gets_the_full_page(shared_client):
    response = shared_client.get(BILATERAL_BORDER, headers={**HX, "HX-History-Restore-Request": "true"})
    assert soup(response).find("form", id="filters")


def test_invalid_filter_in_htmx_request_shows_the_message_beside_the_field(shared_client):
    response = shared_client.get("/?from=2020-13", headers=HX)
    assert response.status_code == 422
    error = soup(response).select_one("#error-from[hx-swap-oob]")
    assert " ".join(error.get_text().split()) == "from: '2020-13' is not a valid date"


def test_events_are_grouped_under_year_headings_in_a_list(shared_client):
    html = soup(shared_client.get("/?from=2020&to=2020"))
    (year,) = html.select("section.year")
    assert year.find("h2").get_text() == "2020"
    assert [li["id"] for li in year.select("ol.events > li")] == [
        "2020-clash",
        "2020-tariff-talks",
        "2020-app-ban",
    ]


def test_each_event_shows_date_title_link_summary_and_chips(shared_client):
    item = soup(shared_client.get("/")).find("li", id="2017-standoff")
    assert item.find("time")["datetime"] == "2017-06-16"
    assert item.find("time").get_text() == "16 June – 28 August 2017"
    assert item.find("h3").find("a")["href"] == "/events/2017-standoff"
    assert item.select_one(".summary").get_text() == "Troops faced each other for weeks on a disputed plateau."
    chips = {a.get_text(): a["href"] for a in item.select(".chips a")}
    assert chips == {"China": "/?country=CN", "India": "/?country=IN", "Border": "/?topic=border"}


def test_facets_list_countries_and_topics_with_counts_given_other_filters(shared_client):
    html = soup(shared_client.get("/?country=IN&topic=trade"))
    countries = {i["value"]: i for i in html.select("input[name=country]")}
    # Most events first, then by name: a stable order while counts change.
    assert list(countries) == ["CN", "IN", "US", "PK", "RU"]
    assert countries["IN"].has_attr("checked") and not countries["CN"].has_attr("checked")

    def count(kind, key):
        return html.select_one(f"#count-{kind}-{key}").contents[0].strip()

    # Countries narrow (AND): ticking CN keeps IN and trade.
    assert count("country", "CN") == "2"
    # Topics widen (OR): a topic's count ignores the topic filter but keeps IN.
    assert count("topic", "border") == "5"
    assert count("topic", "trade") == "3"


def test_empty_result_says_so_and_offers_to_clear(shared_client):
    html = soup(shared_client.get("/?q=nothing-matches-this"))
    assert "No events match these filters." in html.select_one("#results").get_text()
    assert html.select_one("#results .empty a[href='/']")


def test_event_page_shows_event_sources_and_neighbours(shared_client):
    response = shared_client.get("/events/2020-clash")
    assert response.status_code == 200
    html = soup(response)
    assert html.find("h1").get_text() == "Deadly clash in the valley"
    assert html.find("time").get_text() == "15 June 2020"
    sources = html.select("ol.sources a")
    assert [a["href"] for a in sources] == ["https://example.org/2020-a", "https://example.org/2020-b"]
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in sources)
    assert "Example News, 16 June 2020" in html.select_one("ol.sources").get_text()
    assert html.select_one("a[rel=prev]")["href"] == "/events/2017-standoff"
    assert html.select_one("a[rel=next]")["href"] == "/events/2020-tariff-talks"
    assert html.select_one(".chips a[href='/?topic=border']")


def test_event_page_has_canonical_link_and_preview_meta(shared_client):
    html = soup(shared_client.get("/events/2020-clash"))
    assert html.select_one("link[rel=canonical]")["href"] == "http://testserver/events/2020-clash"
    assert html.select_one("meta[property='og:title']")["content"] == "Deadly clash in the valley"
    assert html.select_one("meta[property='og:description']")["content"].startswith("15 June 2020: Soldiers died")
    assert html.select_one("meta[name='twitter:card']")["content"] == "summary_large_image"


def test_first_and_last_events_have_one_neighbour(shared_client):
    assert soup(shared_client.get("/events/1962-war")).select_one("a[rel=prev]") is None
    assert soup(shared_client.get("/events/2025-pakistan-visit")).select_one("a[rel=next]") is None


def test_unknown_event_is_a_404_page_in_the_site_layout(shared_client):
    response = shared_client.get("/events/no-such-event")
    assert response.status_code == 404
    html = soup(response)
    assert html.find("h1").get_text() == "Page not found"
    assert html.select_one("header.site-header") and html.select_one("footer.site-footer")


def test_unknown_path_is_a_404_page(shared_client):
    response = shared_client.get("/nowhere")
    assert response.status_code == 404
    assert soup(response).find("h1").get_text() == "Page not found"


def test_every_event_of_the_dataset_has_a_page(shared_client):
    slugs = [item["slug"] for item in shared_client.get("/api/events?limit=200").json()["items"]]
    assert len(slugs) == 11
    assert all(shared_client.get(f"/events/{slug}").status_code == 200 for slug in slugs)


def test_about_page_explains_the_tone_rubric_with_an_example_for_each_value(shared_client):
    html = soup(shared_client.get("/about"))
    rows = html.select("#tone ~ table tbody tr")
    assert [row.td.get_text().split()[0] for row in rows] == ["+2", "+1", "0", "−1", "−2"]
    assert all(row.select_one("a[href^='/events/']") for row in rows)
    assert html.find(id="importance") and html.find(id="dates") and html.find(id="corrections")


def test_every_page_links_to_the_about_page_from_its_footer(shared_client):
    for path in ["/", "/events/2020-clash", "/about", "/no-such-page"]:
        assert soup(shared_client.get(path)).select_one("footer a[href='/about']"), path


def test_pages_use_the_settings_the_app_was_created_with(shared_database_url):
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    app = create_app(
        Settings(database_url=shared_database_url, site_name="Ties Watch", base_url="https://ties.example")
    )
    with TestClient(app) as client:
        html = soup(client.get("/events/2020-clash"))
    assert html.select_one("a.brand").get_text() == "Ties Watch"
    assert html.select_one("link[rel=canonical]")["href"] == "https://ties.example/events/2020-clash"
