"""The plan a filter gets: start from the ids of its rarest condition, or walk the date index.

A page of 1 makes the reference data's 11 events large enough to tell the two apart: the ids win
below about sqrt(3 × page × events) ≈ 5.7 matches ("of" is in 6).
"""

from sqlmodel import Session

from app import queries
from app.filters import FilterParams, parse_filter
from app.queries.planner import driving_ids


def plan(engine, **params) -> str:
    with Session(engine) as session:
        timeline_filter = parse_filter(FilterParams(**params), queries.stats(session))
        driver = driving_ids(session, timeline_filter, page_size=1)
    return driver[0] if driver else "walk the date index"


def test_a_word_few_events_hold_starts_from_its_matches(shared_engine):
    assert plan(shared_engine, q="magnets") == "text"


def test_a_word_most_events_hold_walks_the_date_index(shared_engine):
    assert plan(shared_engine, q="of") == "walk the date index"


def test_a_country_few_events_involve_starts_from_its_events(shared_engine):
    assert plan(shared_engine, country=["US"]) == "country:US"


def test_a_country_most_events_involve_walks_the_date_index(shared_engine):
    assert plan(shared_engine, country=["IN"]) == "walk the date index"


def test_the_rarest_of_several_conditions_starts_the_plan(shared_engine):
    assert plan(shared_engine, country=["IN"], q="magnets") == "text"
