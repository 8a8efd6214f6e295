"""`make bench`: build 10k/100k/1M databases through `timeline ingest`, load them with wrk, and
write bench/RESULTS.md with every figure next to its target (Datasette measured on the same files).

    python -m bench.run [--sizes 10000,100000,1000000] [--seconds 5] [--rounds 3]

Each figure is the median of --rounds runs. Throughput runs use 32 connections; latency runs use
one, so the p50 and p99 are one request's own time. Before measuring, each URL is requested once,
as a visitor's first request would be, so its response is cached as it would be for the second
visitor; the `cold` rows and the first-visit table (bench/first_visits.py) say what a first request costs.
"""

import argparse
import csv
import gzip
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.first_visits import (
    COMMON,
    COMMON_WORD,
    FRAGMENT_HEADERS,
    HEADLINE,
    NEW_VIEWS,
    RARE,
    datasette_first_visits,
    first_visits_to_new_views,
    navigator_steps,
    percentiles,
    served_after_ingest,
)

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DATA = BENCH / "data"
VENV_BIN = Path(sys.executable).parent
DATASETTE_VENV = DATA / "datasette-venv"
DATASETTE_VERSION = "0.65.5"


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class SizeResults:
    events: int
    ingest_seconds: float = 0.0  # the command, start to exit
    ingest_reported_seconds: float = 0.0  # what it reports: reading, validating, writing, committing
    ingest_rss_mb: float = 0.0
    runs: dict[str, Run] = field(default_factory=dict)
    cold_ms: dict[str, float] = field(default_factory=dict)
    server_rss_mb: float = 0.0
    export_rss_added_mb: float = 0.0
    export_rows: int = 0
    overview_ms: dict[str, float] = field(default_factory=dict)
    navigator_steps_ms: list[float] = field(default_factory=list)
    new_views_ms: dict[str, list[float]] = field(default_factory=dict)
    datasette_new_views_ms: list[float] = field(default_factory=list)
    served_after_ingest_s: float = 0.0  # from the end of an ingest of 1,000 changed events
    living_ingest_seconds: float = 0.0  # the command, into a database holding the shipped events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    DATA.mkdir(exist_ok=True)
    sizes = [int(size) for size in args.sizes.split(",")]
    results: dict[int, SizeResults] = {}
    first_visit: dict[str, int] = {}
    for size in sizes:
        results[size] = measure_size(size, args, first_visit)
        # Written after every size, so a long run that stops late still leaves its figures.
        write_results(results, None, None, first_visit, args)
    format_rates = {
        "JSON": measure_format_ingest("json", min(sizes[-1], 100000), args.rounds),
        # YAML parsing alone takes most of its time: a smaller file gives its rate.
        "YAML": measure_format_ingest("yaml", min(sizes[-1], 20000), 1),
    }
    postgres = postgres_first = None
    if not args.no_postgres and 100000 in results:
        postgres = measure_postgres(args)
        postgres_first = measure_postgres_first_visits(max(results))
    datasette = None
    if not args.no_datasette and 100000 in results:
        datasette = measure_datasette(database_file(100000), args)
    write_results(results, datasette, format_rates, first_visit, args, postgres, postgres_first)
    print(f"wrote {BENCH / 'RESULTS.md'}")
    return 0


def database_file(size: int) -> Path:
    return DATA / f"timeline-{size}.db"


