"""Tables and the public read models the API returns.

Each entity has a base of shared fields, its table model and its read model; table models are
never subclassed.
"""

from datetime import UTC, date, datetime
from enum import StrEnum

from annotated_types import Ge, Le
from pydantic import ConfigDict, ValidationInfo, field_validator
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

# An event's address: what ingest accepts, and so all that a lookup by slug can find.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,118}[a-z0-9]$"


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class CountryBase(SQLModel):
    code: str = Field(primary_key=True, max_length=2, description="ISO 3166-1 alpha-2 code")
    name: str = Field(max_length=100)


class Country(CountryBase, table=True):
    pass


class CountryRead(CountryBase):
    event_count: int


class TopicBase(SQLModel):
    slug: str = Field(primary_key=True, max_length=60)
    name: str = Field(max_length=100)
    description: str = Field(default="", max_length=300)


class Topic(TopicBase, table=True):
    pass


class TopicRead(TopicBase):
    event_count: int


class EventBase(SQLModel):
    """An event's own fields and their bounds, declared once: the table, the views the queries return,
    the API's read model and the ingest record all derive from it, and the formats iterate its fields."""

    slug: str = Field(max_length=120, unique=True, index=True)
    title: str = Field(max_length=300)
    summary: str = Field(sa_type=Text)
    start_date: date = Field(description="First day of the period the date names")
    date_precision: Precision = Field(sa_type=String(5))
    end_date: date | None = Field(default=None, description="First day of the end's period, for spans")
    end_precision: Precision | None = Field(default=None, sa_type=String(5))
    location: str | None = Field(default=None, max_length=200)
    tone: int | None = Field(default=None, ge=-2, le=2, description="-2 hostile … +2 strongly cooperative")
    importance: int = Field(default=2, ge=1, le=3, description="1 key event, 2 notable, 3 minor")


def _bounds_check(name: str) -> CheckConstraint:
    """The database's check of an EventBase field's bounds, written from the field's own ge and le."""
    metadata = EventBase.model_fields[name].metadata
    low = next(rule.ge for rule in metadata if isinstance(rule, Ge))
    high = next(rule.le for rule in metadata if isinstance(rule, Le))
    return CheckConstraint(f"{name} BETWEEN {low} AND {high}", name=f"ck_event_{name}")


def _absolute_url(path: str, info: ValidationInfo) -> str:
    """A view's page path as the read model's absolute URL: the caller passes the site's address as context."""
    return info.context["site_url"] + path if info.context else path


