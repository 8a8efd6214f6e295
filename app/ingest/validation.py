"""Files → validated records → rows ready to write, with every problem named; no database here.

`check_files` yields what the writer needs, in the order it needs it: the definitions (countries,
topics, eras), then the events a chunk at a time, then the links that point outside the run. It
runs in the ingest's own process, or for large files in a second one (see reader_process), so
that reading and validating one chunk overlaps with writing the one before.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app import validation_messages
from app.ingest.readers import READERS, RawItem, ReadDocument, ReaderOptions, ReadError
from app.ingest.records import PATTERN_MESSAGES, CountryRecord, EraRecord, EventRecord, TopicRecord
from app.ingest.rows import PreparedEvent, prepare

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "country": CountryRecord,
    "topic": TopicRecord,
    "event": EventRecord,
    "era": EraRecord,
}
KEY_FIELD = {"country": "code", "topic": "slug", "event": "slug", "era": "slug"}
CHUNK = 500


@dataclass(frozen=True)
class Known:
    """The country codes and topic slugs events may name."""

    countries: frozenset[str]
    topics: frozenset[str]


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
    documents = _read_all(run, files, options)
    definitions, known = _check_definitions(run, documents, stored)
    yield definitions
    links: list[LinkCheck] = []
    for document in documents:
        yield from _check_events(run, document, known, links)
    # Links may point at events later in the run: only now is it known which targets it holds.
    in_run = {key for kind, key in run.first_seen if kind == "event"}
    yield LinksOutsideRun([link for link in links if link.target not in in_run], run.take_errors())


def _read_all(run: "_Run", files: list[Path], options: ReaderOptions) -> list[ReadDocument]:
    documents = []
    for path in files:
        try:
            documents.append(READERS[path.suffix.lower()](path, options))
        except ReadError as error:
            run.errors.append(str(error))
        except OSError as error:
            run.errors.append(f"{path}: cannot be read: {error.strerror or error}")
    return documents


def _check_definitions(run: "_Run", documents: list[ReadDocument], stored: Known) -> tuple[Definitions, Known]:
    """Definitions first, whichever file holds them, so that events may name any of them."""
    definitions = run.validate([item for document in documents for item in document.definitions])
    countries = [record for record, item in definitions if item.kind == "country"]
    topics = [record for record, item in definitions if item.kind == "topic"]
    known = Known(stored.countries | {r.code for r in countries}, stored.topics | {r.slug for r in topics})
    eras = _check_era_countries(run, run.validate([item for document in documents for item in document.eras]), known)
    return Definitions(countries, topics, eras, run.take_errors()), known


def _check_events(run: "_Run", document: ReadDocument, known: Known, links: list[LinkCheck]) -> Iterator[EventBatch]:
    """A document's events a chunk at a time; the links they declare added to `links`."""
    try:
        for chunk in _chunks(document.events, CHUNK):
            validated = run.validate(chunk)
            links += _link_checks(validated)
            valid = run.check_references(validated, known)
            events = [] if run.failed else [prepare(record) for record, _ in valid]
            yield EventBatch(events, run.take_errors())
    except ReadError as error:
        run.errors.append(str(error))


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
            problems = [] if _plainly_known(record, known) else _reference_problems(record, item, known)
            self.errors += problems
            if not problems:
                valid.append((record, item))
        return valid


def _plainly_known(record: EventRecord, known: Known) -> bool:
    """Whether nothing is left to check: the common case, made quick."""
    return (
        known.countries.issuperset(record.countries)
        and not record.concerns
        and known.topics.issuperset(record.topics)
        and not record.links
        and not record.statements
    )


def _reference_problems(record: EventRecord, item: RawItem, known: Known) -> list[str]:
    label = _label(item)
    return [
        *_unknown(item, "countries", record.countries, known.countries, "country code"),
        *_unknown(item, "concerns", record.concerns or (), known.countries, "country code"),
        *_unknown(item, "topics", record.topics, known.topics, "topic"),
        *(
            f"{label}: {item.field_name('links')}.{position}.to: an event cannot link to itself"
            for position, link in enumerate(record.links or (), start=1)
            if link.to == record.slug
        ),
        *(
            f"{label}: {item.field_name('statements')}.{position}.party_country: "
            f"unknown country code {said.party_country!r}"
            for position, said in enumerate(record.statements or (), start=1)
            if said.party_country and said.party_country not in known.countries
        ),
    ]


def _unknown(item: RawItem, field_name: str, values: Iterable[str], known: frozenset[str], what: str) -> list[str]:
    """An error for each of a list field's values that is not known, naming its position."""
    return [
        f"{_label(item)}: {item.field_name(field_name)}.{position}: unknown {what} {value!r}"
        for position, value in enumerate(values, start=1)
        if value not in known
    ]


def _check_era_countries(run: _Run, records: list[tuple[EraRecord, RawItem]], known: Known) -> list[EraRecord]:
    """The eras whose countries all exist; an error naming the file, the era and the field for each other."""
    valid = []
    for record, item in records:
        problems = _unknown(item, "countries", record.countries, known.countries, "country code")
        run.errors += problems
        if not problems:
            valid.append(record)
    return valid


def _describe(item: RawItem, detail: ErrorDetails) -> str:
    """One Pydantic error as 'field: what is wrong', with the offending value where it helps."""
    parts = [str(part + 1) if isinstance(part, int) else str(part) for part in detail["loc"]]
    path = ".".join([item.field_name(parts[0]), *parts[1:]]) if parts else "item"
    hint = item.field_hints.get(parts[0]) if len(parts) == 1 else None
    if hint and detail["type"] in ("missing", "too_short") and not detail.get("input"):
        return f"{path}: none given: {hint}"
    return f"{path}: {validation_messages.message(detail, PATTERN_MESSAGES)}"
