"""The period a report covers: one term (``--term START``), a year (``--year 2027``) or
the days from one date to another (``--from D --to D``); none: every term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncall.core.dates import in_range, parse_day
from oncall.core.errors import InputError
from oncall.core.model import DateRange


@dataclass(frozen=True)
class Period:
    """``days`` to count (None: every term's), or ``term``: the term starting that day."""

    days: DateRange | None = None
    term: date | None = None

    def describe(self) -> str:
        if self.term is not None:
            return f"the term starting {self.term}"
        if self.days is not None:
            return f"{self.days.first}..{self.days.last}"
        return "every term"


def parse_period(
    term: str | None, year: str | None, first: str | None, last: str | None, today: date
) -> Period:
    """The period the options name; more than one kind, or half of --from/--to, is refused."""
    given = [name for name, value in (("--term", term), ("--year", year)) if value is not None]
    if first is not None or last is not None:
        given.append("--from/--to")
    if len(given) > 1:
        raise InputError(
            f"found {' and '.join(given)}, expected one way to give the period",
            hint="use one of --term START, --year YYYY or --from D --to D",
        )
    if term is not None:
        return Period(term=parse_day(term, "--term", today))
    if year is not None:
        if not (year.isdigit() and len(year) == 4):
            raise InputError(f"--year: found {year!r}, expected a year such as 2027")
        number = int(year)
        return Period(DateRange(in_range(date(number, 1, 1), "--year"),
                                in_range(date(number, 12, 31), "--year")))
    if first is None or last is None:
        if first is None and last is None:
            return Period()
        missing = "--to" if last is None else "--from"
        raise InputError(f"found only one end of the period, expected {missing} too",
                         hint="give both: --from 2027-01-01 --to 2027-03-31")
    start, end = parse_day(first, "--from", today), parse_day(last, "--to", today)
    if end < start:
        raise InputError(f"--to: found {end}, expected a day on or after --from ({start})")
    return Period(DateRange(start, end))
