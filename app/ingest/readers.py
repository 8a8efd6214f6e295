"""Readers turn one file into raw items; validation happens after, the same for every format.

A reader says where each item sits in its file ('event #12', 'line 40') and what the file calls
each record field, so an error points at what the person editing the file sees.
"""

import codecs
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.formats import spreadsheet, timelinejs

# libyaml's parser when the machine has it: several times faster on large seed files.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = {"countries": "country", "topics": "topic", "events": "event", "eras": "era"}


@dataclass(frozen=True)
class ReaderOptions:
    """What a format cannot say for itself, given on the command line (TimelineJS has no countries)."""

    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    topic: str | None = None
    # Topic slugs by lower-case name, so a TimelineJS group can name a topic as people read it.
    topics_by_name: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class RawItem:
    path: str
    kind: str  # country | topic | event | era
    position: int  # 1-based, within its kind in the file
    data: object
    where: str = ""  # how to find it in the file; "event #3" unless the reader says otherwise
    field_names: dict[str, str] = field(default_factory=dict)  # record field -> the file's name for it

    def place(self) -> str:
        return self.where or f"{self.kind} #{self.position}"

    def field_name(self, name: str) -> str:
        return self.field_names.get(name, name)


@dataclass
class ReadDocument:
    """A file's countries and topics, its events (which a reader may yield lazily) and its eras."""

    definitions: list[RawItem]
    events: Iterable[RawItem]
    eras: list[RawItem] = field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read at all; the message names the file and, where known, the line."""


# YAML and JSON documents are parsed whole; beyond this size, CSV (which streams) is the format.
MAX_DOCUMENT_BYTES = 256 * 2**20


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ReadError(
            f"{path}: the file is {size / 2**20:,.0f} MB; YAML and JSON files are read whole, up to "
            f"{MAX_DOCUMENT_BYTES // 2**20} MB: split it, or write it as CSV, which is read as it streams"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path}: the file is empty")
    try:
        # utf-8-sig: a byte-order mark, as some editors write, is not part of the data.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None


def read_yaml(path: Path, options: ReaderOptions) -> ReadDocument:
    try:
        document = yaml.load(read_text(path), Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ReadError(f"{path}{where}: not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise ReadError(f"{path}: not valid YAML: {error}") from None
    return _seed_document(path, document)


def read_json(path: Path, options: ReaderOptions) -> ReadDocument:
    """Our own seed format written as JSON, or a TimelineJS document (its dates are objects)."""
    try:
        document = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise ReadError(f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    if _is_timelinejs(document):
        return _timelinejs_document(path, document, options)
    return _seed_document(path, document)


def read_csv(path: Path, options: ReaderOptions) -> ReadDocument:
    """A header row with the export's columns, then one event per row, read from disk as needed."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        try:
            header = next(csv.reader(file), [])
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
    if not [name for name in header if name.strip()]:
        raise ReadError(f"{path}: the file is empty")
    unknown = [name for name in header if name not in spreadsheet.COLUMNS]
    missing = [name for name in spreadsheet.REQUIRED_COLUMNS if name not in header]
    if unknown or missing:
        problems = [f"unknown column {name!r}" for name in unknown] + [f"missing column {name!r}" for name in missing]
        raise ReadError(f"{path}:1: {'; '.join(problems)}; expected columns: {', '.join(spreadsheet.COLUMNS)}")
    return ReadDocument([], _csv_rows(path))


_CSV_FIELD_NAMES = {name: f"column {column}" for name, column in spreadsheet.FIELD_COLUMNS.items()}


def _csv_rows(path: Path) -> Iterator[RawItem]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        line = 1
        try:
            header = next(reader)
            position = 0
            for cells in reader:
                # A row can span several lines (quoted line breaks): report the line it starts on.
                start_line, line = line + 1, reader.line_num
                if not cells:
                    continue  # a blank line, as spreadsheets often leave at the end
                position += 1
                if len(cells) != len(header):
                    if len(cells) > len(header):
                        raise ReadError(f"{path}:{start_line}: more cells than columns in the header")
                    cells += [""] * (len(header) - len(cells))
                data = spreadsheet.record_data(dict(zip(header, cells, strict=True)))
                yield RawItem(
                    str(path), "event", position, data, where=f"line {start_line}", field_names=_CSV_FIELD_NAMES
                )
        except csv.Error as error:
            raise ReadError(f"{path}:{reader.line_num}: not valid CSV: {error}") from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None


def _not_utf8(path: Path) -> ReadError:
    """The error for a file that does not decode, naming the line of its first bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as file:
        while chunk := file.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                bad = max(error.start - len(error.object) + len(chunk), 0)
                line += chunk[:bad].count(b"\n")
                return ReadError(
                    f"{path}:{line}: the file is not UTF-8 text (byte 0x{chunk[bad]:02x}); save it as UTF-8"
                )
            line += chunk.count(b"\n")
    return ReadError(f"{path}:{line}: the file is not UTF-8 text; save it as UTF-8")


def _seed_document(path: Path, document: object) -> ReadDocument:
    if not isinstance(document, dict):
        raise ReadError(f"{path}: expected a mapping with 'countries', 'topics', 'events' or 'eras' at the top")
    unknown = [str(key) for key in document if key not in KINDS]
    if unknown:
        raise ReadError(
            f"{path}: unknown top-level key {', '.join(map(repr, unknown))}; expected countries, topics, events or eras"
        )
    items: dict[str, list[RawItem]] = {}
    for key, kind in KINDS.items():
        entries = document.get(key) or []
        if not isinstance(entries, list):
            raise ReadError(f"{path}: '{key}' must be a list")
        items[kind] = [RawItem(str(path), kind, position, data) for position, data in enumerate(entries, start=1)]
    for item in items["event"]:
        if isinstance(item.data, dict):
            # A seed file is the whole truth about its events: no links or statements means none.
            for name in ("links", "statements"):
                if item.data.get(name) is None:
                    item.data[name] = []
    return ReadDocument(items["country"] + items["topic"], items["event"], items["era"])


def _is_timelinejs(document: object) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        return False
    return any(
        isinstance(slide, dict) and (isinstance(slide.get("start_date"), dict) or "text" in slide)
        for slide in document["events"]
    )


def _timelinejs_document(path: Path, document: dict, options: ReaderOptions) -> ReadDocument:
    if not options.countries:
        raise ReadError(
            f"{path}: TimelineJS files name no countries; give them with --country (e.g. --country IN --country CN)"
        )
    items = []
    for position, slide in enumerate(document["events"], start=1):
        data = (
            timelinejs.record_data(
                slide,
                countries=list(options.countries),
                sources=list(options.sources),
                topic=options.topic,
                topics_by_name=options.topics_by_name,
            )
            if isinstance(slide, dict)
            else slide
        )
        items.append(RawItem(str(path), "event", position, data, field_names=timelinejs.FIELD_NAMES))
    return ReadDocument([], items)


READERS = {".yaml": read_yaml, ".yml": read_yaml, ".json": read_json, ".csv": read_csv}
