"""Deterministic synthetic events in the project's own formats, skewed like real data.

    python -m bench.generate --events 100000 --out bench/data/events-100k.csv

The format follows the extension: .yaml (seed format), .json (seed format as JSON) or .csv (the
CSV export's columns). Countries and topics are the shipped ones (seeds/), so a database needs
`timeline ingest seeds/countries.yaml seeds/topics.yaml FILE`.

The skew: India and China are in most events, a few countries in many, a long tail in few; one
country (Nepal, NP) is in about 0.15% of events, the rarest filter the benchmark uses. Topics follow
a similar curve. About 10% of events are spans, 10% are known to the month and 5% to the year, and
many events share a date, so ordering needs its tie-breaker.
"""

import argparse
import csv
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

from app.formats.spreadsheet import COLUMNS, LIST_SEPARATOR, SOURCE_SEPARATOR

RARE_COUNTRY = "NP"
RARE_SHARE = 0.0015
# (code, share of events it appears in); IN and CN dominate, then a tail.
COUNTRY_SHARES = [("IN", 0.72), ("CN", 0.66), ("US", 0.14), ("PK", 0.08), ("RU", 0.06), ("JP", 0.04), ("BT", 0.03)]
TAIL_COUNTRIES = ["AU", "BD", "BR", "DE", "FR", "GB", "ID", "IR", "KR", "LK", "MM", "MN", "MV", "SG", "VN", "ZA"]
TOPIC_SHARES = [
    ("diplomacy", 0.40),
    ("border", 0.33),
    ("trade", 0.22),
    ("security", 0.18),
    ("multilateral", 0.12),
    ("technology", 0.07),
    ("investment", 0.05),
    ("people-to-people", 0.04),
    ("rare-earths", 0.03),
    ("energy", 0.02),
    ("water", 0.01),
]
SUBJECTS = ["Ministers", "Officials", "Delegations", "Envoys", "Negotiators", "Leaders", "Commanders", "Traders"]
VERBS = ["meet", "hold talks", "sign a memorandum", "review progress", "exchange views", "announce measures"]
OBJECTS = ["on the border", "on trade", "on river data", "on investment rules", "on flights", "on visas", "at a summit"]
PLACES = ["New Delhi", "Beijing", "Shanghai", "Mumbai", "Chushul", "Moldo", "Kolkata", "Kunming", "Geneva", "Tianjin"]
FILLER = (
    "The meeting followed earlier rounds and both sides issued statements describing the discussions. "
    "Observers noted the timing relative to other developments in the relationship."
)


def generate(count: int, seed: int = 2025):
    """The events, one dict each in the seed format."""
    rng = random.Random(seed)
    start, days = date(1950, 1, 1), (date(2025, 12, 31) - date(1950, 1, 1)).days
    for number in range(count):
        # More events in recent decades: a skewed draw over the span of days.
        day = start + timedelta(days=int(days * (1 - rng.random() ** 2.2)))
        precision = rng.choices(["day", "month", "year"], weights=[85, 10, 5])[0]
        start_text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]
        event = {
            "slug": f"{start_text}-synthetic-{number}",
            "title": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({number})",
            "summary": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {rng.choice(PLACES)}. "
            + FILLER,
            "start_date": start_text,
        }
        if precision == "day" and rng.random() < 0.10:
            event["end_date"] = (day + timedelta(days=rng.randint(1, 400))).isoformat()
        event["location"] = rng.choice(PLACES)
        event["countries"] = _countries(rng)
        event["topics"] = [slug for slug, share in TOPIC_SHARES if rng.random() < share] or ["diplomacy"]
        event["tone"] = rng.choice([-2, -1, -1, 0, 0, 1, 1, 1, 2])
        event["importance"] = rng.choices([1, 2, 3], weights=[3, 37, 60])[0]
        event["sources"] = [
            {"url": f"https://news.example.org/{number}/{i}", "title": f"Report {i} on event {number}"}
            for i in range(rng.randint(1, 3))
        ]
        yield event


def _countries(rng: random.Random) -> list[str]:
    codes = [code for code, share in COUNTRY_SHARES if rng.random() < share]
    if rng.random() < 0.10:
        codes.append(rng.choice(TAIL_COUNTRIES))
    if rng.random() < RARE_SHARE:
        codes.append(RARE_COUNTRY)
    return codes or ["IN"]


def write(events, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    suffix = out.suffix.lower()
    with out.open("w", encoding="utf-8", newline="") as file:
        if suffix == ".csv":
            writer = csv.DictWriter(file, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
            writer.writeheader()
            for event in events:
                writer.writerow(_csv_row(event))
        elif suffix == ".json":
            file.write('{"events": [\n')
            for position, event in enumerate(events):
                file.write(("," if position else "") + json.dumps(event) + "\n")
            file.write("]}\n")
        elif suffix in (".yaml", ".yml"):
            file.write("events:\n")
            for event in events:
                file.write(yaml.safe_dump([event], sort_keys=False, width=1000))
        else:
            raise SystemExit(f"{out}: unknown format; use .yaml, .json or .csv")


def _csv_row(event: dict) -> dict:
    return {
        **{key: event.get(key, "") for key in ("slug", "title", "summary", "start_date", "end_date", "location")},
        "countries": LIST_SEPARATOR.join(event["countries"]),
        "topics": LIST_SEPARATOR.join(event["topics"]),
        "tone": event["tone"],
        "importance": event["importance"],
        "source_urls": SOURCE_SEPARATOR.join(s["url"] for s in event["sources"]),
        "source_titles": SOURCE_SEPARATOR.join(s["title"] for s in event["sources"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    write(generate(args.events, args.seed), args.out)
    print(f"{args.events} events → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
