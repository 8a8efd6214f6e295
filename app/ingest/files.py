"""Which files a run reads: the paths named, folders expanded, each checked before anything is read."""

import os
from collections.abc import Sequence
from pathlib import Path

from app.ingest.readers import READERS, size_errors
from app.ingest.report import IngestFailed


def find_files(paths: Sequence[Path]) -> list[Path]:
    """The seed files named, folders expanded to their files in name order, checked before anything
    is read (and before the write lock is taken)."""
    files = [file for path in paths for file in _seed_files(path)]
    if not files:
        raise IngestFailed([f"{', '.join(map(str, paths))}: no seed files found"])
    errors = [problem for problem in map(_not_a_regular_file, files) if problem]
    errors = errors or _named_twice(files) or size_errors(files)
    if errors:
        raise IngestFailed(errors)
    return files


def _seed_files(path: Path) -> list[Path]:
    if path.is_dir():
        # Every entry with a seed file's extension, so that a broken link or a FIFO is an error, not skipped.
        return sorted(p for p in path.iterdir() if p.suffix.lower() in READERS and not p.is_dir())
    if not path.exists() and not path.is_symlink():
        raise IngestFailed([f"{path}: no such file or folder"])
    if path.suffix.lower() not in READERS:
        raise IngestFailed([f"{path}: unknown file type; expected one of {', '.join(sorted(READERS))}"])
    return [path]


def _not_a_regular_file(path: Path) -> str | None:
    # A device would be read without end, and a FIFO blocks until something writes to it.
    link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    if not path.exists():
        return f"{path}{link}: no such file"
    if not path.is_file():
        return f"{path}{link}: not a regular file (a device, a FIFO or a socket); seed files must be regular files"
    return None


def _named_twice(files: list[Path]) -> list[str]:
    # A file read twice would count its events twice ("188 unchanged" for 94 events).
    first: dict[Path, Path] = {}
    errors = []
    for path in files:
        earlier = first.get(path.resolve())
        if earlier is None:
            first[path.resolve()] = path
        else:
            also = "" if str(earlier) == str(path) else f" (also as {earlier})"
            errors.append(f"{path}: named twice{also}; name each file once")
    return errors
