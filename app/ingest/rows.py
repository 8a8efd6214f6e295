"""A valid event record as the rows ingest writes: plain values, cheap to send between processes."""

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from app.dates import parse_partial_date, period_end
from app.ingest.records import EventRecord, StatementRecord
from app.models import EventBase

# The event columns ingest writes from a record, in the order of PreparedEvent.values: EventBase's
# fields (so a new plain field is written without a change here), with the period's last day after its end.
_PERIOD_FIELDS = ("start_date", "date_precision", "end_date", "end_precision", "last_date")
EVENT_FIELD_NAMES = tuple(
    column
    for name in EventBase.model_fields
    if name != "slug"
    for column in ((name, "last_date") if name == "end_precision" else (name,))
)
# The columns of each of PreparedEvent.sources and .statements, in order (after event_id and position).
SOURCE_COLUMNS = ("url", "title", "headline", "publisher", "published_date")
STATEMENT_COLUMNS = (
    "party",
    "party_country",
    "text",
    "said_on",
    "said_on_precision",
    "source_url",
    "source_title",
    "source_headline",
    "source_publisher",
    "source_published_date",
)


class PreparedEvent(NamedTuple):
    """One valid event as the rows it is written as."""

    slug: str
    values: tuple  # EVENT_FIELD_NAMES; dates as ISO text
    statement_text: str | None
    countries: tuple[str, ...]
    # None: the format cannot say (see EventRecord), so what is stored stays; as for links and statements.
    concerns: tuple[str, ...] | None
    topics: tuple[str, ...]
    sources: tuple[tuple[str, str, bool | None, str | None, str | None], ...]  # SOURCE_COLUMNS
    # None: the format cannot say (see EventRecord), so what is stored stays.
    links: tuple[tuple[str, str], ...] | None  # (type, target slug)
    statements: tuple[tuple, ...] | None  # STATEMENT_COLUMNS

    def columns(self) -> dict[str, object]:
        return dict(zip(EVENT_FIELD_NAMES, self.values, strict=True))


def prepare(record: EventRecord) -> PreparedEvent:
    start, precision, start_last = _period(record.start_date)
    end, end_precision, last = _period(record.end_date) if record.end_date else (None, None, start_last)
    period = dict(zip(_PERIOD_FIELDS, (start, precision, end, end_precision, last), strict=True))
    values = tuple(period[name] if name in period else getattr(record, name) for name in EVENT_FIELD_NAMES)
    return PreparedEvent(
        record.slug,
        values,
        # The statements as one text for full-text search, beside the title and summary.
        "\n".join([f"{said.party}: {said.text}" for said in record.statements]) if record.statements else None,
        tuple(record.countries),
        None if record.concerns is None else tuple(record.concerns),
        tuple(record.topics),
        tuple([(s.url, s.title, s.headline, s.publisher, _iso(s.published)) for s in record.sources]),
        None if record.links is None else tuple([(link.type.value, link.to) for link in record.links]),
        None if record.statements is None else tuple([_statement_row(said) for said in record.statements]),
    )


@lru_cache(maxsize=65536)
def _period(partial_date: str) -> tuple[str, str, str]:
    """A valid partial date's first day, precision and last day, as stored (events share few dates)."""
    first, precision = parse_partial_date(partial_date)
    return first.isoformat(), precision.value, period_end(first, precision).isoformat()


def _statement_row(said: StatementRecord) -> tuple:
    said_on, precision = said.said_on
    cited = said.source
    return (
        said.party,
        said.party_country,
        said.text,
        _iso(said_on),
        precision.value if precision else None,
        cited.url,
        cited.title,
        cited.headline,
        cited.publisher,
        _iso(cited.published),
    )


def _iso(day: date | None) -> str | None:
    # Rows carry dates as ISO text: what SQLite stores, what PostgreSQL reads, cheap to send.
    return day.isoformat() if day is not None else None
