"""Tables and the public read models the API returns.

Each entity has a base of shared fields, its table model and its read model; table models are
never subclassed.
"""

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel


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


class Event(EventBase, table=True):
    __table_args__ = (
        # Keyset pages walk (start_date, id) in either direction.
        Index("ix_event_start_date_id", "start_date", "id"),
        CheckConstraint("date_precision IN ('day', 'month', 'year')", name="ck_event_date_precision"),
        CheckConstraint("tone BETWEEN -2 AND 2", name="ck_event_tone"),
        CheckConstraint("importance BETWEEN 1 AND 3", name="ck_event_importance"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Last day the event covers (end of its span or of its start's period): date filters test overlap.
    last_date: date = Field(index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime)


class EventCountry(SQLModel, table=True):
    __tablename__ = "event_country"
    __table_args__ = (Index("ix_event_country_country_event", "country_code", "event_id"),)

    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), primary_key=True))
    country_code: str = Field(sa_column=Column(String(2), ForeignKey("country.code"), primary_key=True))


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
    # The longest event, in days: date filters use it to bound the start dates they scan.
    max_span_days: int = 0


class SourceBase(SQLModel):
    url: str = Field(max_length=2000)
    title: str = Field(max_length=300)
    publisher: str | None = Field(default=None, max_length=200)
    published_date: date | None = None


class Source(SourceBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0


class SourceRead(SourceBase):
    pass


class EventRead(EventBase):
    url: str = Field(description="The event's page")
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes")
    topics: list[str] = Field(description="Topic slugs")
    sources: list[SourceRead]


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


class EraRead(EraBase):
    countries: list[str]
