"""Small builders for rotations and schedules in tests, without files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from oncall import chats
from oncall.core.model import (
    ChatIds,
    DateRange,
    DistinctTeams,
    Holidays,
    Member,
    Onboarding,
    Rotation,
    Rules,
    ShiftRule,
    ShiftUnit,
    Term,
    TermRule,
    Unavailability,
    Window,
)
from oncall.core.term import choose_term

MONDAY = date(2027, 1, 4)


def member(handle: str, team: str = "a", **kwargs: object) -> Member:
    """A member; a chat's key (``slack="U0KEN"``, ``google_chat=...``) gives their id there."""
    kwargs.setdefault("volunteer", True)
    ids = {chat.NAME: kwargs.pop(chat.KEY) for chat in chats.WITH_IDS if chat.KEY in kwargs}
    return Member(
        handle=handle, name=handle.title(), team=team, chat_ids=ChatIds(ids), **kwargs  # type: ignore[arg-type]
    )


def away(first: date, last: date | None = None) -> Unavailability:
    return Unavailability(dates=DateRange(first, last or first))


def every(weekday: int) -> Unavailability:
    return Unavailability(weekday=weekday)


def rotation(
    members: list[Member],
    *,
    people: int = 1,
    weeks: int = 4,
    unit: ShiftUnit = ShiftUnit.WEEKS,
    length: int = 1,
    distinct: DistinctTeams = DistinctTeams.OFF,
    min_gap: int = 0,
    max_shifts: int | None = None,
    volunteers_only: bool = True,
    shadow_shifts: int = 2,
    start: date = MONDAY,
    closures: tuple[DateRange, ...] = (),
    timezone: str = "Asia/Tokyo",
    window: Window | None = None,
) -> Rotation:
    return Rotation(
        id="test",
        timezone=timezone,
        window=window or Window(frozenset(range(5)), 600, 1020),
        shift=ShiftRule(length, unit, 0, people),
        term_rule=TermRule(start=start, end=start + timedelta(weeks=weeks) - timedelta(days=1)),
        members=tuple(members),
        holidays=Holidays(None, None, closures),
        rules=Rules(volunteers_only, distinct, min_gap, max_shifts),
        onboarding=Onboarding(shadow_shifts),
    )


def term_of(rot: Rotation) -> Term:
    """The term a test rotation is for: its first term, as ``choose_term`` picks it from
    the term rule (what ``build_calendar`` builds by default)."""
    return choose_term(rot.term_rule)


def with_term(rot: Rotation, term: Term) -> Rotation:
    """``rot`` whose term rule gives ``term`` as its first term."""
    return replace(rot, term_rule=replace(rot.term_rule, start=term.start, end=term.end))


def with_rules(rot: Rotation, **changes: object) -> Rotation:
    return replace(rot, rules=replace(rot.rules, **changes))


def scale_rotation(size: int, teams: int) -> Rotation:
    """The scale tests' roster (and bench/scale.py's "test suite rosters"): ``size``
    volunteers in ``teams`` teams, each away one day, daily pairs over a year, min_gap 5,
    distinct teams preferred."""
    team = [
        member(f"u{i:04d}", f"team{i % teams}",
               unavailable=(away(MONDAY + timedelta(days=(i * 37) % 360)),))
        for i in range(size)
    ]
    return rotation(team, people=2, weeks=52, unit=ShiftUnit.DAYS, length=1, min_gap=5,
                    distinct=DistinctTeams.PREFERRED)
