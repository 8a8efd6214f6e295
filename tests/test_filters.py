"""Every filter and their combinations, on the reference dataset, through the page and the API."""

import pytest
from bs4 import BeautifulSoup

ALL = [
    "1962-war",
    "1988-visit",
    "1999-year-event",
    "2017-standoff",
    "2020-clash",
    "2020-tariff-talks",
    "2020-app-ban",
    "2024-summit",
    "2025-export-controls",
    "2025-border-talks",
    "2025-pakistan-visit",
]

CASES = [
    ("", ALL),
    ("country=IN", [s for s in ALL if s not in ("2025-export-controls", "2025-pakistan-visit")]),
    ("country=in", [s for s in ALL if s not in ("2025-export-controls", "2025-pakistan-visit")]),
    ("country=CN&country=US", ["2025-export-controls"]),
    ("country=IN&country=CN&country=RU", ["2024-summit"]),
    (
        "country=IN&country=CN&topic=border",
        ["1962-war", "1988-visit", "2017-standoff", "2020-clash", "2025-border-talks"],
    ),
    ("topic=trade", ["1999-year-event", "2020-tariff-talks", "2020-app-ban", "2025-export-controls"]),
    (
        "topic=multilateral&topic=trade",
        ["1999-year-event", "2020-tariff-talks", "2020-app-ban", "2024-summit", "2025-export-controls"],
    ),
    ("topic=trade&country=US", ["2020-tariff-talks", "2025-export-controls"]),
    (
        "from=2020",
        [
            "2020-clash",
            "2020-tariff-talks",
            "2020-app-ban",
            "2024-summit",
            "2025-export-controls",
            "2025-border-talks",
            "2025-pakistan-visit",
        ],
    ),
    ("to=1999", ["1962-war", "1988-visit", "1999-year-event"]),
    ("from=1999-06&to=1999-06-30", ["1999-year-event"]),
    ("from=1962-11-01&to=1962-11-30", ["1962-war"]),
    ("from=2017-07&to=2017-07", ["2017-standoff"]),
    ("from=2025-04-30&to=2025-05", ["2025-export-controls"]),
    ("from=2020-06-15&to=2020-06-15", ["2020-clash", "2020-tariff-talks"]),
    ("q=clash", ["2020-clash"]),
    ("q=BORDER", ["1962-war", "1988-visit", "2025-border-talks"]),
    ("q=border+talks", ["1988-visit", "2025-border-talks"]),
    ("q=100%25", []),
    ("q=_", ALL),
    ("q=talk*", ["1988-visit", "2020-tariff-talks", "2025-border-talks", "2025-pakistan-visit"]),
    ("q=%22border+talks%22", ["1988-visit", "2025-border-talks"]),
    ("q=%22talks+border%22", []),
    ("q=valley+OR", []),
    ("q=%22unclosed", []),
    ("importance=1", ["1962-war", "1988-visit", "2017-standoff", "2020-clash", "2025-border-talks"]),
    (
        "importance=2&from=2024",
        ["2024-summit", "2025-export-controls", "2025-border-talks", "2025-pakistan-visit"],
    ),
    ("order=desc&to=1999", ["1999-year-event", "1988-visit", "1962-war"]),
    ("from=2021&to=2020", []),
    ("from=0001&to=9999-12-31", ALL),
    ("country=IN&topic=border&from=2018&q=talks&order=desc", ["2025-border-talks"]),
]


def api_slugs(client, query):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 200
    return [item["slug"] for item in response.json()["items"]]


def page_slugs(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    return [li["id"] for li in BeautifulSoup(response.text, "html.parser").select("li.event")]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_api_selects_exactly_the_filtered_events(shared_client, query, expected):
    assert api_slugs(shared_client, query) == expected


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_page_shows_exactly_the_filtered_events(shared_client, query, expected):
    assert page_slugs(shared_client, query) == expected


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("from=2020-13", "from", "'2020-13' is not a valid date"),
        ("to=yesterday", "to", "'yesterday' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("from=0000", "from", "'0000' is not a valid date"),
        ("from=2021-02-29", "from", "'2021-02-29' is not a valid date"),
        ("from=%2B2020", "from", "'+2020' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("from=+2020", "from", "' 2020' has spaces around it"),
        ("country=XX", "country", "unknown country code 'XX'"),
        ("country=India", "country", "unknown country code 'India'"),
        ("topic=weather", "topic", "unknown topic 'weather'"),
        ("order=sideways", "order", "'sideways' is not 'asc' or 'desc'"),
        ("order=DESC", "order", "'DESC' is not 'asc' or 'desc'"),
        ("importance=4", "importance", "'4' is not 1, 2 or 3"),
        ("after=nonsense", "after", "'nonsense' is not a cursor from a `next` link"),
        ("limit=0", "limit", "'0' is not a number from 1 to 200"),
        ("q=" + "x" * 201, "q", "at most 200 characters"),
    ],
)
def test_invalid_filters_answer_422_naming_the_parameter(shared_client, query, param, message):
    api = shared_client.get(f"/api/events?{query}")
    assert api.status_code == 422
    assert {"loc": ["query", param], "msg": message, "type": "value_error"} in api.json()["detail"]

    page = shared_client.get(f"/?{query}")
    assert page.status_code == 422
    html = BeautifulSoup(page.text, "html.parser")
    # Form fields show the message beside them; the paging parameters above the results.
    where = html.find(id=f"error-{param}") or html.select_one(".notice-error")
    assert f"{param}: {message}" in " ".join(where.get_text().split())


def test_several_invalid_parameters_are_all_reported(shared_client):
    detail = shared_client.get("/api/events?from=x&order=y&country=ZZ").json()["detail"]
    assert sorted(error["loc"][1] for error in detail) == ["country", "from", "order"]
