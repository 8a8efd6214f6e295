"""Bulk writes: many rows in one executemany, straight to the driver.

Dates arrive as ISO text, which both SQLite and PostgreSQL store as the date it names.

Raw SQL against SQLAlchemy 2's own executemany (`connection.execute(insert(table), dicts)`, which
on PostgreSQL is "insertmanyvalues"; on SQLite Core also needs date objects, not ISO text), for
`timeline ingest seeds/countries.yaml seeds/topics.yaml` and 100k events from `bench.generate`
into a fresh migrated database, start to exit, runs interleaved on a shared 2-core machine
(issue 15): SQLite raw 12.4, 13.6 s, Core 16.1, 16.7, 18.9 s; PostgreSQL raw 34.5, 43.1, 52.4 s,
Core 40.0, 44.3, 54.7 s. Raw SQL wins on SQLite by a quarter; on PostgreSQL the two are within
the noise, so one raw path serves both rather than a second path that gains nothing measured.
"""

from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def insert_rows(connection: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """INSERT the rows, each a tuple of the columns' values."""
    if not rows:
        return
    placeholder = _placeholder(connection)
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([placeholder] * len(columns))})"
    connection.exec_driver_sql(statement, rows)


def update_rows(connection: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE … WHERE id = the last value of each row, as insert_rows does its inserts."""
    if not rows:
        return
    placeholder = _placeholder(connection)
    assignments = ", ".join(f"{name} = {placeholder}" for name in columns)
    connection.exec_driver_sql(f"UPDATE {table.name} SET {assignments} WHERE id = {placeholder}", rows)


def timestamp(connection: Connection, moment: datetime) -> datetime | str:
    """A time as the driver takes it: on SQLite, the text SQLAlchemy itself stores for DateTime columns."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.dialect.name == "sqlite" else moment


def _placeholder(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"
