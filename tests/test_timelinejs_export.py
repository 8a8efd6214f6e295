"""The TimelineJS export: the view's eras, the app's own dates on each slide, and rows by choice."""

import textwrap

import pytest
from bs4 import BeautifulSoup

from app.ingest import ingest
from tests.conftest import FIXTURES, write

PAIR = "country=IN&country=CN"


@pytest.fixture
def client_with_eras(client, seeded_engine):
    ingest(seeded_engine, [FIXTURES / "eras.yaml"])
    return client


def slides(client, query: str = PAIR) -> list[dict]:
    response = client.get(f"/timelinejs.json?{query}")
    assert response.status_code == 200
    return response.json()["events"]


def test_the_export_holds_the_eras_of_the_view(client_with_eras):
    eras = client_with_eras.get(f"/timelinejs.json?{PAIR}").json()["eras"]
    assert [era["text"]["headline"] for era in eras] == [
        "War on the frontier",
        "Standoff on the plateau",
        "Renewed talks",
    ]
    assert eras[0]["start_date"] == {"year": 1962, "month": 10, "day": 20}
    assert eras[0]["end_date"] == {"year": 1962, "month": 11, "day": 21}
    assert eras[0]["text"]["text"] == "<p>A month of fighting along the disputed frontier.</p>"


def test_an_era_ends_on_the_last_day_of_its_last_period(client_with_eras):
    # "2017-06" to "2017-08" covers August; "2024" to "2025" covers 2025: TimelineJS reads a month
    # or a year as its first day, so the band would stop short.
    eras = client_with_eras.get(f"/timelinejs.json?{PAIR}").json()["eras"]
    assert [era["end_date"] for era in eras[1:]] == [
        {"year": 2017, "month": 8, "day": 31},
        {"year": 2025, "month": 12, "day": 31},
    ]


def test_the_export_leaves_out_eras_outside_the_views_dates(client_with_eras):
    eras = client_with_eras.get(f"/timelinejs.json?{PAIR}&from=2017&to=2018").json()["eras"]
    assert [era["text"]["headline"] for era in eras] == ["Standoff on the plateau"]


def test_a_view_without_eras_has_an_empty_list_of_them(shared_client):
    assert shared_client.get(f"/timelinejs.json?{PAIR}").json()["eras"] == []


@pytest.mark.parametrize(
    ("slug", "display_date"),
    [
        ("1962-war", "20 October – 21 November 1962"),
        ("1988-visit", "December 1988"),
        ("1999-year-event", "1999"),
        ("2020-clash", "15 June 2020"),
    ],
)
def test_each_slide_shows_its_date_as_the_app_writes_it(shared_client, slug, display_date):
    slide = next(slide for slide in slides(shared_client, "") if slide["unique_id"] == slug)
    assert slide["display_date"] == display_date


def test_every_slide_shows_the_date_the_timeline_shows(shared_client):
    page = BeautifulSoup(shared_client.get("/").text, "html.parser")
    shown = {li["id"]: li.select_one(".event-date time").get_text() for li in page.select("li.event")}
    assert {slide["unique_id"]: slide["display_date"] for slide in slides(shared_client, "")} == shown


@pytest.mark.parametrize("query", ["", "group=none"])
def test_slides_have_no_group_unless_one_is_asked_for(shared_client, query):
    assert [slide for slide in slides(shared_client, query) if "group" in slide] == []


def test_grouping_by_topic_puts_each_slide_in_its_first_topics_row(shared_client):
    groups = {slide["unique_id"]: slide["group"] for slide in slides(shared_client, f"{PAIR}&group=topic")}
    assert groups["1962-war"] == "Border"
    assert groups["1999-year-event"] == "Trade"


def test_grouping_by_country_puts_each_slide_in_the_row_of_its_countries(shared_client):
    groups = {slide["unique_id"]: slide["group"] for slide in slides(shared_client, "group=country")}
    assert groups["1962-war"] == "China and India"
    assert groups["2020-tariff-talks"] == "India and United States"
    assert groups["2024-summit"] == "China, India and Russia"


@pytest.mark.parametrize("value", ["", "topics", "Topic", "era"])
def test_an_unknown_grouping_is_refused_naming_the_parameter(shared_client, value):
    response = shared_client.get(f"/timelinejs.json?group={value}")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", "group"]
    assert "'none', 'topic' or 'country'" in error["msg"]


def test_the_schema_lists_the_groupings(shared_client):
    parameters = shared_client.get("/openapi.json").json()["paths"]["/timelinejs.json"]["get"]["parameters"]
    group = next(parameter for parameter in parameters if parameter["name"] == "group")
    assert group["schema"]["enum"] == ["none", "topic", "country"]
    assert group["schema"]["default"] == "none"


def test_each_grouping_has_its_own_validator(shared_client):
    tags = {value: shared_client.get(f"/timelinejs.json?group={value}").headers["etag"] for value in ["none", "topic"]}
    assert tags["none"] != tags["topic"]
    revalidated = shared_client.get("/timelinejs.json?group=topic", headers={"If-None-Match": tags["none"]})
    assert revalidated.status_code == 200
    assert "group" in revalidated.json()["events"][0]


def test_an_eras_name_and_description_are_escaped_like_a_headline(client, seeded_engine, tmp_path):
    era = """
        eras:
          - slug: hostile-era
            name: "<img src=x onerror=alert(1)>"
            description: "<script>alert(2)</script>"
            start_date: "2021"
            end_date: "2021"
            countries: [IN]
    """
    ingest(seeded_engine, [write(tmp_path, "hostile-era.yaml", textwrap.dedent(era))])
    (era_slide,) = client.get("/timelinejs.json?country=IN&from=2021&to=2021").json()["eras"]
    assert era_slide["text"] == {
        "headline": "&lt;img src=x onerror=alert(1)&gt;",
        "text": "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>",
    }
