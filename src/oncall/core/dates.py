"""Dates and moments as people type them on the command line.

Pure parsing: the caller passes "today" and the rotation's time zone, so the same text
always means the same day (reading the clock is ``oncall.core.clock.Clock``).
Every failure is an input error that names the option and shows what is expected.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from oncall.core.errors import InputError
from oncall.core.model import EARLIEST_DAY, LATEST_DAY, DateRange, day_in_range

DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def parse_day(text: str, option: str, today: date) -> date:
    """An ISO date, or ``today``/``tomorrow`` (and ``yesterday``) relative to ``today``."""
    lowered = text.strip().lower()
    if lowered in DAY_WORDS:
        return today + timedelta(days=DAY_WORDS[lowered])
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{option}: found {text!r}, expected a date such as 2027-01-04, today or tomorrow"
        ) from None
    return in_range(day, option)


def in_range(day: date, option: str) -> date:
    """``day``, if inside the dates a rotation may name: a year such as 9999 would push a
    term, a week or a month past what a date can hold."""
    if not day_in_range(day):
        raise InputError(
            f"{option}: found {day}, expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
        )
    return day


def in_zone(moment: datetime, tz: tzinfo) -> datetime:
    """A moment in ``tz``: a naive one is read as local to it, an aware one converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def parse_moment(text: str, option: str, tz: tzinfo, today: date) -> datetime:
    """An ISO date-time local to ``tz`` (or with an offset), or a day word (its start)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        if "T" not in text.strip().upper() and ":" not in text:
            day = parse_day(text, option, today)
            return datetime.combine(day, datetime.min.time(), tzinfo=tz)
        raise InputError(
            f"{option}: found {text!r}, expected a date-time such as 2027-01-04T11:00 "
            "(local to the rotation, or with an offset such as +09:00), a date, today or "
            "tomorrow"
        ) from None
    in_range(moment.date(), option)
    return in_zone(moment, tz)


def parse_dates(text: str, option: str, today: date) -> DateRange:
    """``D`` or ``D..D`` (inclusive); each D an ISO date, ``today`` or ``tomorrow``."""
    raw = text.strip()
    first_text, sep, last_text = raw.partition("..")
    first = parse_day(first_text, option, today)
    last = parse_day(last_text, option, today) if sep else first
    if last < first:
        raise InputError(
            f"{option}: {raw!r} ends ({last}) before it starts ({first})",
            hint="write the earlier date first: 2027-01-06..2027-01-08",
        )
    return DateRange(first, last)


def parse_month(text: str, option: str, example: date) -> DateRange:
    """``YYYY-MM`` as the range of its days; ``example`` shows the expected form."""
    try:
        year_text, month_text = text.strip().split("-")
        first = date(int(year_text), int(month_text), 1)
    except ValueError:
        raise InputError(
            f"{option}: found {text!r}, expected a month such as {example.strftime('%Y-%m')}"
        ) from None
    in_range(first, option)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return DateRange(first, following - timedelta(days=1))


def term_last_day(start: date, count: int, unit: str, handoff: int | None = None) -> date:
    """The last day of a term of ``count`` ``unit``s (``d``, ``w`` or ``mo``) from ``start``:
    the rotation file's ``term.length`` and ``plan --next-term --length`` alike.

    With ``handoff`` (the weekday weekly shifts start on; None for daily shifts), a term in
    weeks or months ends the day before the handoff weekday nearest to where the length
    alone would end it (at most three days either way), so the next term opens with a
    whole weekly shift and this one closes with one. Terms in days are kept as given."""
    if unit == "mo":
        from dateutil.relativedelta import relativedelta  # ~2 ms to import: months only

        following = start + relativedelta(months=count)
    else:
        following = start + timedelta(days=count * (7 if unit == "w" else 1))
    if handoff is not None and unit != "d":
        back = (following.weekday() - handoff) % 7  # days since the handoff day before
        following += timedelta(days=-back if back <= 3 else 7 - back)
    return following - timedelta(days=1)


def term_handoff(unit: str, handoff: int) -> int | None:
    """The weekday terms line up with (``term_last_day``): the handoff day of weekly
    shifts (``unit`` ``w``); None for daily shifts, whose terms end where their length
    says."""
    return handoff if unit == "w" else None


def parse_duration(text: str, option: str) -> timedelta:
    """A length of time as typed: ``90s``, ``30m``, ``2h`` or ``1d``."""
    raw = text.strip()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = raw[:-1], raw[-1:]
    if unit not in units or not (number.isascii() and number.isdigit()) or len(number) > 6:
        raise InputError(
            f"{option}: found {text!r}, expected a length of time such as 30m, 2h or 1d"
        )
    return timedelta(seconds=int(number) * units[unit])
