"""The validated records every reader produces, whatever the file format."""

from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from app.dates import InvalidDate, parse_partial_date, period_end
from app.models import SLUG_PATTERN as SLUG
from app.models import EventBase, LinkType, Precision

# A scheme, a host, and no white space anywhere.
HTTP_URL = r"^(?i:https?)://[^\s/?#@]+(?:[/?#]\S*)?$"
# Control characters break the formats text is written into (XML refuses them outright). Titles
# are one line (CSV exports list several sources in one cell, a line each); a summary may keep
# line breaks and tabs.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
PATTERN_MESSAGES = {
    HTTP_URL: "is not an http or https URL",
    ONE_LINE: "must be one line of text, without control characters",
    TEXT: "must be text without control characters (line breaks and tabs are fine)",
}


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class CountryRecord(Record):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1, max_length=100, pattern=ONE_LINE)


class TopicRecord(Record):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$")
    name: str = Field(min_length=1, max_length=100, pattern=ONE_LINE)
    description: str = Field(default="", max_length=300, pattern=ONE_LINE)


class SourceRecord(Record):
    url: str = Field(max_length=2000, pattern=HTTP_URL)
    title: str = Field(min_length=1, max_length=300, pattern=ONE_LINE)
    # True: the title is the publisher's headline, checked on the page; False: a description of the page.
    headline: bool | None = Field(default=None, strict=True)
    publisher: str | None = Field(default=None, max_length=200, pattern=ONE_LINE)
    published: date | None = None


class LinkRecord(Record):
    """`{type: led_to, to: <slug>}` on an event: this event led to the event `to`."""

    type: LinkType
    to: str = Field(pattern=SLUG)


class StatementRecord(Record):
    """One party's account of the event, with its own source."""

    party: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    party_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    text: str = Field(min_length=1, max_length=5000, pattern=TEXT)
    date: str | None = None
    source: SourceRecord

    @field_validator("party_country", mode="before")
    @classmethod
    def _upper_case_code(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("date", mode="before")
    @classmethod
    def _partial_date(cls, value: object) -> object:
        return _partial_date_text(value)

    @property
    def said_on(self) -> tuple:  # (first day, precision), or (None, None) when undated
        return parse_partial_date(self.date) if self.date else (None, None)


class DatedRecord(Record):
    """The partial-date rules events and eras share: start_date, its optional precision, end_date."""

    @field_validator("start_date", "end_date", mode="before", check_fields=False)
    @classmethod
    def _partial_date(cls, value: object) -> object:
        return _partial_date_text(value)

    @field_validator("date_precision", check_fields=False)
    @classmethod
    def _agrees_with_start(cls, value: Precision | None, info: ValidationInfo) -> Precision | None:
        start = info.data.get("start_date")
        if value is not None and start and parse_partial_date(start)[1] is not value:
            raise ValueError(f"{value.value!r} does not match start_date {start!r}")
        return value

    @field_validator("end_date", check_fields=False)
    @classmethod
    def _not_before_start(cls, value: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("start_date")
        if value and start and period_end(*parse_partial_date(value)) < parse_partial_date(start)[0]:
            raise ValueError(f"{value!r} is before start_date {start!r}")
        return value


def _with_rules(name: str, **rules: Any) -> Any:
    """EventBase's field, its bounds as declared there, with the rules a file's input must also meet."""
    return FieldInfo.merge_field_infos(EventBase.model_fields[name], Field(**rules))


class EventRecord(DatedRecord, EventBase):
    """An event as files give it: EventBase's fields (a new plain field arrives here with its bounds),
    dates as partial-date text, and the event's lists."""

    slug: str = _with_rules("slug", pattern=SLUG)
    title: str = _with_rules("title", min_length=1, pattern=ONE_LINE)
    summary: str = _with_rules("summary", min_length=1, max_length=5000, pattern=TEXT)
    start_date: str
    # Optional: the form of start_date already says it; when given, the two must agree.
    date_precision: Precision | None = None
    end_date: str | None = None
    # The form of end_date says its precision: not a field of the files.
    end_precision: ClassVar[None] = None
    location: str | None = _with_rules("location", pattern=ONE_LINE)
    tone: int | None = _with_rules("tone", strict=True)
    importance: int = _with_rules("importance", strict=True)
    countries: list[str] = Field(min_length=1, max_length=50)
    # Countries the event bears on directly without involving them (China's export controls, India).
    # None: the file's format cannot say, as for links.
    concerns: list[str] | None = Field(default=None, max_length=50)
    topics: list[str] = Field(min_length=1, max_length=50)
    sources: list[SourceRecord] = Field(min_length=1, max_length=50)
    # None: the file's format cannot say (CSV has no statements, TimelineJS neither links nor
    # statements), so ingest keeps what is stored. Seed files say it always: absent means none.
    links: list[LinkRecord] | None = Field(default=None, max_length=50)
    statements: list[StatementRecord] | None = Field(default=None, max_length=50)

    @field_validator("countries")
    @classmethod
    def _upper_case_codes(cls, codes: list[str]) -> list[str]:
        return _without_repeats([code.upper() for code in codes])

    @field_validator("concerns")
    @classmethod
    def _concerned_codes(cls, codes: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if codes is None:
            return None
        codes = _without_repeats([code.upper() for code in codes])
        parties = set(info.data.get("countries") or ())
        both = [code for code in codes if code in parties]
        if both:
            raise ValueError(f"{', '.join(map(repr, both))} already in countries: a country is a party or concerned")
        return codes

    @field_validator("topics")
    @classmethod
    def _no_repeated_topics(cls, slugs: list[str]) -> list[str]:
        return _without_repeats(slugs)

    @field_validator("links")
    @classmethod
    def _one_link_per_event(cls, links: list[LinkRecord] | None) -> list[LinkRecord] | None:
        if links:
            _without_repeats([link.to for link in links])
        return links


def _partial_date_text(value: object) -> object:
    """A partial date as text, checked; YAML reads an unquoted 2020-06-15 as a date and 2020 as a number."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        try:
            parse_partial_date(value)
        except InvalidDate as error:
            raise ValueError(str(error)) from None
        return value.strip()
    return value


def _without_repeats(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        repeated = sorted({value for value in values if values.count(value) > 1})
        raise ValueError(f"{', '.join(map(repr, repeated))} listed twice")
    return values


class EraRecord(DatedRecord):
    """A named period (`eras:` in a seed file), dated by the same partial-date rules as events."""

    slug: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, max_length=200, pattern=ONE_LINE)
    description: str = Field(min_length=1, max_length=300, pattern=ONE_LINE)
    start_date: str
    date_precision: Precision | None = None
    # Required: an era is a period; one still going on ends with the year it is expected to cover.
    end_date: str
    countries: list[str] = Field(min_length=1, max_length=50)

    @field_validator("countries")
    @classmethod
    def _upper_case_codes(cls, codes: list[str]) -> list[str]:
        return _without_repeats([code.upper() for code in codes])

    @property
    def start(self) -> tuple[date, Precision]:
        return parse_partial_date(self.start_date)

    @property
    def end(self) -> tuple[date, Precision]:
        return parse_partial_date(self.end_date)

    @property
    def last_date(self) -> date:
        return period_end(*self.end)
