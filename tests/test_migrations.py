"""The Alembic history creates exactly the schema the models describe."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.db import make_engine
from app.migrations import alembic_config, current_revision, head_revision, include_object, upgrade


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


def test_upgrading_a_new_database_says_it_created_the_schema(database_url):
    head = head_revision(database_url)
    assert str(upgrade(database_url)) == f"created the schema at revision {head}"


def test_upgrading_again_says_it_was_already_up_to_date(database_url):
    upgrade(database_url)
    head = head_revision(database_url)
    assert str(upgrade(database_url)) == f"the database is already up to date at revision {head}"


def test_upgrading_an_older_schema_names_both_revisions(database_url):
    command.upgrade(alembic_config(database_url), "0005")
    head = head_revision(database_url)
    assert str(upgrade(database_url)) == f"upgraded the schema from revision 0005 to {head}"


def test_word_stem_search_can_be_undone_and_redone(database_url):
    upgrade(database_url)
    command.downgrade(alembic_config(database_url), "0006")
    assert str(upgrade(database_url)) == f"upgraded the schema from revision 0006 to {head_revision(database_url)}"
