"""What the queries return: plain dataclasses the routes, templates and formats read."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlmodel import Field

from app.dates import partial_iso
from app.filters import Cursor
from app.models import EventBase, EventLinkBase, Precision, SourceBase, StatementBase


class SourceView(SourceBase):
    pass


class LinkView(EventLinkBase):
    slug: str  # the other event's
    title: str

    @property
    def url(self) -> str:  # the other event's page
        return f"/events/{self.slug}"


class StatementView(StatementBase):
    source: SourceView


class EventView(EventBase):
    """An event as the pages, formats and API read it: the model's fields, with names and relations."""

    id: int
    created_at: datetime
    updated_at: datetime
    # Lists from a factory: a plain `[]` default is deep-copied for every event (a tenth of a page's time).
    countries: list[tuple[str, str]] = Field(default_factory=list)  # (code, name) of the parties
    concerns: list[tuple[str, str]] = Field(default_factory=list)  # countries it bears on, not a party
    topics: list[tuple[str, str]] = Field(default_factory=list)  # (slug, name)
    sources: list[SourceView] = Field(default_factory=list)
    # Filled only where asked for (`details=True`): the event page, the API and the exports.
    links: list[LinkView] = Field(default_factory=list)  # declared on this event
    linked_from: list[LinkView] = Field(default_factory=list)  # declared on others, to this one
    statements: list[StatementView] = Field(default_factory=list)
    revision_count: int = 0
    last_revised: datetime | None = None

    @property
    def url(self) -> str:  # the event's page
        return f"/events/{self.slug}"


@dataclass
class EventPage:
    items: list[EventView]
    next_cursor: Cursor | None


@dataclass
class Facet:
    key: str
    name: str
    total: int  # events carrying it, in the whole database
    matching: int  # events it would match, given the other filters


@dataclass
class DatasetStats:
    events: int
    topics: int
    first_year: int | None
    last_year: int | None
    sources: int
    primary_sources: int  # on a host of seeds/primary-domains.txt

    @property
    def sources_per_event(self) -> float:
        return self.sources / self.events if self.events else 0.0

    @property
    def primary_share(self) -> float:
        return self.primary_sources / self.sources if self.sources else 0.0


@dataclass
class Neighbours:
    previous: EventView | None
    next: EventView | None


@dataclass
class Change:
    field: str
    old_value: str | None
    new_value: str | None


@dataclass
class RevisionView:
    """What one ingest changed in an event."""

    number: int
    changed_at: datetime
    changes: list[Change] = field(default_factory=list)


@dataclass
class ChainItem:
    """An event of a chain, and how it links to the event through which the chain reached it."""

    slug: str
    title: str
    start_date: date
    date_precision: Precision
    end_date: date | None
    end_precision: Precision | None
    relation: str  # "led to", "followed up by"…
    via_slug: str
    via_title: str

    def __post_init__(self) -> None:
        self.date_precision = Precision(self.date_precision)
        if self.end_precision is not None:
            self.end_precision = Precision(self.end_precision)


@dataclass
class Chain:
    before: list[ChainItem]
    after: list[ChainItem]


@dataclass(frozen=True)
class EraView:
    slug: str
    name: str
    description: str
    start_date: date
    date_precision: Precision
    end_date: date
    end_precision: Precision
    last_date: date
    countries: tuple[str, ...]

    @property
    def from_text(self) -> str:  # from= and to= of the view narrowed to the era
        return partial_iso(self.start_date, self.date_precision)

    @property
    def to_text(self) -> str:
        return partial_iso(self.end_date, self.end_precision)


class MonthCount(NamedTuple):
    """A view's events that start in one month with one date precision, and their tones."""

    number: int  # year * 12 + month - 1
    date_precision: str
    events: int
    rated: int  # events that have a tone
    tone_total: int


@dataclass(frozen=True)
class Period:
    """A year ("2020") or a month ("2020-06") of a view's events, as from= and to= write it."""

    key: str
    start: date
    last: date
    events: int
    rated: int  # events that have a tone
    tone_total: int

    @property
    def tone(self) -> float | None:
        """The average tone of the events that have one."""
        return self.tone_total / self.rated if self.rated else None


@dataclass(frozen=True)
class CountryPair:
    """Two countries with events in common, in the order of their relation page's address."""

    first: str
    second: str
    first_name: str
    second_name: str
    events: int
