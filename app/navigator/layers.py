"""What the navigator draws beneath its periods, in days from the span's first day across and in
pixels down: a mark per event (or bars), the tone line, the eras, the labels and the "you are here" band."""

from datetime import date, timedelta

from app.dates import format_span, partial_iso
from app.models import Precision
from app.navigator.spans import Span, month_start
from app.queries import EraView, Mark, Period

PLOT_HEIGHT = 120
PLOT_WIDTH = 0.95  # the plot's share of the width; the tone scale's labels take the rest
TONE_MARGIN = 8
ERA_ROW_HEIGHT = 18
MAX_ERA_ROWS = 3
# Labels are placed so they do not overlap on the narrowest chart (a phone, less the page's margins).
NARROWEST_PX = 320
CHARACTER_PX = 7
# How tall a mark is, by importance: key events stand out.
MARK_HEIGHT = {1: 1.0, 2: 0.7, 3: 0.45}
MIN_BAND_DAYS = 0.01  # of the span: an era shorter than this is drawn this wide, so it can be seen


def _days(day: date, span: Span) -> float:
    return min(max((day - span.start).days, 0), span.days)


def _midpoint(start: date, precision: Precision) -> date:
    """Where an event dated to a month or a year is drawn: the middle of what is known."""
    if precision is Precision.month:
        return start.replace(day=15)
    if precision is Precision.year:
        return start.replace(month=7, day=1)
    return start


def marks(items: list[Mark], span: Span) -> list[dict]:
    """A mark per event at its date (the middle of its month or year when dated to one), taller for
    key events; `at` lets a click on it (static/navigator.js) move the list to it."""
    marks = []
    for item in items:
        start = _midpoint(item.start_date, item.date_precision)
        end = item.end_date or item.start_date
        height = MARK_HEIGHT.get(item.importance, MARK_HEIGHT[3]) * (PLOT_HEIGHT - TONE_MARGIN)
        marks.append(
            {
                "x": _days(start, span) + 0.5,
                "end": _days(end + timedelta(days=1), span),
                "top": PLOT_HEIGHT - height,
                "class": "mark mark-key" if item.importance == 1 else "mark",
                "at": partial_iso(item.start_date, item.date_precision),
            }
        )
    return marks


def bars(fine: list[Period], span: Span) -> list[dict]:
    most = max((period.events for period in fine), default=0)
    bars = []
    for period in fine:
        if not period.events:
            continue
        x, end = _days(period.start, span), _days(period.last + timedelta(days=1), span)
        height = period.events / most * (PLOT_HEIGHT - TONE_MARGIN)
        gap = (end - x) * 0.1
        bars.append({"x": x + gap, "width": end - x - 2 * gap, "top": PLOT_HEIGHT - height, "height": height})
    return bars


def tone_y(tone: float) -> float:
    """Where a tone falls down the plot, in pixels from its top: +2 highest, −2 lowest."""
    return TONE_MARGIN + (2 - tone) / 4 * (PLOT_HEIGHT - 2 * TONE_MARGIN)


def tone_path(fine: list[Period], span: Span) -> str:
    """A point at the middle of each period that has a tone; a gap in the line where one has none."""
    parts, joined = [], False
    for period in fine:
        if period.tone is None:
            joined = False
            continue
        middle = (_days(period.start, span) + _days(period.last + timedelta(days=1), span)) / 2
        parts.append(f"{'L' if joined else 'M'}{middle:.1f} {tone_y(period.tone):.1f}")
        joined = True
    return " ".join(parts)


def bands(eras: list[EraView], span: Span) -> list[dict]:
    bands: list[dict] = []
    row_ends = [-1.0] * MAX_ERA_ROWS
    for era in eras:
        if era.last_date < span.start or era.start_date > span.end:
            continue
        start = _days(era.start_date, span)
        width = max(_days(era.last_date + timedelta(days=1), span) - start, MIN_BAND_DAYS * span.days)
        number = len(bands) + 1
        named = f"{number} {era.name}"
        fits = len(named) * CHARACTER_PX / NARROWEST_PX <= width / span.days
        label = named if fits else str(number)
        left = start / span.days
        label_width = (len(label) * CHARACTER_PX + 6) / NARROWEST_PX
        row = next((row for row, row_end in enumerate(row_ends) if row_end < left), None)
        if row is None:
            row = min(range(MAX_ERA_ROWS), key=lambda row: row_ends[row])
        row_ends[row] = left + label_width
        anchor = "end" if left + label_width > 1 else "start"
        bands.append(
            {
                "number": number,
                "era": era,
                "x": start,
                "width": width,
                "label": label,
                "label_x": (left if anchor == "start" else 1.0) * PLOT_WIDTH,
                "row": row,
                "label_y": row * ERA_ROW_HEIGHT + 13,
                "anchor": anchor,
                "when": format_span(era.start_date, era.date_precision, era.end_date, era.end_precision),
            }
        )
    return bands


def ticks(periods: list, length: int) -> list[dict]:
    """A label at the start of every period, or of every second, third… where they would not fit on
    the narrowest chart; a month's label says its year where the year changes."""
    widest = (len("Sep 2020") if length < 12 else len("2020")) * CHARACTER_PX + CHARACTER_PX
    room = NARROWEST_PX * PLOT_WIDTH / len(periods)
    every = -(-int(widest) // int(room)) if widest > room else 1
    labels, year = [], None
    for period in periods[::every]:
        start = month_start(period.first)
        month = f"{start:%b}" if start.year == year else f"{start:%b %Y}"
        text = str(start.year) if length >= 12 else month
        year = start.year
        labels.append({"x": period.x, "text": text})
    return labels


def here(shown: tuple[date, date] | None, span: Span) -> tuple[float, float] | None:
    if shown is None or shown[1] < span.start or shown[0] > span.end:
        return None
    start = _days(shown[0], span) / span.days
    end = max(_days(shown[1] + timedelta(days=1), span) / span.days, start + 0.005)
    return start * PLOT_WIDTH, (end - start) * PLOT_WIDTH
