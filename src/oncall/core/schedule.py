"""The schedule: planned shifts plus the overrides recorded after planning.

Overrides win over shifts. ``duty_on`` is the one place that applies them, so `who`,
`remind`, `show`, the exports and `validate` all see the same people on the same day.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from oncall.core.model import DateRange, Term

# What a stored ledger's numbers mean (``ledger_format:`` in a schedule file, docs/terms.md):
# 1 (files without the key): ``minutes`` by the wall clock (a night across a DST change
#   counted as its nominal length), and no credit for part of a term;
# 2: ``minutes`` elapsed between the window's real instants, and members of part of a
#   term credited the rest of a whole term's share (``core.ledger.absence_credit``).
LEDGER_FORMAT = 2

if TYPE_CHECKING:
    from oncall.core.served import Served


@dataclass(frozen=True)
class Shift:
    """One planned shift: its dates and who serves it as primary and as shadow."""

    start: date
    end: date  # inclusive
    primary: tuple[str, ...]
    shadow: tuple[str, ...] = ()
    # One-day covers (``shift.cover: day``): on ``day``, ``in`` serves instead of ``out``.
    covers: tuple[tuple[date, str, str], ...] = ()

    @property
    def span(self) -> DateRange:
        return DateRange(self.start, self.end)

    @property
    def people(self) -> tuple[str, ...]:
        return self.primary + self.shadow


@dataclass(frozen=True)
class Override:
    """``out`` hands the listed dates to ``in_``; either may be absent (a drop or an extra)."""

    dates: DateRange
    out: str | None
    in_: str | None
    reason: str | None = None
    forced: bool = False
    recorded_at: datetime | None = None
    # An excused absence (sickness, an emergency, `swap --excused`): the days ``out``
    # loses are credited to them, so they carry no debt into later shifts or terms.
    excused: bool = False


class Duty:
    """Who serves one duty day, overrides applied.

    ``shift`` is the index into ``Schedule.shifts`` (None when only an override covers the
    day), ``overrides`` the indices into ``Schedule.overrides`` that changed it and
    ``unmatched`` those whose `out` was not on duty that day. A plain class, unlike the
    values around it: nothing compares duties, and the cron path creates this class.
    """

    __slots__ = ("covers", "day", "overrides", "primary", "shadow", "shift", "unmatched")

    def __init__(
        self,
        day: date,
        primary: tuple[str, ...],
        shadow: tuple[str, ...],
        shift: int | None,
        overrides: tuple[int, ...] = (),
        unmatched: tuple[int, ...] = (),
        covers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.covers = covers  # (out, in): the shift's one-day covers that hold today
        self.day = day
        self.primary = primary
        self.shadow = shadow
        self.shift = shift
        self.overrides = overrides
        self.unmatched = unmatched

    @property
    def people(self) -> tuple[str, ...]:
        return self.primary + self.shadow

    def role_of(self, handle: str) -> str | None:
        if handle in self.primary:
            return "primary"
        if handle in self.shadow:
            return "shadow"
        return None


@dataclass(frozen=True)
class Schedule:
    """A rotation's plan for one term: shifts, the overrides recorded since, and the
    days off `oncall plan` stored for the cron path."""

    rotation: str
    planned_at: datetime | None
    term: Term
    shifts: tuple[Shift, ...]
    overrides: tuple[Override, ...] = ()
    days_off: Mapping[date, str] | None = None  # stored by `plan` for the cron path
    calendar_basis: str | None = None  # fingerprint the stored days off were made from
    # Duty carried into this term from the earlier ones (``oncall.core.ledger``); None for
    # a rotation's first term.
    ledger: Mapping[str, Served] | None = None
    # What the ledger's numbers mean (``LEDGER_FORMAT``): 1 for a file
    # written before real hours and pro-rated credit, read (and checked) as it was meant.
    ledger_format: int = LEDGER_FORMAT
    # The name of everyone the schedule names (``people:``): a member deleted from the
    # roster later is still read, and named, in the history.
    names: Mapping[str, str] | None = None
    # What the calendars were last told, by event (``oncall.core.published``); None in a
    # file written before it was kept: nothing recorded yet.
    published: Mapping[str, tuple[int, datetime, str]] | None = None
    # The team of everyone ``names`` records whose team was known (``people:``): the sheet
    # of a member deleted since still shows it. None in a file written before it was kept.
    teams: Mapping[str, str] | None = None
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.shifts, key=lambda shift: shift.start))
        object.__setattr__(self, "shifts", ordered)
        object.__setattr__(self, "_starts", tuple(shift.start for shift in ordered))

    def shift_index(self, day: date) -> int | None:
        """Index of the shift whose dates hold ``day``."""
        position = bisect.bisect_right(self._starts, day) - 1
        if position >= 0 and day <= self.shifts[position].end:
            return position
        return None

    def duty_on(self, day: date) -> Duty:
        """The people on duty on ``day`` after every override that touches it.

        The caller decides whether ``day`` is a duty day; this only says who holds it.
        """
        index = self.shift_index(day)
        primary: list[str] = []
        shadow: list[str] = []
        covered: list[tuple[str, str]] = []
        if index is not None:
            shift = self.shifts[index]
            primary = list(shift.primary)
            shadow = list(shift.shadow)
            for when, out, into in shift.covers:
                if when == day and out in primary and into not in primary + shadow:
                    primary[primary.index(out)] = into
                    covered.append((out, into))
        applied: list[int] = []
        unmatched: list[int] = []
        for number, override in enumerate(self.overrides):
            if day not in override.dates:
                continue
            if apply_override(primary, shadow, override):
                applied.append(number)
            else:
                unmatched.append(number)
        return Duty(
            day, tuple(primary), tuple(shadow), index, tuple(applied), tuple(unmatched),
            tuple(covered),
        )

    def duties(self, days: Iterable[date]) -> list[Duty]:
        return [self.duty_on(day) for day in days]

    def with_override(self, override: Override) -> Schedule:
        return replace(self, overrides=(*self.overrides, override))

    def with_names(
        self, roster: Mapping[str, str], teams: Mapping[str, str] | None = None
    ) -> Schedule:
        """The schedule recording the name (and team) of everyone in it: the roster's
        (``handle: name``, ``teams``: ``handle: team``), else the one recorded before
        (someone since deleted from the roster)."""
        handles = {h for shift in self.shifts for h in shift.people}
        handles |= {h for o in self.overrides for h in (o.out, o.in_) if h is not None}
        recorded = self.names or {}
        names = {h: roster.get(h) or recorded.get(h) or h for h in sorted(handles)}
        if teams is None:
            return replace(self, names=names)
        known = self.teams or {}
        kept = {h: teams.get(h) or known.get(h) for h in sorted(handles)}
        return replace(self, names=names, teams={h: t for h, t in kept.items() if t})


def apply_override(primary: list[str], shadow: list[str], override: Override) -> bool:
    """Apply one override to a day's lists in place; False when its `out` was not on duty
    (or its `in` already was), so nothing changed."""
    incoming, outgoing = override.in_, override.out
    if incoming is not None and (incoming in primary or incoming in shadow):
        return False
    if outgoing is None:
        if incoming is None:
            return False
        primary.append(incoming)
        return True
    for people in (primary, shadow):
        if outgoing in people:
            position = people.index(outgoing)
            if incoming is None:
                del people[position]
            else:
                people[position] = incoming
            return True
    return False
