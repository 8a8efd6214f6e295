"""Security headers on every response, HEAD, health, logs, and no page that loads from elsewhere."""

import logging
import re

import pytest

PAGES = ["/", "/?country=IN", "/events/2020-clash", "/about", "/api/events", "/events.csv", "/no-such-page", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(shared_client, path):
    headers = shared_client.get(path).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert policy.endswith("frame-ancestors 'none'")
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]


def test_only_the_embed_may_be_framed_by_other_sites(shared_client):
    headers = shared_client.get("/embed?country=IN").headers
    assert headers["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in headers


def test_head_answers_like_get_without_a_body(shared_client):
    response = shared_client.head("/")
    assert response.status_code == 200
    assert response.content == b""
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize("path", ["/", "/events/2020-clash", "/about", "/docs", "/embed"])
def test_pages_have_no_inline_scripts_handlers_or_foreign_resources(shared_client, path):
    html = shared_client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"""(?:src|href)=["']https?://(?!testserver)[^"']*\.(?:js|css)""", html), "foreign asset"


def test_health_reports_database_and_schema_revision(shared_client):
    body = shared_client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["schema_revision"] == body["expected_revision"]


def test_health_is_unavailable_when_the_schema_is_behind(client, seeded_engine):
    with seeded_engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["schema_revision"] == "0001"


def test_each_request_is_logged_with_method_path_status_and_duration(shared_client, caplog):
    with caplog.at_level(logging.INFO, logger="timeline.access"):
        shared_client.get("/api/events?country=IN")
    (record,) = [r for r in caplog.records if r.name == "timeline.access"]
    assert (record.method, record.path, record.status) == ("GET", "/api/events?country=IN", 200)
    assert record.duration_ms >= 0


def test_each_ingest_is_logged_with_counts_duration_and_files(engine, caplog):
    from app.ingest import ingest
    from tests.conftest import REFERENCE

    with caplog.at_level(logging.INFO, logger="timeline.ingest"):
        ingest(engine, [REFERENCE])
    (record,) = [r for r in caplog.records if r.name == "timeline.ingest"]
    assert record.events == "11 created, 0 updated, 0 unchanged"
    assert record.files == str(REFERENCE)
    assert record.seconds >= 0
