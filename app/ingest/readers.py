"""Readers turn one file into raw items; validation happens after, the same for every format.

A reader says where each item sits in its file ('event #12', 'line 40') and what the file calls
each record field, so an error points at what the person editing the file sees.
"""

import codecs
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.formats import spreadsheet, timelinejs

# libyaml's parser when the machine has it: several times faster on large seed files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SeedLoader(_SafeLoader):
    """The safe loader, with two changes: a key given twice in a mapping is an error (YAML says keys
    are unique; the safe loader keeps the last value without a word), and a value it cannot convert
    stays text (below)."""

    def construct_mapping(self, node, deep=False):
        first: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *defaults`: keys given beside it override the merged ones, as meant
            key = self.construct_object(key_node)
            try:
                earlier = first.get(key)
            except TypeError:
                continue  # an unhashable key, which the safe loader reports itself
            if earlier is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice (first on line {earlier.line + 1})", key_node.start_mark
                )
            first[key] = key_node.start_mark
        return super().construct_mapping(node, deep)

    # An unquoted value that looks like a date or a number but is not one Python makes (2021-06-31, or
    # more digits than int() converts) stays the text written, so that validation reports it with
    # the item and the field, as it does the same text quoted.
    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return node.value

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return node.value


_SeedLoader.add_constructor("tag:yaml.org,2002:timestamp", _SeedLoader.construct_yaml_timestamp)
_SeedLoader.add_constructor("tag:yaml.org,2002:int", _SeedLoader.construct_yaml_int)

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
    field_hints: dict[str, str] = field(default_factory=dict)  # record field -> how to give it, if left empty

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


# YAML and JSON files are parsed whole, and a run holds every one it parsed until its events are
# written: these bound its memory. Peak RSS of a run at the limit, both processes together (see
# docs/data-format.md): 16 MB of YAML, 0.64 GB (its parser makes a node of every value, about 35
# bytes a byte); 64 MB of JSON, 0.57 GB. CSV streams: 330k events, 154 MB, also 0.58 GB.
MAX_YAML_BYTES = 16 * 2**20
MAX_JSON_BYTES = 64 * 2**20
MAX_BYTES = {".yaml": MAX_YAML_BYTES, ".yml": MAX_YAML_BYTES, ".json": MAX_JSON_BYTES}


def size_errors(files: Sequence[Path]) -> list[str]:
    """Errors for YAML and JSON files too large to read whole: alone, or together in one run, where
    each file takes its share of its format's limit (two 8 MB YAML files are as much as one of 16)."""
    sizes = {path: path.stat().st_size for path in files if path.suffix.lower() in MAX_BYTES}
    errors = []
    for path, size in sizes.items():
        limit = MAX_BYTES[path.suffix.lower()]
        if size > limit:
            kind = "YAML" if limit == MAX_YAML_BYTES else "JSON"
            errors.append(
                f"{path}: the file is {_mb(size)}; {kind} files are read whole, up to {_mb(limit)}: "
                "write it as CSV, which is read as it streams"
            )
    if not errors and sum(size / MAX_BYTES[path.suffix.lower()] for path, size in sizes.items()) > 1:
        errors.append(
            f"{', '.join(map(str, sizes))}: one run reads its YAML and JSON files whole and holds them all, up to "
            f"{_mb(MAX_YAML_BYTES)} of YAML or {_mb(MAX_JSON_BYTES)} of JSON (or a mix in proportion): "
            "ingest them in several runs, or write them as CSV, which is read as it streams"
        )
    return errors


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def read_text(path: Path) -> str:
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
        document = yaml.load(read_text(path), Loader=_SeedLoader)  # noqa: S506 - a safe loader
    except RecursionError:
        # libyaml stops at 1,000 levels with a marked error; the pure-Python parser recurses.
        raise ReadError(f"{path}: not valid YAML: nested too deeply") from None
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
        document = json.loads(read_text(path), parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise ReadError(f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    except RecursionError:
        raise ReadError(f"{path}: not valid JSON: arrays and objects nested too deeply") from None
    if _is_timelinejs(document):
        return _timelinejs_document(path, document, options)
    return _seed_document(path, document)


def _json_int(text: str) -> int | str:
    # More digits than int() converts (4,300) stay text, which validation reports with the item and field.
    try:
        return int(text)
    except ValueError:
        return text


def read_csv(path: Path, options: ReaderOptions) -> ReadDocument:
    """A header row with the export's columns, then one event per row, read from disk as needed."""
    header = _csv_header(path)
    if not [name for name in header if name.strip()]:
        raise ReadError(f"{path}: the file is empty")
    problems = _header_problems(header)
    if problems:
        raise ReadError(f"{path}:1: {'; '.join(problems)}; expected columns: {', '.join(spreadsheet.COLUMNS)}")
    return ReadDocument([], _csv_rows(path))


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        try:
            return next(csv.reader(file), [])
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except csv.Error as error:  # a header cell over the csv module's field limit (128 KB)
            raise ReadError(f"{path}:1: the header row is not valid CSV: {error}") from None


def _header_problems(header: list[str]) -> list[str]:
    unknown = [f"unknown column {name!r}" for name in header if name not in spreadsheet.COLUMNS]
    missing = [f"missing column {name!r}" for name in spreadsheet.REQUIRED_COLUMNS if name not in header]
    return unknown + missing


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
            for name in ("links", "statements", "concerns"):
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
        items.append(
            RawItem(
                str(path),
                "event",
                position,
                data,
                field_names=timelinejs.FIELD_NAMES,
                field_hints=timelinejs.FIELD_HINTS,
            )
        )
    return ReadDocument([], items)


READERS = {".yaml": read_yaml, ".yml": read_yaml, ".json": read_json, ".csv": read_csv}
