"""CSV: one row per event, the same columns out and in, so a spreadsheet edit round-trips; and
the statements of a view's events, one row each (an export only)."""

import csv
import io
from collections.abc import Iterable, Iterator

from app.dates import partial_iso
from app.queries import EventView, StatementView

COLUMNS = [
    "slug",
    "title",
    "summary",
    "start_date",
    "date_precision",
    "end_date",
    "location",
    "countries",
    "concerns",
    "topics",
    "tone",
    "importance",
    "source_urls",
    "source_titles",
    "source_headlines",
    "source_publishers",
    "source_published",
    "links",
    "url",
]
REQUIRED_COLUMNS = ["slug", "title", "start_date", "countries", "topics", "source_urls"]
LIST_SEPARATOR = ";"
# Several sources share one cell each for URLs, titles and publishers, one per line.
SOURCE_SEPARATOR = "\n"
# Whether each source's title is its headline: a line each, as the other source cells.
HEADLINE_CELLS = {True: "headline", False: "description", None: ""}
# Spreadsheets run a cell starting with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = {"slug", "title", "summary", "location", "source_titles", "source_publishers"}


def event_row(item: EventView, page_url: str) -> dict[str, str]:
    row = {
        "slug": item.slug,
        "title": item.title,
        "summary": item.summary,
        "start_date": partial_iso(item.start_date, item.date_precision),
        "date_precision": item.date_precision.value,
        "end_date": partial_iso(item.end_date, item.end_precision) if item.end_date else "",
        "location": item.location or "",
        "countries": LIST_SEPARATOR.join(code for code, _ in item.countries),
        "concerns": LIST_SEPARATOR.join(code for code, _ in item.concerns),
        "topics": LIST_SEPARATOR.join(slug for slug, _ in item.topics),
        "tone": "" if item.tone is None else str(item.tone),
        "importance": str(item.importance),
        "source_urls": SOURCE_SEPARATOR.join(s.url for s in item.sources),
        "source_titles": SOURCE_SEPARATOR.join(s.title for s in item.sources),
        "source_headlines": SOURCE_SEPARATOR.join(HEADLINE_CELLS[s.headline] for s in item.sources),
        "source_publishers": SOURCE_SEPARATOR.join(s.publisher or "" for s in item.sources),
        "source_published": SOURCE_SEPARATOR.join(
            s.published_date.isoformat() if s.published_date else "" for s in item.sources
        ),
        "links": LIST_SEPARATOR.join(f"{link.type.value}:{link.slug}" for link in item.links),
        "url": page_url,
    }
    return {name: _defuse(value) if name in TEXT_COLUMNS else value for name, value in row.items()}


STATEMENT_COLUMNS = [
    "event_slug",
    "event_title",
    "party",
    "party_country",
    "date",
    "text",
    "source_url",
    "source_title",
    "source_headline",
    "source_publisher",
    "source_published",
    "event_url",
]
STATEMENT_TEXT_COLUMNS = {"event_title", "party", "text", "source_title", "source_publisher"}


def statement_rows(item: EventView, page_url: str) -> Iterator[dict[str, str]]:
    """The event's statements, one row each, in the order its page shows them."""
    for said in item.statements:
        yield {
            name: _defuse(value) if name in STATEMENT_TEXT_COLUMNS else value
            for name, value in _statement_row(item, said, page_url).items()
        }


def _statement_row(item: EventView, said: StatementView, page_url: str) -> dict[str, str]:
    return {
        "event_slug": item.slug,
        "event_title": item.title,
        "party": said.party,
        "party_country": said.party_country or "",
        "date": partial_iso(said.said_on, said.said_on_precision) if said.said_on else "",
        "text": said.text,
        "source_url": said.source.url,
        "source_title": said.source.title,
        "source_headline": HEADLINE_CELLS[said.source.headline],
        "source_publisher": said.source.publisher or "",
        "source_published": said.source.published_date.isoformat() if said.source.published_date else "",
        "event_url": page_url,
    }


def write_rows(rows: Iterable[dict[str, str]], columns: list[str] = COLUMNS, header: bool = True) -> Iterator[str]:
    """The CSV text, a chunk at a time: the header (unless this continues a file), then rows in batches."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    if header:
        writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 200 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def record_data(row: dict[str, str]) -> dict:
    """A CSV row as the fields of an event record (the record validates them)."""
    # Ingest calls this once a row, up to millions of times: empty cells (or blank ones) are dropped at once.
    cell = {name: text for name, value in row.items() if name and value and (text := value.strip())}
    for name in TEXT_COLUMNS.intersection(cell):
        if cell[name].startswith("'"):
            cell[name] = _restore(cell[name])
    urls = _split(cell.get("source_urls"), SOURCE_SEPARATOR)
    titles = _split(cell.get("source_titles"), SOURCE_SEPARATOR, keep_empty=True)
    headlines = _split(cell.get("source_headlines"), SOURCE_SEPARATOR, keep_empty=True)
    publishers = _split(cell.get("source_publishers"), SOURCE_SEPARATOR, keep_empty=True)
    published = _split(cell.get("source_published"), SOURCE_SEPARATOR, keep_empty=True)
    sources = [
        {
            "url": url,
            "title": titles[i] if i < len(titles) and titles[i] else url,
            "headline": _headline(headlines[i]) if i < len(headlines) and headlines[i] else None,
            "publisher": publishers[i] if i < len(publishers) and publishers[i] else None,
            "published": published[i] if i < len(published) and published[i] else None,
        }
        for i, url in enumerate(urls)
    ]
    data = {
        "slug": cell.get("slug", ""),
        "title": cell.get("title", ""),
        "summary": cell.get("summary", ""),
        "start_date": cell.get("start_date", ""),
        "countries": _split(cell.get("countries"), LIST_SEPARATOR),
        "topics": _split(cell.get("topics"), LIST_SEPARATOR),
        "sources": sources,
    }
    if "concerns" in row:
        # As for links: a file without the column leaves what is stored alone.
        data["concerns"] = _split(cell.get("concerns"), LIST_SEPARATOR)
    if "links" in row:
        # A file without the column leaves the stored links alone; an empty cell means none.
        data["links"] = [_link(entry) for entry in _split(cell.get("links"), LIST_SEPARATOR)]
    for name in ("end_date", "location", "date_precision"):
        if name in cell:
            data[name] = cell[name]
    for name in ("tone", "importance"):
        if name in cell:
            data[name] = _number(cell[name])
    return data


# The column where each record field's problem is reported, for people who edit the CSV.
FIELD_COLUMNS = {name: name for name in COLUMNS} | {"sources": "source_urls"}


def _headline(cell: str) -> bool | str:
    """ "headline" or "description" as the record's flag; anything else is left for the record to refuse."""
    return {"headline": True, "description": False}.get(cell.lower(), cell)


def _link(entry: str) -> dict[str, str]:
    kind, _, slug = entry.partition(":")
    return {"type": kind.strip(), "to": slug.strip()}


def _defuse(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _restore(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _split(value: str | None, separator: str, keep_empty: bool = False) -> list[str]:
    if not value:
        return []
    if separator not in value:
        return [value]  # already stripped, and not empty
    parts = [part.strip() for part in value.split(separator)]
    return parts if keep_empty else [part for part in parts if part]


def _number(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
