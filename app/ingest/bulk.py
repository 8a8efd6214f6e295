"""Bulk writes: many rows in one executemany, straight to the driver.

Dates arrive as ISO text, which both SQLite and PostgreSQL store as the date it names.

MEASUREMENTS
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
