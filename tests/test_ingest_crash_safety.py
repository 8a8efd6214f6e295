"""An ingest killed at any moment leaves the database as it was before or as it is after the run,
and reads carry on while an ingest writes."""

import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import make_engine
from app.ingest import ingest
from bench.generate import generate, write
from tests.conftest import REFERENCE

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_DIR / "seeds"
TABLES = ("event", "event_country", "event_topic", "source")


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("large") / "events.csv"
    write(generate(8000, seed=7), path)
    return path


def state(url: str) -> tuple:
    """Row counts of every table an ingest writes, and whether the database is consistent."""
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = tuple(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES)
        sourceless = connection.execute(
            text("SELECT count(*) FROM event WHERE NOT EXISTS (SELECT 1 FROM source WHERE source.event_id = event.id)")
        ).scalar_one()
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    engine.dispose()
    assert sourceless == 0
    return counts


def ingest_command(url: str, *files: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", *map(str, files)],
        env={**os.environ, "TIMELINE_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def load_while_running(writer: subprocess.Popen, bases: list[str], paths: list[str], workers: int = 4):
    """Four clients request the paths in turn from the servers in turn until the writer exits (at
    most two minutes); the statuses served and every failure, described."""
    served: list[int] = []
    failures: list[str] = []

    def client(worker: int) -> None:
        deadline = time.monotonic() + 120
        position = worker
        while writer.poll() is None and time.monotonic() < deadline:
            url = bases[worker % len(bases)] + paths[position % len(paths)]
            position += 1
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    served.append(response.status)
            except Exception as error:  # noqa: BLE001 - every failure is counted and shown
                failures.append(f"{url}: {error}")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(client, range(workers)))
    return served, failures


@pytest.fixture
def seeded_url(engine, database_url, backend) -> str:
    """A database with the shipped countries and topics and the reference events, no connection open."""
    ingest(engine, [REFERENCE])
    ingest(engine, [SEEDS / "countries.yaml", SEEDS / "topics.yaml"])
    engine.dispose()
    if backend.name == "sqlite":
        with make_engine(database_url).connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return database_url


def test_ingests_killed_at_random_moments_leave_the_database_before_or_after(
    seeded_url, large_csv, new_database, backend
):
    before = state(seeded_url)
    finished = new_database("finished")
    backend.clone(seeded_url, finished)
    started = time.monotonic()
    assert ingest_command(finished, large_csv).wait(timeout=300) == 0
    duration = time.monotonic() - started
    after = state(finished)
    assert after[0] == before[0] + 8000

    rng = random.Random(2025)
    outcomes = []
    for round_number in range(10):
        killed = new_database(f"killed-{round_number}")
        backend.clone(seeded_url, killed)
        process = ingest_command(killed, large_csv)
        time.sleep(rng.uniform(0.05, duration * 1.05))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        counts = state(killed)
        assert counts in (before, after), f"round {round_number}: {counts}"
        outcomes.append("after" if counts == after else "before")
    # The kills must have landed mid-run, not all after the commit.
    assert outcomes.count("before") >= 5


def test_reads_carry_on_without_failures_while_an_ingest_writes(seeded_url, large_csv, tmp_path, monkeypatch):
    from tests.e2e.harness import serve

    paths = ["/", "/?country=IN&country=CN", "/api/events?topic=border", "/?q=talks", "/api/countries", "/about"]
    # Every request reads the database (no rendered-response cache).
    monkeypatch.setenv("TIMELINE_RESPONSE_CACHE_MB", "0")
    with serve(seeded_url, 50, tmp_path / "server.log") as base:
        writer = ingest_command(seeded_url, large_csv)
        served, failures = load_while_running(writer, [base], paths)
        assert writer.wait(timeout=300) == 0
    assert failures == []
    assert len(served) >= 20
    assert state(seeded_url)[0] == 8011
