"""The second hardening pass: what a red team broke in the response cache, the 500s it found, and
the weak spots in the HTTP layer (each test failed before its fix)."""

import json
import textwrap
import tracemalloc

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.cache import ResponseCache
from app.config import Settings
from app.db import is_time_limit, make_engine
from app.ingest import ingest
from app.main import create_app
from tests.conftest import write

FOREIGN_HOST = "evil.example"
# Every place an absolute link is made from the request's host.
HOST_PATHS = [
    "/events/2020-clash",
    "/api/events?limit=2",
    "/api/events/2020-clash",
    "/feed.atom",
    "/events/2020-clash.ics",
    "/embed?country=IN",
    "/",
]
FRAGMENT = {"HX-Request": "true", "HX-Target": "results"}
SLOW_QUERY = (
    "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 500000000) "
    "SELECT count(*) FROM counter"
)


def everything_sent(response) -> str:
    return response.text + json.dumps(dict(response.headers))


@pytest.mark.parametrize("path", HOST_PATHS)
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_foreign_host_header_does_not_reach_the_next_visitor(client, path, encoding):
    poisoned = client.get(path, headers={"Host": FOREIGN_HOST, "Accept-Encoding": encoding})
    assert poisoned.status_code == 200
    normal = client.get(path, headers={"Accept-Encoding": encoding})
    assert FOREIGN_HOST not in everything_sent(normal)


@pytest.mark.parametrize("path", ["/events/2020-clash", "/api/events?limit=2", "/feed.atom"])
def test_links_keep_the_scheme_each_visitor_came_by(client, path):
    client.get(f"https://testserver{path}")
    plain = client.get(f"http://testserver{path}")
    assert "https://testserver" not in everything_sent(plain)
    assert "http://testserver" in everything_sent(plain)


def test_a_foreign_host_gets_its_own_validator(shared_client):
    assert (
        shared_client.get("/", headers={"Host": FOREIGN_HOST}).headers["etag"] != shared_client.get("/").headers["etag"]
    )


@pytest.mark.parametrize("restore", ["", "false"])
def test_a_history_restore_header_that_is_not_true_gets_the_fragment(client, restore):
    first = client.get("/?topic=security", headers={**FRAGMENT, "HX-History-Restore-Request": restore})
    second = client.get("/?topic=security", headers=FRAGMENT)
    for response in (first, second):
        assert "<html" not in response.text
        assert response.text.count('id="results"') == 1


def test_a_history_restore_and_a_fragment_of_one_url_are_kept_apart(client):
    page = client.get("/?topic=security", headers={**FRAGMENT, "HX-History-Restore-Request": "true"})
    fragment = client.get("/?topic=security", headers=FRAGMENT)
    assert "<html" in page.text
    assert "<html" not in fragment.text


def test_load_more_without_a_cursor_answers_with_the_results(shared_client):
    response = shared_client.get("/?country=IN", headers={"HX-Request": "true", "HX-Target": "later"})
    assert response.status_code == 200
    assert 'id="results"' in response.text


@pytest.mark.parametrize("path", ["/events/%00abc", "/api/events/%00abc", "/events/a%00b.ics", "/events/x%0Ay"])
def test_a_control_character_in_a_slug_is_not_found(shared_client, path):
    assert shared_client.get(path).status_code == 404


@pytest.fixture
def unreachable_database(backend, tmp_path) -> str:
    if backend.name == "sqlite":
        return f"sqlite:///{tmp_path}/no-such-folder/timeline.db"
    return "postgresql+psycopg://postgres@127.0.0.1:9/timeline"


def test_health_answers_503_in_json_when_the_database_is_down(unreachable_database):
    with TestClient(create_app(Settings(database_url=unreachable_database))) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_pages_that_need_no_data_answer_when_the_database_is_down(unreachable_database):
    with TestClient(create_app(Settings(database_url=unreachable_database))) as client:
        assert client.get("/docs").status_code == 200


def test_health_is_never_kept_so_it_reports_a_schema_that_fell_behind(client, seeded_engine):
    first = client.get("/healthz")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert "etag" not in first.headers
    with seeded_engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    assert client.get("/healthz").status_code == 503


