"""A real SQLite file per test, the reference dataset, and a client for the app."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.main import create_app

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference.yaml"


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'timeline.db'}"


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    SQLModel.metadata.create_all(engine)
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
