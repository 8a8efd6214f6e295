"""Relation pages: two countries' relations at a glance, at /relations/{A}-{B}."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app import queries
from app.errors import RelationNotFound
from app.filters import PageRequest, TimelineFilter
from app.navigator import navigator
from app.routes.session import SessionDep
from app.templating import templates, timeline_url

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

PAIR = re.compile(r"([A-Za-z]{2})-([A-Za-z]{2})")
KEY_EVENTS = 30


@router.get("/relations/{pair}", name="relation")
def relation_page(request: Request, session: SessionDep, pair: str):
    """A pair's overview, key events, topics, and first and latest events; other spellings redirect."""
    match = PAIR.fullmatch(pair)
    if match is None:
        raise RelationNotFound(
            f"“{pair[:40]}” is not a pair of countries: a relation page's address is two ISO 3166-1 codes, "
            "as in /relations/IN-CN."
        )
    codes = [code.upper() for code in match.groups()]
    names = queries.stats(session).country_names
    unknown = [code for code in codes if code not in names]
    if unknown:
        raise RelationNotFound(f"There is no country with the code {unknown[0]}.")
    if codes[0] == codes[1]:
        raise RelationNotFound("A relation is between two different countries.")
    first, second = queries.relation_order(*codes)
    if pair != f"{first}-{second}":
        # One address per pair (see queries.relation_order), whatever the order or case typed.
        return RedirectResponse(f"/relations/{first}-{second}", status_code=301)

    pair_filter = TimelineFilter(countries=(first, second))
    total = queries.count_events(session, pair_filter)
    if not total:
        raise RelationNotFound(f"There are no events between {names[first]} and {names[second]} yet.")
    eras = queries.eras(session, pair_filter)
    key_filter = pair_filter.replace(importance=1)
    topics = sorted(
        (facet for facet in queries.topic_facets(session, pair_filter) if facet.matching),
        key=lambda facet: (-facet.matching, facet.name),
    )
    context = {
        "first": (first, names[first]),
        "second": (second, names[second]),
        "filter": pair_filter,
        "total": total,
        "navigator": navigator(session, pair_filter, zoomable=False),
        "eras": eras,
        "key_events": queries.list_events(session, key_filter, PageRequest(None, KEY_EVENTS)),
        "key_total": queries.count_events(session, key_filter),
        "key_url": timeline_url(key_filter),
        "first_event": queries.list_events(session, pair_filter, PageRequest(None, 1)).items[0],
        "latest_event": queries.list_events(session, pair_filter.replace(order="desc"), PageRequest(None, 1)).items[0],
        "topics": topics,
        "timeline_link": timeline_url(pair_filter),
    }
    return templates.TemplateResponse(request, "relation.html", context)
