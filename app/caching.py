"""HTTP caching for a read-mostly site: validators from the data version, 304 on revalidation.

Every response to a GET depends only on its URL, the headers it varies on, and the data, which
changes only when an ingest bumps the data version. So the ETag can be known before the route
runs, and a client (or a CDN) that already holds the current version gets a 304 without any query
or rendering.
"""

import hashlib
from collections import OrderedDict
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select
from starlette.datastructures import Headers, MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import PROJECT_DIR
from app.models import DataVersion

# Shared caches may keep a page a minute and serve it stale while they revalidate.
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
VARIED_HEADERS = ("hx-request", "hx-target", "hx-history-restore-request")
# The timeline answers with a page or a fragment by these headers: caches must keep them apart.
VARY = "HX-Request, HX-Target, HX-History-Restore-Request"
# What the code, templates and static files are: a deploy changes every tag, as an ingest does.
BUILD = hashlib.blake2b(
    b"".join(
        path.read_bytes()
        for folder in ("app", "templates", "static")
        for path in sorted((PROJECT_DIR / folder).rglob("*"))
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".js")
    ),
    digest_size=4,
).hexdigest()


class ConditionalGetMiddleware:
    """Validators on every GET, 304 for a client that holds the current version, and a cache of
    rendered responses keyed by the same tag, so a page is rendered once per data version."""

    def __init__(self, app: ASGIApp, cache_bytes: int):
        self.app = app
        self.cache = ResponseCache(cache_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        version, changed_at = _data_version(scope["app"].state.version_engine)
        request_headers = Headers(scope=scope)
        tag = _etag(scope, request_headers, version)
        last_modified = format_datetime(changed_at.replace(tzinfo=UTC), usegmt=True)
        if tag in _listed_tags(request_headers.get("if-none-match", "")):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [
                        (b"etag", tag.encode()),
                        (b"last-modified", last_modified.encode()),
                        (b"cache-control", CACHE_CONTROL.encode()),
                        (b"vary", f"{VARY}, Accept-Encoding".encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        # Kept as sent: compressed for clients that take gzip, plain for the others.
        cache_key = (tag, "gzip" in request_headers.get("accept-encoding", ""))
        cached = self.cache.get(cache_key)
        if cached is not None:
            start, body = cached
            # Outer middleware edits the headers it is given: hand it a copy.
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body})
            return

        # The start of a 200 response, until its first body message says whether it is whole.
        start: Message | None = None

        async def send_with_validators(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = MutableHeaders(scope=message)
                headers.setdefault("ETag", tag)
                headers.setdefault("Last-Modified", last_modified)
                headers.setdefault("Cache-Control", CACHE_CONTROL)
                start = {**message, "headers": list(message["headers"])}
            elif message["type"] == "http.response.body" and start is not None:
                # Only whole responses are kept: a streamed export passes straight through.
                if not message.get("more_body", False):
                    self.cache.put(cache_key, start, message.get("body", b""))
                start = None
            await send(message)

        await self.app(scope, receive, send_with_validators)


class ResponseCache:
    """Rendered responses by ETag and compression, least recently used first out, bounded by their total size."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, bool], tuple[Message, bytes]] = OrderedDict()
        self.size = 0

    def get(self, key: tuple[str, bool]) -> tuple[Message, bytes] | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, bool], start: Message, body: bytes) -> None:
        if len(body) > self.max_bytes // 8 or key in self.entries:
            return
        self.entries[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, (_, old_body) = self.entries.popitem(last=False)
            self.size -= len(old_body)


def _data_version(engine):
    with engine.connect() as connection:
        row = connection.execute(select(DataVersion.version, DataVersion.changed_at)).first()
    return row if row else (0, datetime(1970, 1, 1))


def _etag(scope: Scope, headers: Headers, version: int) -> str:
    varied = "|".join(headers.get(name, "") for name in VARIED_HEADERS)
    key = f"{scope['path']}?{scope['query_string'].decode('latin-1')}|{varied}"
    # Weak: the gzip and plain forms of one response share it.
    return f'W/"{version}-{BUILD}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}"'


def _listed_tags(header: str) -> set[str]:
    tags = {tag.strip() for tag in header.split(",") if tag.strip()}
    # A strong tag matches its weak form under weak comparison (RFC 9110 §8.8.3.2).
    return tags | {f"W/{tag}" for tag in tags if not tag.startswith("W/")}


class VersionedStaticFiles(StaticFiles):
    """Static files whose URLs carry a hash of their content, so browsers may keep them for a year."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def static_versions(folder: Path) -> dict[str, str]:
    """Each static file's name and a short hash of its content, for `?v=` in its URL."""
    return {
        path.relative_to(folder).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }
