"""A few connections cannot take the site down: clients that never read an export and expensive
searches, all at once, leave the health check answering and every request within its time limit."""

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.harness import create_database, serve

PROJECT_DIR = Path(__file__).resolve().parents[1]
EVENTS = 20_000
QUERY_SECONDS = 2
SLOW_READERS = 16
SEARCHES = 8
# Eight prefixes of common words in the generated data: the most a search may combine.
EXPENSIVE_SEARCH = "/?q=mee*+hol*+tal*+sig*+exc*+rev*+ann*+pro*&c={}"


@pytest.fixture(scope="module")
def busy_app(backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    events = folder / "events.csv"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--events", str(EVENTS), "--out", str(events)],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )
    seeds = [PROJECT_DIR / "seeds" / "countries.yaml", PROJECT_DIR / "seeds" / "topics.yaml", events]
    database_url = create_database(backend.new_database(folder, "load"), seeds)
    try:
        with serve(database_url, 50, folder / "server.log", env={"TIMELINE_QUERY_SECONDS": str(QUERY_SECONDS)}) as url:
            yield url
    finally:
        backend.drop(database_url)


def open_slow_reader(url: str) -> socket.socket:
    """A client that asks for the whole CSV export and never reads a byte of it."""
    host, port = url.removeprefix("http://").split(":")
    reader = socket.socket()
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    reader.connect((host, int(port)))
    reader.sendall(b"GET /events.csv HTTP/1.1\r\nHost: " + host.encode() + b"\r\n\r\n")
    return reader


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def test_health_answers_within_a_second_while_readers_stall_and_searches_run(busy_app):
    readers = [open_slow_reader(busy_app) for _ in range(SLOW_READERS)]
    searches: list[tuple[int, float]] = []
    threads = [
        threading.Thread(target=lambda n=n: searches.append(timed_get(busy_app + EXPENSIVE_SEARCH.format(n))))
        for n in range(SEARCHES)
    ]
    try:
        # Long enough for every reader's export to fill its socket and stall.
        time.sleep(1)
        for thread in threads:
            thread.start()
        health_status, health_seconds = timed_get(busy_app + "/healthz")
        page_status, _ = timed_get(busy_app + "/?country=IN")
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for reader in readers:
            reader.close()
    assert (health_status, page_status) == (200, 200)
    assert health_seconds < 1
    assert len(searches) == SEARCHES
    assert all(status in (200, 503) for status, _ in searches)
    # The query limit, and as long again for rendering and for waiting on a worker thread.
    assert max(seconds for _, seconds in searches) < 2 * QUERY_SECONDS + 1
