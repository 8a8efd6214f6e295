"""One app server and one Chromium for the session; every test gets fresh tabs (own history, storage)."""

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from .harness import create_database, fetched_asset, launch_chromium, serve

TESTS_DIR = Path(__file__).resolve().parents[1]
REFERENCE = TESTS_DIR / "fixtures" / "reference.yaml"
# Eras of the reference events, in their own file so that the reference's counts stay as they are.
ERAS = TESTS_DIR / "fixtures" / "eras.yaml"
SEEDS = TESTS_DIR.parent / "seeds"
AXE_FOLDER = TESTS_DIR / ".assets" / "axe-core"
# Small pages, so that the 11 reference events take four pages of "later events", splitting 2020 and 2025.
PAGE_SIZE = 3
DESKTOP = {"width": 1280, "height": 900}
# Long enough for a loaded CI machine, short enough that a broken page fails fast.
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)
# Chromium logs every 404 and 422 it receives, which the tests ask for. htmx logs a request that
# a newer one replaced (hx-sync) as an error; a failed one logs htmx:sendError or htmx:responseError too.
# It logs a frame that a page refuses (frame-ancestors), which tests/e2e/test_embeds.py asks for.
EXPECTED_CONSOLE_ERRORS = ("Failed to load resource", "htmx:afterRequest", "htmx:sendAbort", "Framing '")


@pytest.fixture(scope="session")
def app_url(backend, tmp_path_factory) -> str:
    """The app on each database backend in turn (see tests/conftest.py)."""
    folder = tmp_path_factory.mktemp("e2e")
    database_url = create_database(backend.new_database(folder, "e2e"), [REFERENCE, ERAS])
    try:
        with serve(database_url, PAGE_SIZE, folder / "server.log") as url:
            yield url
    finally:
        backend.drop(database_url)


@pytest.fixture(scope="session")
def shipped_data_url(backend, tmp_path_factory):
    """The app with the shipped data (seeds/), whose India–China view has some 160 events."""
    folder = tmp_path_factory.mktemp("e2e-shipped")
    database_url = create_database(backend.new_database(folder, "shipped"), [SEEDS])
    try:
        with serve(database_url, 50, folder / "server.log") as url:
            yield url
    finally:
        backend.drop(database_url)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_contexts(browser, app_url):
    """One browser context per set of options (viewport, color scheme, JavaScript), made when first asked."""
    contexts = {}

    def context_with(**options) -> BrowserContext:
        options = {"viewport": DESKTOP, **options}
        key = repr(sorted(options.items()))
        if key not in contexts:
            contexts[key] = browser.new_context(base_url=app_url, **options)
            contexts[key].set_default_timeout(TIMEOUT_MS)
        return contexts[key]

    yield context_with
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(browser_contexts):
    """Opens a new tab (its own history and session storage) in a context with the given options,
    closes it after the test, and fails the test if the page reported a script error."""
    pages, errors = [], []

    def open_page(**options) -> Page:
        page = browser_contexts(**options).new_page()
        pages.append(page)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        return page

    yield open_page
    for page in pages:
        page.close()
    assert [error for error in errors if not error.startswith(EXPECTED_CONSOLE_ERRORS)] == []


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


@pytest.fixture
def no_js_page(open_page) -> Page:
    """A tab with JavaScript off: what the server alone gives."""
    return open_page(java_script_enabled=False)


@pytest.fixture(scope="session")
def axe_source() -> str:
    return fetched_asset(AXE_FOLDER, "axe-*.min.js", "axe-core").read_text(encoding="utf-8")
