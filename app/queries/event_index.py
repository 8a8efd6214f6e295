"""The event index: every event's place in date order, and each filter value's events as a bitmap of
those places, so that a view's total, facet counts, events per month, counts either way of a
position and pages are set operations on bitmaps instead of a scan of the view's matches. Every
filtered read goes through `view_matches` (app/queries/matches.py), which combines them.

Places are the events sorted by (start_date, id), numbered from 0, so a range of dates is a range of
places and "before this event" is a rank. Each country, each topic and each importance level has the
bitmap (pyroaring) of its events' places; a word search's bitmap comes from the full-text index,
or, for PostgreSQL's most common words, from the index itself (app/queries/common_words.py).
A filter's matches are then the bitmaps combined as its rules say (the README states them, and
tests/test_counts_match_sql.py holds the index to plain SQL counts of the same rules):
- countries: all of them, the intersection of their bitmaps;
- topics: any of them, the union of theirs;
- `from`: the events that end on or after it (last_date, so a span or a month counts while it lasts),
  the places from the first event starting that day on, plus the spans that start before and end after;
- `to`: the events that start on or before it, the places up to the last starting that day;
- importance: the union of its levels up to the one asked for;
- words: the places of the events the full-text index matches (app/queries/matches.py).

A page is a slice of the matches between two places (`bounds`, `ids_between`), read from the
database by id; a count before a position is a rank.

The rule for keeping it: every ingest that changes the data builds the index in its own
transaction, after bumping the data version, and stores it (`store_snapshot`, table
event_index_snapshot: one row, the current version's). A worker keeps it in `cache.event_index`
under that version: at a new version it loads the stored index (at 1M events about 35 MB, 0.1 s on
SQLite, under 1 s for two PostgreSQL workers), or builds it from the data when none is stored for
that version or it was stored by other code (SNAPSHOT_FORMAT). A build takes three aggregate reads
(the events' ids, dates and small fields, each column as one text, from the covering index
ix_event_places; the link rows of countries and of topics, grouped by key): at 1M events about
1.3 s on SQLite and 2 s on PostgreSQL, which each ingest now pays once instead of each worker.
In memory the index takes about 50 MB at 1M events (and on PostgreSQL its common words 5 MB).
"""

import io
import operator
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import reduce
from typing import NamedTuple

import numpy as np
from pyroaring import BitMap
from sqlalchemy import Connection, case, delete, func, insert, select
from sqlmodel import Session

from app import cache
from app.filters import Cursor, TimelineFilter
from app.models import DataVersion, Precision
from app.queries.aggregates import bitmap, bitmap_of_any_order, day_numbers, joined, numbers
from app.queries.common_words import common_words_after
from app.queries.tables import event, event_country, event_index_snapshot, event_topic
from app.queries.versioned import data_version
from app.queries.views import MonthCount

PRECISIONS = list(Precision)
IMPORTANCE_LEVELS = (1, 2, 3)
# A day number (days since 1970-01-01) in the high bits and the id in the low: one sortable key.
_ID_BITS = 32
_ID_MASK = (1 << _ID_BITS) - 1
# What a stored index holds; another number (an index stored by other code) is built afresh instead.
SNAPSHOT_FORMAT = 3
_ARRAY_FIELDS = ("keys", "places_of_ids", "month_starts", "span_places", "span_last_days")


class Bounds(NamedTuple):
    """A range of places: from `first` up to `last`, excluded."""

    first: int
    last: int


