"""Validators from the data version, 304 on revalidation, compression and long-lived static files."""

import re
from threading import current_thread

from app.ingest import ingest
from tests.conftest import REFERENCE, write


def test_pages_carry_validators_and_cache_control(shared_client):
    response = shared_client.get("/?country=IN")
    assert re.fullmatch(r'W/"\d+-[0-9a-f]{8}-[0-9a-f]{16}"', response.headers["etag"])
    assert response.headers["last-modified"].endswith("GMT")
    assert response.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"


def test_revalidation_with_the_current_tag_answers_304_without_a_body(shared_client):
    tag = shared_client.get("/api/events?country=IN").headers["etag"]
    response = shared_client.get("/api/events?country=IN", headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == tag


def test_fragment_and_page_of_one_url_have_different_tags(shared_client):
    page = shared_client.get("/?country=IN").headers["etag"]
    fragment = shared_client.get("/?country=IN", headers={"HX-Request": "true"}).headers["etag"]
    assert page != fragment


def test_an_ingest_that_changes_data_changes_every_tag(client, seeded_engine, tmp_path):
    tag = client.get("/").headers["etag"]
    ingest(seeded_engine, [REFERENCE])
    assert client.get("/").headers["etag"] == tag
    write(tmp_path, "more.yaml", REFERENCE.read_text().replace("Border war", "The border war"))
    ingest(seeded_engine, [tmp_path / "more.yaml"])
    response = client.get("/", headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["etag"] != tag


def test_errors_carry_no_validators(shared_client):
    assert "etag" not in shared_client.get("/events/no-such-event").headers


def test_html_is_compressed_for_clients_that_accept_it(shared_client):
    response = shared_client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


def test_static_files_are_versioned_and_cached_for_a_year(shared_client):
    href = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', shared_client.get("/").text)[1]
    response = shared_client.get(href)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_page_is_rendered_once_per_data_version(client, monkeypatch):
    from app import event_list

    calls = []
    original = event_list.event_window
    monkeypatch.setattr(event_list, "event_window", lambda *args: calls.append(1) or original(*args))
    first = client.get("/?country=CN")
    second = client.get("/?country=CN")
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert len(calls) == 1


def test_a_kept_page_is_served_compressed_or_plain_as_each_client_asks(client):
    plain = client.get("/?country=CN", headers={"Accept-Encoding": "identity"})
    compressed = client.get("/?country=CN", headers={"Accept-Encoding": "gzip"})
    plain_again = client.get("/?country=CN", headers={"Accept-Encoding": "identity"})
    compressed_again = client.get("/?country=CN", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers and "content-encoding" not in plain_again.headers
    assert compressed.headers["content-encoding"] == compressed_again.headers["content-encoding"] == "gzip"
    # httpx decompresses: the same page whichever way it travelled.
    assert plain.content == plain_again.content == compressed.content == compressed_again.content


def test_the_data_version_is_read_off_the_event_loop(shared_client, monkeypatch):
    from app import caching

    threads = []
    original = caching.current_version
    monkeypatch.setattr(caching, "current_version", lambda *args: threads.append(current_thread()) or original(*args))
    shared_client.get("/about")
    # On the quick-read threads app/main.py keeps for it: not the loop's, nor the request threads'.
    assert [thread.name.startswith("quick-read") for thread in threads] == [True]
