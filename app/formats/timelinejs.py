"""Knight Lab TimelineJS3 JSON: written for newsrooms' embeds, and read back from their files.

TimelineJS renders `headline` and `text` as HTML, so ours are escaped; files people wrote may hold
any HTML, which is reduced to plain text on the way in.
"""

import html
import re
from html.parser import HTMLParser
from typing import Literal

from slugify import slugify

from app.dates import format_span
from app.models import Precision
from app.queries import EraView, EventView

SOURCES_CLASS = "sources"
READ_MORE_CLASS = "read-more"
# What a TimelineJS file calls each record field, for error messages.
FIELD_NAMES = {
    "slug": "unique_id",
    "title": "text.headline",
    "summary": "text.text",
    "topics": "group",
    "sources": "sources",
}
# How to give a field a slide left empty: TimelineJS files rarely carry topics or sources at all.
FIELD_HINTS = {
    "topics": "name a topic in the slide's group, or give one for every slide without a group with --topic SLUG",
    "sources": "link to one in text.text or give an http(s) media.url, or give one for every slide with --source URL",
}


# What a slide's `group` (its row in TimelineJS's navigation) is: none, the first topic, or its
# countries. A row per topic overlaps the rows' labels on a phone, so rows are asked for, not given.
Grouping = Literal["none", "topic", "country"]


def date_object(value, precision: Precision) -> dict[str, int]:
    parts = {"year": value.year}
    if precision is not Precision.year:
        parts["month"] = value.month
    if precision is Precision.day:
        parts["day"] = value.day
    return parts


def event_slide(item: EventView, page_url: str, grouping: Grouping = "none") -> dict:
    sources = ", ".join(f'<a href="{html.escape(s.url)}">{html.escape(s.title)}</a>' for s in item.sources)
    slide = {
        "unique_id": item.slug,
        "start_date": date_object(item.start_date, item.date_precision),
        "text": {
            "headline": html.escape(item.title),
            "text": f"<p>{html.escape(item.summary)}</p>"
            f'<p class="{SOURCES_CLASS}">Sources: {sources}</p>'
            f'<p class="{READ_MORE_CLASS}"><a href="{html.escape(page_url)}">Read more</a></p>',
        },
    }
    if item.end_date is not None:
        slide["end_date"] = date_object(item.end_date, item.end_precision)
    # The date as the app writes it ("20 October – 21 November 1962"), not as TimelineJS would.
    slide["display_date"] = format_span(item.start_date, item.date_precision, item.end_date, item.end_precision)
    group = _group(item, grouping)
    if group:
        # Rendered as HTML by TimelineJS, like the headline and text.
        slide["group"] = html.escape(group)
    return slide


def _group(item: EventView, grouping: Grouping) -> str:
    if grouping == "topic" and item.topics:
        return item.topics[0][1]
    if grouping == "country" and item.countries:
        names = [name for _, name in item.countries]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return ""


def era(item: EraView) -> dict:
    """An era as TimelineJS draws it: a band under the slides' markers, named by its headline."""
    return {
        "start_date": date_object(item.start_date, item.date_precision),
        # To the last day of its last period: an era "to 2025" covers 2025, as it does in the app.
        "end_date": date_object(item.last_date, Precision.day),
        "text": {"headline": html.escape(item.name), "text": f"<p>{html.escape(item.description)}</p>"},
    }


def title_slide(title: str, description: str) -> dict:
    return {"text": {"headline": html.escape(title), "text": f"<p>{html.escape(description)}</p>"}}


class _TextAndLinks(HTMLParser):
    """Plain text of an HTML fragment, and its links with the class of the paragraph they are in."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[list[str]] = []  # [url, text, paragraph class]
        self.paragraph_class = ""
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "p":
            self.paragraph_class = attributes.get("class") or ""
        if tag == "a" and attributes.get("href"):
            self.links.append([attributes["href"], "", self.paragraph_class])
            self.in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False
        if tag == "p":
            self.paragraph_class = ""
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_link:
            self.links[-1][1] += data
        # Our own source list and "read more" link are data about the event, not its summary.
        if self.paragraph_class not in (SOURCES_CLASS, READ_MORE_CLASS):
            self.parts.append(data)

    def text(self) -> str:
        paragraphs = [" ".join(p.split()) for p in "".join(self.parts).split("\n")]
        return "\n\n".join(p for p in paragraphs if p)

    def source_links(self) -> list[tuple[str, str]]:
        """The links of a source list when there is one; otherwise every link but "read more"."""
        links = [(url.strip(), " ".join(text.split()), cls) for url, text, cls in self.links]
        listed = [(url, text) for url, text, cls in links if cls == SOURCES_CLASS]
        return listed or [(url, text) for url, text, cls in links if cls != READ_MORE_CLASS]


class _Quote(_TextAndLinks):
    """A quote's words apart from the `<cite>` that says whose they are."""

    def __init__(self):
        super().__init__()
        self.cite: list[str] = []
        self.in_cite = False

    def handle_starttag(self, tag, attrs):
        self.in_cite = self.in_cite or tag == "cite"
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.in_cite = self.in_cite and tag != "cite"
        super().handle_endtag(tag)

    def handle_data(self, data):
        if self.in_cite:
            self.cite.append(data)
        else:
            super().handle_data(data)


