"""create_app(): routers, static files, middleware, error handlers."""

import asyncio
import gc
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.caching import ConditionalGetMiddleware, VersionedStaticFiles
from app.config import PROJECT_DIR, Settings, settings
from app.db import make_engine
from app.errors import install_error_handlers
from app.middleware import (
    AccessLogMiddleware,
    CrossOriginDataMiddleware,
    HeadAsGetMiddleware,
    NegotiatedGZipMiddleware,
    SecurityHeadersMiddleware,
)
from app.migrations import current_revision, head_revision
from app.openapi import install_openapi
from app.queries.event_index import event_index
from app.routes import api, cards, embeds, exports, health, pages, relations

log = logging.getLogger("timeline")


@asynccontextmanager
async def lifespan(app: FastAPI):
    # A few threads, each with its own connection: more would only contend for the GIL and the pool.
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.settings.worker_threads
    await anyio.to_thread.run_sync(_load_event_index, app)
    # What start-up allocated lives as long as the process: move it out of the collector's sight,
    # so full collections (the slowest requests otherwise) scan only what requests allocate.
    gc.collect()
    gc.freeze()
    yield
    app.state.engine.dispose()
    app.state.quick_engine.dispose()
    app.state.quick_reads.shutdown()


def _load_event_index(app: FastAPI) -> None:
    """Load the event index before serving, so that no first request waits for it (at 1M events up
    to 0.7 s). A database that does not answer, or whose schema is behind the code, is left to the
    health check and the error pages."""
    try:
        if current_revision(app.state.engine) == app.state.schema_head:
            with Session(app.state.engine) as session:
                event_index(session)
    except SQLAlchemyError as error:
        log.warning("event index not loaded at start-up (%s): requests will load it", type(error).__name__)


def create_app(app_settings: Settings = settings) -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        # /docs is served below from vendored files: FastAPI's own page loads Swagger UI from a CDN.
        docs_url=None,
        redoc_url=None,
        title=app_settings.site_name,
        summary="Dated, sourced events between countries, filterable by country, topic, date and words.",
        version="1",
    )
    # The app only reads: a replica, when there is one, serves it.
    read_url = app_settings.database_read_url or app_settings.database_url
    # The costliest reads run a few at a time, so that a burst of them leaves threads and CPU for
    # every other request: word searches (app/routes/session.py) and the batches of streamed exports.
    costly_reads = max(1, app_settings.worker_threads // 4)
    app.state.search_slots = asyncio.Semaphore(costly_reads)
    app.state.export_threads = anyio.CapacityLimiter(costly_reads)
    # A request holds at most one connection, from its route's first query until its session closes,
    # and at most `worker_threads` sessions are open (SessionDep); each export thread holds one while
    # it reads one batch: so threads never wait for connections.
    app.state.session_slots = asyncio.Semaphore(app_settings.worker_threads)
    app.state.engine = make_engine(
        read_url, app_settings.worker_threads + costly_reads, query_seconds=app_settings.query_seconds
    )
    # The data version (read before every GET) and the health check run on threads and connections of
    # their own, so that they answer at once while every request thread is busy with a long query.
    app.state.quick_engine = make_engine(read_url, pool_size=2, query_seconds=app_settings.query_seconds)
    app.state.quick_reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="quick-read")
    app.state.settings = app_settings
    # The schema this code expects, read from migrations/ once (the health check compares it each time).
    app.state.schema_head = head_revision(app_settings.database_url)
    app.mount("/static", VersionedStaticFiles(directory=PROJECT_DIR / "static"), name="static")
    # Exports first: /events/{slug}.ics must win over the event page's /events/{slug}. Embeds next,
    # beside them: /events/{slug}/embed has a segment more, so no page route could take it.
    app.include_router(exports.router)
    app.include_router(embeds.router)
    app.include_router(pages.router)
    app.include_router(relations.router)
    app.include_router(cards.router)
    app.include_router(api.router)
    app.include_router(health.router)
    install_error_handlers(app)
    install_openapi(app)
    # Listed innermost first: the access log sees every request.
    app.add_middleware(NegotiatedGZipMiddleware, minimum_size=500, compresslevel=6)
    # Outside compression, so that a cached response is kept compressed and not compressed again.
    app.add_middleware(ConditionalGetMiddleware, cache_bytes=app_settings.response_cache_mb * 2**20)
    # Outside the cache, so that cached responses and 304s carry the header as fresh ones do.
    app.add_middleware(CrossOriginDataMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(AccessLogMiddleware)
    return app