@dataclass(frozen=True)
class EventIndex:
    """The events of one data version by place in date order, with a bitmap of places per value."""

    keys: np.ndarray  # int64 per place: start day << 32 | id, ascending
    places_of_ids: np.ndarray  # int64 per id: its place, or -1
    first_month: int  # year * 12 + month - 1 of the earliest event
    month_starts: np.ndarray  # the first place of each month from first_month on, and the end
    kinds: dict[tuple[Precision, int | None], BitMap]  # the places of each date precision and tone
    span_places: np.ndarray  # the places of events that end on a later day than they start
    span_last_days: np.ndarray  # and the day each of them ends
    countries: dict[str, BitMap]
    topics: dict[str, BitMap]
    importance_at_most: dict[int, BitMap]
    # Each common word's event ids (not places: an ingest updates them), on PostgreSQL only.
    common_words: dict[str, BitMap] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.keys)

    def to_bytes(self) -> bytes:
        """The index as one stored value: its arrays and its bitmaps (as pyroaring writes them) in an npz."""
        arrays = {name: getattr(self, name) for name in _ARRAY_FIELDS}
        arrays["first_month"] = np.array([self.first_month])
        arrays["format"] = np.array([SNAPSHOT_FORMAT])
        for prefix, bitmaps in self._bitmaps().items():
            arrays |= {
                f"{prefix}:{key}": np.frombuffer(places.serialize(), dtype=np.uint8) for key, places in bitmaps.items()
            }
        stored = io.BytesIO()
        np.savez(stored, **arrays)
        return stored.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "EventIndex | None":
        """The index `to_bytes` stored, or None if another version of this code stored it."""
        try:
            stored = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, OSError, zipfile.BadZipFile):
            return None  # not an index this code can read: it is built afresh
        with stored:
            if "format" not in stored or int(stored["format"][0]) != SNAPSHOT_FORMAT:
                return None
            bitmaps: dict[str, dict[str, BitMap]] = {
                prefix: {} for prefix in ("countries", "topics", "importance", "kinds", "words")
            }
            for name in stored.files:
                prefix, _, key = name.partition(":")
                if key and prefix in bitmaps:
                    bitmaps[prefix][key] = BitMap.deserialize(stored[name].tobytes())
            return cls(
                **{name: stored[name] for name in _ARRAY_FIELDS},
                first_month=int(stored["first_month"][0]),
                countries=bitmaps["countries"],
                topics=bitmaps["topics"],
                importance_at_most={int(level): places for level, places in bitmaps["importance"].items()},
                kinds={_kind_of_name(name): places for name, places in bitmaps["kinds"].items()},
                common_words=bitmaps["words"],
            )

    def _bitmaps(self) -> dict[str, dict[str, BitMap]]:
        return {
            "countries": self.countries,
            "topics": self.topics,
            "importance": {str(level): places for level, places in self.importance_at_most.items()},
            "kinds": {f"{precision.value}:{tone}": places for (precision, tone), places in self.kinds.items()},
            "words": self.common_words,
        }

    def matches(self, timeline_filter: TimelineFilter) -> BitMap:
        """The places of the filter's events, its word search left aside (see `view_matches`)."""
        parts = [self.countries.get(code, BitMap()) for code in timeline_filter.countries]
        if timeline_filter.topics:
            parts.append(reduce(operator.or_, (self.topics.get(slug, BitMap()) for slug in timeline_filter.topics)))
        if timeline_filter.date_from or timeline_filter.date_to:
            parts.append(self._dated(timeline_filter.date_from, timeline_filter.date_to))
        if timeline_filter.importance is not None:
            parts.append(self.importance_at_most[timeline_filter.importance])
        if not parts:
            everything = BitMap()
            everything.add_range(0, self.size)
            return everything
        # Smallest first: each intersection costs about the size of the smaller side.
        return reduce(operator.and_, sorted(parts, key=len))

    def _dated(self, date_from: date | None, date_to: date | None) -> BitMap:
        first = self._places_before(date_from) if date_from else 0
        last = self._places_before(date_to, including=True) if date_to else self.size
        places = BitMap()
        places.add_range(int(first), int(max(first, last)))
        if date_from:
            # Spans that started before `from` and are still going on at it (all start before `to`).
            going_on = (self.span_places < first) & (self.span_last_days >= _day(date_from))
            places |= bitmap(self.span_places[going_on])
        return places

    def ids_of(self, places: BitMap) -> list[int]:
        return (self.keys[np.frombuffer(places.to_array(), dtype=np.uint32)] & _ID_MASK).tolist()

    def places_of(self, ids: np.ndarray) -> BitMap:
        return bitmap_of_any_order(self.places_of_ids[ids], self.size)

    def month_counts(self, matches: BitMap) -> list[MonthCount]:
        """The matches counted by the month they start in and their date's precision, with their tones.

        Months are ranges of places, so the matches of one kind (a precision and a tone) are counted
        per month by where the months' first places fall among them: one sorted search per kind."""
        months = len(self.month_starts) - 1
        sums = {precision: np.zeros((3, months), dtype=np.int64) for precision in PRECISIONS}
        for (precision, tone), kind in self.kinds.items():
            places = np.frombuffer((matches & kind).to_array(), dtype=np.uint32)
            per_month = np.diff(np.searchsorted(places, self.month_starts))
            counts = sums[precision]
            counts[0] += per_month
            if tone is not None:
                counts[1] += per_month
                counts[2] += tone * per_month
        rows = []
        for precision, counts in sums.items():
            months_with_events = np.flatnonzero(counts[0])
            events, rated, tones = counts[:, months_with_events].tolist()
            numbered = (months_with_events + self.first_month).tolist()
            rows += map(MonthCount._make, zip(numbered, [precision] * len(numbered), events, rated, tones, strict=True))
        return rows

    def ids_between(self, matches: BitMap, size: int, bounds: "Bounds", descending: bool) -> list[int]:
        """The ids of up to `size` matches within `bounds`, from the start of the bounds or (descending)
        from their end backwards."""
        first = matches.rank(bounds.first - 1) if bounds.first else 0
        last = matches.rank(bounds.last - 1) if bounds.last else 0
        if descending:
            places = list(matches[max(first, last - size) : last])[::-1]
        else:
            places = list(matches[first : min(last, first + size)])
        return (self.keys[np.array(places, dtype=np.int64)] & _ID_MASK).tolist()

    def bounds(self, descending: bool, after: Cursor | None, until: Cursor | None, at: date | None) -> "Bounds":
        """The places a list may show in its order (descending: newest first): after one position
        (excluded), up to another (included), from a day on."""
        first, last = 0, self.size
        if descending:
            if after is not None:
                last = min(last, self._place(after, "left"))
            if until is not None:
                first = max(first, self._place(until, "left"))
            if at is not None:
                last = min(last, self._places_before(at, including=True))
        else:
            if after is not None:
                first = max(first, self._place(after, "right"))
            if until is not None:
                last = min(last, self._place(until, "right"))
            if at is not None:
                first = max(first, self._places_before(at))
        return Bounds(first, max(first, last))

    def _places_before(self, day: date, including: bool = False) -> int:
        """How many events start before a day (`including`: on or before it)."""
        return int(np.searchsorted(self.keys, (_day(day) + including) << _ID_BITS, "left"))

    def _place(self, position: Cursor, side: str) -> int:
        return int(np.searchsorted(self.keys, _day(position.start_date) << _ID_BITS | position.event_id, side))

    def count_before(self, matches: BitMap, position: Cursor, descending: bool) -> int:
        """How many of the matches come before a position in the list's order."""
        if descending:
            at_or_before = self._place(position, "right")
            return len(matches) - (matches.rank(at_or_before - 1) if at_or_before else 0)
        before = self._place(position, "left")
        return matches.rank(before - 1) if before else 0


