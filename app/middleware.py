"""ASGI middleware: security headers, cross-origin reads of the data, HEAD requests, access logs, and
compression as the client asks."""

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.caching import accepts_gzip

access_log = logging.getLogger("timeline.access")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
)
# Only the embeds (app/routes/embeds.py) may be framed by other sites: the view's, and each event's.
FRAMEABLE_PATHS = ("/embed",)
EVENT_PREFIX, EMBED_SUFFIX = "/events/", "/embed"


def is_frameable(path: str) -> bool:
    """Whether other sites may put `path` in a frame: `/embed` and `/events/{slug}/embed`."""
    if path in FRAMEABLE_PATHS:
        return True
    if not (path.startswith(EVENT_PREFIX) and path.endswith(EMBED_SUFFIX)):
        return False
    slug = path[len(EVENT_PREFIX) : -len(EMBED_SUFFIX)]
    return slug != "" and "/" not in slug


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        frameable = is_frameable(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(
                    ancestors="*" if frameable else "'none'"
                )
                if not frameable:
                    headers["X-Frame-Options"] = "DENY"
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# The read-only data other sites may fetch: the JSON API and every export (HTML pages are not shared).
CROSS_ORIGIN_PREFIXES = ("/api/",)
CROSS_ORIGIN_PATHS = ("/events.csv", "/events/statements.csv", "/events.ics", "/feed.atom", "/timelinejs.json")
CROSS_ORIGIN_METHODS = "GET, HEAD, OPTIONS"
# How long a browser may keep a preflight's answer (a day; Chromium keeps at most two hours).
PREFLIGHT_MAX_AGE = "86400"


def is_cross_origin_data(path: str) -> bool:
    """Whether any site may read the answer to `path`: the API and the exports, including `/events/{slug}.ics`."""
    if path.startswith(CROSS_ORIGIN_PREFIXES) or path in CROSS_ORIGIN_PATHS:
        return True
    name = path.removeprefix("/events/")
    return name != path and name.endswith(".ics") and "/" not in name


class CrossOriginDataMiddleware:
    """`Access-Control-Allow-Origin: *` on every answer for the read-only data, and preflights answered.

    Not Starlette's CORSMiddleware: it applies to every path, and adds the header only when the
    request carries Origin, without `Vary: Origin`, so a shared cache (or this app's response
    cache) could keep a copy without it and hand that to another site. Here the header does not
    depend on the request: every copy, cached, 304 or fresh, carries it. No credentials are allowed.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_cross_origin_data(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await self._answer_preflight(scope, send)
            return

        async def send_shared(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Access-Control-Allow-Origin"] = "*"
                # Scripts on other sites may read the paging and size headers, not only the safelisted ones.
                headers["Access-Control-Expose-Headers"] = "Link, X-Total-Count, ETag, Content-Disposition"
            await send(message)

        await self.app(scope, receive, send_shared)

    async def _answer_preflight(self, scope: Scope, send: Send) -> None:
        """204 with what a cross-origin read may use; a method other than these is refused by the browser."""
        requested_headers = Headers(scope=scope).get("access-control-request-headers", "")
        headers = {
            "allow": CROSS_ORIGIN_METHODS,
            "access-control-allow-origin": "*",
            "access-control-allow-methods": CROSS_ORIGIN_METHODS,
            "access-control-max-age": PREFLIGHT_MAX_AGE,
            "vary": "Access-Control-Request-Headers",
        }
        if requested_headers:
            # Request headers only narrow what is read (If-None-Match, Accept…): any may be sent.
            headers["access-control-allow-headers"] = requested_headers[:1000]
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": [(name.encode(), value.encode("latin-1")) for name, value in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": b""})


class HeadAsGetMiddleware:
    """HEAD answers as GET would, without the body (`curl -I` and link checkers use it)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class AccessLogMiddleware:
    """One line per request: method, path with query, status and duration."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"] + (f"?{query}" if query else ""),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


class NegotiatedGZipMiddleware(GZipMiddleware):
    """Starlette's compression, given only to clients whose Accept-Encoding takes gzip (`gzip;q=0` refuses it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
