"""PostgreSQL as a deployment runs it: moved from SQLite, read through a read-only role, and served
by two app processes while an ingest writes."""

import os
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import OperationalError

from app import cli
from app.config import Settings
from app.main import create_app
from tests.conftest import BACKENDS_USED, PostgresBackend
from tests.test_ingest_crash_safety import ingest_command, load_while_running

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_DIR / "seeds"
FILTER_URLS = [
    "/api/events?limit=200",
    "/api/events?country=IN&country=CN&topic=border&limit=200",
    "/api/events?topic=rare-earths&topic=trade&limit=200",
    "/api/events?from=2020&to=2021-06&order=desc&limit=200",
    "/api/events?importance=1&limit=200",
    "/api/events?q=border&limit=200",
    "/api/events?q=talk*&limit=200",
    "/api/events?q=%22special+representatives%22&limit=200",
    "/api/events?country=US&limit=200",
    "/api/events?limit=7",
    "/api/countries",
    "/api/topics",
]


@pytest.fixture(scope="module")
def postgres():
    if "postgresql" not in os.environ.get("TIMELINE_TEST_BACKENDS", "sqlite,postgresql"):
        pytest.skip("PostgreSQL is not among TIMELINE_TEST_BACKENDS")
    try:
        backend = PostgresBackend()
    except OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable: {error.orig}", pytrace=False)
        pytest.skip(f"PostgreSQL is not reachable: {error.orig}")
    BACKENDS_USED.append(backend.name)
    yield backend
    backend.close()


@pytest.fixture
def postgres_url(postgres, tmp_path):
    url = postgres.new_database(tmp_path, "moved")
    yield url
    postgres.drop(url)


def run_cli(monkeypatch, url: str, *args: str) -> int:
    monkeypatch.setattr(cli.settings, "database_url", url)
    return cli.main(list(args))


def responses(url: str) -> dict[str, object]:
    with TestClient(create_app(Settings(database_url=url))) as client:
        return {path: client.get(path).json() for path in FILTER_URLS}


def test_shipped_data_moved_from_sqlite_to_postgresql_answers_the_same(monkeypatch, tmp_path, postgres_url):
    sqlite_url = f"sqlite:///{tmp_path / 'timeline.db'}"
    assert run_cli(monkeypatch, sqlite_url, "migrate") == 0
    assert run_cli(monkeypatch, sqlite_url, "ingest", str(SEEDS)) == 0
    exported = tmp_path / "timeline.json"
    assert run_cli(monkeypatch, sqlite_url, "export-db", str(exported)) == 0
    assert run_cli(monkeypatch, postgres_url, "migrate") == 0
    assert run_cli(monkeypatch, postgres_url, "ingest", str(exported)) == 0

    on_sqlite, on_postgresql = responses(sqlite_url), responses(postgres_url)
    for path in FILTER_URLS:
        assert on_postgresql[path] == on_sqlite[path], path
    assert len(on_sqlite["/api/events?limit=200"]["items"]) >= 80


@pytest.fixture
def shipped_postgres_url(postgres_url, monkeypatch):
    """A PostgreSQL database migrated and loaded with the shipped data."""
    assert run_cli(monkeypatch, postgres_url, "migrate") == 0
    assert run_cli(monkeypatch, postgres_url, "ingest", str(SEEDS)) == 0
    return postgres_url


@pytest.fixture
def reader_url(shipped_postgres_url):
    """A role that can only read the database."""
    postgres_url = shipped_postgres_url
    role = f"reader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'reader'")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
        connection.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    admin.dispose()
    yield make_url(postgres_url).set(username=role, password="reader").render_as_string(hide_password=False)
    admin = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        connection.exec_driver_sql(f"REVOKE ALL ON SCHEMA public FROM {role}")
    admin.dispose()


def test_pages_read_through_a_read_only_role(shipped_postgres_url, reader_url):
    settings = Settings(database_url=shipped_postgres_url, database_read_url=reader_url)
    with TestClient(create_app(settings)) as client:
        for path in ["/", "/?q=border", "/api/events?country=IN", "/events.csv", "/healthz"]:
            assert client.get(path).status_code == 200, path


def test_the_read_only_role_cannot_write(monkeypatch, reader_url, capsys, tmp_path):
    edited = tmp_path / "edited.yaml"
    edited.write_text((SEEDS / "topics.yaml").read_text().replace('name: "Border"', 'name: "Borders"'))
    assert run_cli(monkeypatch, reader_url, "ingest", str(edited)) == 1
    assert "permission denied" in capsys.readouterr().err


def test_two_app_processes_serve_a_load_without_errors_while_an_ingest_runs(
    monkeypatch, shipped_postgres_url, tmp_path
):
    from bench.generate import generate, write
    from tests.e2e.harness import serve

    postgres_url = shipped_postgres_url
    large = tmp_path / "large.csv"
    write(generate(10000, seed=11), large)
    monkeypatch.setenv("TIMELINE_RESPONSE_CACHE_MB", "0")
    paths = [
        "/",
        "/?country=IN&country=CN",
        "/api/events?topic=border",
        "/?q=talks",
        "/events/2020-06-15-galwan-valley-clash",
    ]
    with (
        serve(postgres_url, 50, tmp_path / "one.log") as first,
        serve(postgres_url, 50, tmp_path / "two.log") as second,
    ):
        writer = ingest_command(postgres_url, large)
        served, failures = load_while_running(writer, [first, second], paths)
        assert writer.wait(timeout=300) == 0
    assert failures == []
    assert len(served) >= 20
