"""The time navigator: a view's events along an axis of round periods that zooms and pans, drawn as
server-rendered SVG from the view's month counts, with its steps as plain links."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import event as sqlalchemy_event
from sqlmodel import Session

from app import navigator as navigator_module
from app import queries
from app.config import PROJECT_DIR, Settings
from app.filters import TimelineFilter
from app.ingest import ingest
from app.main import create_app
from app.navigator import layers, navigator
from app.navigator.spans import Span, shown_span, zoomed_in
from app.queries.event_index import event_index
from tests.conftest import FIXTURES

ERAS = FIXTURES / "eras.yaml"
HX = {"HX-Request": "true"}
BILATERAL = TimelineFilter(countries=("IN", "CN"))
# The reference's India–China events run from October 1962 to 2025.
WHOLE = Span(1962 * 12 + 9, 2025 * 12 + 6)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def periods_of(html: BeautifulSoup) -> dict[str, dict]:
    return {a["aria-label"].split(":")[0]: a for a in html.select("#navigator a.period")}


def controls_of(html: BeautifulSoup) -> dict[str, str | None]:
    return {item.get_text(): item.get("href") for item in html.select("#navigator .navigator-controls .control")}


def top_of(mark) -> float:
    return float(re.match(r"M[\d.]+ ([\d.]+)V", mark["d"]).group(1))


def years(first: int, last: int) -> Span:
    return Span(first * 12, last * 12 + 11)


def test_the_whole_range_is_cut_into_decades_each_a_link_to_the_list_there(shared_client):
    html = soup(shared_client.get("/?country=IN&country=CN"))
    periods = periods_of(html)
    assert list(periods) == ["1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "2020s"]
    # A period moves the list, keeping every filter: it is a position (at=), not a narrowing.
    assert periods["2020s"]["href"] == "/?country=IN&country=CN&at=2020"
    assert periods["2020s"]["aria-label"] == "2020s: 4 events, average tone \u22120.2 (neutral)"
    assert periods["1990s"]["aria-label"] == "1990s: 1 event"  # its one event has no tone
    assert html.select_one("#navigator-heading").get_text() == "Events, 1960–2029, by decade"


def test_newest_first_a_period_moves_the_list_to_its_end(shared_client):
    periods = periods_of(soup(shared_client.get("/?country=IN&country=CN&order=desc")))
    assert periods["2020s"]["href"] == "/?country=IN&country=CN&order=desc&at=2029"
    assert periods["1960s"]["href"] == "/?country=IN&country=CN&order=desc&at=1969"


def test_a_span_is_cut_into_the_shortest_round_periods_that_give_at_most_twelve():
    assert shown_span(years(2015, 2025), WHOLE) == (years(2015, 2025), 12)
    assert shown_span(years(2002, 2025), WHOLE) == (years(2002, 2025), 24)
    # Thirteen periods of two years would be too many: five-year periods, whole ones.
    assert shown_span(years(2000, 2025), WHOLE) == (years(2000, 2029), 60)
    assert shown_span(Span(2020 * 12, 2020 * 12 + 5), WHOLE) == (Span(2020 * 12, 2020 * 12 + 5), 1)
    # Never wider than the whole range, nor outside it.
    assert shown_span(years(1900, 2100), WHOLE) == (years(1960, 2029), 120)
    assert shown_span(years(2030, 2040), WHOLE)[0].last >= WHOLE.last


def test_zooming_in_halves_the_span_around_a_month_and_stops_at_six_months():
    assert zoomed_in(years(2000, 2019), 2010 * 12) == Span(2005 * 12, 2014 * 12 + 11)
    assert zoomed_in(Span(2020 * 12, 2020 * 12 + 5), 2020 * 12 + 3) == Span(2020 * 12, 2020 * 12 + 5)


def test_the_controls_zoom_and_pan_by_half_the_span_and_stop_at_the_ends(shared_client):
    whole = controls_of(soup(shared_client.get("/?country=IN&country=CN")))
    # Zooming in keeps where the list is (its first event, October 1962) in view.
    assert whole["Zoom in"] == "/?country=IN&country=CN&span=1960..1994"
    assert whole["Zoom out"] is None and whole["Earlier"] is None and whole["Later"] is None
    assert whole["Whole range"] is None and whole["Only this period"] is None
    at_2020 = controls_of(soup(shared_client.get("/?country=IN&country=CN&at=2020")))
    assert at_2020["Zoom in"] == "/?country=IN&country=CN&at=2020&span=1995..2029"

    middle = controls_of(soup(shared_client.get("/?country=IN&country=CN&span=1990..2009")))
    assert middle["Earlier"] == "/?country=IN&country=CN&span=1980..1999"
    assert middle["Later"] == "/?country=IN&country=CN&span=2000..2019"
    assert middle["Zoom out"] == "/?country=IN&country=CN&span=1980..2019"
    assert middle["Whole range"] == "/?country=IN&country=CN"  # the whole range needs no span=
    # Narrowing to what is shown stays one step away.
    assert middle["Only this period"] == "/?country=IN&country=CN&from=1990&to=2009"

    end = controls_of(soup(shared_client.get("/?country=IN&country=CN&span=2020..2025")))
    assert end["Later"] is None and end["Earlier"] == "/?country=IN&country=CN&span=2017..2022"


def test_five_zooms_over_2020_show_at_most_five_years_around_it(shared_client):
    href, spans = "/?country=IN&country=CN", []
    for _ in range(5):
        periods = soup(shared_client.get(href)).select("#navigator a.period")
        holding_2020 = [period for period in periods if int(period["data-first"][:4]) <= 2020][-1]
        href = holding_2020["data-zoom"]
        found = re.search(r"span=([0-9]{4})[0-9-]*\.\.([0-9]{4})", href)
        spans.append((int(found[1]), int(found[2])))
    first, last = spans[-1]
    assert first <= 2020 <= last and last - first + 1 <= 5
    widths = [last - first for first, last in spans]
    assert widths == sorted(widths, reverse=True)


def test_few_events_are_marks_at_their_dates_with_key_events_taller(shared_client):
    html = soup(shared_client.get("/?country=IN&country=CN"))
    plot = html.select_one("#navigator svg.navigator-plot")
    assert plot["viewbox"] == f"0 0 {(date(2029, 12, 31) - date(1960, 1, 1)).days + 1} 120"
    marks = plot.select("path.mark")
    assert len(marks) == 8
    # 20 October 1962, in days from 1 January 1960 (the middle of the day), and the date the list moves to.
    x, top = (float(number) for number in re.match(r"M([\d.]+) ([\d.]+)V120$", marks[0]["d"]).groups())
    assert x == pytest.approx((date(1962, 10, 20) - date(1960, 1, 1)).days + 0.5)
    assert marks[0]["data-at"] == "1962-10-20"
    assert "mark-key" in marks[0]["class"]
    key = [mark for mark in marks if "mark-key" in mark["class"]]
    other = [mark for mark in marks if "mark-key" not in mark["class"]]
    assert min(top_of(mark) for mark in other) > max(top_of(mark) for mark in key)
    assert plot.select("rect.bar") == []


def test_many_events_are_bars_that_come_back_as_marks_when_zoomed_in(shared_engine, monkeypatch):
    monkeypatch.setattr(navigator_module, "MAX_MARKS", 3)
    with Session(shared_engine) as session:
        wide = navigator(session, BILATERAL)
        close = navigator(session, BILATERAL, (date(2020, 1, 1), date(2021, 12, 31)))
    assert wide.marks == [] and len(wide.bars) == 7  # the seven years with events
    assert len(close.marks) == 2 and close.bars == []


def test_the_month_counts_of_any_view_are_read_from_the_event_index_without_a_query(seeded_engine):
    statements = []
    with Session(seeded_engine) as session:
        queries.stats(session)
        queries.eras(session, BILATERAL)
        queries.month_counts(session, BILATERAL)
        connection = session.connection()
        sqlalchemy_event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
        border = queries.month_counts(session, BILATERAL.replace(topics=("border",)))
        queries.month_counts(session, BILATERAL.replace(topics=("trade",), order="desc"))
        navigator(session, BILATERAL.replace(topics=("border",)), (date(2010, 1, 1), date(2019, 12, 31)))
    assert border and [statement for statement in statements if "count(" in statement.lower()] == []


def test_the_navigator_follows_the_data(seeded_engine):
    with Session(seeded_engine) as session:
        first = event_index(session)
        assert event_index(session) is first
        assert navigator(session, BILATERAL).bands == []
    ingest(seeded_engine, [ERAS])
    with Session(seeded_engine) as session:
        assert event_index(session) is not first
        assert navigator(session, BILATERAL).bands


def test_events_outside_the_span_are_counted_and_said_so(shared_engine):
    with Session(shared_engine) as session:
        chart = navigator(session, BILATERAL, (date(2017, 1, 1), date(2025, 12, 31)))
        by_month = navigator(session, BILATERAL, (date(1999, 1, 1), date(1999, 12, 31)))
    assert sum(period.events for period in chart.periods) == 5
    assert chart.note == "3 matching events are outside the period shown."
    # The one event of 1999 is dated only to the year: no month can hold it.
    assert by_month.note == "8 matching events are outside the period shown or too coarsely dated for it."


def test_a_view_without_any_tone_has_no_line():
    untoned = [
        queries.Period("2024", date(2024, 1, 1), date(2024, 12, 31), 2, 0, 0),
        queries.Period("2025", date(2025, 1, 1), date(2025, 12, 31), 1, 0, 0),
    ]
    assert layers.tone_path(untoned, years(2024, 2025)) == ""


def test_the_navigator_is_svg_with_a_title_a_description_and_a_table(shared_client):
    html = soup(shared_client.get("/?country=IN&country=CN"))
    section = html.select_one("#results section#navigator")
    svg = section.select_one("svg.navigator-axis")
    assert svg["role"] == "group" and svg["aria-describedby"] == "navigator-desc navigator-keys"
    assert svg.find("title", id="navigator-title").get_text() == "Events, 1960–2029, by decade"
    description = svg.find("desc", id="navigator-desc").get_text()
    assert description.startswith("8 events in 7 periods of a decade each; the most, 4, in 2020s.")
    assert "arrow keys" in section.select_one("#navigator-keys").get_text()
    assert svg.select_one("path.tone-line")["d"].startswith("M")
    # The same figures as a table, after the list.
    table = html.select_one("#results #timeline ~ details.overview-figures table")
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in table.select("tbody tr")]
    assert rows[0] == ["1962", "1", "\u22122.0"] and rows[2] == ["1999", "1", "—"] and len(rows) == 7


def test_the_navigator_alone_answers_a_zoom_and_is_cached_apart_from_the_results(shared_client):
    url = "/?country=IN&country=CN&span=2010..2025"
    alone = shared_client.get(url, headers={**HX, "HX-Target": "navigator"})
    results = shared_client.get(url, headers={**HX, "HX-Target": "results"})
    html = soup(alone)
    assert html.select_one("section#navigator") is not None
    assert html.select_one("#results") is None and html.select_one("#timeline") is None
    assert soup(results).select_one("#results section#navigator") is not None
    assert alone.headers["etag"] != results.headers["etag"]
    assert "HX-Target" in alone.headers["vary"]


def test_the_relation_page_shows_the_navigator_without_zoom_controls(shared_client):
    html = soup(shared_client.get("/relations/CN-IN"))
    section = html.select_one("section#navigator")
    assert section.select_one(".navigator-controls") is None
    assert periods_of(html)["2020s"]["href"] == "/?country=IN&country=CN&at=2020"


@pytest.mark.parametrize("path", ["/?q=nothing-like-this", "/?from=2020-13"])
def test_no_navigator_without_results(shared_client, path):
    assert soup(shared_client.get(path)).select_one("#navigator") is None


def test_the_navigator_needs_no_inline_style_or_script(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    text = client.get("/").text
    assert not re.search(r"\sstyle=|\son[a-z]+=|<script>|javascript:", text)


def test_the_svg_uses_standard_elements_and_attributes_only(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    svg = soup(client.get("/")).select_one("svg.navigator-axis")
    standard = {"svg", "title", "desc", "g", "rect", "line", "path", "text", "a"}
    assert {element.name for element in svg.find_all(True)} <= standard
    assert not any(name.startswith("xlink") for element in svg.find_all(True) for name in element.attrs)


def test_eras_are_bands_in_proportion_to_time_with_a_numbered_legend(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    section = soup(client.get("/?country=IN&country=CN")).select_one("section#navigator")
    bands = section.select("rect.era-band")
    assert [item.get_text() for item in section.select("ol.era-legend li")] == [
        "War on the frontier 20 October – 21 November 1962",
        "Standoff on the plateau June–August 2017",
        "Renewed talks 2024–2025",
    ]
    # In days from the span's first day, 1 January 1960.
    assert float(bands[1]["x"]) == (date(2017, 6, 1) - date(1960, 1, 1)).days
    assert [text.get_text() for text in section.select("text.era-label")] == ["1", "2", "3"]
    # The legend is text, not a row of Tab stops before the list.
    assert section.select("ol.era-legend a") == []


def test_eras_of_other_countries_are_not_shown(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    assert soup(client.get("/?country=US")).select("rect.era-band") == []
    assert len(soup(client.get("/?country=IN")).select("rect.era-band")) == 3


def test_an_era_with_room_for_its_name_shows_it(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    labels = soup(client.get("/?from=2024&to=2025")).select("text.era-label")
    assert [label.get_text() for label in labels] == ["1 Renewed talks"]


def test_shipped_data_tone_dips_in_2020_and_rises_in_2024_and_2025(engine, database_url):
    ingest(engine, [PROJECT_DIR / "seeds"])
    with Session(engine) as session:
        counts = queries.month_counts(session, BILATERAL)
        periods = queries.periods_between(counts, 1950 * 12, 2025 * 12 + 11, by_month=False)
    tone = {period.key: period.tone for period in periods}
    assert tone["2020"] < min(0, tone["2019"])
    assert tone["2024"] > 0 and tone["2025"] > 0
    assert min(tone["2024"], tone["2025"]) > max(tone["2020"], tone["2022"], tone["2023"])

    with TestClient(create_app(Settings(database_url=database_url))) as client:
        html = soup(client.get("/?country=IN&country=CN&span=2010..2025"))
    # The line's height per year, as drawn (lower on screen is a larger y), at each year's middle.
    points = re.findall(r"[ML]([\d.]+) ([\d.]+)", html.select_one("path.tone-line")["d"])
    y = {date.fromordinal(date(2010, 1, 1).toordinal() + int(float(x))).year: float(value) for x, value in points}
    assert y[2020] > y[2019] and y[2024] < y[2023] and y[2025] < y[2023]
    assert len(html.select("rect.era-band")) >= 4
