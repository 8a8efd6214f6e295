"""Other sites may read the API and the exports (CORS), and only those: pages stay unshareable."""

import pytest

SHARED_DATA = [
    "/api/events?country=IN",
    "/api/events/2020-clash",
    "/api/countries",
    "/api/topics",
    "/events.csv?country=IN",
    "/events/statements.csv",
    "/events.ics?country=IN",
    "/events/2020-clash.ics",
    "/feed.atom",
    "/timelinejs.json?country=IN",
]
PAGES = ["/", "/?country=IN", "/events/2020-clash", "/relations/CN-IN", "/about", "/embed?country=IN"]
OTHER_SITE = {"Origin": "https://newsroom.example"}
REQUESTED_METHOD = "Access-Control-Request-Method"


@pytest.mark.parametrize("path", SHARED_DATA)
def test_every_site_may_read_the_data(shared_client, path):
    response = shared_client.get(path, headers=OTHER_SITE)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", SHARED_DATA)
def test_the_header_does_not_depend_on_the_request_carrying_origin(shared_client, path):
    # A shared cache may keep the copy fetched without Origin and give it to another site.
    assert shared_client.get(path).headers["access-control-allow-origin"] == "*"


def test_head_requests_carry_the_header(shared_client):
    response = shared_client.head("/timelinejs.json", headers=OTHER_SITE)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_revalidated_and_cached_answers_carry_the_header(shared_client):
    first = shared_client.get("/api/events?topic=trade", headers=OTHER_SITE)
    again = shared_client.get("/api/events?topic=trade", headers=OTHER_SITE)
    revalidation = {**OTHER_SITE, "If-None-Match": first.headers["etag"]}
    revalidated = shared_client.get("/api/events?topic=trade", headers=revalidation)
    assert again.headers["access-control-allow-origin"] == "*"
    assert revalidated.status_code == 304
    assert revalidated.headers["access-control-allow-origin"] == "*"


def test_errors_from_the_api_are_readable_too(shared_client):
    # A script on another site can show the 422's message naming the parameter.
    response = shared_client.get("/api/events?from=soon", headers=OTHER_SITE)
    assert response.status_code == 422
    assert response.headers["access-control-allow-origin"] == "*"


def test_scripts_elsewhere_may_read_the_paging_header(shared_client):
    exposed = shared_client.get("/api/events?limit=1").headers["access-control-expose-headers"]
    assert "Link" in [name.strip() for name in exposed.split(",")]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_not_shared_with_other_sites(shared_client, path):
    response = shared_client.get(path, headers=OTHER_SITE)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "frame-ancestors" in response.headers["content-security-policy"]


def test_a_preflight_is_answered_with_what_may_be_used(shared_client):
    response = shared_client.options(
        "/api/events",
        headers={**OTHER_SITE, REQUESTED_METHOD: "GET", "Access-Control-Request-Headers": "if-none-match"},
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["access-control-allow-headers"] == "if-none-match"
    assert int(response.headers["access-control-max-age"]) > 0


def test_a_plain_options_request_lists_the_methods(shared_client):
    response = shared_client.options("/events/2020-clash.ics")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_pages_answer_no_preflight(shared_client):
    response = shared_client.options("/events/2020-clash", headers={**OTHER_SITE, REQUESTED_METHOD: "GET"})
    assert "access-control-allow-origin" not in response.headers
