"""Everything kept in memory until the data changes, and the one rule that empties it.

The rule: data changes only through an ingest, and every ingest that changes anything bumps
`data_version.version` in its own transaction (app/ingest/pipeline.py). So every value computed
from the data is kept under a key that holds its database and that version: once the version moves
on, the old keys are never asked for again, and they leave as the least recently used. Nothing else
invalidates a cache, and nothing needs to.

- `event_index`: the event index (app/queries/event_index.py), from which every count, facet, page and
  month count of a view is computed on each request; 2 versions. The ingest that makes a version
  stores its index in the database (on PostgreSQL with its common words' events, see
  app/queries/common_words.py); a process loads it once per version, and before it serves (a
  thread that asks while another loads or builds it waits for that one).
- `results`: eras, events per month (which the navigator's steps and the list's month headings
  sum) and the events a word search matches (as the event index's bitmaps), by filter; 2,048
  entries. Values are data, never rendered HTML. A second layer: each is computed in milliseconds.
- `stats`: events per country and topic (from the event index) and their names; 4 versions.
  A session keeps the version it read in `session.info`, so a request sees one version throughout.
- `openapi`: /openapi.json with the known countries and topics; 4 versions.
- `ResponseCache`: whole rendered responses (pages, fragments, API answers), by ETag (which holds
  the version) and compression; `TIMELINE_RESPONSE_CACHE_MB`, counted as the memory entries really
  take. The only HTML kept is here, as whole responses.

Each process keeps its own: several workers, or a PostgreSQL deployment, each find the version in
the database (`current_version`), so they agree on what is current.
"""

import threading
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from cachetools import LRUCache
from sqlalchemy import Connection, select
from starlette.types import Message

from app.models import DataVersion

T = TypeVar("T")

# What a kept response costs beyond its body and its headers' bytes (the key, the message dict, the
# cache's bookkeeping), plus each header's tuple and bytes objects. Measured with tracemalloc: an
# entry with a tiny body and seven headers takes about 1,100 bytes; these count it as about 1,350.
ENTRY_OVERHEAD_BYTES = 512
HEADER_OVERHEAD_BYTES = 64


class VersionedCache:
    """Values by a key that starts with the database and the data version, least recently used out
    first. Worker threads share it: a lock guards the cache, and a value is computed outside it (two
    threads may compute the same value once; both get it), or with `one_build` under a second lock,
    for values too costly to compute twice."""

    def __init__(self, size: int, one_build: bool = False):
        self.entries: LRUCache = LRUCache(maxsize=size)
        self.lock = threading.Lock()
        self.build_lock = threading.Lock() if one_build else None

    def get(self, database: str, version: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key` in this database at this data version, computed if there is none."""
        key = (database, version, key)
        with self.lock:
            if key in self.entries:
                return self.entries[key]
        if self.build_lock is None:
            return self._put(key, compute())
        with self.build_lock:
            with self.lock:
                if key in self.entries:
                    return self.entries[key]
            return self._put(key, compute())

    def _put(self, key: Hashable, value: T) -> T:
        with self.lock:
            self.entries[key] = value
        return value


def current_version(connection: Connection) -> tuple[int, datetime]:
    """The data version every cache key holds, and when it last changed (before any ingest: 0)."""
    row = connection.execute(select(DataVersion.version, DataVersion.changed_at)).first()
    return (row.version, row.changed_at) if row else (0, datetime(1970, 1, 1))


event_index = VersionedCache(2, one_build=True)
results = VersionedCache(2048)
stats = VersionedCache(4)
openapi = VersionedCache(4)


class ResponseCache:
    """Rendered responses by ETag and compression, least recently used first out, bounded by what
    they really cost in memory. Used from the event loop only, so it needs no lock."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: LRUCache = LRUCache(maxsize=max(max_bytes, 1), getsizeof=_entry_cost)

    def get(self, key: tuple[str, bool]) -> tuple[Message, bytes] | None:
        return self.entries.get(key)

    def put(self, key: tuple[str, bool], start: Message, body: bytes) -> None:
        entry = (start, body)
        # One entry may take an eighth of the cache at most: a few large answers never push out the rest.
        if _entry_cost(entry) <= self.max_bytes // 8:
            self.entries[key] = entry


def _entry_cost(entry: tuple[Message, bytes]) -> int:
    start, body = entry
    headers = sum(len(name) + len(value) + HEADER_OVERHEAD_BYTES for name, value in start["headers"])
    return ENTRY_OVERHEAD_BYTES + len(body) + headers
