"""The Alembic history creates exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.db import make_engine
from app.migrations import current_revision, head_revision, include_object, upgrade


def test_migrations_and_models_agree(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_brings_a_new_database_to_the_head_revision(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision(database_url)
    engine.dispose()
