"""Hostile event data in a real browser: no payload runs, no payload becomes an element."""

import re

import pytest

from .conftest import REFERENCE, TESTS_DIR
from .harness import create_database, serve

HOSTILE = TESTS_DIR / "fixtures" / "hostile.yaml"
PATHS = [
    "/",
    "/?q=talks",
    "/?country=IN&from=2021",
    "/events/2021-01-01-hostile-script",
    "/events/2021-01-02-hostile-formulas",
    "/embed?from=2021",
]
INJECTED = """() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    inlineScripts: [...document.querySelectorAll('script:not([src])')].length,
    handlers: [...document.querySelectorAll('*')]
        .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    images: document.querySelectorAll('img, svg[onload], iframe, object').length,
    // getAttribute: an SVG link's href is not a string (the navigator's periods are SVG links).
    scriptLinks: [...document.querySelectorAll('a[href]')].filter(a => {
        try { return new URL(a.getAttribute('href'), document.baseURI).protocol === 'javascript:'; }
        catch (error) { return false; }
    }).length,
})"""


@pytest.fixture(scope="module")
def hostile_url(backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    database_url = create_database(backend.new_database(folder, "hostile"), [REFERENCE, HOSTILE])
    try:
        with serve(database_url, 50, folder / "server.log") as url:
            yield url
    finally:
        backend.drop(database_url)


@pytest.mark.parametrize("path", PATHS)
def test_no_payload_runs_or_becomes_an_element(browser, hostile_url, path):
    context = browser.new_context(base_url=hostile_url)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(INJECTED)
    context.close()
    assert dialogs == []
    assert found == {"pwned": None, "inlineScripts": 0, "handlers": 0, "images": 0, "scriptLinks": 0}


def test_payloads_in_an_htmx_swap_stay_text(browser, hostile_url):
    context = browser.new_context(base_url=hostile_url)
    page = context.new_page()
    page.goto("/")
    page.fill("#q", "talks")
    # Typed, so searched as a prefix (static/app.js).
    page.wait_for_url(re.compile(r".*/\?q=talks\*$"))
    page.locator("#results li.event").first.wait_for()
    found = page.evaluate(INJECTED)
    context.close()
    assert found == {"pwned": None, "inlineScripts": 0, "handlers": 0, "images": 0, "scriptLinks": 0}
