"""Link previews with a picture: og:image cards for events, relation pages and filtered views."""

import io
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

GALWAN = "2020-06-15-galwan-valley-clash"


def preview(client, path: str) -> dict[str, str]:
    page = BeautifulSoup(client.get(path).text, "html.parser")
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}


def fetched_image(client, url: str) -> Image.Image:
    split = urlsplit(url)
    response = client.get(split.path + (f"?{split.query}" if split.query else ""))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_a_link_to_the_galwan_clash_previews_as_a_1200_by_630_png(shipped_data_client):
    meta = preview(shipped_data_client, f"/events/{GALWAN}")
    image = fetched_image(shipped_data_client, meta["og:image"])
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_an_event_preview_has_its_date_alt_text_and_a_large_card(shared_client):
    meta = preview(shared_client, "/events/2020-clash")
    assert meta["article:published_time"] == "2020-06-15"
    assert meta["og:image"].endswith("/events/2020-clash/card.png")
    assert meta["og:image:alt"] == "15 June 2020: Deadly clash in the valley"
    assert meta["twitter:card"] == "summary_large_image"


def test_an_event_dated_to_its_year_is_published_in_that_year(shared_client):
    assert preview(shared_client, "/events/1999-year-event")["article:published_time"] == "1999"


@pytest.mark.parametrize("path", ["/relations/CN-IN", "/?country=IN&topic=border", "/"])
def test_views_preview_as_a_card_of_their_own(shared_client, path):
    meta = preview(shared_client, path)
    assert "/card.png" in meta["og:image"]
    assert fetched_image(shared_client, meta["og:image"]).size == (1200, 630)
    assert meta["twitter:card"] == "summary_large_image"


def test_a_filtered_views_card_is_of_that_view(shared_client):
    meta = preview(shared_client, "/?country=IN&topic=border")
    assert urlsplit(meta["og:image"]).query == "country=IN&topic=border"
    assert meta["og:image:alt"] == "India · Border: 5 events"


def test_different_views_have_different_cards(shared_client):
    border = shared_client.get("/card.png?topic=border").content
    trade = shared_client.get("/card.png?topic=trade").content
    assert border != trade


def test_a_card_is_drawn_once_per_data_version(shared_client):
    first = shared_client.get("/events/2020-clash/card.png")
    again = shared_client.get("/events/2020-clash/card.png", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_an_unknown_event_has_no_card(shared_client):
    response = shared_client.get("/events/no-such-event/card.png")
    assert response.status_code == 404


def test_a_view_card_with_a_bad_filter_names_the_parameter(shared_client):
    response = shared_client.get("/card.png?from=someday")
    assert response.status_code == 422
    assert "from" in response.text
