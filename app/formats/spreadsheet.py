"""CSV: one row per event, the same columns out and in, so a spreadsheet edit round-trips; and
the statements of a view's events, one row each (an export only)."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from app.dates import partial_iso
from app.formats import EVENT_FIELDS, REQUIRED_FIELDS
from app.models import EventBase
from app.queries import EventView, StatementView

SOURCE_COLUMNS = ["source_urls", "source_titles", "source_headlines", "source_publishers", "source_published"]
# EVENT_FIELDS as columns: the sources spread over five, no statements (they have their own export),
# and the event's page last.
COLUMNS = [
    column
    for name in EVENT_FIELDS
    if name != "statements"
    for column in (SOURCE_COLUMNS if name == "sources" else [name])
] + ["url"]
REQUIRED_COLUMNS = ["slug", "title", "start_date", "countries", "topics", "source_urls"]
LIST_SEPARATOR = ";"
# Several sources share one cell each for URLs, titles and publishers, one per line.
SOURCE_SEPARATOR = "\n"
# Whether each source's title is its headline: a line each, as the other source cells.
HEADLINE_CELLS = {True: "headline", False: "description", None: ""}
# Spreadsheets run a cell starting with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The columns of free text: every text field of the event, and the sources' titles and publishers.
TEXT_COLUMNS = {name for name, field in EventBase.model_fields.items() if field.annotation in (str, str | None)} | {
    "source_titles",
    "source_publishers",
}
# Fields read from a cell as a number; the record refuses what is not one.
NUMBER_FIELDS = {name for name, field in EventBase.model_fields.items() if field.annotation in (int, int | None)}
LIST_FIELDS = {"countries", "concerns", "topics", "sources", "links", "statements"}


# How a field that is not written as it is stored appears in its cells.
_CELLS: dict[str, Callable[[EventView], str]] = {
    "start_date": lambda item: partial_iso(item.start_date, item.date_precision),
    "end_date": lambda item: partial_iso(item.end_date, item.end_precision) if item.end_date else "",
    "countries": lambda item: LIST_SEPARATOR.join(code for code, _ in item.countries),
    "concerns": lambda item: LIST_SEPARATOR.join(code for code, _ in item.concerns),
    "topics": lambda item: LIST_SEPARATOR.join(slug for slug, _ in item.topics),
    "source_urls": lambda item: SOURCE_SEPARATOR.join(s.url for s in item.sources),
    "source_titles": lambda item: SOURCE_SEPARATOR.join(s.title for s in item.sources),
    "source_headlines": lambda item: SOURCE_SEPARATOR.join(HEADLINE_CELLS[s.headline] for s in item.sources),
    "source_publishers": lambda item: SOURCE_SEPARATOR.join(s.publisher or "" for s in item.sources),
    "source_published": lambda item: SOURCE_SEPARATOR.join(_iso(s.published_date) for s in item.sources),
    "links": lambda item: LIST_SEPARATOR.join(f"{link.type.value}:{link.slug}" for link in item.links),
}


def event_row(item: EventView, page_url: str) -> dict[str, str]:
    row = {name: _CELLS[name](item) if name in _CELLS else _cell(getattr(item, name)) for name in COLUMNS[:-1]}
    row["url"] = page_url
    return {name: _defuse(value) if name in TEXT_COLUMNS else value for name, value in row.items()}


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


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
        "source_published": _iso(said.source.published_date),
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
    data: dict = {name: cell.get(name, "") for name in _REQUIRED_TEXT}
    data |= {
        "countries": _split(cell.get("countries"), LIST_SEPARATOR),
        "topics": _split(cell.get("topics"), LIST_SEPARATOR),
        "sources": _sources(cell),
    }
    if "concerns" in row:
        # As for links: a file without the column leaves what is stored alone.
        data["concerns"] = _split(cell.get("concerns"), LIST_SEPARATOR)
    if "links" in row:
        # A file without the column leaves the stored links alone; an empty cell means none.
        data["links"] = [_link(entry) for entry in _split(cell.get("links"), LIST_SEPARATOR)]
    for name in _OPTIONAL_FIELDS.intersection(cell):
        data[name] = _number(cell[name]) if name in NUMBER_FIELDS else cell[name]
    return data


# Read from their cells as they are, an empty string when absent: the record says what is missing.
_REQUIRED_TEXT = [name for name in REQUIRED_FIELDS if name not in LIST_FIELDS]
_OPTIONAL_FIELDS = {name for name in EVENT_FIELDS if name not in LIST_FIELDS and name not in _REQUIRED_TEXT}


def _sources(cell: dict[str, str]) -> list[dict]:
    """The source cells, a line each, as the record's sources: a source without a title is titled by its URL."""
    urls = _split(cell.get("source_urls"), SOURCE_SEPARATOR)
    titles, headlines, publishers, published = (
        _split(cell.get(name), SOURCE_SEPARATOR, keep_empty=True) for name in SOURCE_COLUMNS[1:]
    )
    return [
        {
            "url": url,
            "title": _line(titles, i) or url,
            "headline": _headline(headline) if (headline := _line(headlines, i)) else None,
            "publisher": _line(publishers, i),
            "published": _line(published, i),
        }
        for i, url in enumerate(urls)
    ]


def _line(lines: list[str], i: int) -> str | None:
    """The i-th line of a cell, None when it is missing or empty."""
    return lines[i] if i < len(lines) and lines[i] else None


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
