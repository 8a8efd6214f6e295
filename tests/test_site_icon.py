"""The site's icon: /favicon.ico and the SVG every page links, so no page logs a missing icon."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image


def test_favicon_ico_is_a_real_icon(shared_client):
    response = shared_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]


@pytest.mark.parametrize("path", ["/", "/events/2020-clash", "/about", "/relations/CN-IN", "/embed", "/docs"])
def test_every_page_links_icons_that_answer(shared_client, path):
    page = BeautifulSoup(shared_client.get(path).text, "html.parser")
    icons = [link["href"] for link in page.select('link[rel="icon"]')]
    assert any(href.startswith("/static/favicon.svg") for href in icons)
    for href in icons:
        assert shared_client.get(href).status_code == 200