def build_database(size: int, rounds: int) -> tuple[float, float, float]:
    """Generate the events, and ingest them into a new database `rounds` times (1M: once).

    The median round's seconds as the command took them and as it reports them, and its peak RSS.
    """
    source = DATA / f"events-{size}.csv"
    if not source.exists():
        run([VENV_BIN / "python", "-m", "bench.generate", "--events", str(size), "--out", source])
    timings = [ingest_into_new_database(source, database_file(size)) for _ in range(rounds if size < 10**6 else 1)]
    return sorted(timings)[len(timings) // 2]


def ingest_into_new_database(source: Path, database: Path) -> tuple[float, float, float]:
    """Migrate a new database, load the countries and topics, then time `timeline ingest source`."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "TIMELINE_DATABASE_URL": f"sqlite:///{database}"}
    run([VENV_BIN / "timeline", "migrate"], env=env)
    run([VENV_BIN / "timeline", "ingest", PROJECT / "seeds/countries.yaml", PROJECT / "seeds/topics.yaml"], env=env)
    started = time.perf_counter()
    output = run(["/usr/bin/time", "-v", VENV_BIN / "timeline", "ingest", source], env=env)
    seconds = time.perf_counter() - started
    reported = float(re.search(r"file\(s\) in ([\d.]+) s", output)[1])
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)[1])
    return seconds, reported, rss_kb / 1024


def ingest_into_living_database(source: Path) -> float:
    """Seconds of `timeline ingest source`, start to exit, into a database that holds the shipped seeds/."""
    database = DATA / "timeline-living.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "TIMELINE_DATABASE_URL": f"sqlite:///{database}"}
    run([VENV_BIN / "timeline", "migrate"], env=env)
    run([VENV_BIN / "timeline", "ingest", PROJECT / "seeds"], env=env)
    started = time.perf_counter()
    run([VENV_BIN / "timeline", "ingest", source], env=env)
    return time.perf_counter() - started


def measure_format_ingest(extension: str, size: int, rounds: int) -> tuple[int, float, float]:
    """Events per second through one reader, as the command takes them and as it reports them."""
    source = DATA / f"events-{size}.{extension}"
    if not source.exists():
        run([VENV_BIN / "python", "-m", "bench.generate", "--events", str(size), "--out", source])
    timings = sorted(ingest_into_new_database(source, DATA / f"timeline-{extension}.db") for _ in range(rounds))
    seconds, reported, _ = timings[len(timings) // 2]
    return size, size / seconds, size / reported


def measure_size(size: int, args, first_visit: dict[str, int]) -> SizeResults:
    print(f"== {size:,} events", file=sys.stderr)
    results = SizeResults(size)
    results.ingest_seconds, results.ingest_reported_seconds, results.ingest_rss_mb = build_database(size, args.rounds)
    results.overview_ms = measure_overview(database_file(size), args.rounds)
    with Server(database_file(size)) as server:
        for name, path in (("page", HEADLINE), ("rare", RARE), ("common", COMMON), ("search", COMMON_WORD)):
            results.cold_ms[name] = server.time_first_request(path)
        results.navigator_steps_ms = navigator_steps(server)
        results.new_views_ms = first_visits_to_new_views(server)
        plan = [
            ("page-32", HEADLINE, {}, 32),
            ("fragment-32", HEADLINE, FRAGMENT_HEADERS, 32),
            ("api-32", "/api/events" + HEADLINE[1:], {}, 32),
            ("page-1", HEADLINE, {}, 1),
            ("fragment-1", HEADLINE, FRAGMENT_HEADERS, 1),
            ("api-1", "/api/events" + HEADLINE[1:], {}, 1),
            ("rare-1", RARE, {}, 1),
            ("common-1", COMMON, {}, 1),
            ("search-1", COMMON_WORD, {}, 1),
        ]
        for name, path, headers, connections in plan:
            server.get(path, headers)
            results.runs[name] = median_run(
                [wrk(server.url + path, headers, connections, args.seconds) for _ in range(args.rounds)]
            )
        if not first_visit:
            first_visit.update(first_visit_bytes(server))
        results.server_rss_mb = server.rss_mb()
        before = server.peak_rss_mb()
        results.export_rows = server.download_rows("/events.csv") - 1
        results.export_rss_added_mb = server.peak_rss_mb() - before
        if size >= 100000:
            # Last: it changes the database the other figures were measured on.
            results.served_after_ingest_s = served_after_ingest(
                server, VENV_BIN / "timeline", DATA / f"events-{size}.csv", DATA / "changed-events.csv"
            )
    if size >= 100000 and not args.no_datasette:
        with datasette_server(database_file(size), facet_seconds=10) as base:
            results.datasette_new_views_ms = datasette_first_visits(base)
    if size == 100000:
        results.living_ingest_seconds = ingest_into_living_database(DATA / f"events-{size}.csv")
    # The same latency runs with the rendered-response cache off: what the queries and templates cost.
    os.environ["TIMELINE_RESPONSE_CACHE_MB"] = "0"
    try:
        with Server(database_file(size)) as server:
            for name, path, headers in [
                ("page", HEADLINE, {}),
                ("api", "/api/events" + HEADLINE[1:], {}),
                ("rare", RARE, {}),
                ("common", COMMON, {}),
                ("search", COMMON_WORD, {}),
            ]:
                server.get(path, headers)
                results.runs[f"{name}-1-uncached"] = median_run(
                    [wrk(server.url + path, headers, 1, args.seconds) for _ in range(args.rounds)]
                )
    finally:
        del os.environ["TIMELINE_RESPONSE_CACHE_MB"]
    return results


OVERVIEW_VIEWS = {"page": HEADLINE, "common": COMMON, "all": "/"}


def measure_overview(database: Path, rounds: int) -> dict[str, float]:
    """Milliseconds to compute a view's navigator (its month counts from the event index, and the
    marks where few) and render its SVG, in-process, the index built; the median of a few runs per view."""
    from urllib.parse import parse_qs, urlsplit

    from sqlmodel import Session

    from app import queries
    from app.db import make_engine
    from app.filters import FilterParams, parse_filter
    from app.navigator import navigator
    from app.queries.event_index import event_index
    from app.templating import templates

    template = templates.env.get_template("_navigator.html")
    engine = make_engine(f"sqlite:///{database}")
    timings = {}
    try:
        for name, path in OVERVIEW_VIEWS.items():
            query = parse_qs(urlsplit(path).query)
            with Session(engine) as session:
                params = FilterParams(country=query.get("country", []), topic=query.get("topic", []))
                timeline_filter = parse_filter(params, queries.stats(session))
                queries.eras(session, timeline_filter)
                event_index(session)
                runs = []
                for _ in range(max(rounds, 3)):
                    started = time.perf_counter()
                    template.render(navigator=navigator(session, timeline_filter), navigator_controls=True)
                    runs.append((time.perf_counter() - started) * 1000)
            timings[name] = statistics.median(runs)
    finally:
        engine.dispose()
    return timings


class Server:
    """`timeline serve` on a free loopback port: one worker on a SQLite file, or N on a database URL."""

    def __init__(self, database: Path | str, workers: int = 1):
        self.database_url = database if isinstance(database, str) else f"sqlite:///{database}"
        self.workers = workers

    def __enter__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "TIMELINE_DATABASE_URL": self.database_url}
        self.process = subprocess.Popen(
            [VENV_BIN / "timeline", "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.url + "/healthz", alternatives=[self.url + "/api/topics"])
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)

    def get(self, path: str, headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.read()

    def time_first_request(self, path: str) -> float:
        started = time.perf_counter()
        self.get(path)
        return (time.perf_counter() - started) * 1000

    def download_rows(self, path: str) -> int:
        """Rows of a CSV download, read as it streams (a cell may hold several lines)."""
        with urllib.request.urlopen(self.url + path, timeout=3600) as response:
            return sum(1 for _ in csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline="")))

    def _status(self, field_name: str) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"{field_name}:\s+(\d+) kB", text)[1]) / 1024

    def rss_mb(self) -> float:
        return self._status("VmRSS")

    def peak_rss_mb(self) -> float:
        return self._status("VmHWM")


def wrk(url: str, headers: dict, connections: int, seconds: int) -> Run:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    # As a browser asks: the server compresses, or serves what it kept compressed.
    for name, value in {"Accept-Encoding": "gzip", **headers}.items():
        command += ["-H", f"{name}: {value}"]
    output = run([*command, url])
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
        errors=errors + (int(non_2xx[1]) if non_2xx else 0),
    )


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def median_run(runs: list[Run]) -> Run:
    return Run(
        requests_per_second=statistics.median(r.requests_per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
    )


POSTGRES_URL = os.environ.get("TIMELINE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKEND_PLAN = [
    ("page", HEADLINE, {}),
    ("fragment", HEADLINE, FRAGMENT_HEADERS),
    ("api", "/api/events" + HEADLINE[1:], {}),
    ("search", COMMON_WORD, {}),
]


def measure_postgres(args) -> dict[str, dict[str, Run]]:
    """The same 100k events and load: SQLite with one process, PostgreSQL with two worker processes.

    Both run without the rendered-response cache, so every request reaches the database.
    """
    print("== PostgreSQL vs SQLite", file=sys.stderr)
    url = new_postgres_database("timeline_bench")
    env = {**os.environ, "TIMELINE_DATABASE_URL": url}
    run([VENV_BIN / "timeline", "ingest", DATA / "events-100000.csv"], env=env)
    results: dict[str, dict[str, Run]] = {}
    os.environ["TIMELINE_RESPONSE_CACHE_MB"] = "0"
    try:
        for label, database, workers in (
            ("SQLite, 1 process", database_file(100000), 1),
            ("PostgreSQL, 2 processes", url, 2),
        ):
            with Server(database, workers) as server:
                results[label] = {}
                for name, path, headers in BACKEND_PLAN:
                    server.get(path, headers)
                    results[label][name] = median_run(
                        [wrk(server.url + path, headers, 32, args.seconds) for _ in range(args.rounds)]
                    )
    finally:
        del os.environ["TIMELINE_RESPONSE_CACHE_MB"]
    return results


def measure_postgres_first_visits(size: int) -> SizeResults:
    """Issue 19's first visits on PostgreSQL with two worker processes, on the same generated events."""
    print(f"== PostgreSQL first visits, {size:,} events", file=sys.stderr)
    url = new_postgres_database("timeline_bench_first")
    env = {**os.environ, "TIMELINE_DATABASE_URL": url}
    run([VENV_BIN / "timeline", "ingest", DATA / f"events-{size}.csv"], env=env)
    results = SizeResults(size)
    with Server(url, workers=2) as server:
        server.get("/")
        results.navigator_steps_ms = navigator_steps(server)
        results.new_views_ms = first_visits_to_new_views(server)
        results.server_rss_mb = server.rss_mb()
        results.served_after_ingest_s = served_after_ingest(
            server, VENV_BIN / "timeline", DATA / f"events-{size}.csv", DATA / "changed-events.csv"
        )
    return results


