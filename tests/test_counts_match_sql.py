"""The counts every view shows (its total, its facet counts, its events per month, which the
navigator sums, and the list's counts either way of a position) and its pages equal a plain SQL
COUNT or SELECT of the same filter, for a few hundred random filters on generated data, on both
backends: whatever structure serves them (the event index), the figures are the data's."""

import random
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session

from app import queries
from app.db import make_engine
from app.filters import Cursor, PageRequest, TimelineFilter
from app.ingest import ingest
from app.navigator import navigator
from app.queries import common_words
from app.queries.event_index import event_index
from app.queries.window import count_before
from bench.generate import generate, write
from tests.conftest import SEEDS

EVENTS = 1500
FILTERS = 200
COUNTRIES = ["IN", "CN", "US", "PK", "RU", "JP", "BT", "NP"]
TOPICS = ["border", "diplomacy", "trade", "security", "multilateral", "technology"]
WORDS = ["talks", "border", "summit", "visas"]
# On PostgreSQL the event index keeps the events of words in at least this many events
# (app/queries/common_words.py): most of WORDS here, so that both ways of reading words are compared.
COMMON_WORD_EVENTS = 100


@pytest.fixture(scope="module")
def generated_engine(backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    write(generate(EVENTS, seed=7), folder / "events.yaml")
    url = backend.new_database(folder, "generated", migrated=True)
    engine = make_engine(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common_words, "MIN_EVENTS", COMMON_WORD_EVENTS)
        ingest(engine, [SEEDS / "countries.yaml", SEEDS / "topics.yaml", folder / "events.yaml"])
    yield engine
    engine.dispose()
    backend.drop(url)


def random_filters(count: int) -> list[TimelineFilter]:
    rng = random.Random(19)
    filters = []
    for _ in range(count):
        date_from = date_to = None
        if rng.random() < 0.4:
            first = date(rng.randint(1950, 2024), rng.randint(1, 12), 1)
            date_from = first if rng.random() < 0.7 else None
            date_to = date(min(first.year + rng.randint(0, 30), 2025), rng.randint(1, 12), 28)
        filters.append(
            TimelineFilter(
                countries=tuple(rng.sample(COUNTRIES, rng.choice([0, 1, 1, 2, 2, 3]))),
                topics=tuple(rng.sample(TOPICS, rng.choice([0, 0, 1, 2]))),
                date_from=date_from,
                from_text=date_from.isoformat() if date_from else None,
                date_to=date_to,
                to_text=date_to.isoformat() if date_to else None,
                importance=rng.choice([None, None, None, 1, 2]),
                q=rng.choice(WORDS) if rng.random() < 0.25 else None,
            )
        )
    return filters


def where(timeline_filter: TimelineFilter, dialect: str) -> tuple[str, dict]:
    """The filter as plain SQL, written from what the README promises, not from the event index."""
    clauses, params = ["1 = 1"], {}
    for number, code in enumerate(timeline_filter.countries):
        clauses.append(
            f"EXISTS (SELECT 1 FROM event_country c WHERE c.event_id = e.id AND c.country_code = :c{number})"
        )
        params[f"c{number}"] = code
    if timeline_filter.topics:
        names = ", ".join(f":t{number}" for number in range(len(timeline_filter.topics)))
        clauses.append(f"EXISTS (SELECT 1 FROM event_topic t WHERE t.event_id = e.id AND t.topic_slug IN ({names}))")
        params |= {f"t{number}": slug for number, slug in enumerate(timeline_filter.topics)}
    if timeline_filter.date_from:
        clauses.append("e.last_date >= :date_from")
        params["date_from"] = timeline_filter.date_from
    if timeline_filter.date_to:
        clauses.append("e.start_date <= :date_to")
        params["date_to"] = timeline_filter.date_to
    if timeline_filter.importance is not None:
        clauses.append("e.importance <= :importance")
        params["importance"] = timeline_filter.importance
    if timeline_filter.q:
        # The database's own full-text index, as migration 0007 made it.
        if dialect == "sqlite":
            clauses.append("e.id IN (SELECT rowid FROM event_fts WHERE event_fts MATCH :q)")
        else:
            clauses.append("e.search_vector @@ to_tsquery('timeline_english', :q)")
        params["q"] = timeline_filter.q if dialect == "sqlite" else " & ".join(timeline_filter.q.split())
    return " AND ".join(clauses), params


def plain_count(session: Session, timeline_filter: TimelineFilter, extra: str = "", extra_params=None) -> int:
    clauses, params = where(timeline_filter, session.get_bind().dialect.name)
    statement = text(f"SELECT COUNT(*) FROM event e WHERE {clauses} {extra}")
    return session.execute(statement, params | (extra_params or {})).scalar_one()


def plain_month_counts(session: Session, timeline_filter: TimelineFilter) -> set[tuple]:
    clauses, params = where(timeline_filter, session.get_bind().dialect.name)
    rows = session.execute(
        text(
            "SELECT e.start_date, e.date_precision, e.tone FROM event e WHERE " + clauses,
        ),
        params,
    ).all()
    months: dict[tuple, list[int]] = {}
    for start, precision, tone in rows:
        start = start if isinstance(start, date) else date.fromisoformat(start)
        counts = months.setdefault((start.year * 12 + start.month - 1, precision), [0, 0, 0])
        counts[0] += 1
        counts[1] += tone is not None
        counts[2] += tone or 0
    return {(number, precision, *counts) for (number, precision), counts in months.items()}


@pytest.fixture(scope="module")
def filters() -> list[TimelineFilter]:
    return random_filters(FILTERS)


def test_totals_equal_a_plain_count(generated_engine, filters):
    with Session(generated_engine) as session:
        for timeline_filter in filters:
            assert queries.count_events(session, timeline_filter) == plain_count(session, timeline_filter), (
                timeline_filter
            )


def test_country_facets_equal_a_plain_count_with_the_country_added(generated_engine, filters):
    in_country = "AND EXISTS (SELECT 1 FROM event_country x WHERE x.event_id = e.id AND x.country_code = :facet)"
    with Session(generated_engine) as session:
        for timeline_filter in filters[:60]:
            for facet in queries.country_facets(session, timeline_filter):
                expected = plain_count(session, timeline_filter, in_country, {"facet": facet.key})
                assert facet.matching == expected, (timeline_filter, facet)


def test_topic_facets_equal_a_plain_count_with_the_topic_filter_replaced(generated_engine, filters):
    on_topic = "AND EXISTS (SELECT 1 FROM event_topic x WHERE x.event_id = e.id AND x.topic_slug = :facet)"
    with Session(generated_engine) as session:
        for timeline_filter in filters[:60]:
            for facet in queries.topic_facets(session, timeline_filter):
                expected = plain_count(session, timeline_filter.replace(topics=()), on_topic, {"facet": facet.key})
                assert facet.matching == expected, (timeline_filter, facet)


def test_events_per_month_equal_a_plain_grouping(generated_engine, filters):
    with Session(generated_engine) as session:
        for timeline_filter in filters:
            counted = {tuple(row) for row in queries.month_counts(session, timeline_filter)}
            assert counted == plain_month_counts(session, timeline_filter), timeline_filter


def test_the_navigator_periods_add_up_to_the_plain_count_of_their_months(generated_engine, filters):
    with Session(generated_engine) as session:
        for timeline_filter in filters[:80]:
            chart = navigator(session, timeline_filter)
            if chart is None:
                assert plain_count(session, timeline_filter) == 0
                continue
            for period in chart.periods:
                first = date(period.first // 12, period.first % 12 + 1, 1)
                following = period.last + 1
                after = date(following // 12, following % 12 + 1, 1)
                within = "AND e.start_date >= :first AND e.start_date < :after"
                if period.last - period.first < 11:
                    # A period of months cannot hold an event dated only to a year.
                    within += " AND e.date_precision != 'year'"
                expected = plain_count(session, timeline_filter, within, {"first": first, "after": after})
                assert period.events == expected, (timeline_filter, period.label)


def plain_page(session: Session, timeline_filter: TimelineFilter, size: int) -> list[int]:
    clauses, params = where(timeline_filter, session.get_bind().dialect.name)
    direction = "DESC" if timeline_filter.order == "desc" else "ASC"
    statement = (
        f"SELECT e.id FROM event e WHERE {clauses} ORDER BY e.start_date {direction}, e.id {direction} LIMIT {size}"
    )
    return list(session.execute(text(statement), params).scalars())


def test_a_page_holds_the_first_events_of_a_plain_ordered_select(generated_engine, filters):
    with Session(generated_engine) as session:
        for timeline_filter in filters[:80]:
            for order in ("asc", "desc"):
                ordered = timeline_filter.replace(order=order)
                page = queries.list_events(session, ordered, PageRequest(None, 7))
                assert [item.id for item in page.items] == plain_page(session, ordered, 7), ordered


def test_the_events_before_a_position_equal_a_plain_count(generated_engine, filters):
    rng = random.Random(5)
    with Session(generated_engine) as session:
        rows = session.execute(text("SELECT start_date, id FROM event")).all()
        for timeline_filter in filters[:80]:
            start, event_id = rng.choice(rows)
            start = start if isinstance(start, date) else date.fromisoformat(start)
            position = Cursor(start, event_id)
            before = "AND (e.start_date < :day OR (e.start_date = :day AND e.id < :id))"
            after = "AND (e.start_date > :day OR (e.start_date = :day AND e.id > :id))"
            params = {"day": start, "id": event_id}
            assert count_before(session, timeline_filter, position) == plain_count(
                session, timeline_filter, before, params
            ), timeline_filter
            newest_first = timeline_filter.replace(order="desc")
            assert count_before(session, newest_first, position) == plain_count(
                session, timeline_filter, after, params
            ), timeline_filter


def test_searches_for_common_and_rare_words_together_equal_a_plain_count(generated_engine, filters):
    # A title's number is a word of one event; "talks" and "border" are common words on PostgreSQL.
    # "²" is a word to the search box but none to PostgreSQL, which drops it from a search with others.
    searches = ["talks border", "talks 1234", "1234", "border talks summit", "nothing", "talks ²"]
    with Session(generated_engine) as session:
        for timeline_filter in filters[:40]:
            for q in searches:
                searched = timeline_filter.replace(q=q)
                assert queries.count_events(session, searched) == plain_count(session, searched), searched


def test_postgresql_keeps_the_common_words_events_and_sqlite_none(generated_engine):
    with Session(generated_engine) as session:
        kept = event_index(session).common_words
        if session.get_bind().dialect.name == "sqlite":
            assert kept == {}
            return
        assert {"talk", "border"} <= set(kept) and "1234" not in kept
        for word, ids in kept.items():
            statement = text("SELECT e.id FROM event e WHERE :word = ANY(tsvector_to_array(e.search_vector))")
            assert set(ids) == set(session.execute(statement, {"word": word}).scalars()), word
