"""Running and checking Alembic migrations from the app (the `timeline migrate` command)."""

from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from app.config import PROJECT_DIR
from app.db import make_engine

# Full-text search lives outside the models: SQLite's FTS5 tables, PostgreSQL's tsvector column.
FULL_TEXT_OBJECTS = ("event_fts", "search_vector", "ix_event_search_vector")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """What Alembic compares with the models: everything but the full-text search machinery."""
    return not (reflected and name and name.startswith(FULL_TEXT_OBJECTS))


def alembic_config(database_url: str) -> Config:
    config = Config(toml_file=PROJECT_DIR / "pyproject.toml")
    config.attributes["database_url"] = database_url
    return config


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the schema's revision before it (None: no schema yet) and after it."""

    before: str | None
    after: str | None

    def __str__(self) -> str:
        if self.before == self.after:
            return f"the database is already up to date at revision {self.after}"
        if self.before is None:
            return f"created the schema at revision {self.after}"
        return f"upgraded the schema from revision {self.before} to {self.after}"


def upgrade(database_url: str) -> Upgrade:
    """Brings the schema to the newest revision, and says what that took."""
    engine = make_engine(database_url, pool_size=1)
    try:
        before = current_revision(engine)
        command.upgrade(alembic_config(database_url), "head")
        return Upgrade(before, current_revision(engine))
    finally:
        engine.dispose()


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
