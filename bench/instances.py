"""Generated rotations shared by the benchmarks: seeded, so every run sees the same ones.

Instances are built as model objects (no YAML, no holiday tables) so the timings measure
planning, not parsing. Availability is a share of duty days each member cannot serve,
made of short absences (1-10 days) plus, for some members, one weekday every week.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from oncall.core.availability import can_take_slot
from oncall.core.calendar import DutyCalendar, build_calendar
from oncall.core.model import (
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
from oncall.core.rules import eligible_members, gap_allows, teams_clash
from oncall.core.schedule import Shift

START = date(2027, 1, 4)  # a Monday
WEEKDAYS = frozenset(range(5))
T = TypeVar("T")


@dataclass(frozen=True)
class Spec:
    """What varies between instances."""

    name: str
    members: int
    teams: int
    people: int = 1
    weekly: bool = True
    min_gap: int = 1
    distinct: DistinctTeams = DistinctTeams.REQUIRED
    away: float = 0.1  # share of days a member is unavailable
    weekday_off: float = 0.0  # share of members with a weekday off every week
    days: int = 91  # term length in calendar days
    max_shifts: int | None = None
    every_day: bool = False  # duty on all seven days (else weekdays only)
    heavy: float = 0.0  # share of members away much more often (60% of days)
    seed: int = 0
    # Instances that force wide optimal spreads (see ``wide_specs``):
    away_levels: tuple[float, ...] = ()  # per member (cycled), instead of ``away``
    team_sizes: tuple[int, ...] = ()  # members per team, instead of round-robin teams
    off_term: int = 0  # members whose ``terms`` leave this term out (not eligible)
    newcomers: int = 0  # members with ``new: true`` (the last ones)
    shadow_shifts: int = 0
    kept_days: int = 0  # days at the start already served (kept, skewed loads)


def make_rotation(spec: Spec) -> Rotation:
    rng = random.Random(f"{spec.name}/{spec.seed}")
    term = Term(START, START + timedelta(days=spec.days - 1))
    members = []
    teams = [t for t, size in enumerate(spec.team_sizes) for _ in range(size)]
    for number in range(spec.members):
        unavailable: list[Unavailability] = []
        away = 0.6 if rng.random() < spec.heavy else spec.away
        if spec.away_levels:
            away = spec.away_levels[number % len(spec.away_levels)]
        budget = round(away * spec.days)
        while budget > 0:
            length = min(budget, rng.randint(1, 10))
            first = term.start + timedelta(days=rng.randrange(spec.days))
            last = min(first + timedelta(days=length - 1), term.end)
            unavailable.append(Unavailability(dates=DateRange(first, last)))
            budget -= length
        if rng.random() < spec.weekday_off:
            unavailable.append(Unavailability(weekday=rng.randrange(5)))
        members.append(
            Member(
                handle=f"m{number:04d}",
                name=f"Member {number}",
                team=f"t{teams[number] if teams else number % spec.teams:03d}",
                volunteer=True,
                new=number >= spec.members - spec.newcomers,
                unavailable=tuple(sorted(unavailable, key=str)),
                # Every other off-term member lists other terms only; the rest list this one.
                terms=(
                    (term.start - timedelta(days=364),) if number < 2 * spec.off_term
                    and number % 2 == 0 else (term.start,) if number < 2 * spec.off_term
                    else None
                ),
            )
        )
    return Rotation(
        id=spec.name,
        timezone="Asia/Tokyo",
        window=Window(frozenset(range(7)) if spec.every_day else WEEKDAYS, 600, 1020),
        shift=ShiftRule(
            length=1,
            unit=ShiftUnit.WEEKS if spec.weekly else ShiftUnit.DAYS,
            handoff=0,
            people=spec.people,
        ),
        term_rule=TermRule(start=term.start, end=term.end),
        members=tuple(members),
        holidays=Holidays(),
        rules=Rules(
            volunteers_only=True,
            distinct_teams=spec.distinct,
            min_gap=spec.min_gap,
            max_shifts=spec.max_shifts,
        ),
        onboarding=Onboarding(shadow_shifts=spec.shadow_shifts),
    )


def make_kept(
    spec: Spec, rotation: Rotation, calendar: DutyCalendar
) -> tuple[list[Shift], date | None]:
    """History of the first ``kept_days``, served unevenly: the first members of the roster
    took every kept shift they could (availability, gap and teams kept), as after a lead
    hand-planned the start of the term. Returns the kept shifts and ``plan_from``."""
    if not spec.kept_days:
        return [], None
    plan_from = calendar.term.start + timedelta(days=spec.kept_days)
    members = eligible_members(rotation, calendar.term)
    last: dict[str, int] = {}
    kept = []
    for slot in calendar.slots:
        if slot.first >= plan_from:
            break
        chosen: list[Member] = []
        for member in members:
            if len(chosen) == rotation.shift.people:
                break
            if (
                member.new
                or not can_take_slot(rotation, calendar.term, member, slot)
                or not gap_allows(rotation, last.get(member.handle, -99), slot.index)
                or teams_clash(rotation, [m.team for m in (*chosen, member)])
            ):
                continue
            chosen.append(member)
        for member in chosen:
            last[member.handle] = slot.index
        if chosen:
            kept.append(Shift(slot.first, slot.last, tuple(m.handle for m in chosen)))
    return kept, plan_from


def make_calendar(rotation: Rotation) -> DutyCalendar:
    return build_calendar(rotation, off={})


def median_time(run: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Median wall time of ``repeats`` runs (seconds) and the last result."""
    times = []
    result: T
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def comparison_specs() -> list[Spec]:
    """The small and mid-size instances that an exact model can still prove optimal."""
    specs = []
    n = 0
    for members, teams in ((6, 3), (10, 4), (16, 5), (24, 6), (40, 8)):
        for people in (1, 2):
            for weekly in (True, False):
                for min_gap, away in ((0, 0.05), (1, 0.15), (2, 0.25)):
                    n += 1
                    specs.append(
                        Spec(
                            name=f"i{n:02d}",
                            members=members,
                            teams=teams,
                            people=people,
                            weekly=weekly,
                            min_gap=min_gap,
                            distinct=DistinctTeams.REQUIRED if n % 3 else DistinctTeams.OFF,
                            away=away,
                            weekday_off=0.2 if n % 2 else 0.0,
                            days=91 if weekly else 42,
                            max_shifts=None,
                            seed=n,
                        )
                    )
    # Tighter ones: long daily terms, seven-day duty, scarce availability, max_shifts.
    for members, teams in ((8, 4), (12, 4), (20, 5), (30, 6), (40, 10)):
        for people, min_gap, away, cap in ((1, 2, 0.3, None), (2, 1, 0.2, None), (2, 2, 0.1, 9)):
            n += 1
            specs.append(
                Spec(
                    name=f"i{n:02d}",
                    members=members,
                    teams=teams,
                    people=people,
                    weekly=False,
                    min_gap=min_gap,
                    distinct=DistinctTeams.REQUIRED,
                    away=away,
                    weekday_off=0.3,
                    days=91,
                    max_shifts=cap if cap is None else max(cap, 91 * people // members + 2),
                    every_day=n % 2 == 0,
                    seed=n,
                )
            )
    # Skewed rosters where an even split is impossible: members away most of the term,
    # and small teams that distinct pairs lean on.
    for members, teams, people in ((7, 3, 2), (9, 5, 2), (12, 3, 1), (15, 7, 2), (20, 4, 2)):
        for weekly in (True, False):
            n += 1
            specs.append(
                Spec(
                    name=f"i{n:02d}",
                    members=members,
                    teams=teams,
                    people=people,
                    weekly=weekly,
                    min_gap=1,
                    distinct=DistinctTeams.REQUIRED,
                    away=0.1,
                    heavy=0.35,
                    days=182 if weekly else 63,
                    seed=n,
                )
            )
    return specs + wide_specs(n + 1)


def wide_specs(first: int) -> list[Spec]:
    """Instances whose optimal spread is wide (or whose team mix is a trade-off), so that
    "same spread as the exact optimum" is tested beyond the easy 0 or 1: members with very
    unequal availability, tiny teams under required distinct pairs, members outside the
    term (``terms``), newcomers who shadow first, binding ``max_shifts``, kept history with
    skewed loads, and ``distinct_teams: preferred`` with too few teams for all-mixed pairs.
    """
    req, pref = DistinctTeams.REQUIRED, DistinctTeams.PREFERRED
    uneven = (0.0, 0.2, 0.5, 0.8, 0.9)
    rows: list[dict[str, object]] = [
        # Unequal availability.
        dict(members=5, teams=5, people=1, weekly=False, min_gap=0, days=42, away_levels=uneven),
        dict(members=8, teams=4, people=2, weekly=False, min_gap=1, days=63,
             away_levels=(0.0, 0.0, 0.4, 0.7, 0.9)),
        dict(members=6, teams=3, people=1, weekly=True, min_gap=1, days=182,
             away_levels=(0.0, 0.1, 0.75, 0.9)),
        dict(members=12, teams=4, people=2, weekly=False, min_gap=2, days=91, every_day=True,
             away_levels=(0.0, 0.3, 0.8)),
        # Tiny teams that every required-distinct pair leans on.
        dict(members=8, team_sizes=(6, 1, 1), people=2, weekly=False, min_gap=0, days=42),
        dict(members=8, team_sizes=(5, 2, 1), people=2, weekly=False, min_gap=1, days=42,
             away=0.1),
        dict(members=11, team_sizes=(4, 4, 2, 1), people=2, weekly=True, min_gap=0, days=182),
        dict(members=10, team_sizes=(8, 2), people=2, weekly=False, min_gap=0, days=42),
        dict(members=6, team_sizes=(3, 1, 1, 1), people=3, weekly=False, min_gap=0, days=42),
        dict(members=14, team_sizes=(9, 3, 2), people=2, weekly=False, min_gap=1, days=91,
             away=0.15, weekday_off=0.3, every_day=True),
        # Binding max_shifts next to unequal availability.
        dict(members=10, teams=5, people=2, weekly=False, min_gap=1, days=63,
             away_levels=(0.0, 0.5, 0.85), max_shifts=11),
        dict(members=9, teams=3, people=1, weekly=False, min_gap=0, days=91, every_day=True,
             away_levels=(0.0, 0.0, 0.6), max_shifts=12),
        # Kept history with skewed loads (plan from mid-term).
        dict(members=10, teams=5, people=1, weekly=False, min_gap=1, days=91, kept_days=35),
        dict(members=8, teams=4, people=2, weekly=False, min_gap=0, days=63, kept_days=28),
        dict(members=12, teams=4, people=1, weekly=True, min_gap=1, days=182, kept_days=63),
        dict(members=16, teams=4, people=2, weekly=False, min_gap=2, days=91, kept_days=42,
             every_day=True, away=0.1),
        # Newcomers who shadow first.
        dict(members=6, teams=3, people=1, weekly=True, min_gap=1, days=91, newcomers=2,
             shadow_shifts=3),
        dict(members=8, teams=4, people=2, weekly=False, min_gap=1, days=42, newcomers=3,
             shadow_shifts=4),
        dict(members=10, teams=5, people=1, weekly=False, min_gap=2, days=63, newcomers=4,
             shadow_shifts=2, away=0.2),
        dict(members=10, teams=5, people=2, weekly=False, min_gap=1, days=63, newcomers=2,
             shadow_shifts=3, kept_days=21),
        # Members outside this term (``terms``).
        dict(members=8, team_sizes=(3, 3, 2), people=2, weekly=False, min_gap=0, days=42,
             off_term=2),
        dict(members=9, teams=3, people=1, weekly=True, min_gap=1, days=182, off_term=3,
             away_levels=(0.0, 0.6, 0.3)),
        # distinct_teams: preferred, where mixed pairs and an even split pull apart.
        dict(members=8, team_sizes=(6, 1, 1), people=2, weekly=False, min_gap=0, days=42,
             distinct=pref),
        dict(members=6, team_sizes=(4, 2), people=2, weekly=False, min_gap=1, days=42,
             distinct=pref),
        dict(members=12, team_sizes=(8, 3, 1), people=2, weekly=False, min_gap=1, days=63,
             away=0.2, distinct=pref),
        dict(members=10, team_sizes=(5, 5), people=2, weekly=True, min_gap=0, days=182,
             away_levels=(0.0, 0.3, 0.7), distinct=pref),
        dict(members=8, team_sizes=(4, 2, 2), people=3, weekly=False, min_gap=0, days=42,
             distinct=pref),
        dict(members=10, team_sizes=(6, 2, 2), people=2, weekly=False, min_gap=1, days=63,
             kept_days=21, distinct=pref),
        dict(members=8, team_sizes=(4, 3, 1), people=2, weekly=False, min_gap=1, days=42,
             newcomers=2, shadow_shifts=2, distinct=pref),
        dict(members=24, team_sizes=(12, 6, 4, 2), people=2, weekly=False, min_gap=1,
             days=91, away=0.15, every_day=True, distinct=pref),
        dict(members=9, team_sizes=(5, 3, 1), people=2, weekly=False, min_gap=1, days=63,
             away_levels=(0.0, 0.4, 0.8), max_shifts=16, distinct=pref),
    ]
    specs = []
    for n, row in enumerate(rows, start=first):
        fields: dict[str, object] = {"distinct": req, "away": 0.0, **row}
        if "team_sizes" in fields:
            fields["teams"] = len(fields["team_sizes"])  # type: ignore[arg-type]
        specs.append(Spec(name=f"i{n:02d}", seed=n, **fields))  # type: ignore[arg-type]
    return specs


def describe(spec: Spec) -> str:
    teams = "+".join(map(str, spec.team_sizes)) if spec.team_sizes else str(spec.teams)
    away = (
        "away" + "/".join(f"{int(a * 100)}" for a in spec.away_levels) + "%"
        if spec.away_levels else f"away{int(spec.away * 100)}%"
    )
    return (
        f"{spec.members}m/{teams}t {'weekly' if spec.weekly else 'daily'} "
        f"x{spec.people} gap{spec.min_gap} {away}"
        f"{' wd' if spec.weekday_off else ''}{' heavy' if spec.heavy else ''}"
        f" {spec.distinct.value[:4]}"
        f"{f' max{spec.max_shifts}' if spec.max_shifts else ''}{' 7d' if spec.every_day else ''}"
        f"{f' off-term{spec.off_term}' if spec.off_term else ''}"
        f"{f' new{spec.newcomers}/sh{spec.shadow_shifts}' if spec.newcomers else ''}"
        f"{f' kept{spec.kept_days}d' if spec.kept_days else ''}"
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table (right-aligned numbers) for the terminal and the docs."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if _numeric(str(c)) else str(c).ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _numeric(text: str) -> bool:
    return bool(text) and text.replace(".", "", 1).replace("x", "").replace("-", "").isdigit()
