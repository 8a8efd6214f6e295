"""Issue 19's figures: what a reader feels on the first visit to a view nobody has opened yet.

Views are drawn with a fixed seed (1–3 countries, 0–2 topics, sometimes a date range, sometimes a
word) and each is asked for once, as a whole page or as the htmx results a ticked box asks for; the
navigator's steps are each taken once; Datasette's faceted table page gets the same filters; and
after an ingest of 1,000 changed events, the time until a view serves them.
"""

import csv
import itertools
import os
import random
import re
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

HEADLINE = "/?country=IN&country=CN&topic=border"
RARE = "/?country=NP"
COMMON = "/?country=IN"
COMMON_WORD = "/?q=talks"
FRAGMENT_HEADERS = {"HX-Request": "true", "HX-Target": "results"}


NAVIGATOR_VIEWS = ["/", HEADLINE, RARE, COMMON, COMMON_WORD]
NAVIGATOR_CONTROL = re.compile(r'class="control" href="([^"]+)" data-key')
NAVIGATOR_PERIOD = re.compile(r'class="period" href="([^"]+)" aria-label="[^"]*" data-zoom="([^"]+)"')


NEW_VIEWS = 40
NEW_VIEW_COUNTRIES = ["IN", "CN", "US", "PK", "RU", "JP", "BT", "NP", "BD", "LK"]
NEW_VIEW_TOPICS = ["border", "diplomacy", "trade", "security", "multilateral", "technology", "water"]
NEW_VIEW_WORDS = ["talks", "border", "trade", "summit", "visas", "flights", "investment"]


def new_views(count: int, seed: int) -> list[str]:
    """Views nobody has asked for, drawn with a fixed seed (issue 19): 1–3 countries, 0–2 topics,
    sometimes a date range, sometimes a word."""
    rng = random.Random(seed)
    views = set()
    while len(views) < count:
        query = [("country", code) for code in rng.sample(NEW_VIEW_COUNTRIES, rng.randint(1, 3))]
        query += [("topic", slug) for slug in rng.sample(NEW_VIEW_TOPICS, rng.randint(0, 2))]
        if rng.random() < 0.5:
            first = rng.randint(1950, 2020)
            query += [("from", str(first)), ("to", str(min(2025, first + rng.randint(0, 20))))]
        if rng.random() < 0.3:
            query.append(("q", rng.choice(NEW_VIEW_WORDS)))
        views.add("/?" + urllib.parse.urlencode(query))
    return sorted(views)


def first_visits_to_new_views(server) -> dict[str, list[float]]:
    """Milliseconds of the first request to 40 views nobody asked for before, as a whole page and
    (40 others) as the htmx results a ticked box asks for."""
    timings: dict[str, list[float]] = {"page": [], "fragment": []}
    pages, fragments = new_views(NEW_VIEWS, seed=19), new_views(2 * NEW_VIEWS, seed=20)[NEW_VIEWS:]
    for name, views, headers in (("page", pages, {}), ("fragment", fragments, FRAGMENT_HEADERS)):
        for view in views:
            started = time.perf_counter()
            server.get(view, headers)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max of a list of timings."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], ordered[-1]


def navigator_steps(server) -> list[float]:
    """Milliseconds of every step the navigator of a few views offers after their first page, each
    asked for once, as a reader's step nobody took before: zoom, pan and whole range (the navigator
    alone, as navigator.js asks for it), and a zoom into and a jump to each period (the results)."""
    navigator_only = {"HX-Request": "true", "HX-Target": "navigator"}
    timings = []
    for view in NAVIGATOR_VIEWS:
        page = server.get(view).decode()
        zooms = [href.replace("&amp;", "&") for href in NAVIGATOR_CONTROL.findall(page)]
        for jump, zoom in NAVIGATOR_PERIOD.findall(page):
            zooms.append(zoom.replace("&amp;", "&"))
            started = time.perf_counter()
            server.get(jump.replace("&amp;", "&"), FRAGMENT_HEADERS)
            timings.append((time.perf_counter() - started) * 1000)
        for href in dict.fromkeys(zooms):
            started = time.perf_counter()
            server.get(href, navigator_only)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def datasette_first_visits(base: str) -> list[float]:
    """Milliseconds of Datasette's faceted table page (count, facets, first rows) for the same 40
    views as the pages: countries, topics and words as `_where` subqueries, dates as overlap."""
    timings = []
    for view in new_views(NEW_VIEWS, seed=19):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(view).query)
        params = [("_facet", "importance"), ("_facet", "date_precision"), ("_facet", "tone")]
        params += [
            ("_where", f"id in (select event_id from event_country where country_code = '{code}')")
            for code in query.get("country", [])
        ]
        if topics := query.get("topic"):
            slugs = ", ".join(f"'{slug}'" for slug in topics)
            params.append(("_where", f"id in (select event_id from event_topic where topic_slug in ({slugs}))"))
        if words := query.get("q"):
            params.append(("_where", f"id in (select rowid from event_fts where event_fts match '\"{words[0]}\"')"))
        if "from" in query:
            params += [("last_date__gte", f"{query['from'][0]}-01-01"), ("start_date__lte", f"{query['to'][0]}-12-31")]
        params.append(("_sort", "start_date"))
        started = time.perf_counter()
        urllib.request.urlopen(f"{base}/event?{urllib.parse.urlencode(params)}", timeout=600).read()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


CHANGED_EVENTS = 1000


def served_after_ingest(server, timeline: Path, events_file: Path, scratch: Path) -> float:
    """Seconds from the end of an ingest of 1,000 changed events (a word new to the data in their titles) into
    the served database until a view of that word lists all of them, four times running (so that
    with several workers, each has its new event index)."""
    # Letters only, different on every run, so that the titles change however often this runs.
    word = "recounted" + "".join(chr(ord("a") + int(digit)) for digit in str(time.time_ns())[-9:])
    with events_file.open(newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = list(itertools.islice(reader, CHANGED_EVENTS))
        columns = reader.fieldnames
    with scratch.open("w", newline="", encoding="utf-8") as changed:
        writer = csv.DictWriter(changed, columns)
        writer.writeheader()
        writer.writerows({**row, "title": f"{row['title']} ({word})"} for row in rows)
    env = {**os.environ, "TIMELINE_DATABASE_URL": server.database_url}
    subprocess.run([timeline, "ingest", scratch], env=env, check=True, capture_output=True)
    ingested = time.perf_counter()
    served = 0
    while served < 4:
        answer = server.get(f"/api/events?q={word}&limit=1").replace(b" ", b"")
        served = served + 1 if b'"total":%d' % CHANGED_EVENTS in answer else 0
    return time.perf_counter() - ingested