def new_postgres_database(name: str) -> str:
    """A new, migrated PostgreSQL database holding the shipped countries and topics: its URL."""
    from sqlalchemy import create_engine, make_url

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "TIMELINE_DATABASE_URL": url}
    run([VENV_BIN / "timeline", "migrate"], env=env)
    run([VENV_BIN / "timeline", "ingest", PROJECT / "seeds/countries.yaml", PROJECT / "seeds/topics.yaml"], env=env)
    return url


def measure_datasette(database: Path, args) -> dict[str, Run]:
    """Datasette on the same file: its table page with and without facets, and a canned query."""
    print("== Datasette", file=sys.stderr)
    with datasette_server(database) as base:
        plan = {
            "table-facets": f"{base}/event?_facet=importance&_facet=date_precision&_facet=tone",
            "table": f"{base}/event?_nofacet=1&_nocount=1",
            "table-json": f"{base}/event.json?_nofacet=1&_nocount=1",
            "canned": f"{base}/bilateral_border",
            "canned-json": f"{base}/bilateral_border.json",
        }
        results = {}
        for key, url in plan.items():
            urllib.request.urlopen(url, timeout=600).read()
            results[key] = median_run([wrk(url, {}, 32, args.seconds) for _ in range(args.rounds)])
        return results


@contextmanager
def datasette_server(database: Path, facet_seconds: float | None = None):
    """Datasette serving a file read-only, with a canned query; yields the database's base URL.

    `facet_seconds` lifts its facet time limit (default 200 ms, past which a facet is left out) so
    that its pages hold every count, as ours do."""
    if not (DATASETTE_VENV / "bin" / "datasette").exists():
        run([sys.executable, "-m", "venv", DATASETTE_VENV])
        run([DATASETTE_VENV / "bin" / "pip", "install", "--quiet", f"datasette=={DATASETTE_VERSION}"])
    canned = (
        "select e.id, e.slug, e.title, e.summary, e.start_date from event e "
        "where exists (select 1 from event_country c where c.event_id = e.id and c.country_code = 'IN') "
        "and exists (select 1 from event_country c where c.event_id = e.id and c.country_code = 'CN') "
        "and exists (select 1 from event_topic t where t.event_id = e.id and t.topic_slug = 'border') "
        "order by e.start_date, e.id limit 50"
    )
    metadata = DATA / "datasette-metadata.json"
    name = database.stem
    metadata.write_text(json.dumps({"databases": {name: {"queries": {"bilateral_border": canned}}}}))
    settings = ["--setting", "sql_time_limit_ms", "10000"]
    # Datasette's default facet suggestions made each table page run for seconds: off.
    settings += ["--setting", "suggest_facets", "off"]
    if facet_seconds:
        settings += ["--setting", "facet_time_limit_ms", str(int(facet_seconds * 1000))]
    port = free_port()
    process = subprocess.Popen(
        [DATASETTE_VENV / "bin" / "datasette", "serve", "-i", database, "-p", str(port), "-m", metadata, *settings],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/{name}"
    try:
        wait_for(base + ".json")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def first_visit_bytes(server: "Server") -> dict[str, int]:
    """Compressed bytes of everything the first visit to / downloads (HTML, CSS, JS)."""
    html = server.get("/")
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    parts = {"/": len(gzip.compress(html, 6))}
    for asset in assets:
        parts[asset.decode()] = len(gzip.compress(server.get(asset.decode()), 6))
    return parts


def write_results(results, datasette, format_rates, first_visit, args, postgres=None, postgres_first=None) -> None:
    lines = ["# Benchmark results", "", *machine_lines(), "", "## Method", "", *method_lines(args), ""]
    largest = max(results)
    hundred = results.get(100000)
    small = results.get(10000)

    def check(ok: bool) -> str:
        return "met" if ok else "**not met**"

    def versus(figure: str, ours: float, theirs: float, factor: float) -> tuple[str, str, str, str]:
        ratio = f"{times(ours, theirs)}× ({ours:,.0f} vs {theirs:,.1f} req/s)"
        return figure, ratio, f"≥ {factor:g}×", check(ours >= factor * theirs)

    targets = []
    if hundred:
        page = hundred.runs["page-32"].requests_per_second
        targets.append(("Timeline page, 100k, 32 connections", f"{page:,.0f} req/s", "≥ 300 req/s", check(page >= 300)))
        if datasette:
            plain = datasette["table"].requests_per_second
            faceted = datasette["table-facets"].requests_per_second
            targets.append(versus("… vs Datasette table page without facets", page, plain, 3.5))
            targets.append(versus("… vs Datasette table page with facets", page, faceted, 100))
        fragment = hundred.runs["fragment-32"].requests_per_second
        targets.append(
            ("htmx fragment, 100k, 32 connections", f"{fragment:,.0f} req/s", "≥ 400 req/s", check(fragment >= 400))
        )
        if datasette:
            api = hundred.runs["api-32"].requests_per_second
            canned = datasette["canned-json"].requests_per_second
            targets.append(versus("/api/events vs Datasette canned-SQL JSON", api, canned, 1.5))
    for size in (s for s in (100000, 1000000) if s in results):
        for kind in ("rare", "common"):
            p50 = results[size].runs[f"{kind}-1"].p50_ms
            uncached = results[size].runs[f"{kind}-1-uncached"].p50_ms
            targets.append(
                (
                    f"{kind.capitalize()} filter p50, {size:,}, 1 connection",
                    f"{p50:.2f} ms (response cache off: {uncached:.2f} ms)",
                    "≤ 10 ms",
                    check(p50 <= 10) + ("" if uncached <= 10 else "; **not met** without the response cache"),
                )
            )
    if small and largest != 10000:
        for kind in ("page", "fragment", "api"):
            ratio = results[largest].runs[f"{kind}-1"].p50_ms / small.runs[f"{kind}-1"].p50_ms
            targets.append((f"Growth of {kind} p50, {largest:,} ÷ 10k", f"{ratio:.2f}×", "≤ 1.5×", check(ratio <= 1.5)))
    if hundred:
        for kind in ("page", "api"):
            p99 = hundred.runs[f"{kind}-1"].p99_ms
            targets.append(
                (f"{kind.capitalize()} p99, 100k, 1 connection", f"{p99:.2f} ms", "≤ 15 ms", check(p99 <= 15))
            )
    for size in (s for s in (100000, 1000000) if s in results):
        overview, cold_page = results[size].overview_ms["page"], results[size].cold_ms["page"]
        targets.append(
            (
                f"Overview query + SVG, {size:,} (in-process, uncached)",
                f"{overview:.1f} ms (page's first request: {cold_page:.0f} ms)",
                "≤ ½ of the page",
                check(overview <= cold_page / 2),
            )
        )
    search = results[largest].runs["search-1"].p50_ms
    search_uncached = results[largest].runs["search-1-uncached"].p50_ms
    targets.append(
        (
            f"Common-word search p50, {largest:,}",
            f"{search:.2f} ms (response cache off: {search_uncached:.2f} ms)",
            "≤ 20 ms",
            check(search <= 20) + ("" if search_uncached <= 20 else "; **not met** without the response cache"),
        )
    )
    if hundred:
        reported = hundred.events / hundred.ingest_reported_seconds
        wall = hundred.events / hundred.ingest_seconds
        targets.append(
            (
                "Ingest 100k from CSV, validation included",
                f"{reported:,.0f} events/s as `timeline ingest` reports it; {wall:,.0f} events/s start to exit",
                "≥ 20,000/s",
                check(reported >= 20000) + ("" if wall >= 20000 else "; **not met** start to exit"),
            )
        )
    for name, (size, wall, reported) in (format_rates or {}).items():
        targets.append(
            (
                f"Ingest {size // 1000}k from {name} (its own figure)",
                f"{reported:,.0f} events/s as reported; {wall:,.0f} events/s start to exit",
                "documented",
                "—",
            )
        )
    targets += first_visit_targets(results, postgres_first, check)
    rss = results[largest].server_rss_mb
    targets.append((f"Server RSS serving {largest:,}", f"{rss:.0f} MB", "≤ 300 MB", check(rss <= 300)))
    added = results[largest].export_rss_added_mb
    targets.append(
        (f"CSV export of {results[largest].export_rows:,} rows adds", f"{added:.1f} MB", "≤ 50 MB", check(added <= 50))
    )
    total = sum(first_visit.values())
    targets.append(
        ("First visit to / (HTML, CSS, JS, gzip)", f"{total / 1024:.1f} KB", "≤ 60 KB", check(total <= 60 * 1024))
    )

    lines += ["## Targets", "", "| figure | measured | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets]
    lines += [
        "",
        "## All runs (medians)",
        "",
        "| events | run | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for size, result in results.items():
        for name, r in result.runs.items():
            lines.append(
                f"| {size:,} | {name} | {r.requests_per_second:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.errors} |"
            )
    lines += [
        "",
        "## First requests (cold caches)",
        "",
        "| events | " + " | ".join(next(iter(results.values())).cold_ms) + " |",
    ]
    lines += ["|---|" + "---|" * len(next(iter(results.values())).cold_ms)]
    for size, result in results.items():
        lines.append(f"| {size:,} | " + " | ".join(f"{v:.0f} ms" for v in result.cold_ms.values()) + " |")
    lines += [
        "",
        "## Overview ms (month counts from the event index and the SVG, in-process)",
        "",
        "| events | " + " | ".join(f"`{path}`" for path in OVERVIEW_VIEWS.values()) + " | page's first request |",
        "|---|" + "---|" * (len(OVERVIEW_VIEWS) + 1),
    ]
    for size, result in results.items():
        figures = " | ".join(f"{result.overview_ms[name]:.1f} ms" for name in OVERVIEW_VIEWS)
        lines.append(f"| {size:,} | {figures} | {result.cold_ms['page']:.0f} ms |")
    lines += [
        "",
        "## Navigator steps (first request of each step: zoom, pan, jump to a period)",
        "",
        "| events | steps | p50 | p95 | max |",
        "|---|---|---|---|---|",
    ]
    for size, result in results.items():
        median, p95, most = percentiles(result.navigator_steps_ms)
        lines.append(
            f"| {size:,} | {len(result.navigator_steps_ms)} | {median:.0f} ms | {p95:.0f} ms | {most:.0f} ms |"
        )
    lines += first_visit_lines(results, postgres_first)
    lines += [
        "",
        "## Ingest and memory",
        "",
        "| events | ingest s (reported) | events/s (reported) | command s | events/s (command) "
        "| ingest peak RSS MB | server RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, result in results.items():
        lines.append(
            f"| {size:,} | {result.ingest_reported_seconds:.2f} | {size / result.ingest_reported_seconds:,.0f} | "
            f"{result.ingest_seconds:.2f} | {size / result.ingest_seconds:,.0f} | "
            f"{result.ingest_rss_mb:.0f} | {result.server_rss_mb:.0f} |"
        )
    if datasette:
        lines += [
            "",
            f"## Datasette {DATASETTE_VERSION} on the 100k file (32 connections)",
            "",
            "| run | req/s | p50 ms |",
            "|---|---|---|",
        ]
        lines += [f"| {name} | {r.requests_per_second:,.1f} | {r.p50_ms:.1f} |" for name, r in datasette.items()]
    if postgres:
        lines += [
            "",
            "## SQLite (1 process) and PostgreSQL (2 processes), 100k events, 32 connections, no response cache",
            "",
        ]
        lines += ["| backend | run | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
        for label, runs in postgres.items():
            lines += [
                f"| {label} | {name} | {r.requests_per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} |"
                for name, r in runs.items()
            ]
    lines += ["", "## First visit", "", "| resource | gzip bytes |", "|---|---|"]
    lines += [f"| `{name}` | {size:,} |" for name, size in first_visit.items()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")


FIRST_VISIT_TARGETS = {"p50": 30, "p95": 100, "max": 250}


def first_visit_rows(results, postgres_first) -> list[tuple[str, int, str, list[float]]]:
    """(backend, events, request, timings) of every first-visit measurement."""
    rows = []
    for label, runs in (("SQLite, 1 process", results.values()), ("PostgreSQL, 2 processes", [postgres_first])):
        for result in (run for run in runs if run and run.events >= 100000):
            rows += [(label, result.events, name, timings) for name, timings in result.new_views_ms.items()]
            rows.append((label, result.events, "navigator step", result.navigator_steps_ms))
    return rows


def first_visit_targets(results, postgres_first, check) -> list[tuple[str, str, str, str]]:
    targets = []
    for label, size, name, timings in first_visit_rows(results, postgres_first):
        figures = dict(zip(FIRST_VISIT_TARGETS, percentiles(timings), strict=True))
        measured = ", ".join(f"{key} {value:.0f} ms" for key, value in figures.items())
        limits = ", ".join(f"{key} ≤ {limit}" for key, limit in FIRST_VISIT_TARGETS.items())
        ok = all(figures[key] <= limit for key, limit in FIRST_VISIT_TARGETS.items())
        targets.append((f"First visit, new views: {name}, {size:,}, {label}", measured, limits, check(ok)))
    for label, result in [("SQLite", result) for result in results.values()] + [("PostgreSQL", postgres_first)]:
        if result and result.served_after_ingest_s:
            seconds = result.served_after_ingest_s
            targets.append(
                (
                    f"New data served after an ingest of 1,000 changed events, {result.events:,}, {label}",
                    f"{seconds:.2f} s",
                    "≤ 2 s",
                    check(seconds <= 2),
                )
            )
        if result and result.living_ingest_seconds:
            rate = result.events / result.living_ingest_seconds
            targets.append(
                (
                    f"Ingest {result.events // 1000}k from CSV into a database holding the shipped events",
                    f"{rate:,.0f} events/s start to exit",
                    "≥ 20,000/s",
                    check(rate >= 20000),
                )
            )
    return targets


def first_visit_lines(results, postgres_first) -> list[str]:
    lines = [
        "",
        f"## First visit to {NEW_VIEWS} new views (fixed seed; targets p50 ≤ 30 ms, p95 ≤ 100 ms, max ≤ 250 ms)",
        "",
        "Each view asked for once: the whole page, the htmx results (40 other views), and every step of",
        "the navigator of five views. Datasette: its faceted table page (count, three facets, first rows)",
        "with the pages' 40 filters as `_where` subqueries and date overlap, facet time limit 10 s.",
        "",
        "| backend | events | request | p50 | p95 | max |",
        "|---|---|---|---|---|---|",
    ]
    for label, size, name, timings in first_visit_rows(results, postgres_first):
        median, p95, most = percentiles(timings)
        lines.append(f"| {label} | {size:,} | {name} | {median:.0f} ms | {p95:.0f} ms | {most:.0f} ms |")
    for size, result in results.items():
        if result.datasette_new_views_ms and "page" in result.new_views_ms:
            median, p95, most = percentiles(result.datasette_new_views_ms)
            ours = percentiles(result.new_views_ms["page"])[0]
            lines.append(
                f"| Datasette {DATASETTE_VERSION} (ratio of p50s: {times(median, ours)}× ours) | {size:,} "
                f"| faceted table page | {median:.0f} ms | {p95:.0f} ms | {most:.0f} ms |"
            )
    return lines


def times(ours: float, theirs: float) -> str:
    # Datasette can finish no request at all in a run (its facet counting at 100k): an unbounded ratio.
    return f"{ours / theirs:,.1f}" if theirs else "∞"


def machine_lines() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]) // 1024 // 1024
    versions = subprocess.run(
        [VENV_BIN / "python", "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    ).stdout
    wanted = {"fastapi", "uvicorn", "sqlalchemy", "sqlmodel", "jinja2", "pydantic"}
    packages = ", ".join(f"{p['name']} {p['version']}" for p in json.loads(versions) if p["name"].lower() in wanted)
    import sqlite3

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return [
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; {packages}",
        f"- Load tool: {wrk_version.strip()}",
    ]


def method_lines(args) -> list[str]:
    return [
        "- Data: `python -m bench.generate` (deterministic, seed 2025), ingested with `timeline ingest` into a new "
        "SQLite file per size after `timeline migrate` (the median of the rounds; 1M once). Ingest figures are given "
        "twice: by the time the command reports (reading, validating, writing and committing) and by the command "
        "from start to exit, which adds about half a second of Python start-up and imports.",
        "- Server: `timeline serve` (one uvicorn worker), on the same machine as the load tool.",
        f"- Each figure: the median of {args.rounds} wrk runs of {args.seconds} s; 32 connections for throughput, "
        "1 for latency. wrk sends `Accept-Encoding: gzip`, as browsers do. Every URL is requested once before it is "
        "measured (a first visitor fills the response cache, as in production); the cold table "
        "shows those first requests, and the first-visit table 40 views asked for once each. "
        "The `uncached` runs turn the cache of whole rendered responses off "
        "(`TIMELINE_RESPONSE_CACHE_MB=0`): each request then runs its queries and renders its page, as the first "
        "visitor to any other page of the same view does.",
        f"- Timeline URL: `{HEADLINE}`, its fragment with `HX-Request`, and `/api/events` with the same filter. "
        f"Rarest filter: `{RARE}` (≈0.15% of events); most common: `{COMMON}`; common word: `{COMMON_WORD}`.",
        "- Overview: in-process, the median of the rounds: the view's navigator (its month counts from the "
        "event index, built beforehand, and its marks where few) and rendering "
        "`templates/_navigator.html`; set beside the first (uncached) request of the timeline page with the "
        "same filter.",
        "- Datasette: the same 100k file opened immutable (`-i`), table page with three facets, without facets "
        "(`_nofacet=1&_nocount=1`), and a canned query with the country and topic joins, HTML and JSON.",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, alternatives: list[str] = (), seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for candidate in (url, *alternatives):
            try:
                urllib.request.urlopen(candidate, timeout=5).read()
                return
            except OSError:
                pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def run(command, env=None) -> str:
    result = subprocess.run([str(part) for part in command], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


if __name__ == "__main__":
    sys.exit(main())