def event_index(session: Session) -> EventIndex:
    """The index at the data's current version: the one its ingest stored, or else built from the data."""
    version = data_version(session)
    return cache.event_index.get(str(session.get_bind().url), version, (), lambda: _stored_or_built(session, version))


def _stored_or_built(session: Session, version: int) -> EventIndex:
    statement = select(event_index_snapshot.c.data).where(event_index_snapshot.c.version == version)
    data = session.execute(statement).scalar_one_or_none()
    return (EventIndex.from_bytes(data) if data is not None else None) or build(session)


def _stored_common_words(connection: Connection, version: int) -> dict[str, BitMap] | None:
    """The common words stored with the index of this version, or None if that is not the one stored."""
    statement = select(event_index_snapshot.c.data).where(event_index_snapshot.c.version == version)
    data = connection.execute(statement).scalar_one_or_none()
    previous = EventIndex.from_bytes(data) if data is not None else None
    return previous.common_words if previous is not None else None


def store_snapshot(connection: Connection, written_ids: Sequence[int]) -> None:
    """Build the index of the data as this transaction leaves it, and store it for its version (an
    ingest's last step, after the version moved on): the one stored index, the older ones gone.
    The common words' events are updated from the version before's for the events written."""
    version = connection.execute(select(DataVersion.version)).scalar_one()
    index = build(connection)
    if connection.dialect.name == "postgresql":
        words = common_words_after(connection, _stored_common_words(connection, version - 1), written_ids, index.size)
        index = replace(index, common_words=words)
    data = index.to_bytes()
    connection.execute(delete(event_index_snapshot))
    connection.execute(insert(event_index_snapshot).values(version=version, data=data))


