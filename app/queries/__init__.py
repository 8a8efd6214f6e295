"""The reads every view is made of, by concern; `event_index` is where a filter becomes its events.

Modules: `event_index` (a filter's events as bitmaps of places in date order), `text_search` (word
matches), `events` (pages, one event, neighbours, revisions), `facets`, `overview`, `window`, `eras`,
`chain`, `pairs`, `stats` (counts per key and names), `versioned` (the data version and the cache reads
go through), `views` (what they return) and `tables`.
"""

from app.queries.chain import CHAIN_DEPTH, CHAIN_SIZE, LINK_WORDS, chain
from app.queries.eras import eras
from app.queries.events import count_events, get_event, iter_events, list_events, neighbours, revisions
from app.queries.facets import country_counts, country_facets, dataset_stats, topic_counts, topic_facets
from app.queries.overview import Mark, MonthCount, marks, month_counts, periods_between
from app.queries.pairs import country_pairs, relation_order
from app.queries.stats import Stats, stats
from app.queries.versioned import data_version
from app.queries.views import (
    Chain,
    ChainItem,
    CountryPair,
    DatasetStats,
    EraView,
    EventPage,
    EventView,
    Facet,
    LinkView,
    Neighbours,
    Period,
    RevisionView,
    SourceView,
    StatementView,
)

__all__ = [
    "CHAIN_DEPTH",
    "CHAIN_SIZE",
    "LINK_WORDS",
    "Chain",
    "ChainItem",
    "CountryPair",
    "DatasetStats",
    "EraView",
    "EventPage",
    "EventView",
    "Facet",
    "LinkView",
    "Mark",
    "MonthCount",
    "Neighbours",
    "Period",
    "RevisionView",
    "SourceView",
    "Stats",
    "StatementView",
    "chain",
    "count_events",
    "country_counts",
    "country_facets",
    "country_pairs",
    "data_version",
    "dataset_stats",
    "eras",
    "get_event",
    "iter_events",
    "list_events",
    "marks",
    "month_counts",
    "periods_between",
    "neighbours",
    "relation_order",
    "revisions",
    "stats",
    "topic_counts",
    "topic_facets",
]
