from datetime import date

import pytest

from app.dates import InvalidDate, format_span, parse_partial_date, period_end
from app.models import Precision

DAY, MONTH, YEAR = Precision.day, Precision.month, Precision.year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", (date(2020, 1, 1), YEAR)),
        ("2020-06", (date(2020, 6, 1), MONTH)),
        ("2020-06-15", (date(2020, 6, 15), DAY)),
        (" 2020-06-15 ", (date(2020, 6, 15), DAY)),
    ],
)
def test_partial_dates_give_first_day_and_precision(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2020-13", "2020-02-30", "20", "2020/06/15", "June 2020", "2020-6", ""])
def test_invalid_partial_dates_are_rejected(text):
    with pytest.raises(InvalidDate):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("start", "precision", "end"),
    [
        (date(2020, 1, 1), YEAR, date(2020, 12, 31)),
        (date(2024, 2, 1), MONTH, date(2024, 2, 29)),
        (date(2020, 6, 15), DAY, date(2020, 6, 15)),
    ],
)
def test_period_end_is_the_last_day_the_date_covers(start, precision, end):
    assert period_end(start, precision) == end


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((date(2020, 1, 1), YEAR), "2020"),
        ((date(2020, 6, 1), MONTH), "June 2020"),
        ((date(2020, 6, 15), DAY), "15 June 2020"),
        ((date(2017, 6, 16), DAY, date(2017, 8, 28), DAY), "16 June – 28 August 2017"),
        ((date(2017, 6, 16), DAY, date(2017, 6, 28), DAY), "16–28 June 2017"),
        ((date(1962, 10, 20), DAY, date(1962, 11, 21), DAY), "20 October – 21 November 1962"),
        ((date(2020, 5, 5), DAY, date(2024, 10, 30), DAY), "5 May 2020 – 30 October 2024"),
        ((date(1986, 6, 1), MONTH, date(1987, 1, 1), YEAR), "June 1986 – 1987"),
        ((date(2014, 9, 1), MONTH, date(2014, 9, 30), DAY), "September – 30 September 2014"),
        ((date(2020, 6, 15), DAY, date(2020, 6, 15), DAY), "15 June 2020"),
        ((date(2020, 4, 1), MONTH, date(2020, 7, 1), MONTH), "April–July 2020"),
        ((date(2020, 11, 1), MONTH, date(2021, 2, 1), MONTH), "November 2020 – February 2021"),
        ((date(2020, 1, 1), YEAR, date(2021, 1, 1), YEAR), "2020–2021"),
    ],
)
def test_dates_are_shown_at_their_precision(args, text):
    assert format_span(*args) == text
