"""`timeline migrate | ingest | check | export-db | serve`."""

import argparse
import sys
import tempfile
from pathlib import Path

import uvicorn
from sqlalchemy import make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import PROJECT_DIR, settings
from app.db import make_engine
from app.formats.seed import database_document
from app.ingest import IngestFailed, ingest
from app.ingest.check import check
from app.ingest.reader_process import ReaderProcessFailed
from app.ingest.readers import ReaderOptions
from app.logs import configure_logging
from app.migrations import current_revision, head_revision, upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timeline", description="A sourced timeline of two countries' relations.")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="bring the database schema up to date")

    ingest = commands.add_parser("ingest", help="validate seed files and load them in one transaction")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")
    ingest.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
    ingest.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CODE",
        help="countries of TimelineJS events (repeat)",
    )
    ingest.add_argument(
        "--source", action="append", default=[], metavar="URL", help="source of TimelineJS events (repeat)"
    )
    ingest.add_argument("--topic", metavar="SLUG", help="topic of TimelineJS events that have no group")

    check = commands.add_parser("check", help="check seed files against the sourcing policy (no database)")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")

    export = commands.add_parser("export-db", help="write the whole database as one seed file (JSON)")
    export.add_argument("out", type=Path, help="the file to write, e.g. timeline.json")

    serve = commands.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL deployments)")

    args = parser.parse_args(argv)
    configure_logging()
    commands_by_name = {
        "migrate": _migrate,
        "ingest": _ingest,
        "check": _check,
        "export-db": _export_db,
        "serve": _serve,
    }
    try:
        return commands_by_name[args.command](args)
    except _DatabaseUnusable as problem:
        print(problem, file=sys.stderr)
        return 1


class _DatabaseUnusable(Exception):
    """Why the database cannot be used yet: printed by `main`, which exits with 1."""


def _migrate(_args) -> int:
    try:
        done = upgrade(settings.database_url)
    except SQLAlchemyError as error:
        raise _DatabaseUnusable(_database_problem(settings.database_url, error)) from error
    print(done)
    return 0


def _ingest(args) -> int:
    engine = _database()
    paths = args.paths or [_default_seeds()]
    options = ReaderOptions(
        countries=tuple(code.upper() for code in args.country),
        sources=tuple(args.source),
        topic=args.topic,
    )
    try:
        report = ingest(engine, paths, dry_run=args.dry_run, options=options)
    except IngestFailed as failure:
        for error in failure.errors:
            print(error, file=sys.stderr)
        print(f"{len(failure.errors)} error(s); nothing was written", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"the database refused the ingest, nothing was written: {error.orig or error}", file=sys.stderr)
        return 1
    except ReaderProcessFailed as error:
        print(f"{error}\nnothing was written", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(report.lines()))
    return 0


def _check(args) -> int:
    try:
        report = check(args.paths or [_default_seeds()])
    except IngestFailed as failure:
        print("\n".join(failure.errors), file=sys.stderr)
        return 1
    for finding in report.findings:
        print(finding)
    print(report.summary())
    return 1 if report.errors else 0


def _export_db(args) -> int:
    engine = _database()
    try:
        with Session(engine) as session, args.out.open("w", encoding="utf-8") as file:
            for chunk in database_document(session):
                file.write(chunk)
    finally:
        engine.dispose()
    print(f"wrote {args.out}; load it elsewhere with `timeline ingest {args.out}`")
    return 0


def _serve(args) -> int:
    # Only the check: each worker makes its own engine.
    _database().dispose()
    # The app logs each request itself (timeline.access), with its duration.
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        access_log=False,
    )
    return 0


def _default_seeds() -> Path:
    # Relative when run from the project folder, so messages name 'seeds/…' as people see it.
    seeds = PROJECT_DIR / "seeds"
    return seeds.relative_to(Path.cwd()) if seeds.is_relative_to(Path.cwd()) else seeds


def _database() -> Engine:
    """An engine on the configured database, once it is known to open and to be at the code's schema."""
    engine = make_engine(settings.database_url)
    problem = _schema_problem(engine)
    if problem:
        engine.dispose()
        raise _DatabaseUnusable(problem)
    return engine


def _schema_problem(engine: Engine) -> str | None:
    """Why the database cannot be used yet, or None."""
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        return _database_problem(settings.database_url, error)
    head = head_revision(settings.database_url)
    if current != head:
        return (
            f"the database is at schema revision {current or 'none'} but the code needs {head}: "
            "run `timeline migrate` first"
        )
    return None


def _database_problem(database_url: str, error: SQLAlchemyError) -> str:
    """One line on why the database cannot be opened, and what to do about it."""
    url = make_url(database_url)
    reason = " ".join(f"{error.__class__.__name__}: {getattr(error, 'orig', None) or error}".split())
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return f"cannot open the database {url!r}: {reason}"
    # sqlite:///file:path?mode=ro&uri=true names the file as a URI.
    file = Path(url.database.removeprefix("file:").partition("?")[0]).absolute()
    if not file.parent.is_dir():
        return f"cannot open the SQLite database {file}: the folder {file.parent} does not exist; create it first"
    if not _can_create_files_in(file.parent):
        return (
            f"cannot open the SQLite database {file}: its folder {file.parent} is not writable, and SQLite "
            f"writes its journal ({file.name}-wal, {file.name}-shm) beside the file; make the folder writable "
            "by this user, or set TIMELINE_DATABASE_URL to a database in a writable folder"
        )
    return f"cannot open the SQLite database {file} ({reason}): check that this user can read and write it"


def _can_create_files_in(folder: Path) -> bool:
    # Tried rather than asked: os.access says yes to root where no file can be made (/proc).
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
