"""Which duty days a person's busy time takes them off, as `oncall leave import` writes them.

Pure: busy times in, dates and ranges out. A whole-day event (a date, as calendars write
leave) takes every day it covers. A timed event takes a duty day when it overlaps that
day's duty window, in the rotation's zone: a dentist at 09:00-11:00 takes a 10:00-17:00
duty day, one at 18:00-19:00 does not, and a flight at 23:00-02:00 takes the night window
it overlaps. Only duty weekdays are written, and a run of them with only non-duty weekdays
between (a weekend) is one range, so a two-week holiday is one line, as a person writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from oncall.core.model import DateRange, Member, Rotation, Term


class Busy:
    """One busy occurrence: whole days (``date``s, end exclusive) or an interval of aware
    instants (``datetime``s; equal ends mean an instant), with the event's UID."""

    __slots__ = ("end", "start", "uid")

    def __init__(self, uid: str, start: date, end: date) -> None:
        self.uid = uid
        self.start = start
        self.end = end


def busy_days(busy: Iterable[Busy], rotation: Rotation, first: date, last: date) -> set[date]:
    """The duty weekdays from ``first`` to ``last`` that some busy time takes."""
    days: set[date] = set()
    window = rotation.window
    for item in busy:
        if not isinstance(item.start, datetime):
            day = max(item.start, first)
            while day < item.end and day <= last:
                if day.weekday() in window.days:
                    days.add(day)
                day += timedelta(days=1)
            continue
        assert isinstance(item.end, datetime)
        # A window can start the day before the event (a night window) and end after it.
        day = max(item.start.astimezone(rotation.tz).date() - timedelta(days=1), first)
        stop = min(item.end.astimezone(rotation.tz).date(), last)
        while day <= stop:
            if day.weekday() in window.days and _overlaps(item, *window.bounds(day, rotation.tz)):
                days.add(day)
            day += timedelta(days=1)
    return days


def _overlaps(item: Busy, start: datetime, end: datetime) -> bool:
    """Whether the busy interval meets the window ``start``..``end`` (half open)."""
    assert isinstance(item.start, datetime) and isinstance(item.end, datetime)
    if item.start == item.end:  # an instant (a timed event without an end)
        return start <= item.start < end
    return item.start < end and start < item.end


def new_ranges(days: set[date], member: Member, duty_weekdays: frozenset[int]) -> list[DateRange]:
    """The days not yet in ``member``'s unavailable list, as ranges that bridge non-duty
    weekdays (a leave from Monday to the next Friday is one range)."""
    todo = sorted(day for day in days if member.available_on(day))
    ranges: list[DateRange] = []
    for day in todo:
        if ranges and _only_off_days_between(ranges[-1].last, day, duty_weekdays):
            ranges[-1] = DateRange(ranges[-1].first, day)
        else:
            ranges.append(DateRange.single(day))
    return ranges


def _only_off_days_between(before: date, after: date, duty_weekdays: frozenset[int]) -> bool:
    day = before + timedelta(days=1)
    while day < after:
        if day.weekday() in duty_weekdays:
            return False
        day += timedelta(days=1)
    return True


class Outside:
    """A busy event with days outside the term, which the import does not take: all of
    them (``partly`` False), or some (the days from ``first`` to ``last`` beyond it)."""

    __slots__ = ("first", "last", "partly", "recurring", "uid")

    def __init__(
        self, uid: str, first: date, last: date, *, partly: bool, recurring: bool
    ) -> None:
        self.uid = uid
        self.first = first
        self.last = last
        self.partly = partly
        self.recurring = recurring


def outside_term(
    events: Iterable[tuple[Busy, bool]], occurring: set[str], term: Term, tz: tzinfo
) -> list[Outside]:
    """The events (each as written, and whether it recurs) with days outside ``term``:
    a recurring one when none of its occurrences (``occurring``: their UIDs) falls in
    the term, a single one when any of its days does not."""
    found: list[Outside] = []
    for item, recurring in events:
        first, last = local_days(item, tz)
        if recurring:
            if item.uid not in occurring:
                found.append(Outside(item.uid, first, last, partly=False, recurring=True))
            continue
        if last < term.start or first > term.end:
            found.append(Outside(item.uid, first, last, partly=False, recurring=False))
        elif first < term.start or last > term.end:
            beyond = (first, term.start - timedelta(days=1)) if first < term.start else (
                term.end + timedelta(days=1), last
            )
            found.append(Outside(item.uid, *beyond, partly=True, recurring=False))
    return sorted(found, key=lambda o: (o.first, o.uid))


def local_days(item: Busy, tz: tzinfo) -> tuple[date, date]:
    """The first and last calendar day (in ``tz``) a busy time touches."""
    if not isinstance(item.start, datetime):
        return item.start, max(item.start, item.end - timedelta(days=1))
    assert isinstance(item.end, datetime)
    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
    last = end.date()
    if end > start and end.time() == datetime.min.time():
        last -= timedelta(days=1)  # ends at midnight: the day before is its last
    return start.date(), max(start.date(), last)
