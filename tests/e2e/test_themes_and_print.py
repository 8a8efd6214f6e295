"""The theme follows the system setting (or an embed's `theme`); views and event pages print cleanly."""

import pytest
from playwright.sync_api import expect

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
