"""Hostile or odd seed files: each refused with a message naming the file, the item and the field
where there is one, before anything is written; and log records that stay one line each."""

import json
import logging
import os
import sqlite3

import pytest
import yaml

from app.ingest import ingest
from app.ingest.readers import MAX_JSON_BYTES, MAX_YAML_BYTES
from app.logs import KeyValueFormatter
from app.models import Event
from tests.conftest import write
from tests.test_ingest import COUNTRIES_AND_TOPICS, GOOD_EVENT, count, errors_of, event_with, events_file

SLUG = "'2020-06-15-galwan-valley-clash'"
TOO_MANY_DIGITS = "9" * 5000  # Python converts at most 4,300 digits to an int


def sparse_file(path, size: int):
    with path.open("wb") as file:
        file.truncate(size)  # no real disk used
    return path


# 1. Values the parsers cannot convert, and documents they cannot parse.


def test_an_unquoted_impossible_date_is_reported_with_its_event_and_field(engine, tmp_path):
    path = events_file(tmp_path, event_with(start_date="2021-06-31"))
    assert errors_of(engine, path) == [f"{path}: event #1 {SLUG}: start_date: '2021-06-31' is not a valid date"]


def test_an_unquoted_impossible_source_date_is_reported_with_its_event_and_field(engine, tmp_path):
    source = "[{url: 'https://example.org/a', title: A, published: 2021-13-01}]"
    path = events_file(tmp_path, event_with(sources=source))
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}: event #1 {SLUG}: sources.1.published: '2021-13-01': ")


def test_a_yaml_number_too_long_to_convert_is_reported_with_its_event_and_field(engine, tmp_path):
    path = events_file(tmp_path, event_with(tone=TOO_MANY_DIGITS))
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}: event #1 {SLUG}: tone: '999")


def test_a_json_number_too_long_to_convert_is_reported_with_its_event_and_field(engine, tmp_path):
    document = yaml.safe_load(events_file(tmp_path, event_with(tone="0")).read_text())
    path = write(tmp_path, "big.json", json.dumps(document).replace('"tone": 0', f'"tone": {TOO_MANY_DIGITS}'))
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}: event #1 {SLUG}: tone: '999")


def test_json_nested_too_deeply_is_reported_naming_the_file(engine, tmp_path):
    path = write(tmp_path, "deep.json", '{"events": ' + "[" * 1000 + "]" * 1000 + "}")
    assert errors_of(engine, path) == [f"{path}: not valid JSON: arrays and objects nested too deeply"]


def test_a_csv_header_cell_over_the_field_limit_is_reported_naming_the_file(engine, tmp_path):
    path = write(tmp_path, "wide.csv", "slug," + "x" * 140_000 + "\n")
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}:1: the header row is not valid CSV: field larger than field limit")


# 2. Memory: YAML and JSON are parsed whole, so their size is bounded (figures in docs/data-format.md).


def test_a_yaml_file_over_its_limit_is_refused_with_advice_to_write_csv(engine, tmp_path):
    path = sparse_file(tmp_path / "big.yaml", MAX_YAML_BYTES + 2**20)
    assert errors_of(engine, path) == [
        f"{path}: the file is 17 MB; YAML files are read whole, up to 16 MB: "
        "write it as CSV, which is read as it streams"
    ]


def test_a_json_file_over_its_limit_is_refused_with_advice_to_write_csv(engine, tmp_path):
    path = sparse_file(tmp_path / "big.json", MAX_JSON_BYTES + 2**20)
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}: the file is 65 MB; JSON files are read whole, up to 64 MB: write it as CSV")


