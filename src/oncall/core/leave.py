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
from datetime import date, datetime, timedelta

from oncall.core.model import DateRange, Member, Rotation


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
