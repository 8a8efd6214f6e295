"""TimelineJS on a newsroom's own site, another origin than the app's, renders the app's export."""

import json
import shutil
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import TESTS_DIR
from .harness import fetched_asset, second_site

ASSETS = TESTS_DIR / ".assets"
SHOTS = Path("/tmp/tljs-shots")
EXPORT = "/timelinejs.json?country=IN&country=CN"
ERAS = ["War on the frontier", "Standoff on the plateau", "Renewed talks"]
# A newsroom's page as TimelineJS's embed instructions have it. `font: ""` keeps TimelineJS from
# loading its web fonts (from Google's servers): the test runs offline.
NEWSROOM_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>A newsroom's story</title>
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed" style="width: 100%; height: 640px"></div>
<script>
window.timeline = new TL.Timeline("timeline-embed", "EXPORT_URL", {font: ""});
</script>
</body>
</html>
"""


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name the base class gives it
        pass


@pytest.fixture(scope="module")
def newsroom(app_url, tmp_path_factory):
    """A second origin (another port on 127.0.0.1) serving TimelineJS and a page that embeds the export."""
    release = fetched_asset(ASSETS, "timelinejs-*/js/timeline.js", "TimelineJS")
    folder = tmp_path_factory.mktemp("newsroom")
    shutil.copytree(release.parents[1], folder / "timelinejs")
    (folder / "index.html").write_text(NEWSROOM_PAGE.replace("EXPORT_URL", app_url + EXPORT), encoding="utf-8")
    with second_site(partial(_QuietFiles, directory=str(folder))) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def export(app_url) -> dict:
    with urllib.request.urlopen(app_url + EXPORT) as response:
        return json.load(response)


@pytest.fixture
def rendered(open_page, newsroom, app_url):
    """The newsroom's page once TimelineJS has drawn it, and every request of it that failed."""
    page = open_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    with page.expect_response(lambda response: response.url == app_url + EXPORT) as answer:
        page.goto(f"{newsroom}/index.html")
    expect(page.locator(".tl-timemarker").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    return page, answer.value, failed


def test_timelinejs_on_another_origin_reads_the_export(rendered, newsroom, app_url):
    page, answer, failed = rendered
    assert newsroom != app_url
    assert answer.status == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert failed == []


def test_timelinejs_draws_a_marker_for_every_event_of_the_export(rendered, export):
    page, _, _ = rendered
    markers = page.locator(".tl-timemarker .tl-headline").all_inner_texts()
    assert sorted(markers) == sorted(event["text"]["headline"] for event in export["events"])


def test_timelinejs_draws_the_eras_of_the_export(rendered, export):
    page, _, _ = rendered
    assert [era["text"]["headline"] for era in export["eras"]] == ERAS
    assert sorted(page.locator(".tl-timeera .tl-headline").all_inner_texts()) == sorted(ERAS)


def test_timelinejs_shows_the_dates_the_app_writes(rendered):
    page, _, _ = rendered
    page.locator("#timeline-embed").focus()
    page.keyboard.press("ArrowRight")
    first_slide = page.locator(".tl-slide-content .tl-headline-date").filter(has_text="1962").first
    expect(first_slide).to_have_text("20 October – 21 November 1962")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(1000)  # TimelineJS slides the next slide in
    page.screenshot(path=str(SHOTS / "timelinejs-elsewhere.png"))


def test_timelinejs_reports_no_error(rendered):
    page, _, _ = rendered
    message = page.locator(".tl-message-full")
    assert message.count() == 0 or not message.is_visible()
    expect(page.locator("#timeline-embed")).not_to_contain_text("error", ignore_case=True)