def plain_text(fragment: str) -> tuple[str, list[tuple[str, str]]]:
    parser = _TextAndLinks()
    parser.feed(fragment or "")
    parser.close()
    return parser.text(), parser.source_links()


def media_quote(media: dict) -> str:
    """The quote a slide shows in place of media, as a paragraph of its summary; "" when it has none.

    TimelineJS takes `media.url` that is a `<blockquote>` or plain words, not an address, as a quote:
    its words belong with the text, and it is no source.
    """
    url = str(media.get("url") or "").strip()
    is_quote = "<blockquote" in url.lower() or ("<" not in url and len(url.split()) > 1)
    if not is_quote or re.match(r"(https?:)?//", url, re.IGNORECASE):
        return ""
    parser = _Quote()
    parser.feed(url)
    parser.close()
    words = " ".join(parser.text().split())
    if not words:
        return ""
    if words[0] not in "\"“‘'«":
        words = f"“{words}”"
    who = " ".join("".join(parser.cite).split()) or plain_text(str(media.get("credit") or ""))[0]
    return f"{words} — {who}" if who else words


def partial_date(value: object) -> str | None:
    """A TimelineJS date object as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (None when it has no year).

    Files often give numbers as strings and absent parts as empty strings.
    """
    if not isinstance(value, dict):
        return None
    parts = []
    for key, width in (("year", 4), ("month", 2), ("day", 2)):
        part = value.get(key)
        part = str(part).strip() if part is not None else ""
        if not part:
            break
        if not re.fullmatch(r"-?\d{1,4}", part):
            return f"{value.get('year', '')}-{value.get('month', '')}-{value.get('day', '')}".strip("-")
        parts.append(part.zfill(width))
    return "-".join(parts) or None


def record_data(
    slide: dict,
    *,
    countries: list[str],
    sources: list[str],
    topic: str | None,
    topics_by_name: dict[str, str],
) -> dict:
    """One TimelineJS slide as the fields of an event record (the record validates them)."""
    text = slide.get("text") if isinstance(slide.get("text"), dict) else {}
    media = slide.get("media") if isinstance(slide.get("media"), dict) else {}
    headline, _ = plain_text(str(text.get("headline") or ""))
    summary, links = plain_text(str(text.get("text") or ""))
    summary = "\n\n".join(part for part in (summary, media_quote(media)) if part)
    start = partial_date(slide.get("start_date"))
    slug = str(slide.get("unique_id") or "").strip() or slugify(f"{start or ''} {headline}", max_length=110)
    data: dict = {
        "slug": slug,
        "title": headline,
        "summary": summary or headline,
        "start_date": start if start is not None else slide.get("start_date"),
        "countries": countries,
    }
    end = partial_date(slide.get("end_date"))
    if end:
        data["end_date"] = end
    group = str(slide.get("group") or "").strip()
    chosen = topics_by_name.get(group.casefold(), slugify(group)) if group else topic
    data["topics"] = [chosen] if chosen else []
    data["sources"] = _sources(media, links, sources)
    return data


def _sources(media: dict, links: list[tuple[str, str]], given: list[str]) -> list[dict]:
    """--source URLs when given; otherwise the links in the text, then an http(s) media URL."""
    if given:
        return [{"url": url, "title": url} for url in given]
    found = [{"url": url, "title": text or url} for url, text in links if url.startswith(("http://", "https://"))]
    media_url = str(media.get("url") or "").strip()
    if media_url.startswith(("http://", "https://")) and media_url not in {s["url"] for s in found}:
        # Captions and credits are HTML too ('<a href=…>Portrait by …</a>').
        title = plain_text(str(media.get("caption") or media.get("credit") or ""))[0]
        found.append({"url": media_url, "title": " ".join(title.split()) or media_url})
    return found
