"""Link-preview card images: 1200×630 PNGs drawn with Pillow, for an event and for a view.

Chat apps and social sites show a link's `og:image` beside its title; the card says at a glance
what the link is: an event's date, title, countries and tone, or a view's name and its figures.
The typeface is Lato, installed with the project (font-lato), so a card looks the same on every
server whatever fonts the system has.
"""

import io
from dataclasses import dataclass
from functools import cache

import font_lato
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN

BACKGROUND = "#fbfaf7"
TEXT = "#1d2127"
MUTED = "#555d68"
ACCENT = "#0b5cad"
CHIP = "#e3eefa"
LINE = "#dcd8cf"
# Tone, -2 hostile … +2 strongly cooperative: red through grey to green, each dark enough for white text.
TONE_COLOURS = {-2: "#a4161a", -1: "#c2410c", 0: "#5f6b7a", 1: "#2f7d4f", 2: "#17603a"}
# Title sizes to try, largest first, until the title fits its lines.
TITLE_SIZES = (76, 66, 58, 50)
TITLE_LINES = 3


@dataclass(frozen=True)
class EventCard:
    site_name: str
    when: str  # the date as the site writes it: "15 June 2020"
    title: str
    countries: list[str]  # names of the parties, then of the countries it concerns
    tone: int | None
    tone_label: str | None


@dataclass(frozen=True)
class ViewCard:
    site_name: str
    title: str  # the view in words: "India and China · Border"
    figures: list[tuple[str, str]]  # (figure, what it counts): ("88", "events"), ("1950–2025", "years")


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(getattr(font_lato, name), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words in lines no wider than `width` (a word wider than a line stands on its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fitted_title(
    draw: ImageDraw.ImageDraw, title: str, width: int, height: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title in the largest size whose lines fit the box; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font("LatoBlack", size)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= TITLE_LINES and len(lines) * _line_height(font) <= height:
            return font, lines
    lines = lines[:TITLE_LINES]
    while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
        lines[-1] = lines[-1].rsplit(" ", 1)[0]
    lines[-1] += "…"
    return font, lines


def _canvas(site_name: str, accent: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """The card's ground: the site's name at the top, and a band of the accent colour along the foot."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=accent)
    # The site's mark (as in static/favicon.svg) before its name.
    y = 60
    draw.line((MARGIN, y + 16, MARGIN + 44, y + 16), fill=ACCENT, width=5)
    for x, radius in ((MARGIN + 6, 6), (MARGIN + 22, 9), (MARGIN + 38, 6)):
        draw.ellipse((x - radius, y + 16 - radius, x + radius, y + 16 + radius), fill=ACCENT)
    draw.text((MARGIN + 62, y + 16), site_name, font=_font("LatoBold", 30), fill=ACCENT, anchor="lm")
    return image, draw


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    return int(font.size * 1.15)


def _title_block(draw: ImageDraw.ImageDraw, title: str, top: int, bottom: int) -> None:
    """Draws the title between `top` and `bottom`."""
    font, lines = _fitted_title(draw, title, TEXT_WIDTH, bottom - top)
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * _line_height(font)), line, font=font, fill=TEXT)


def _chips(draw: ImageDraw.ImageDraw, names: list[str], y: int, right: int) -> None:
    """Country names as rounded chips in a row from the left margin up to `right`; "+N" for the rest."""
    font = _font("LatoBold", 30)
    x = MARGIN
    for shown, name in enumerate(names):
        left_out = len(names) - shown - 1
        width = int(draw.textlength(name, font=font)) + 40
        # Room for this chip, and for a "+N" chip after it while names remain.
        if x + width + (90 if left_out else 0) > right:
            name, width = f"+{len(names) - shown}", 80
        draw.rounded_rectangle((x, y, x + width, y + 52), radius=26, fill=CHIP)
        draw.text((x + width // 2, y + 26), name, font=font, fill=ACCENT, anchor="mm")
        if name.startswith("+"):
            return
        x += width + 14


def _tone_scale(draw: ImageDraw.ImageDraw, tone: int, label: str, y: int) -> int:
    """Five steps from hostile to strongly cooperative, the event's filled, and its name beside them;
    returns where the scale begins."""
    font = _font("LatoBold", 28)
    text = f"Tone: {label}"
    text_width = int(draw.textlength(text, font=font))
    step, gap = 34, 6
    right = WIDTH - MARGIN
    left = right - text_width - 20 - 5 * step - 4 * gap
    for position, value in enumerate(range(-2, 3)):
        x = left + position * (step + gap)
        colour = TONE_COLOURS[value]
        if value == tone:
            draw.rounded_rectangle((x, y + 4, x + step, y + 48), radius=6, fill=colour)
        else:
            draw.rounded_rectangle((x, y + 16, x + step, y + 36), radius=6, outline=colour, width=3)
    draw.text((right, y + 26), text, font=font, fill=TONE_COLOURS[tone], anchor="rm")
    return left


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def event_card(card: EventCard) -> bytes:
    """An event's card: its date, title, countries and tone."""
    accent = TONE_COLOURS[card.tone] if card.tone is not None else ACCENT
    image, draw = _canvas(card.site_name, accent)
    draw.text((MARGIN, 150), card.when, font=_font("LatoBold", 40), fill=MUTED)
    bottom = HEIGHT - 18 - 48 - 52
    _title_block(draw, card.title, 212, bottom - 54)
    draw.line((MARGIN, bottom - 30, WIDTH - MARGIN, bottom - 30), fill=LINE, width=2)
    chips_end = WIDTH - MARGIN
    if card.tone is not None and card.tone_label:
        chips_end = _tone_scale(draw, card.tone, card.tone_label, bottom) - 32
    _chips(draw, card.countries, bottom, chips_end)
    return _png(image)


def view_card(card: ViewCard) -> bytes:
    """A view's card (a relation page, a filtered timeline): its name and its figures."""
    image, draw = _canvas(card.site_name, ACCENT)
    draw.text((MARGIN, 150), "Timeline of dated, sourced events", font=_font("LatoBold", 36), fill=MUTED)
    bottom = HEIGHT - 18 - 48 - 84
    _title_block(draw, card.title, 206, bottom - 54)
    draw.line((MARGIN, bottom - 30, WIDTH - MARGIN, bottom - 30), fill=LINE, width=2)
    x = MARGIN
    for figure, counted in card.figures:
        draw.text((x, bottom), figure, font=_font("LatoBlack", 60), fill=ACCENT)
        draw.text((x, bottom + 66), counted, font=_font("LatoBold", 26), fill=MUTED)
        x += max(int(draw.textlength(figure, font=_font("LatoBlack", 60))), 160) + 72
    return _png(image)
