"""The overview of a view: events per period and their average tone, from one grouped query, drawn
as server-rendered SVG with the same figures in a table."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import event as sqlalchemy_event
from sqlmodel import Session

from app import queries
from app.config import PROJECT_DIR, Settings
from app.filters import FilterParams, TimelineFilter, parse_filter
from app.ingest import ingest
from app.main import create_app
from app.overview import overview_chart, view_overview
from tests.conftest import FIXTURES

ERAS = FIXTURES / "eras.yaml"
HX = {"HX-Request": "true"}
BILATERAL = TimelineFilter(countries=("IN", "CN"))


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def by_key(data: queries.Overview) -> dict[str, queries.Period]:
    return {period.key: period for period in data.periods}


def test_bilateral_overview_counts_events_by_year_with_their_average_tone(shared_engine):
    with Session(shared_engine) as session:
        data = queries.overview(session, BILATERAL)
    periods = by_key(data)
    assert data.unit == "year"
    # Every year from the first event to the last, empty ones included, so the axis is time.
    assert list(periods) == [str(year) for year in range(1962, 2026)]
    assert (periods["2020"].events, periods["2020"].tone) == (2, -1.5)
    assert (periods["1999"].events, periods["1999"].tone) == (1, None)  # no tone given
    assert periods["1963"].events == 0
    assert (periods["2025"].events, periods["2025"].tone) == (1, 1.0)
    assert data.events == 8 and data.left_out == 0


@pytest.mark.parametrize(
    ("params", "unit", "first", "last", "counts"),
    [
        # A short range is counted by month, and shown whole.
        ({"date_from": "2020", "date_to": "2020"}, "month", "2020-01", "2020-12", {"2020-06": 3}),
        ({"date_from": "2024-06", "date_to": "2025-05"}, "month", "2024-06", "2025-05", {"2024-10": 1, "2025-04": 1}),
        # Only events dated to a year: by month they would have nowhere to go.
        ({"date_from": "1999", "date_to": "1999"}, "year", "1999", "1999", {"1999": 1}),
        # Without dates, a short span of events is by month too.
        ({"country": ["PK"]}, "month", "2025-08", "2025-08", {"2025-08": 1}),
        ({"date_from": "2017"}, "year", "2017", "2025", {"2017": 1, "2020": 3, "2024": 1, "2025": 3}),
    ],
)
def test_the_unit_and_range_follow_the_filter(shared_engine, params, unit, first, last, counts):
    with Session(shared_engine) as session:
        timeline_filter = parse_filter(FilterParams(**params), queries.stats(session))
        data = queries.overview(session, timeline_filter)
    assert data.unit == unit
    assert (data.periods[0].key, data.periods[-1].key) == (first, last)
    assert {key: period.events for key, period in by_key(data).items() if period.events} == counts


def test_the_overview_is_one_grouped_query_and_then_cached(seeded_engine):
    statements = []
    with Session(seeded_engine) as session:
        queries.stats(session)
        connection = session.connection()
        sqlalchemy_event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
        queries.overview(session, BILATERAL.replace(topics=("border",)))
        queries.overview(session, BILATERAL.replace(topics=("border",), order="desc"))
    (statement,) = statements
    assert "GROUP BY" in statement and "count(" in statement.lower()


def test_the_overview_is_kept_until_the_data_changes(seeded_engine):
    with Session(seeded_engine) as session:
        first = queries.overview(session, BILATERAL)
        assert queries.overview(session, BILATERAL) is first
        assert view_overview(session, BILATERAL).bands == []
    ingest(seeded_engine, [ERAS])
    with Session(seeded_engine) as session:
        assert queries.overview(session, BILATERAL) is not first
        assert view_overview(session, BILATERAL).bands


def test_events_that_began_before_the_range_are_left_out_of_the_bars_and_said_so(shared_engine):
    timeline_filter = TimelineFilter(date_from=date(2017, 7, 1), from_text="2017-07")
    with Session(shared_engine) as session:
        data = queries.overview(session, timeline_filter)
    # The plateau standoff (June to August 2017) overlaps the range but began before it.
    assert data.left_out == 1
    chart = overview_chart(data, [], timeline_filter)
    assert chart.note == "1 matching event is not in the bars: it began before this range."


def test_an_overview_without_any_tone_has_bars_and_no_line():
    periods = [
        queries.Period("2024", date(2024, 1, 1), date(2024, 12, 31), 2, 0, 0),
        queries.Period("2025", date(2025, 1, 1), date(2025, 12, 31), 1, 0, 0),
    ]
    chart = overview_chart(queries.Overview("year", periods, 3, 0), [], TimelineFilter())
    assert [bar.period.events for bar in chart.bars] == [2, 1]
    assert chart.tone_line == [] and chart.dots == []


def test_the_timeline_shows_the_overview_as_svg_with_a_title_a_description_and_a_table(shared_client):
    html = soup(shared_client.get("/?country=IN&country=CN"))
    overview = html.select_one("#results section.overview")
    svg = overview.select_one("svg.overview-chart")
    assert svg["aria-labelledby"] == "overview-title" and svg["aria-describedby"] == "overview-desc"
    assert svg.find("title", id="overview-title").get_text() == "Events per year and average tone, 1962 to 2025"
    description = svg.find("desc", id="overview-desc").get_text()
    assert "8 in all" in description and "lowest \u22122.0 in 1962" in description
    bars = {a["aria-label"].split(":")[0]: a for a in svg.select("a.bar-link")}
    assert list(bars) == ["1962", "1988", "1999", "2017", "2020", "2024", "2025"]
    assert bars["2020"]["href"] == "/?country=IN&country=CN&from=2020&to=2020"
    assert bars["2020"]["aria-label"] == "2020: 2 events, average tone \u22121.5 (hostile)"
    assert bars["1999"]["aria-label"] == "1999: 1 event, no tone given"
    assert bars["2020"].select("rect.bar") and bars["2020"].find("title").get_text() == bars["2020"]["aria-label"]
    assert svg.select_one("path.tone-line")["d"].startswith("M0.5 ")
    assert svg.select_one("line.zero-line")
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in overview.select("table tbody tr")]
    assert rows[0] == ["1962", "1", "\u22122.0"] and rows[2] == ["1999", "1", "—"] and len(rows) == 7
    assert overview.select_one("table tbody a")["href"] == "/?country=IN&country=CN&from=1962&to=1962"


def test_the_htmx_fragment_carries_the_overview_of_the_new_filter(shared_client):
    fragment = soup(shared_client.get("/?country=IN&country=CN&from=2020&to=2020", headers=HX))
    # htmx names the tab after the fragment's first <title>: the view's, before the chart's own.
    assert fragment.find("title").get_text() == "Filtered timeline · Relations Timeline"
    svg = fragment.select_one("#results svg.overview-chart")
    assert svg.find("title").get_text() == "Events per month and average tone, January 2020 to December 2020"
    (june,) = svg.select("a.bar-link")
    assert june["href"] == "/?country=IN&country=CN&from=2020-06&to=2020-06"
    assert (june["data-period-from"], june["data-period-to"]) == ("2020-06", "2020-06")


def test_a_bar_keeps_the_other_filters_and_stays_within_the_dates_asked_for(shared_client):
    svg = soup(shared_client.get("/?topic=border&from=2020-03&importance=1&order=desc")).select_one(
        "svg.overview-chart"
    )
    hrefs = [a["href"] for a in svg.select("a.bar-link")]
    assert hrefs == [
        "/?topic=border&from=2020-03&to=2020&importance=1&order=desc",
        "/?topic=border&from=2025&to=2025&importance=1&order=desc",
    ]


@pytest.mark.parametrize("path", ["/?q=nothing-like-this", "/?from=2020-13"])
def test_no_overview_without_results(shared_client, path):
    assert soup(shared_client.get(path)).select_one("svg.overview-chart") is None


def test_the_overview_needs_no_inline_style_or_script(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    text = client.get("/").text
    assert not re.search(r"\sstyle=|\son[a-z]+=|<script>|javascript:", text)


def test_the_svg_uses_standard_elements_and_attributes_only(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    svg = soup(client.get("/")).select_one("svg.overview-chart")
    standard = {"svg", "title", "desc", "g", "rect", "line", "path", "circle", "text", "a"}
    assert {element.name for element in svg.find_all(True)} | {"svg"} <= standard
    assert not any(name.startswith("xlink") for element in svg.find_all(True) for name in element.attrs)


def test_eras_are_bands_on_the_overview_with_a_numbered_legend(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    overview = soup(client.get("/?country=IN&country=CN")).select_one("section.overview")
    bands = overview.select("rect.era-band")
    assert [band.find("title").get_text() for band in bands] == [
        "1. War on the frontier, 20 October – 21 November 1962",
        "2. Standoff on the plateau, June–August 2017",
        "3. Renewed talks, 2024–2025",
    ]
    # Bands are placed in years from the first period: 2017 starts 55 years after 1962.
    assert float(bands[1]["x"]) == pytest.approx(55 + 151 / 365, abs=0.01)
    assert [text.get_text() for text in overview.select("text.era-label")] == ["1", "2", "3"]
    legend = [(a.get_text(), a["href"]) for a in overview.select("ol.era-legend a")]
    assert legend[1] == ("Standoff on the plateau", "/?country=IN&country=CN&from=2017-06&to=2017-08")


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
        tone = {period.key: period.tone for period in queries.overview(session, BILATERAL).periods}
    assert tone["2020"] < min(0, tone["2019"])
    assert tone["2024"] > 0 and tone["2025"] > 0
    assert min(tone["2024"], tone["2025"]) > max(tone["2020"], tone["2022"], tone["2023"])

    with TestClient(create_app(Settings(database_url=database_url))) as client:
        svg = soup(client.get("/?country=IN&country=CN")).select_one("svg.overview-chart")
    # The line's height per year, as drawn: lower on screen is a larger y.
    points = re.findall(r"[ML]([\d.]+) ([\d.]+)", svg.select_one("path.tone-line")["d"])
    y = {1950 + int(float(x) - 0.5): float(value) for x, value in points}
    assert y[2020] > y[2019] and y[2024] < y[2023] and y[2025] < y[2023]
    assert len(svg.select("rect.era-band")) >= 8
