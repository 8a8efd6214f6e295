"""`timeline check`: the sourcing policy applied to seed files, without a database.

Errors are what a source must never be (refused by the policy, or invalid for ingest); warnings are
what an editor should look at (one source only, a country named but not carried, one side's account
only). Each finding names the file, the event and the field.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from app import sourcing
from app.config import PROJECT_DIR
from app.ingest.files import find_files
from app.ingest.readers import READERS, RawItem, ReaderOptions, ReadError
from app.ingest.records import EventRecord, SourceRecord
from app.ingest.validation import Known, check_files

# What a check knows when the files name no countries or topics of their own: the shipped ones.
SHIPPED_DEFINITIONS = (PROJECT_DIR / "seeds" / "countries.yaml", PROJECT_DIR / "seeds" / "topics.yaml")


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    where: str  # file: event #N 'slug'
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.field}: {self.message}"


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    events: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "warning"]

    def summary(self) -> str:
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in {self.events} event(s)"


def check(paths: Sequence[Path]) -> CheckReport:
    """Every finding about the events of these files or folders (find_files' IngestFailed if none can be read)."""
    files = find_files(paths)
    report = CheckReport()
    shipped = _shipped_definitions()
    known = Known(frozenset(shipped["countries"]), frozenset(shipped["topics"]))
    for part in check_files(files, ReaderOptions(), known):
        report.findings += [_ingest_error(message) for message in part.errors]
    names = dict(shipped["countries"])
    for path in files:
        try:
            document = READERS[path.suffix.lower()](path, ReaderOptions())
            names.update(_country_names(document.definitions))
            for item in document.events:
                record = _valid_event(item)
                if record is not None:
                    report.events += 1
                    report.findings += _event_findings(item, record, names)
        except ReadError:
            continue  # reported above, as ingest reports it
    return report


def _event_findings(item: RawItem, record: EventRecord, names: dict[str, str]) -> Iterator[Finding]:
    where = f"{item.path}: {item.place()} {record.slug!r}"
    sources_field = item.field_name("sources")
    cited = [(f"{sources_field}.{number}", source) for number, source in enumerate(record.sources, start=1)]
    cited += [
        (f"{item.field_name('statements')}.{number}.source", said.source)
        for number, said in enumerate(record.statements or (), start=1)
    ]
    for place, source in cited:
        for message in _source_problems(source):
            yield Finding("error", where, place, message)
    urls = [source.url for source in record.sources]
    for number, url in enumerate(urls, start=1):
        if url in urls[: number - 1]:
            yield Finding("error", where, f"{sources_field}.{number}.url", f"{url} is cited twice")
    if len(record.sources) == 1:
        yield Finding("warning", where, sources_field, "one source only: find a second, independent one")
    carried = set(record.countries) | set(record.concerns or ())
    for code, name in names.items():
        if code not in carried and re.search(rf"\b{re.escape(name)}\b", record.summary):
            yield Finding(
                "warning",
                where,
                item.field_name("countries"),
                f"the summary names {name} ({code}), which is neither among the countries nor the concerns",
            )
    speakers = {said.party_country for said in record.statements or () if said.party_country}
    heard = speakers & set(record.countries)
    # One side's account only: of several parties, just one is heard.
    if len(heard) == 1 and len(record.countries) > 1:
        silent = ", ".join(sorted(set(record.countries) - heard))
        yield Finding(
            "warning",
            where,
            item.field_name("statements"),
            f"statements from {', '.join(sorted(heard))} only; none from {silent}",
        )


def _source_problems(source: SourceRecord) -> Iterator[str]:
    if source.url.lower().startswith("http://"):
        yield f"{source.url} is http: cite the https address (publishers serve it)"
    if tracking := sourcing.tracking_parameters(source.url):
        yield f"{source.url} carries tracking parameters ({', '.join(tracking)}): cite it without them"
    if domain := sourcing.listed(source.url, sourcing.UNSUITABLE_DOMAINS):
        yield f"{domain} is on the list of unsuitable publishers (seeds/unsuitable-domains.txt)"
    if sourcing.is_staging_host(source.url):
        yield f"{sourcing.host(source.url)} is a staging copy, not the publisher's site"
    if source.headline is None:
        yield (
            "the title is not marked: headline: true if it is the publisher's headline, checked on the page; "
            "headline: false if it describes the page"
        )
    if not source.publisher:
        yield "no publisher: say who published the page"


def _valid_event(item: RawItem) -> EventRecord | None:
    if item.kind != "event" or not isinstance(item.data, dict):
        return None
    try:
        return EventRecord.model_validate(item.data)
    except ValidationError:
        return None  # reported by validation, as ingest reports it


def _country_names(definitions: list[RawItem]) -> dict[str, str]:
    return {
        str(item.data["code"]).upper(): str(item.data["name"])
        for item in definitions
        if item.kind == "country" and isinstance(item.data, dict) and {"code", "name"} <= item.data.keys()
    }


def _shipped_definitions() -> dict[str, dict[str, str]]:
    countries, topics = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in SHIPPED_DEFINITIONS)
    return {
        "countries": {row["code"]: row["name"] for row in countries["countries"]},
        "topics": {row["slug"]: row["name"] for row in topics["topics"]},
    }


def _ingest_error(message: str) -> Finding:
    """An ingest error ('file: event #N 'slug': field: message') as a finding."""
    where, _, rest = message.partition(": ")
    place, _, rest = rest.partition(": ")
    field_name, _, detail = rest.partition(": ")
    if not detail:
        return Finding("error", where, "file", message.removeprefix(f"{where}: "))
    return Finding("error", f"{where}: {place}", field_name, detail)