def test_a_search_of_too_many_terms_is_refused_naming_q(shared_client):
    words = "+".join(f"word{number}" for number in range(9))
    response = shared_client.get(f"/api/events?q={words}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_repeated_terms_count_once(shared_client):
    assert shared_client.get("/api/events?q=" + "+".join(["border*"] * 20)).status_code == 200


def test_a_prefix_shorter_than_three_letters_is_searched_as_a_word(shared_client):
    short = shared_client.get("/api/events?q=bo*").json()
    word = shared_client.get("/api/events?q=bo").json()
    assert short["total"] == word["total"]


def test_digits_of_other_scripts_are_not_a_year(shared_client):
    response = shared_client.get("/api/events?from=\u0665\u0665\u0665\u0665")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "from"]


@pytest.mark.parametrize(
    ("accept", "compressed"),
    [("gzip;q=0", False), ("gzip; q=0.0, identity", False), ("*;q=0", False), ("gzip;q=0.5", True), ("*", True)],
)
def test_compression_follows_the_weights_of_accept_encoding(client, accept, compressed):
    client.get("/", headers={"Accept-Encoding": "gzip"})
    response = client.get("/", headers={"Accept-Encoding": accept})
    assert (response.headers.get("content-encoding") == "gzip") is compressed


def test_the_timelinejs_group_is_escaped_like_the_headline(client, seeded_engine, tmp_path):
    hostile = """
        topics:
          - slug: hostile-topic
            name: "<img src=x onerror=alert(1)>"
        events:
          - slug: 2021-03-01-hostile-group
            title: "A plain title"
            summary: "A plain summary."
            start_date: "2021-03-01"
            countries: [IN]
            topics: [hostile-topic]
            sources: [{url: "https://example.org/group", title: "Group"}]
    """
    ingest(seeded_engine, [write(tmp_path, "hostile-topic.yaml", textwrap.dedent(hostile))])
    slides = json.loads(client.get("/timelinejs.json?topic=hostile-topic&group=topic").text)["events"]
    assert slides[0]["group"] == "&lt;img src=x onerror=alert(1)&gt;"


def test_the_response_cache_stays_within_its_bound_in_real_memory():
    cache = ResponseCache(1 << 20)
    headers = [(b"content-type", b"application/json"), (b"vary", b"HX-Request, HX-Target"), (b"content-length", b"2")]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for number in range(20_000):
            tag = f'W/"1-abcdef12-{number:016x}"'
            cache.put((tag, True), {"type": "http.response.start", "status": 200, "headers": list(headers)}, b"{}")
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert used <= 1 << 20


def test_a_query_past_the_time_limit_is_stopped(backend, database_url):
    engine = make_engine(database_url, pool_size=1, query_seconds=0.2)
    try:
        with pytest.raises(OperationalError) as stopped, engine.connect() as connection:
            connection.execute(text(SLOW_QUERY))
        assert is_time_limit(stopped.value)
    finally:
        engine.dispose()


def test_a_request_past_the_time_limit_answers_503(seeded_engine, database_url, monkeypatch):
    from app import queries

    def slow_count(session, _filter):
        return session.execute(text(SLOW_QUERY)).scalar_one()

    monkeypatch.setattr(queries, "count_events", slow_count)
    with TestClient(create_app(Settings(database_url=database_url, query_seconds=0.2))) as client:
        response = client.get("/api/events?country=IN")
    assert response.status_code == 503
    assert "0.2 s" in response.json()["detail"]


def test_the_calendar_of_a_large_view_holds_its_first_events_and_says_so(client, monkeypatch):
    from app.routes import exports

    monkeypatch.setattr(exports, "MAX_CALENDAR_EVENTS", 3)
    response = client.get("/events.ics")
    assert response.text.count("BEGIN:VEVENT") == 3
    assert "(the first 3 of 11 events)" in response.text.replace("\r\n ", "")
    assert response.headers["x-total-count"] == "11"


@pytest.fixture
def searches_all_busy(shared_database_url):
    """An app whose one search slot is taken, as by a search that has not finished."""
    app = create_app(Settings(database_url=shared_database_url, worker_threads=4, query_seconds=0.2))
    with TestClient(app) as client:
        client.portal.call(app.state.search_slots.acquire)
        yield client
        app.state.search_slots.release()


def test_a_search_that_waits_past_the_time_limit_for_a_slot_answers_503(searches_all_busy):
    response = searches_all_busy.get("/api/events?q=talks")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "Too many word searches" in response.json()["detail"]


def test_other_requests_do_not_wait_for_the_search_slots(searches_all_busy):
    assert searches_all_busy.get("/?country=IN").status_code == 200
    assert searches_all_busy.get("/api/events?country=IN").status_code == 200
