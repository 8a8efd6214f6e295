"""The database engine, set up the same way for the app and the command line."""

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine


def make_engine(database_url: str, pool_size: int = 10) -> Engine:
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
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size // 2)


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
