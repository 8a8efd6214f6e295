"""What the browser tests read off a page, and the reference events they expect."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Page

from tests.test_filters import ALL

# tests/fixtures/reference.yaml, oldest first (events on the same day in the order they were filed).
ALL_EVENTS = ALL
INDIA = [slug for slug in ALL if slug not in ("2025-export-controls", "2025-pakistan-visit")]
INDIA_BORDER = ["1962-war", "1988-visit", "2017-standoff", "2020-clash", "2025-border-talks"]


def shown_events(page: Page) -> list[str]:
    """The events on screen, top to bottom, by slug."""
    return page.locator("#results li.event").evaluate_all("items => items.map(item => item.id)")


def heading(page: Page):
    return page.locator("#results-heading")


def checkbox(page: Page, name: str):
    return page.locator("#filters label.facet-option", has_text=name).get_by_role("checkbox")


@contextmanager
def same_document(page: Page) -> Iterator[None]:
    """Fails if what runs inside loads a new document: htmx must update the page in place."""
    page.evaluate("window.e2eSameDocument = true")
    documents: list[str] = []

    def on_request(request):
        if request.resource_type == "document" and request.frame == page.main_frame:
            documents.append(request.url)

    page.on("request", on_request)
    try:
        yield
    finally:
        page.remove_listener("request", on_request)
    assert documents == [], f"the page was loaded again: {documents}"
    assert page.evaluate("window.e2eSameDocument") is True


def focused(page: Page) -> dict:
    """The focused element, whether a focus ring shows, and whether it is on screen and uncovered."""
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          const box = element.getBoundingClientRect();
          const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
          const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 10), 0), innerHeight - 1);
          const top = document.elementFromPoint(x, y);
          return {
            tag: element.tagName.toLowerCase(),
            text: (element.innerText || element.value || element.getAttribute("aria-label") || "").trim(),
            index: element.dataset.e2eIndex ?? null,
            ring: element.matches(":focus-visible") && style.outlineStyle !== "none"
                  && parseFloat(style.outlineWidth) >= 2,
            onScreen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
            uncovered: top !== null && (element === top || element.contains(top) || top.contains(element)
                       || (element.labels && [...element.labels].some(label => label.contains(top)))),
          };
        }"""
    )


def wait_until(page: Page, condition: Callable[[], object], timeout: float = 10) -> None:
    """Lets the browser's events reach Python (route handlers, listeners) until the condition holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the browser"
        page.wait_for_timeout(20)