def build(session: Session | Connection) -> EventIndex:
    precision = case({value.value: number for number, value in enumerate(PRECISIONS)}, value=event.c.date_precision)
    # Three decimal digits: the precision's number, the tone + 2 (9 for none), the importance.
    small = precision * 100 + func.coalesce(event.c.tone + 2, 9) * 10 + event.c.importance
    columns = (event.c.id, ","), (event.c.start_date, ""), (event.c.last_date, ""), (small, ",")
    ids, start_dates, last_dates, packed = session.execute(select(*(joined(*column) for column in columns))).one()
    ids, packed = numbers(ids), numbers(packed)
    start_days, last_days = day_numbers(start_dates), day_numbers(last_dates)
    order = np.lexsort((ids, start_days))
    ids, start_days, last_days, packed = ids[order], start_days[order], last_days[order], packed[order]
    places_of_ids = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    places_of_ids[ids] = np.arange(len(ids))
    months = _months(start_days)
    first_month = int(months[0]) if len(months) else 0
    month_starts = np.searchsorted(months, np.arange(first_month, int(months[-1]) + 2 if len(months) else 1))
    kind_numbers = packed // 10
    spans = np.flatnonzero(last_days > start_days)
    places = np.arange(len(ids))
    return EventIndex(
        keys=start_days << _ID_BITS | ids,
        places_of_ids=places_of_ids,
        first_month=first_month,
        month_starts=month_starts,
        kinds={_kind(number): bitmap(places[kind_numbers == number]) for number in np.unique(kind_numbers).tolist()},
        span_places=spans,
        span_last_days=last_days[spans],
        countries=_bitmaps_by_key(session, event_country.c.country_code, places_of_ids, len(ids)),
        topics=_bitmaps_by_key(session, event_topic.c.topic_slug, places_of_ids, len(ids)),
        importance_at_most={level: bitmap(places[packed % 10 <= level]) for level in IMPORTANCE_LEVELS},
    )


def _bitmaps_by_key(
    session: Session | Connection, key_column, places_of_ids: np.ndarray, size: int
) -> dict[str, BitMap]:
    """Each key's events (its link rows' event ids) as a bitmap of places: one row per key."""
    link = key_column.table
    statement = select(key_column, joined(link.c.event_id, ",")).group_by(key_column)
    return {key: bitmap_of_any_order(places_of_ids[numbers(ids)], size) for key, ids in session.execute(statement)}


def _kind_of_name(name: str) -> tuple[Precision, int | None]:
    precision, _, tone = name.partition(":")
    return Precision(precision), None if tone == "None" else int(tone)


def _kind(number: int) -> tuple[Precision, int | None]:
    """A precision and a tone from their two packed digits (the tone's: tone + 2, or 9 for none)."""
    return PRECISIONS[number // 10], None if number % 10 == 9 else number % 10 - 2


def _day(value: date) -> int:
    return value.toordinal() - _EPOCH


_EPOCH = date(1970, 1, 1).toordinal()


def _months(days: np.ndarray) -> np.ndarray:
    """Month numbers (year * 12 + month - 1) of day numbers."""
    months_since_1970 = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months_since_1970 + 1970 * 12
