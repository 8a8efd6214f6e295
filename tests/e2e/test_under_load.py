"""The server under many requests at once: every request is answered, none waits for a database
connection that a finished request still holds (FastAPI validates a route's response on a worker
thread, while its session is still open)."""

import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .conftest import REFERENCE
from .harness import create_database, serve

CONCURRENT = 24


def test_many_api_requests_at_once_on_a_cold_server_are_all_answered(backend, tmp_path):
    database_url = create_database(backend.new_database(tmp_path, "load"), [REFERENCE])
    # Two worker threads: a pool of three connections, far fewer than the requests at once.
    try:
        with serve(database_url, 50, tmp_path / "server.log", env={"TIMELINE_WORKER_THREADS": "2"}) as url:

            def total(number: int) -> int:
                with urllib.request.urlopen(f"{url}/api/events?country=IN&n={number % 3}", timeout=20) as answer:
                    return json.load(answer)["total"]

            with ThreadPoolExecutor(CONCURRENT) as requests:
                totals = list(requests.map(total, range(CONCURRENT * 4)))
    finally:
        backend.drop(database_url)
    assert len(totals) == CONCURRENT * 4 and len(set(totals)) == 1