class Event(EventBase, table=True):
    __table_args__ = (
        # Keyset pages walk (start_date, id) in either direction.
        Index("ix_event_start_date_id", "start_date", "id"),
        # The event index reads these of every event, from this index without reading rows (the id
        # is implicit in SQLite's indexes, not in PostgreSQL's).
        Index("ix_event_places", "start_date", "last_date", "date_precision", "tone", "importance", "id"),
        CheckConstraint("date_precision IN ('day', 'month', 'year')", name="ck_event_date_precision"),
        _bounds_check("tone"),
        _bounds_check("importance"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Last day the event covers (end of its span or of its start's period): date filters test overlap.
    last_date: date
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    # The event's statements as one text, written by ingest: full-text search indexes it with the
    # title and summary (SQLite's event_fts, PostgreSQL's search_vector; see migration 0005).
    statement_text: str | None = Field(default=None, sa_type=Text)


class CountryRole(StrEnum):
    """How an event relates to a country: it involves it, or it bears on it directly without involving it."""

    party = "party"
    concerns = "concerns"


class EventCountry(SQLModel, table=True):
    """An event's countries. Country filters, facets and relation pages read every role, so a pair's
    view includes what concerns the pair; pages list parties and concerned countries apart."""

    __tablename__ = "event_country"
    __table_args__ = (
        Index("ix_event_country_country_event", "country_code", "event_id"),
        CheckConstraint("role IN ('party', 'concerns')", name="ck_event_country_role"),
    )

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    country_code: str = Field(sa_column=Column(String(2), ForeignKey("country.code"), primary_key=True))
    role: CountryRole = Field(
        default=CountryRole.party, sa_column=Column(String(8), nullable=False, server_default="party")
    )


class EventTopic(SQLModel, table=True):
    __tablename__ = "event_topic"
    __table_args__ = (Index("ix_event_topic_topic_event", "topic_slug", "event_id"),)

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    topic_slug: str = Field(sa_column=Column(String(60), ForeignKey("topic.slug"), primary_key=True))


class DataVersion(SQLModel, table=True):
    """One row that every ingest which changes data bumps: caches and ETags are keyed by it."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class EventIndexSnapshot(SQLModel, table=True):
    """The event index (app/queries/event_index.py) of one data version, built by the ingest that
    made the version, so that every worker loads it instead of building it."""

    __tablename__ = "event_index_snapshot"

    version: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class SourceBase(SQLModel):
    url: str = Field(max_length=2000)
    title: str = Field(max_length=300)
    headline: bool | None = Field(
        default=None,
        description="true: the title is the publisher's headline, checked on the page; false: a description",
    )
    publisher: str | None = Field(default=None, max_length=200)
    published_date: date | None = None


class Source(SourceBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0


class SourceRead(SourceBase):
    model_config = ConfigDict(from_attributes=True)


class EventRead(EventBase):
    # Built from a view: `EventRead.model_validate(view, context={"site_url": ...})`. (No docstring:
    # it would become the schema's description in /openapi.json.)
    model_config = ConfigDict(from_attributes=True)

    url: str = Field(description="The event's page")
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes of the countries the event involves")
    concerns: list[str] = Field(
        description="Countries the event bears on directly without involving them; country filters include them"
    )
    topics: list[str] = Field(description="Topic slugs")
    sources: list[SourceRead]
    links: list["LinkRead"] = Field(description="Events this one is linked to, as declared on it")
    linked_from: list["LinkRead"] = Field(description="Events that declare a link to this one")
    statements: list["StatementRead"] = Field(description="What each party said about the event")
    revision_count: int = Field(description="How many ingests have changed the event since it was added")
    last_revised: datetime | None = Field(description="When the last of them ran (UTC), or null")

    _absolute_url = field_validator("url")(_absolute_url)

    @field_validator("countries", "concerns", "topics", mode="before")
    @classmethod
    def _keys(cls, value: object) -> object:
        """Views pair each country code or topic slug with its name; the API gives the keys."""
        return [pair[0] if isinstance(pair, tuple) else pair for pair in value] if isinstance(value, list) else value


class EraBase(SQLModel):
    slug: str = Field(primary_key=True, max_length=120)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=300)
    start_date: date = Field(description="First day of the period the start names")
    date_precision: Precision = Field(sa_type=String(5))
    end_date: date = Field(description="First day of the period the end names")
    end_precision: Precision = Field(sa_type=String(5))


class Era(EraBase, table=True):
    """A named period (the eastern Ladakh standoff), drawn as a band on the overview."""

    # Last day the era covers: the overview and the timeline test overlap with it.
    last_date: date


class EraCountry(SQLModel, table=True):
    __tablename__ = "era_country"

    era_slug: str = Field(sa_column=Column(String(120), ForeignKey("era.slug", ondelete="CASCADE"), primary_key=True))
    country_code: str = Field(sa_column=Column(String(2), ForeignKey("country.code"), primary_key=True))


class LinkType(StrEnum):
    """How one event relates to another: 'A led_to B', 'A response_to B', 'A follow_up_of B', 'A part_of B'."""

    led_to = "led_to"
    response_to = "response_to"
    follow_up_of = "follow_up_of"
    part_of = "part_of"


class EventLinkBase(SQLModel):
    type: LinkType = Field(sa_type=String(20))


class EventLink(EventLinkBase, table=True):
    """A typed link declared on one event (event_id) to another (target_id)."""

    __tablename__ = "event_link"
    __table_args__ = (
        # Chains are walked both ways: from an event to its targets (the primary key) and back.
        Index("ix_event_link_target_id", "target_id"),
        CheckConstraint("type IN ('led_to', 'response_to', 'follow_up_of', 'part_of')", name="ck_event_link_type"),
    )

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    target_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    position: int = 0


class LinkRead(EventLinkBase):
    model_config = ConfigDict(from_attributes=True)

    slug: str = Field(description="The other event")
    title: str
    url: str = Field(description="The other event's page")

    _absolute_url = field_validator("url")(_absolute_url)


class StatementBase(SQLModel):
    party: str = Field(max_length=200, description="Who said it: a country, or a named body such as a ministry")
    party_country: str | None = Field(default=None, max_length=2, description="The party's ISO 3166-1 code")
    text: str = Field(sa_type=Text, description="What the party said, in the dataset's words")
    said_on: date | None = Field(default=None, description="First day of the period the statement is dated to")
    said_on_precision: Precision | None = Field(default=None, sa_type=String(5))


class Statement(StatementBase, table=True):
    """One party's account of an event, with its own source."""

    __table_args__ = (
        CheckConstraint("said_on_precision IN ('day', 'month', 'year')", name="ck_statement_said_on_precision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0
    party_country: str | None = Field(
        default=None, sa_column=Column(String(2), ForeignKey("country.code"), nullable=True)
    )
    source_url: str = Field(max_length=2000)
    source_title: str = Field(max_length=300)
    source_headline: bool | None = None
    source_publisher: str | None = Field(default=None, max_length=200)
    source_published_date: date | None = None


class StatementRead(StatementBase):
    model_config = ConfigDict(from_attributes=True)

    source: SourceRead


class RevisionBase(SQLModel):
    number: int = Field(description="1 for the event's first change, 2 for the next…; one ingest's changes share it")
    changed_at: datetime = Field(sa_type=DateTime, description="When the ingest ran (UTC)")
    field: str = Field(max_length=40, description="The seed field that changed")
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)


class Revision(RevisionBase, table=True):
    """One field of an event changed by an ingest: corrections stay visible."""

    __table_args__ = (Index("ix_revision_event_id_number", "event_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False))


EventRead.model_rebuild()
