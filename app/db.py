"""The database engine, set up the same way for the app and the command line."""

import math
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import create_engine

# SQLite calls the progress handler every this many virtual-machine steps (well under a millisecond).
PROGRESS_STEPS = 10_000


def make_engine(database_url: str, pool_size: int = 10, query_seconds: float | None = None) -> Engine:
    """An engine; with `query_seconds`, queries that run longer are stopped (see `is_time_limit`)."""
    if database_url.startswith("sqlite"):
        # Last in, first out: the connection used last has the hottest page cache (each has its own).
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=0,
            pool_use_lifo=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if query_seconds:
            _limit_sqlite_queries(engine, query_seconds)
        return engine
    # A server that cannot reach its database says so in seconds (start-up, the health check), not
    # after the system's TCP timeout of about two minutes.
    connect_args: dict = {"connect_timeout": 10}
    if query_seconds:
        connect_args["options"] = f"-c statement_timeout={round(query_seconds * 1000)}"
    return create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=pool_size // 2,
        connect_args=connect_args,
    )


def is_time_limit(error: OperationalError) -> bool:
    """Whether a query was stopped by the engine's time limit (SQLite: interrupted; PostgreSQL: canceled)."""
    return "interrupted" in str(error.orig) or getattr(error.orig, "sqlstate", None) == "57014"


def _limit_sqlite_queries(engine: Engine, seconds: float) -> None:
    """SQLite has no statement timeout: a progress handler stops the queries of a checkout that has
    run past its deadline. Each checkout (a route's session, one batch of an export) gets `seconds`."""

    @event.listens_for(engine, "connect")
    def install_handler(dbapi_connection, record) -> None:
        dbapi_connection.set_progress_handler(
            lambda: time.monotonic() > record.info.get("deadline", math.inf), PROGRESS_STEPS
        )

    @event.listens_for(engine, "checkout")
    def set_deadline(_dbapi_connection, record, _proxy) -> None:
        record.info["deadline"] = time.monotonic() + seconds


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets pages keep reading while an ingest writes; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # 8 MB of page cache per connection (the default is 2 MB): each pooled connection keeps its
    # own, so this bounds the server's memory; the operating system caches the file besides.
    cursor.execute("PRAGMA cache_size=-8192")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()
