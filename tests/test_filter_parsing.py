"""Filter parsing without a database: the schema's date pattern against the parser, and the messages."""

import re

import pytest

from app.filters import DATE_PATTERN, FilterParams, InvalidFilter, PageParams, parse_filter, parse_view


class Known:
    country_names = {"IN": "India", "CN": "China"}
    topic_names = {"border": "Border"}


DATES = [
    f"{year:04d}{rest}"
    for year in (0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 9999)
    for rest in ("", "-00", "-01", "-02", "-12", "-13", "-02-28", "-02-29", "-02-30", "-04-31", "-12-31", "-01-32")
] + ["٥٥٥٥", " 2020", "2020 ", "20201", "2020-1", "2020-01-1", "+2020", ""]


@pytest.mark.parametrize("text", DATES)
def test_the_schema_pattern_accepts_exactly_the_dates_the_parser_reads(text):
    try:
        parse_filter(FilterParams(date_from=text), Known())
        parsed = True
    except InvalidFilter:
        parsed = False
    assert parsed == bool(re.fullmatch(DATE_PATTERN, text))


def test_every_problem_is_reported_by_its_parameter_in_order():
    params = FilterParams(country=["in", "zz"], date_to="2021-02-29", importance="9", order="up")
    with pytest.raises(InvalidFilter) as caught:
        parse_view(params, PageParams(after="x", limit="0"), Known(), 50)
    assert caught.value.for_param() == {
        "country": "unknown country code 'zz'",
        "to": "'2021-02-29' is not a valid date",
        "importance": "'9' is not 1, 2 or 3",
        "order": "'up' is not 'asc' or 'desc'",
        "after": "'x' is not a cursor from a `next` link",
        "limit": "'0' is not a number from 1 to 200",
    }


def test_a_valid_filter_is_typed():
    params = FilterParams(country=["in", "CN", "IN"], topic=["BORDER"], date_from="2020", importance="1")
    timeline_filter, page = parse_view(params, PageParams(limit="5"), Known(), 50)
    assert (timeline_filter.countries, timeline_filter.topics, timeline_filter.importance) == (
        ("IN", "CN"),
        ("border",),
        1,
    )
    assert (str(timeline_filter.date_from), timeline_filter.from_text, timeline_filter.order) == (
        "2020-01-01",
        "2020",
        "asc",
    )
    assert (page.after, page.size) == (None, 5)
