"""The reference dataset in a real database on each backend (SQLite, and PostgreSQL where one runs),
and a client for the app.

Tests that only read share one seeded database per backend (`shared_client`, `shared_engine`,
`shared_database_url`), and fail if they change it; tests that write take a database of their own
(`client`, `seeded_engine`, `engine`).

Every test that uses a database runs once per backend: TIMELINE_TEST_BACKENDS (default
"sqlite,postgresql") chooses them, TIMELINE_TEST_POSTGRES_URL names the server (default: the local
one on 127.0.0.1:5432). Outside CI an unreachable PostgreSQL skips its half with the reason; in CI
it fails the run.
"""

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.main import create_app
from app.migrations import upgrade
from app.models import DataVersion

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference.yaml"
SEEDS = Path(__file__).parents[1] / "seeds"
BACKENDS = [name for name in os.environ.get("TIMELINE_TEST_BACKENDS", "sqlite,postgresql").split(",") if name]
POSTGRES_URL = os.environ.get("TIMELINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS_USED: list[str] = []


class SQLiteBackend:
    name = "sqlite"

    def __init__(self, folder: Path):
        self.template = folder / "template.db"
        upgrade(f"sqlite:///{self.template}")
        engine = make_engine(f"sqlite:///{self.template}")
        with engine.connect() as connection:
            # One file, no WAL beside it, so a plain copy is the whole database.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()

    def new_database(self, folder: Path, name: str, migrated: bool = False) -> str:
        url = f"sqlite:///{folder / f'{name}.db'}"
        if migrated:
            self.migrate(url)
        return url

    def migrate(self, url: str) -> None:
        shutil.copyfile(self.template, make_url(url).database)

    def clone(self, source_url: str, url: str) -> None:
        path = Path(make_url(url).database)
        path.unlink(missing_ok=True)
        shutil.copyfile(make_url(source_url).database, path)

    def drop(self, url: str) -> None:
        pass

    def close(self) -> None:
        pass


class PostgresBackend:
    """Each test's database is a copy of one migrated template (CREATE DATABASE … TEMPLATE)."""

    name = "postgresql"

    def __init__(self):
        self.admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_size=1)
        self.prefix = f"timeline_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self._execute(f'CREATE DATABASE "{self.template}"')
        upgrade(self._url(self.template))

    def _url(self, database: str) -> str:
        return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(statement)

    def new_database(self, folder: Path, name: str, migrated: bool = False) -> str:
        database = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        template = f' TEMPLATE "{self.template}"' if migrated else ""
        self._execute(f'CREATE DATABASE "{database}"{template}')
        return self._url(database)

    def migrate(self, url: str) -> None:
        database = make_url(url).database
        self._execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{database}" TEMPLATE "{self.template}"')

    def clone(self, source_url: str, url: str) -> None:
        self._execute(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{make_url(url).database}" TEMPLATE "{make_url(source_url).database}"')

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, tmp_path_factory):
    if request.param == "sqlite":
        chosen = SQLiteBackend(tmp_path_factory.mktemp("sqlite"))
    else:
        try:
            chosen = PostgresBackend()
        except OperationalError as error:
            message = f"PostgreSQL at {make_url(POSTGRES_URL)!r} is not reachable: {error.orig}"
            if os.environ.get("CI"):
                pytest.fail(message, pytrace=False)
            pytest.skip(f"{message} (set TIMELINE_TEST_BACKENDS=sqlite to run SQLite alone)")
    BACKENDS_USED.append(chosen.name)
    yield chosen
    chosen.close()


@pytest.fixture
def new_database(backend, tmp_path) -> Callable[..., str]:
    """Makes an empty database (migrated=True: at the current schema) and drops it afterwards."""
    made: list[str] = []

    def make(name: str = "timeline", migrated: bool = False) -> str:
        url = backend.new_database(tmp_path, name, migrated)
        made.append(url)
        return url

    yield make
    for url in made:
        backend.drop(url)


@pytest.fixture
def database_url(new_database, request) -> str:
    """An empty database: nothing migrated yet. A test that takes `engine` gets it migrated at once
    (a copy of the template, rather than an empty database replaced by one)."""
    return new_database(migrated="engine" in request.fixturenames)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(engine):
    ingest(engine, [REFERENCE])
    return engine


@pytest.fixture
def client(seeded_engine, database_url):
    with TestClient(create_app(Settings(database_url=database_url, page_size=50))) as client:
        yield client


@pytest.fixture(scope="session")
def shared_database_url(backend, tmp_path_factory) -> str:
    """One database per backend, seeded once with the reference dataset, for the tests that only read."""
    url = backend.new_database(tmp_path_factory.mktemp("shared"), "shared", migrated=True)
    try:
        engine = make_engine(url)
        ingest(engine, [REFERENCE])
        engine.dispose()
        yield url
    finally:
        backend.drop(url)


@pytest.fixture(scope="session")
def shared_engine(shared_database_url):
    engine = make_engine(shared_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_client(shared_database_url):
    with TestClient(create_app(Settings(database_url=shared_database_url, page_size=50))) as client:
        yield client


@pytest.fixture(scope="session")
def shipped_data_client(backend, tmp_path_factory):
    """The shipped dataset (seeds/), loaded once per backend, for tests that only read it."""
    url = backend.new_database(tmp_path_factory.mktemp("shipped"), "shipped")
    try:
        backend.migrate(url)
        engine = make_engine(url)
        ingest(engine, [SEEDS])
        engine.dispose()
        with TestClient(create_app(Settings(database_url=url, page_size=50))) as client:
            yield client
    finally:
        backend.drop(url)


@pytest.fixture(autouse=True)
def shared_database_stays_unchanged(request):
    """Fails a test that wrote to the shared database (every ingest that changes data bumps its version)."""
    if "shared_database_url" not in request.fixturenames:
        yield
        return
    engine = request.getfixturevalue("shared_engine")
    before = data_version(engine)
    yield
    assert data_version(engine) == before, "this test changed the shared database: give it `client` or `seeded_engine`"


def data_version(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(DataVersion.version)).scalar_one()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def pytest_report_header(config) -> str:
    return f"database backends: {', '.join(BACKENDS)} (TIMELINE_TEST_BACKENDS)"


def pytest_terminal_summary(terminalreporter) -> None:
    used = ", ".join(sorted(set(BACKENDS_USED))) or "none (no test needed a database)"
    terminalreporter.write_line(f"database backends this run used: {used}")
