"""The calendar of duty: which dates are duty days and how they group into shifts.

Holiday tables are the one slow part (the ``holidays`` package takes ~100 ms to import), so
they are looked up only by ``days_off`` and callers on the cron path pass the days off that
``oncall plan`` stored in the schedule file instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from oncall.core.errors import InputError
from oncall.core.model import DateRange, Rotation, ShiftUnit

CLOSURE_NAMES = {"en": "Company closure", "ja": "会社休業日"}
_HOLIDAY_LANGUAGES = {"en": ("en_US", "en_GB", "en"), "ja": ("ja",)}


def days_off(rotation: Rotation, first: date, last: date) -> dict[date, str]:
    """National holidays and closures between ``first`` and ``last``, named in the
    rotation's language (never the environment's locale, which differs under cron)."""
    off: dict[date, str] = {}
    cfg = rotation.holidays
    if cfg.country:
        import holidays as holidays_lib  # slow import: only when a table is needed

        probe = None
        for key, subdivision in (("country", None), ("subdivision", cfg.subdivision)):
            try:
                probe = holidays_lib.country_holidays(cfg.country, subdiv=subdivision, years=[])
            except NotImplementedError as exc:
                raise InputError(
                    f"found {key} {getattr(cfg, key)!r}, expected a code the holidays package "
                    f"knows ({exc})",
                    path=f"holidays.{key}",
                    hint="use an ISO 3166-1 code such as JP, US or DE, or omit holidays.country"
                    if key == "country"
                    else "use a subdivision code of that country, or omit holidays.subdivision",
                ) from None
        supported = tuple(getattr(probe, "supported_languages", ()) or ())
        language = next(
            (code for code in _HOLIDAY_LANGUAGES[rotation.language] if code in supported),
            None,
        )
        table = holidays_lib.country_holidays(
            cfg.country,
            subdiv=cfg.subdivision,
            years=range(first.year, last.year + 1),
            language=language,
        )
        for day, name in sorted(table.items()):
            if first <= day <= last:
                off[day] = name
    closure = CLOSURE_NAMES[rotation.language]
    for span in cfg.closures:
        for day in span.days():
            if first <= day <= last:
                off.setdefault(day, closure)
    return dict(sorted(off.items()))


def calendar_basis(rotation: Rotation, first: date, last: date) -> str:
    """A fingerprint of everything ``days_off`` depends on, so a stored copy of the days
    off can be trusted exactly while the rotation's holiday settings are unchanged."""
    cfg = rotation.holidays
    facts = {
        "country": cfg.country,
        "subdivision": cfg.subdivision,
        "closures": [str(span) for span in cfg.closures],
        "language": rotation.language,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class ShiftSlot:
    """One block of the calendar that has at least one duty day: what a shift fills."""

    index: int
    first: date  # first calendar day of the block (clipped to the term)
    last: date  # last calendar day of the block (clipped to the term)
    duty_days: tuple[date, ...]

    @property
    def span(self) -> DateRange:
        return DateRange(self.first, self.last)


@dataclass(frozen=True)
class DutyCalendar:
    """Duty days and shift slots of a rotation over a range of dates (usually a term)."""

    first: date
    last: date
    duty_days: tuple[date, ...]
    days_off: Mapping[date, str]
    slots: tuple[ShiftSlot, ...]
    _duty_set: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_duty_set", frozenset(self.duty_days))

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


def build_calendar(
    rotation: Rotation,
    first: date | None = None,
    last: date | None = None,
    off: Mapping[date, str] | None = None,
) -> DutyCalendar:
    """The duty calendar of ``first..last`` (default: the rotation's term).

    ``off`` may carry days off computed earlier (from the schedule file); without it the
    holiday table is consulted.
    """
    first = first or rotation.term.start
    last = last or rotation.term.end
    if off is None:
        off = days_off(rotation, first, last)
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
    return DutyCalendar(first, last, days, dict(off), tuple(slots))