def test_yaml_and_json_files_of_one_run_share_the_limits(engine, tmp_path):
    yaml_file = sparse_file(tmp_path / "a.yaml", MAX_YAML_BYTES // 2)
    json_file = sparse_file(tmp_path / "b.json", MAX_JSON_BYTES // 2 + 2**20)
    (error,) = errors_of(engine, yaml_file, json_file)
    assert error.startswith(f"{yaml_file}, {json_file}: one run reads its YAML and JSON files whole")
    assert error.endswith("ingest them in several runs, or write them as CSV, which is read as it streams")


# 3. Files that are not regular files: a device is read without end, a FIFO blocks.


def test_a_link_to_a_device_is_refused_naming_it(engine, tmp_path):
    link = tmp_path / "null.yaml"
    link.symlink_to("/dev/null")
    assert errors_of(engine, link) == [
        f"{link} (a link to /dev/null): not a regular file (a device, a FIFO or a socket); "
        "seed files must be regular files"
    ]


def test_a_fifo_is_refused_before_the_write_lock_is_taken(engine, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("the write lock taken at the start of a run is SQLite's (BEGIN IMMEDIATE)")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    holder = sqlite3.connect(engine.url.database)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock: refusing must not wait for it
    try:
        assert errors_of(engine, fifo) == [
            f"{fifo}: not a regular file (a device, a FIFO or a socket); seed files must be regular files"
        ]
    finally:
        holder.close()


# 4. Links to nothing, keys given twice, files named twice.


def test_a_broken_link_in_a_folder_is_an_error_naming_it(engine, tmp_path):
    events_file(tmp_path, GOOD_EVENT)
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "moved.yaml")
    assert errors_of(engine, tmp_path) == [f"{link} (a link to {tmp_path / 'moved.yaml'}): no such file"]
    assert count(engine, Event) == 0


def test_a_key_given_twice_in_a_yaml_mapping_is_an_error_naming_line_and_key(engine, tmp_path):
    path = write(tmp_path, "twice.yaml", COUNTRIES_AND_TOPICS + "events:" + GOOD_EVENT + "    title: Second title\n")
    (error,) = errors_of(engine, path)
    assert error == f"{path}:17:5: not valid YAML: 'title' is given twice (first on line 9)"


def test_a_file_named_twice_is_an_error_naming_it(engine, tmp_path):
    path = events_file(tmp_path, GOOD_EVENT)
    assert errors_of(engine, path, path) == [f"{path}: named twice; name each file once"]


def test_a_folder_and_a_file_in_it_are_an_error_naming_the_file(engine, tmp_path):
    path = events_file(tmp_path, GOOD_EVENT)
    same = tmp_path / ".." / tmp_path.name / path.name
    assert errors_of(engine, tmp_path, same) == [f"{same}: named twice (also as {path}); name each file once"]


def test_merged_keys_may_be_overridden_without_being_given_twice(engine, tmp_path):
    path = write(
        tmp_path,
        "merge.yaml",
        COUNTRIES_AND_TOPICS
        + "events:"
        + GOOD_EVENT.replace("  - slug:", "  - &first\n    slug:")
        + "  - <<: *first\n    slug: 2020-06-16-second\n",
    )
    assert ingest(engine, [path]).events.created == 2


# 6. Log records: one line each, whatever a request or a file puts in them.

FORGED = "\n2026-12-02 12:00:00,000 INFO timeline.ingest ingest events=FORGED"


def log_line(message: str, *args, **fields) -> str:
    record = logging.LogRecord("timeline.access", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(fields)
    return KeyValueFormatter("%(levelname)s %(name)s %(message)s").format(record)


@pytest.mark.parametrize("separator", ["\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"])
def test_control_characters_in_a_logged_field_are_escaped(separator):
    line = log_line("request", path=f"/events/x{separator}{FORGED.strip()}")
    assert line.splitlines() == [line]
    assert separator not in line


def test_a_logged_message_cannot_forge_a_second_record():
    line = log_line("unhandled error on %s", f"/events/x{FORGED}")
    assert line == "INFO timeline.access unhandled error on /events/x\\n2026-12-02 12:00:00,000 INFO " + (
        "timeline.ingest ingest events=FORGED"
    )


def test_a_quote_in_a_logged_field_cannot_end_it_early():
    line = log_line("request", path='/x" events="FORGED')
    assert line == 'INFO timeline.access request path="/x\\" events=\\"FORGED"'
