"""Files → validated records → rows ready to write, with every problem named; no database here.

`check_files` yields what the writer needs, in the order it needs it: the definitions (countries,
topics, eras), then the events a chunk at a time, then the links that point outside the run. It
runs in the ingest's own process, or for large files in a second one (`in_second_process`), so
that reading and validating one chunk overlaps with writing the one before.
"""

import contextlib
import multiprocessing
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app import validation_messages
from app.dates import parse_partial_date, period_end
from app.ingest.readers import READERS, RawItem, ReaderOptions, ReadError
from app.ingest.records import PATTERN_MESSAGES, CountryRecord, EraRecord, EventRecord, StatementRecord, TopicRecord

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "country": CountryRecord,
    "topic": TopicRecord,
    "event": EventRecord,
    "era": EraRecord,
}
KEY_FIELD = {"country": "code", "topic": "slug", "event": "slug", "era": "slug"}
CHUNK = 500

# The event columns ingest writes from a record, in the order of PreparedEvent.values.
EVENT_FIELD_NAMES = (
    "title",
    "summary",
    "start_date",
    "date_precision",
    "end_date",
    "end_precision",
    "last_date",
    "location",
    "tone",
    "importance",
)


@dataclass(frozen=True)
class Known:
    """The country codes and topic slugs events may name."""

    countries: frozenset[str]
    topics: frozenset[str]


class PreparedEvent(NamedTuple):
    """One valid event as the rows it is written as: plain values, cheap to send between processes."""

    slug: str
    values: tuple  # EVENT_FIELD_NAMES; dates as ISO text
    statement_text: str | None
    countries: tuple[str, ...]
    # None: the format cannot say (see EventRecord), so what is stored stays; as for links and statements.
    concerns: tuple[str, ...] | None
    topics: tuple[str, ...]
    sources: tuple[
        tuple[str, str, bool | None, str | None, str | None], ...
    ]  # url, title, headline, publisher, published
    # None: the format cannot say (see EventRecord), so what is stored stays.
    links: tuple[tuple[str, str], ...] | None  # (type, target slug)
    statements: tuple[tuple, ...] | None

    def columns(self) -> dict[str, object]:
        return dict(zip(EVENT_FIELD_NAMES, self.values, strict=True))


class LinkCheck(NamedTuple):
    """A link whose target must exist: where it is declared, for the error if it does not."""

    label: str
    field_name: str
    position: int
    target: str


@dataclass
class Definitions:
    countries: list[CountryRecord]
    topics: list[TopicRecord]
    eras: list[EraRecord]
    errors: list[str]


@dataclass
class EventBatch:
    # Empty once the run has an error: the rest is only validated, for the report.
    events: list[PreparedEvent]
    errors: list[str]


@dataclass
class LinksOutsideRun:
    """The last message: links to events this run does not hold, which must be in the database."""

    links: list[LinkCheck]
    errors: list[str]


Checked = Definitions | EventBatch | LinksOutsideRun


def check_files(files: list[Path], options: ReaderOptions, stored: Known) -> Iterator[Checked]:
    run = _Run()
    documents = []
    for path in files:
        try:
            documents.append(READERS[path.suffix.lower()](path, options))
        except ReadError as error:
            run.errors.append(str(error))
        except OSError as error:
            run.errors.append(f"{path}: cannot be read: {error.strerror or error}")
    # Definitions first, whichever file holds them, so that events may name any of them.
    definitions = run.validate([item for document in documents for item in document.definitions])
    countries = [record for record, item in definitions if item.kind == "country"]
    topics = [record for record, item in definitions if item.kind == "topic"]
    known = Known(stored.countries | {r.code for r in countries}, stored.topics | {r.slug for r in topics})
    eras = _check_era_countries(run, run.validate([item for document in documents for item in document.eras]), known)
    yield Definitions(countries, topics, eras, run.take_errors())
    links: list[LinkCheck] = []
    for document in documents:
        try:
            for chunk in _chunks(document.events, CHUNK):
                validated = run.validate(chunk)
                links += _link_checks(validated)
                valid = run.check_references(validated, known)
                events = [] if run.failed else [prepare(record) for record, _ in valid]
                yield EventBatch(events, run.take_errors())
        except ReadError as error:
            run.errors.append(str(error))
    # Links may point at events later in the run: only now is it known which targets it holds.
    in_run = {key for kind, key in run.first_seen if kind == "event"}
    yield LinksOutsideRun([link for link in links if link.target not in in_run], run.take_errors())


def prepare(record: EventRecord) -> PreparedEvent:
    start, precision, start_last = _period(record.start_date)
    end, end_precision, last = _period(record.end_date) if record.end_date else (None, None, start_last)
    values = (
        record.title,
        record.summary,
        start,
        precision,
        end,
        end_precision,
        last,
        record.location,
        record.tone,
        record.importance,
    )
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


def in_second_process(produce: Callable[..., Iterator], *args) -> Iterator:
    """What `produce(*args)` yields, produced in a forked child process while this one goes on.

    The pipe between them holds a few chunks, so the child never runs far ahead and memory stays
    bounded. If this side stops early (an error, a rollback), the child is stopped at once.
    """
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    child = context.Process(
        target=_send_all, args=(receiving, sending, produce, args), name="ingest-reader", daemon=True
    )
    child.start()
    sending.close()
    finished = False
    try:
        while True:
            try:
                status, payload = receiving.recv()
            except EOFError:
                child.join(timeout=1)
                raise ReaderProcessFailed(f"the reading process stopped (exit code {child.exitcode})") from None
            if status == "done":
                finished = True
                return
            if status == "failed":
                raise ReaderProcessFailed(f"the reading process failed:\n{payload}")
            yield payload
    finally:
        receiving.close()
        if not finished:
            child.kill()  # what is left to read can no longer be written
        child.join()


