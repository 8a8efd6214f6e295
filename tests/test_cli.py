"""The `timeline` command: migrate, ingest with its report and errors, and the schema check."""

from app import cli
from tests.conftest import REFERENCE, write


def run(monkeypatch, database_url, *args) -> int:
    monkeypatch.setattr(cli.settings, "database_url", database_url)
    return cli.main(list(args))


def test_migrate_then_ingest_twice_reports_nothing_changed(monkeypatch, database_url, capsys):
    assert run(monkeypatch, database_url, "migrate") == 0
    assert run(monkeypatch, database_url, "ingest", str(REFERENCE)) == 0
    assert "events: 11 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert run(monkeypatch, database_url, "ingest", str(REFERENCE)) == 0
    assert "events: 0 created, 0 updated, 11 unchanged" in capsys.readouterr().out


def test_migrate_says_what_it_did(monkeypatch, database_url, capsys):
    run(monkeypatch, database_url, "migrate")
    assert capsys.readouterr().out.startswith("created the schema at revision ")
    run(monkeypatch, database_url, "migrate")
    assert capsys.readouterr().out.startswith("the database is already up to date at revision ")


def test_ingest_errors_go_to_stderr_with_a_non_zero_exit(monkeypatch, database_url, tmp_path, capsys):
    run(monkeypatch, database_url, "migrate")
    bad = write(tmp_path, "bad.yaml", "events:\n  - slug: x1y\n")
    assert run(monkeypatch, database_url, "ingest", str(bad)) == 1
    err = capsys.readouterr().err
    assert f"{bad}: event #1 'x1y': title: is required" in err
    assert err.strip().endswith("error(s); nothing was written")


def test_ingest_refuses_an_unmigrated_database(monkeypatch, database_url, capsys):
    assert run(monkeypatch, database_url, "ingest", str(REFERENCE)) == 1
    assert "run `timeline migrate` first" in capsys.readouterr().err


def test_serve_refuses_an_unmigrated_database(monkeypatch, database_url, capsys):
    assert run(monkeypatch, database_url, "serve", "--port", "1") == 1
    assert "schema revision none" in capsys.readouterr().err


def test_dry_run_says_nothing_was_written(monkeypatch, database_url, capsys):
    run(monkeypatch, database_url, "migrate")
    assert run(monkeypatch, database_url, "ingest", "--dry-run", str(REFERENCE)) == 0
    assert "dry run: nothing was written" in capsys.readouterr().out


def test_ingest_refuses_a_file_named_twice(monkeypatch, database_url, capsys):
    run(monkeypatch, database_url, "migrate")
    assert run(monkeypatch, database_url, "ingest", str(REFERENCE), str(REFERENCE)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{REFERENCE}: named twice; name each file once",
        "1 error(s); nothing was written",
    ]


# /proc: a folder where no file can be made, even by root (tests run as root, for whom chmod 0555
# changes nothing), as on a read-only mount.
UNWRITABLE_FOLDER_DATABASE = "sqlite:////proc/timeline.db"
UNWRITABLE_FOLDER_ADVICE = (
    "cannot open the SQLite database /proc/timeline.db: its folder /proc is not writable, and SQLite writes "
    "its journal (timeline.db-wal, timeline.db-shm) beside the file; make the folder writable by this user, "
    "or set TIMELINE_DATABASE_URL to a database in a writable folder"
)


def test_migrate_in_a_folder_sqlite_cannot_write_in_says_what_to_do(monkeypatch, capsys):
    assert run(monkeypatch, UNWRITABLE_FOLDER_DATABASE, "migrate") == 1
    assert capsys.readouterr().err.splitlines() == [UNWRITABLE_FOLDER_ADVICE]


def test_serve_in_a_folder_sqlite_cannot_write_in_says_what_to_do(monkeypatch, capsys):
    assert run(monkeypatch, UNWRITABLE_FOLDER_DATABASE, "serve", "--port", "1") == 1
    assert capsys.readouterr().err.splitlines() == [UNWRITABLE_FOLDER_ADVICE]
