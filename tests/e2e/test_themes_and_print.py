"""The theme follows the system setting (or an embed's `theme`); views and event pages print cleanly."""

import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import PAGE_SIZE

LUMINANCE = """element => {
  const [r, g, b] = getComputedStyle(element)[PROPERTY].match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def luminance(locator, css_property: str) -> float:
    return locator.evaluate(LUMINANCE.replace("PROPERTY", repr(css_property)))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system_color_scheme(open_page, scheme):
    page = open_page(color_scheme=scheme)
    page.goto("/")
    body = page.locator("body")

    background, text = luminance(body, "backgroundColor"), luminance(body, "color")

    if scheme == "dark":
        assert background < 0.2 < 0.8 < text
    else:
        assert text < 0.2 < 0.8 < background


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_event_page_prints_black_on_white_without_the_site_navigation(open_page, scheme):
    page = open_page(color_scheme=scheme)
    page.goto("/events/2020-clash")

    page.emulate_media(media="print")

    for part in (".site-header nav", ".site-footer", ".breadcrumb", ".neighbours"):
        expect(page.locator(part)).to_be_hidden()
    expect(page.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(page.get_by_role("heading", level=1)).to_have_css("color", "rgb(0, 0, 0)")
    expect(page.locator(".facts dt").first).to_have_css("color", "rgb(68, 68, 68)")
    source_address = page.locator(".sources a").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://example.org/2020-a" in source_address


@pytest.mark.parametrize("path", ["/embed?country=IN&theme=", "/events/2020-clash/embed?theme="])
@pytest.mark.parametrize(("system", "theme"), [("light", "dark"), ("dark", "light")])
def test_an_embed_s_theme_parameter_overrides_the_system_setting(open_page, path, system, theme):
    page = open_page(color_scheme=system)
    page.goto(path + theme)
    body = page.locator("body")

    background, text = luminance(body, "backgroundColor"), luminance(body, "color")

    if theme == "dark":
        assert background < 0.2 < 0.8 < text
    else:
        assert text < 0.2 < 0.8 < background


def view_titles(page, query: str) -> list[str]:
    """The titles of every event of a view, from the JSON API, page by page."""
    titles, url = [], f"/api/events?{query}&limit=200"
    while url:
        body = page.request.get(url).json()
        titles += [item["title"] for item in body["items"]]
        url = body.get("next")
    return titles


def printed_text(page) -> str:
    """The text of the page printed by Chromium to PDF, as pypdf reads it, with runs of space as one."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    # NFKC turns the font's ligature glyphs ("ﬀ" in "standoﬀ") back into letters.
    text = "\n".join(unicodedata.normalize("NFKC", pdf_page.extract_text()) for pdf_page in pdf.pages)
    # A title that wraps after a hyphen ("Chushul-" / "Moldo") is one word again.
    return " ".join(re.sub(r"-\n", "-", text).split())


def test_the_printed_view_holds_every_event_of_the_view_and_its_filters(page):
    view = "country=IN&country=CN"
    page.goto(f"/?{view}")
    page.get_by_text("Download, print or embed this view").click()
    page.get_by_role("link", name="Print this view (every event)").click()
    expect(page).to_have_url(re.compile(rf"/print\?{view}$"))

    text = printed_text(page)

    titles = view_titles(page, view)
    assert len(titles) > PAGE_SIZE  # more than the timeline shows at once
    assert [title for title in titles if title not in text] == []
    assert "Filters: India and China." in text
    assert "Print this view" not in text and "Apply filters" not in text


def test_printing_the_timeline_hides_its_controls_and_points_to_the_full_print_view(page):
    page.goto("/?country=IN&country=CN")

    page.emulate_media(media="print")

    controls = ("#filters", ".exports", "#later", ".navigator-controls", ".overview-figures")
    controls += (".results-head .clear-all",)
    for part in controls:
        expect(page.locator(part)).to_be_hidden()
    note = page.locator(".print-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("8 events, from")
    expect(note).to_contain_text("only those loaded on the page")
    expect(note).to_contain_text("/print?country=IN&country=CN")


def test_the_printed_india_china_view_of_the_shipped_data_holds_every_one_of_its_events(browser, shipped_data_url):
    context = browser.new_context(base_url=shipped_data_url)
    try:
        page = context.new_page()
        page.goto("/print?country=IN&country=CN")
        text = printed_text(page)
        titles = view_titles(page, "country=IN&country=CN")
    finally:
        context.close()

    assert len(titles) > 150
    assert [title for title in titles if " ".join(title.split()) not in text] == []
