"""HTTP caching for a read-mostly site: validators from the data version, 304 on revalidation, and
rendered responses kept until the data changes.

A response to a GET depends on its URL, on how the request reached the app (scheme and host, which
absolute links are made from), on what htmx asks for, and on the data, which changes only when an
ingest bumps the data version. All of these make the response's key, so the ETag is known before the
route runs: a client (or a CDN) that holds the current version gets a 304 without any query or
rendering, and a rendered response is kept under the same key.
"""

import asyncio
import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders, State
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.cache import ResponseCache, current_version
from app.config import PROJECT_DIR
from app.htmx import requested_fragment

# Shared caches may keep a page a minute and serve it stale while they revalidate.
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
# The timeline answers with a page or a fragment by these headers: caches must keep them apart.
VARY = "HX-Request, HX-Target, HX-History-Restore-Request"
# Paths whose answers do not follow the data version: files with their own validators, and the
# health check, which reports the schema and the database as they are now.
UNVERSIONED_PATHS = ("/static/", "/healthz")
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
    rendered responses by the same key, so a response is rendered once per data version."""

    def __init__(self, app: ASGIApp, cache_bytes: int):
        self.app = app
        self.cache = ResponseCache(cache_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(UNVERSIONED_PATHS):
            await self.app(scope, receive, send)
            return
        try:
            version, changed_at = await _read_version(scope["app"].state)
        except SQLAlchemyError:
            # No version, no validators: the route answers as it can (a page that needs no data, or an error).
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        tag = etag(scope, request_headers, version)
        last_modified = format_datetime(changed_at.replace(tzinfo=UTC), usegmt=True)
        if tag in _listed_tags(request_headers.get("if-none-match", "")):
            await _send_not_modified(send, tag, last_modified)
            return
        # Kept as sent: compressed for clients that take gzip, plain for the others.
        cache_key = (tag, accepts_gzip(request_headers))
        cached = self.cache.get(cache_key)
        if cached is not None:
            start, body = cached
            # Outer middleware edits the headers it is given: hand it a copy.
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, self._keeping_sender(send, cache_key, tag, last_modified))

    def _keeping_sender(self, send: Send, cache_key: tuple[str, bool], tag: str, last_modified: str) -> Send:
        """`send`, with validators added to a 200 response, which is kept once it is whole."""
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

        return send_with_validators


async def _read_version(state: State) -> tuple[int, datetime]:
    """The data version, read without blocking the event loop.

    On threads and connections of their own (app/main.py): requests busy with long queries hold the
    request threads, and would delay the version (so every GET, even a 304) if it shared them.
    """
    return await asyncio.get_running_loop().run_in_executor(state.quick_reads, _current_version, state.quick_engine)


def _current_version(engine: Engine) -> tuple[int, datetime]:
    with engine.connect() as connection:
        return current_version(connection)


async def _send_not_modified(send: Send, tag: str, last_modified: str) -> None:
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


def etag(scope: Scope, headers: Headers, version: int) -> str:
    """The tag of the response a request gets: every input that changes it, hashed."""
    key = "\x1f".join(
        [
            scope["scheme"],
            headers.get("host", ""),
            scope.get("root_path", ""),
            scope["path"],
            scope["query_string"].decode("latin-1"),
            requested_fragment(headers) or "page",
        ]
    )
    # Weak: the gzip and plain forms of one response share it.
    return f'W/"{version}-{BUILD}-{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}"'


def accepts_gzip(headers: Headers) -> bool:
    """Whether the client takes gzip, by its Accept-Encoding and the weights in it (RFC 9110 §12.5.3):
    `gzip;q=0` refuses it, `*` takes it unless gzip is listed on its own."""
    weights: dict[str, float] = {}
    for part in headers.get("accept-encoding", "").split(","):
        coding, _, parameters = part.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        name, _, value = parameters.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                weight = 0.0
        weights[coding] = weight
    gzip_weight = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return gzip_weight > 0


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
