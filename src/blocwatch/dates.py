"""Dates with a precision.

A date is written at the precision its source gives it: ``2005-08-26`` (day),
``2005-08`` (month) or ``2005`` (year). ``2005`` means "some day in 2005":
it is the interval of days from 2005-01-01 to 2005-12-31, never 2005-01-01.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from blocwatch.errors import DateError

Precision = Literal["day", "month", "year", "range"]

_FORMAT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a precision: the days from ``first`` to ``last``."""

    text: str
    precision: Precision
    first: dt.date
    last: dt.date

    def __str__(self) -> str:
        return self.text

    @property
    def exact(self) -> bool:
        return self.precision == "day"


def parse_date(text: str, *, what: str = "date") -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise DateError naming the text."""
    raw = text.strip()
    match = _FORMAT.fullmatch(raw)
    if match is None:
        raise DateError(f"{what} {text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    if year < 1:
        raise DateError(f"{what} {text!r} is impossible: year 0 does not exist")
    if match.group(2) is None:
        return PartialDate(raw, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise DateError(f"{what} {text!r} is impossible: there is no month {month}")
    days_in_month = calendar.monthrange(year, month)[1]
    if match.group(3) is None:
        return PartialDate(
            raw, "month", dt.date(year, month, 1), dt.date(year, month, days_in_month)
        )
    day = int(match.group(3))
    if not 1 <= day <= days_in_month:
        month_name = calendar.month_name[month]
        raise DateError(
            f"{what} {text!r} is impossible: {month_name} {year} has {days_in_month} days"
        )
    exact = dt.date(year, month, day)
    return PartialDate(raw, "day", exact, exact)


def today() -> PartialDate:
    return parse_date(dt.date.today().isoformat())


def window(first: dt.date, last: dt.date) -> PartialDate:
    """The days from FIRST to LAST as one imprecise date (a single day when equal)."""
    if first == last:
        return PartialDate(first.isoformat(), "day", first, first)
    return PartialDate(f"{first.isoformat()}..{last.isoformat()}", "range", first, last)
