"""The calendar of duty: which dates are duty days and how they group into shifts.

Pure and quick to import: it is built from the days off it is given. Looking those up in
the holiday tables (the ``holidays`` package takes ~100 ms to import) is
``oncall.core.calendar``'s job; the cron path never imports it, because it builds from the
days off that ``oncall plan`` stored in the schedule file. For the same reason the two
classes are plain ones: creating a dataclass costs ~0.5 ms at import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from oncall.core.model import DateRange, Rotation, ShiftUnit, Term


def calendar_basis(rotation: Rotation, first: date, last: date) -> str:
    """A fingerprint of everything the days off depend on (``oncall.core.calendar.days_off``),
    so a stored copy of them can be trusted exactly while the holiday settings are unchanged."""
    cfg = rotation.holidays
    facts = {
        "country": cfg.country,
        "subdivision": cfg.subdivision,
        "closures": [str(span) for span in cfg.closures],
        "language": rotation.language,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    if cfg.yearly:  # only when set: the fingerprints of files written before stay the same
        facts["yearly"] = [str(each) for each in cfg.yearly]
    digest: str = _sha256()(json.dumps(facts, sort_keys=True).encode()).hexdigest()
    return digest[:16]


def _sha256() -> Callable[[bytes], Any]:
    """SHA-256 from CPython's built-in module where there is one: the same digest as
    ``hashlib.sha256``, without hashlib loading OpenSSL (~2.5 ms on every cron run)."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+, no stub
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11, no stub
        except ImportError:  # pragma: no cover - other interpreters, FIPS builds
            from hashlib import sha256
    found: Callable[[bytes], Any] = sha256  # the private modules have no stubs: Any
    return found


class ShiftSlot:
    """One block of the calendar that has at least one duty day: what a shift fills.

    ``first`` and ``last`` are the block's first and last calendar days, clipped to the
    term."""

    __slots__ = ("duty_days", "first", "index", "last")

    def __init__(self, index: int, first: date, last: date, duty_days: tuple[date, ...]) -> None:
        self.index = index
        self.first = first
        self.last = last
        self.duty_days = duty_days

    @property
    def span(self) -> DateRange:
        return DateRange(self.first, self.last)


class DutyCalendar:
    """Duty days and shift slots of a rotation over a range of dates (usually a term),
    and the term it was built for (``term``: what the rules of one term, the member's
    ``terms`` and a shift lying outside the term, are checked against)."""

    __slots__ = ("_duty_set", "days_off", "duty_days", "first", "last", "slots", "term")

    def __init__(
        self,
        first: date,
        last: date,
        duty_days: tuple[date, ...],
        days_off: Mapping[date, str],
        slots: tuple[ShiftSlot, ...],
        term: Term,
    ) -> None:
        self.term = term
        self.first = first
        self.last = last
        self.duty_days = duty_days
        self.days_off = days_off
        self.slots = slots
        self._duty_set = frozenset(duty_days)

    def slot_of(self, day: date) -> ShiftSlot | None:
        """The slot whose block holds ``day`` (duty day or not)."""
        lo, hi = 0, len(self.slots) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            slot = self.slots[mid]
            if day < slot.first:
                hi = mid - 1
            elif day > slot.last:
                lo = mid + 1
            else:
                return slot
        return None

    def is_duty_day(self, day: date) -> bool:
        return day in self._duty_set


def is_duty_weekday(rotation: Rotation, day: date) -> bool:
    return day.weekday() in rotation.window.days


def duty_days(
    rotation: Rotation, first: date, last: date, off: Mapping[date, str]
) -> tuple[date, ...]:
    out = []
    day = first
    while day <= last:
        if day.weekday() in rotation.window.days and day not in off:
            out.append(day)
        day += timedelta(days=1)
    return tuple(out)


def blocks(rotation: Rotation, first: date, last: date) -> list[DateRange]:
    """Calendar blocks of the shift length: Nd blocks from ``first``; Nw blocks starting
    on the handoff weekday, the first one short when ``first`` is not a handoff day."""
    rule = rotation.shift
    out: list[DateRange] = []
    if rule.unit is ShiftUnit.DAYS:
        step = timedelta(days=rule.length)
        start = first
    else:
        step = timedelta(weeks=rule.length)
        start = first
        offset = (rule.handoff - first.weekday()) % 7
        if offset:
            boundary = first + timedelta(days=offset)
            out.append(DateRange(first, min(boundary - timedelta(days=1), last)))
            start = boundary
    while start <= last:
        end = min(start + step - timedelta(days=1), last)
        out.append(DateRange(start, end))
        start = start + step
    return out


def calendar_from(
    rotation: Rotation, first: date, last: date, off: Mapping[date, str], term: Term
) -> DutyCalendar:
    """The duty calendar of ``first..last`` (in or around ``term``) with ``off`` as its
    days off."""
    days = duty_days(rotation, first, last, off)
    slots: list[ShiftSlot] = []
    position = 0
    for block in blocks(rotation, first, last):
        inside = []
        while position < len(days) and days[position] <= block.last:
            inside.append(days[position])
            position += 1
        if inside:
            slots.append(ShiftSlot(len(slots), block.first, block.last, tuple(inside)))
    return DutyCalendar(first, last, days, dict(off), tuple(slots), term)
