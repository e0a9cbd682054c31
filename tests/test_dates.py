import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blocwatch.dates import parse_date
from blocwatch.errors import DateError


@pytest.mark.parametrize(
    "text, precision, first, last",
    [
        ("2005", "year", dt.date(2005, 1, 1), dt.date(2005, 12, 31)),  # a year is all its days
        ("2005-08", "month", dt.date(2005, 8, 1), dt.date(2005, 8, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
        ("2018-11-21", "day", dt.date(2018, 11, 21), dt.date(2018, 11, 21)),
        (" 2018-11-21 ", "day", dt.date(2018, 11, 21), dt.date(2018, 11, 21)),  # spaces ignored
    ],
)
def test_parse_date_keeps_precision(text, precision, first, last):
    d = parse_date(text)
    assert (d.precision, d.first, d.last) == (precision, first, last)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2018-02-31", "'2018-02-31' is impossible: February 2018 has 28 days"),
        ("2018-13", "'2018-13' is impossible: there is no month 13"),
        ("21 November 2018", "'21 November 2018' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "'0000' is impossible: year 0 does not exist"),
        ("", "'' is not a date"),
    ],
)
def test_parse_date_rejects_with_reason(text, message):
    with pytest.raises(DateError) as err:
        parse_date(text)
    assert message in str(err.value)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_any_real_day_round_trips(day):
    d = parse_date(day.isoformat())
    assert d.first == d.last == day


@given(st.text(max_size=20))
def test_parse_date_never_fails_other_than_date_error(text):
    try:
        d = parse_date(text)
    except DateError:
        return
    assert d.first <= d.last
