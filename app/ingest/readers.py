"""Readers turn one file into raw items; validation happens after, the same for every format."""

from dataclasses import dataclass
from pathlib import Path

import yaml

# libyaml's parser when the machine has it: several times faster on large seed files.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = {"countries": "country", "topics": "topic", "events": "event"}


@dataclass(frozen=True)
class RawItem:
    path: str
    kind: str  # country | topic | event
    position: int  # 1-based, within its list in the file
    data: object


class ReadError(Exception):
    """A file that cannot be read at all; the message names the file and, where known, the line."""


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(f"{path}: the file is empty")
    try:
        # utf-8-sig: a byte-order mark, as some editors write, is not part of the data.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(
            f"{path}:{line}: the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8"
        ) from None


def read_yaml(path: Path) -> list[RawItem]:
    try:
        document = yaml.load(read_text(path), Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ReadError(f"{path}{where}: not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise ReadError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise ReadError(f"{path}: expected a mapping with 'countries', 'topics' or 'events' at the top")
    unknown = [str(key) for key in document if key not in KINDS]
    if unknown:
        raise ReadError(
            f"{path}: unknown top-level key {', '.join(map(repr, unknown))}; "
            "expected countries, topics or events"
        )
    items = []
    for key, kind in KINDS.items():
        entries = document.get(key) or []
        if not isinstance(entries, list):
            raise ReadError(f"{path}: '{key}' must be a list")
        items += [RawItem(str(path), kind, position, data) for position, data in enumerate(entries, start=1)]
    return items


READERS = {".yaml": read_yaml, ".yml": read_yaml}