def _widen(pipe) -> None:
    """Room for a few chunks in the pipe, so that neither side waits on the other's every step."""
    # Linux only (F_SETPIPE_SZ); elsewhere the pipe keeps its size, and ingest is only slower.
    with contextlib.suppress(ImportError, OSError, AttributeError):
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)


def second_process_available() -> bool:
    # fork shares the parent's imported modules, so the child starts at once; without it (Windows)
    # ingest reads and writes in one process.
    return "fork" in multiprocessing.get_all_start_methods()


class ReaderProcessFailed(RuntimeError):
    pass


def _send_all(receiving, sending, produce: Callable[..., Iterator], args: tuple) -> None:
    # The parent's end, copied by fork: closed here, so that only the parent holds it.
    receiving.close()
    try:
        for item in produce(*args):
            sending.send(("item", item))
        sending.send(("done", None))
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the ingest stopped listening, or was interrupted: it reports for itself
    except Exception:
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()


def _chunks(items: Iterable[RawItem], size: int) -> Iterator[list[RawItem]]:
    chunk: list[RawItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label(item: RawItem) -> str:
    key = item.data.get(KEY_FIELD[item.kind]) if isinstance(item.data, dict) else None
    name = f" {key!r}" if isinstance(key, str | int) and not isinstance(key, bool) else ""
    return f"{item.path}: {item.place()}{name}"


def _link_checks(records: list[tuple[EventRecord, RawItem]]) -> list[LinkCheck]:
    return [
        LinkCheck(_label(item), item.field_name("links"), position, link.to)
        for record, item in records
        for position, link in enumerate(record.links or (), start=1)
    ]


@dataclass
class _Run:
    """What one ingest has seen so far: its errors, and where each key was first used."""

    errors: list[str] = field(default_factory=list)
    first_seen: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    errors_taken: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.errors_taken > 0

    def take_errors(self) -> list[str]:
        """The errors found since the last call."""
        errors, self.errors = self.errors, []
        self.errors_taken += len(errors)
        return errors

    def validate(self, items: list[RawItem]) -> list[tuple[BaseModel, RawItem]]:
        records = []
        for item in items:
            if not isinstance(item.data, dict):
                self.errors.append(f"{_label(item)}: expected a mapping of fields, got {type(item.data).__name__}")
                continue
            try:
                record = RECORD_TYPES[item.kind].model_validate(item.data)
            except ValidationError as error:
                self.errors += [f"{_label(item)}: {_describe(item, detail)}" for detail in error.errors()]
                continue
            key = getattr(record, KEY_FIELD[item.kind])
            earlier = self.first_seen.setdefault((item.kind, key), (item.path, item.position))
            if earlier != (item.path, item.position):
                self.errors.append(
                    f"{_label(item)}: {KEY_FIELD[item.kind]}: {key!r} is already used by "
                    f"{item.kind} #{earlier[1]} in {earlier[0]}"
                )
                continue
            records.append((record, item))
        return records

    def check_references(self, records: list[tuple[EventRecord, RawItem]], known: Known) -> list:
        """The records whose countries and topics all exist; errors for the others."""
        valid = []
        for record, item in records:
            if (
                known.countries.issuperset(record.countries)
                and not record.concerns
                and known.topics.issuperset(record.topics)
                and not record.links
                and not record.statements
            ):
                valid.append((record, item))  # nothing to check further: the common case, made quick
                continue
            problems = (
                [
                    f"{_label(item)}: {item.field_name('countries')}.{position}: unknown country code {code!r}"
                    for position, code in enumerate(record.countries, start=1)
                    if code not in known.countries
                ]
                + [
                    f"{_label(item)}: {item.field_name('concerns')}.{position}: unknown country code {code!r}"
                    for position, code in enumerate(record.concerns or (), start=1)
                    if code not in known.countries
                ]
                + [
                    f"{_label(item)}: {item.field_name('topics')}.{position}: unknown topic {slug!r}"
                    for position, slug in enumerate(record.topics, start=1)
                    if slug not in known.topics
                ]
            )
            problems += [
                f"{_label(item)}: {item.field_name('links')}.{position}.to: an event cannot link to itself"
                for position, link in enumerate(record.links or (), start=1)
                if link.to == record.slug
            ] + [
                f"{_label(item)}: {item.field_name('statements')}.{position}.party_country: "
                f"unknown country code {said.party_country!r}"
                for position, said in enumerate(record.statements or (), start=1)
                if said.party_country and said.party_country not in known.countries
            ]
            self.errors += problems
            if not problems:
                valid.append((record, item))
        return valid


def _check_era_countries(run: _Run, records: list[tuple[EraRecord, RawItem]], known: Known) -> list[EraRecord]:
    """The eras whose countries all exist; an error naming the file, the era and the field for each other."""
    valid = []
    for record, item in records:
        problems = [
            f"{_label(item)}: {item.field_name('countries')}.{position}: unknown country code {code!r}"
            for position, code in enumerate(record.countries, start=1)
            if code not in known.countries
        ]
        run.errors += problems
        if not problems:
            valid.append(record)
    return valid


def _describe(item: RawItem, detail: ErrorDetails) -> str:
    """One Pydantic error as 'field: what is wrong', with the offending value where it helps."""
    parts = [str(part + 1) if isinstance(part, int) else str(part) for part in detail["loc"]]
    path = ".".join([item.field_name(parts[0]), *parts[1:]]) if parts else "item"
    return f"{path}: {validation_messages.message(detail, PATTERN_MESSAGES)}"
