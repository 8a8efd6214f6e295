"""The app on a free loopback port with its own database, and Chromium to look at it.

Shared by the browser tests (conftest.py) and `make screenshots` (screenshots.py).
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error, Playwright

from app.db import make_engine
from app.ingest import ingest
from app.migrations import upgrade

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps calling home, which a closed CI network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_INSTALL_CHROMIUM = (
    "No Chromium for the browser tests. Install Debian's (`apt-get install chromium`, which .ci/run "
    "does when /usr/bin/chromium is missing) or Playwright's own (`.venv/bin/python -m playwright "
    "install chromium`)."
)


def create_database(target: Path | str, sources: Sequence[Path]) -> str:
    """A database migrated as `timeline migrate` does, with the given seed files or folders: a new
    SQLite file at a path, or the empty database a URL names."""
    url = f"sqlite:///{target}" if isinstance(target, Path) else target
    # The migrations, not create_all: they also make what the models don't describe (full-text search).
    upgrade(url)
    engine = make_engine(url)
    try:
        ingest(engine, list(sources))
    finally:
        engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    database_url: str, page_size: int, log_path: Path, timeout: float = 30, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Runs the app in uvicorn, as `timeline serve` does, and yields its base URL once it answers."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **(env or {}), "TIMELINE_DATABASE_URL": database_url, "TIMELINE_PAGE_SIZE": str(page_size)}
    env.pop("TIMELINE_BASE_URL", None)
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_answering(base_url, process, log_path, timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/about", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the app did not answer within {timeout} s:\n{log_path.read_text()}")
        time.sleep(0.1)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium when present, else Playwright's own; a message saying how to get one if neither."""
    if DEBIAN_CHROMIUM.exists():
        return playwright.chromium.launch(executable_path=str(DEBIAN_CHROMIUM), args=CHROMIUM_ARGS)
    try:
        return playwright.chromium.launch(args=CHROMIUM_ARGS)
    except Error as error:
        raise RuntimeError(f"{HOW_TO_INSTALL_CHROMIUM}\n\nPlaywright said: {error.message}") from error


@contextmanager
def second_site(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Another site on a free loopback port, answered by `handler` on a thread of its own; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def fetched_asset(folder: Path, pattern: str, name: str) -> Path:
    """The newest file a test needs from the npm registry (fetched by `make test-assets`), or a clear failure."""
    found = sorted(folder.glob(pattern))
    if not found:
        pytest.fail(
            f"{name} is missing from {folder}: run `make test-assets` (or `make test`), "
            "which fetches it from the npm registry.",
            pytrace=False,
        )
    return found[-1]
