"""axe-core finds no accessibility violations, in the light and the dark theme."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import heading

PAGES = {
    "timeline": "/",
    "event page": "/events/2020-clash",
    "about page": "/about",
    "404 page": "/no-such-page",
    "filtered timeline": "/?country=IN&topic=border",
    "print view": "/print?country=IN&country=CN",
    "view embed": "/embed?country=IN&country=CN",
    "event embed": "/events/2020-clash/embed",
    "event embed, forced dark": "/events/2020-clash/embed?theme=dark",
}


def axe_violations(page: Page, axe_source: str) -> list[str]:
    # Evaluated rather than added as a <script>, so a Content-Security-Policy cannot block it.
    page.evaluate(axe_source)
    return page.evaluate(
        """async () => (await axe.run(document)).violations.map(v =>
             `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_violations(open_page, axe_source, path, scheme):
    page = open_page(color_scheme=scheme)
    page.goto(path)

    assert axe_violations(page, axe_source) == []


def test_axe_finds_no_violations_after_htmx_updates(page, axe_source):
    page.goto("/")
    page.get_by_label("Words").fill("talks")
    expect(heading(page)).to_have_text("4 events match")
    page.get_by_role("link", name="1 later event").click()
    expect(page.get_by_text("End of the timeline for these filters.")).to_be_visible()

    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("path", ["/?q=nothing-like-this", "/?from=2020-13"], ids=["no results", "bad date"])
def test_axe_finds_no_violations_in_empty_and_error_states(page, axe_source, path):
    page.goto(path)

    assert axe_violations(page, axe_source) == []
