"""Another site frames the embeds, and cannot frame the pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import pytest

from .harness import second_site
from .helpers import wait_until


@contextmanager
def host_site(app_url: str, path: str) -> Iterator[str]:
    """Another site (another origin on this machine) whose page puts `path` of the app in an iframe."""
    body = f'<!doctype html><title>Story</title><iframe src="{app_url}{path}" width="600" height="400"></iframe>'

    class StoryPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    with second_site(StoryPage) as port:
        # `localhost` rather than 127.0.0.1: another site than the app's, as well as another origin.
        yield f"http://localhost:{port}/story.html"


def framed(open_page, app_url: str, path: str):
    """The iframe once its navigation has ended: on the app's page, or on Chromium's error page."""
    page = open_page()
    with host_site(app_url, path) as story:
        page.goto(story)
        wait_until(page, lambda: len(page.frames) == 2 and page.frames[1].url not in ("", "about:blank"))
    return page.frames[1]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/embed?country=IN&country=CN&from=2020-06&to=2020-06", "India and China · June 2020"),
        ("/events/2020-clash/embed?theme=dark", "Deadly clash in the valley"),
    ],
)
def test_another_site_can_frame_an_embed(open_page, app_url, path, heading):
    frame = framed(open_page, app_url, path)
    assert frame.url == f"{app_url}{path}"
    assert frame.locator("h1").inner_text().startswith(heading)


@pytest.mark.parametrize("path", ["/events/2020-clash", "/?country=IN", "/print?country=IN"])
def test_another_site_cannot_frame_a_page(open_page, app_url, path):
    frame = framed(open_page, app_url, path)
    assert frame.url.startswith("chrome-error://")
