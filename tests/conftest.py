"""A real SQLite file per test, the reference dataset, and a client for the app."""

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.main import create_app
from app.migrations import upgrade

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference.yaml"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A database built by the real migrations once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "timeline.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        # One file, no WAL beside it, so a plain copy is the whole database.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'timeline.db'}"


@pytest.fixture
def engine(database_url, migrated_template, tmp_path):
    shutil.copyfile(migrated_template, tmp_path / "timeline.db")
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


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
