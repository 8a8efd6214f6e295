"""Typed errors and the one set of handlers: an HTML page in the site layout, or JSON under /api."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.db import is_time_limit
from app.templating import templates

logger = logging.getLogger("timeline")

TITLES = {
    400: "Bad request",
    404: "Page not found",
    405: "Method not allowed",
    422: "Invalid request",
    500: "Something went wrong",
    503: "Too much at once",
}


class EventNotFound(Exception):
    def __init__(self, slug: str):
        super().__init__(f"no event with slug {slug!r}")
        self.slug = slug


class RelationNotFound(Exception):
    """No relation page at this address: not a pair of known countries, or a pair without events."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Files are for programs as much as people: their errors are JSON, like the API's.
JSON_SUFFIXES = (".csv", ".ics", ".atom", ".json")


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(JSON_SUFFIXES)


def _error_response(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return templates.TemplateResponse(
        request,
        "errors/error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EventNotFound)
    async def event_not_found(request: Request, error: EventNotFound):
        return _error_response(request, 404, f"There is no event at /events/{error.slug}.")

    @app.exception_handler(RelationNotFound)
    async def relation_not_found(request: Request, error: RelationNotFound):
        return _error_response(request, 404, error.message)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, error: RequestValidationError):
        # filters.InvalidFilter is one too: pages render their own form with its messages, and
        # this answers the API and exports.
        detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=422)
        message = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in error.errors())
        return _error_response(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        message = error.detail if error.status_code != 404 else "There is nothing at this address."
        response = _error_response(request, error.status_code, str(message))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, error: OperationalError):
        if not is_time_limit(error):
            return await unexpected(request, error)
        seconds = request.app.state.settings.query_seconds
        logger.warning("query time limit on %s %s", request.method, request.url.path)
        return _error_response(
            request,
            503,
            f"This request needed more than {seconds:g} s of database time, the most one request may take. "
            "Narrow it (fewer words, a shorter period) or try again later.",
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, "The server could not answer this request. It has been logged.")
