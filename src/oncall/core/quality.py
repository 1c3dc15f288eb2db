"""A term's plan scored 0-100, every point lost explained in one line.

Four parts, each with a most it can lose, so the score reads the same way for any
rotation (100 minus the points of the lines):

* **gaps** (up to 40): duty days short of the shift's people (``shift.people``), as a
  share of the people-days the term needs;
* **balance** (up to 30): duty days a person holds beyond one day over or under their
  share of the term's duty among the members who can serve it (``counted``), pro-rated by
  the duty days each is a member on, as ``core.fair_share`` counts them; one line per
  person (the report shows the plan as written, the planner's fairness weighs the rest);
* **team mix** (up to 15, when ``rules.distinct_teams`` is not ``off`` and shifts have two
  or more people): duty days whose primaries share a team;
* **partner repetition** (up to 15, shifts of two or more): shifts whose pair served
  together before while a pair of counted members never did.

Duty is read through ``core.duty_load`` and ``Schedule.duty_on`` (overrides and covers
applied), so the score is the plan people are living, not the planner's first draft.
Kept wishes are not scored: the rotation file records none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.duty_load import duty_load
from oncall.core.fair_share import Presence
from oncall.core.model import DistinctTeams, Rotation
from oncall.core.schedule import Schedule

GAPS, BALANCE, TEAMS, PARTNERS = 40, 30, 15, 15


@dataclass(frozen=True)
class Lost:
    points: int
    reason: str

    def __str__(self) -> str:
        return f"-{self.points} {self.reason}"


@dataclass(frozen=True)
class Quality:
    score: int
    lost: tuple[Lost, ...]


def _days(days: Sequence[str]) -> str:
    shown = ", ".join(days[:3])
    return shown + (f" and {len(days) - 3} more" if len(days) > 3 else "")


def _gaps(rotation: Rotation, calendar: DutyCalendar, schedule: Schedule) -> list[Lost]:
    need = rotation.shift.people
    days = [d for d in calendar.duty_days if d in schedule.term]
    short = {d: need - len(schedule.duty_on(d).primary) for d in days}
    missing = sum(max(0, s) for s in short.values())
    points = round(GAPS * missing / (need * len(days))) if days else 0
    if not missing:
        return []
    named = [str(d) for d, s in short.items() if s > 0]
    return [Lost(max(points, 1), f"gaps: {len(named)} duty day(s) short of people "
                 f"({missing} of {need * len(days)} people-days): {_days(named)}")]


def _balance(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, counted: Sequence[str]
) -> list[Lost]:
    load = duty_load(rotation, calendar, schedule)
    total = sum(s.days for s in load.values())
    if not counted or not total:
        return []
    held = sum(load[h].days for h in counted if h in load)
    # Each one's share in proportion to the duty days they are a member on (as the
    # planner's ``core.fair_share`` counts them): a joiner is not short of an equal share.
    presence = Presence(calendar.duty_days)
    present = {
        h: presence.of(member) for h in counted if (member := rotation.member(h)) is not None
    }
    everyone = sum(present.values())
    found = []
    for handle in counted:
        share = held * present.get(handle, 0) / everyone if everyone else 0.0
        days = load[handle].days if handle in load else 0
        excess = abs(days - share) - 1
        points = round(BALANCE / len(counted) * min(1, excess / share)) if excess > 0 and \
            share > 0 else 0
        if points:
            kind = "an equal" if present.get(handle, 0) == max(present.values()) else "a pro-rated"
            found.append(Lost(points, f"balance: {handle} holds {days} duty days, {kind} "
                              f"share is {share:.1f} (of {len(counted)} who can serve)"))
    return found


def _teams(rotation: Rotation, calendar: DutyCalendar, schedule: Schedule) -> list[Lost]:
    if rotation.rules.distinct_teams is DistinctTeams.OFF or rotation.shift.people < 2:
        return []
    team = {m.handle: m.team for m in rotation.members}
    days = [d for d in calendar.duty_days if d in schedule.term]
    same = []
    for day in days:
        teams = [team.get(h) for h in schedule.duty_on(day).primary]
        if len(teams) >= 2 and len(set(teams)) < len(teams):
            same.append(str(day))
    points = round(TEAMS * len(same) / len(days)) if days else 0
    if not same:
        return []
    return [Lost(max(points, 1), f"team mix: {len(same)} duty day(s) with two primaries "
                 f"of one team: {_days(same)}")]


def _partners(schedule: Schedule, counted: Sequence[str]) -> list[Lost]:
    pairs = [
        frozenset(p) for shift in schedule.shifts
        for p in combinations(sorted(set(shift.primary)), 2)
    ]
    if not pairs:
        return []
    seen: set[frozenset[str]] = set()
    repeats = 0
    for pair in pairs:
        repeats += pair in seen
        seen.add(pair)
    never = {frozenset(p) for p in combinations(sorted(counted), 2)} - seen
    avoidable = min(repeats, len(never))
    if not avoidable:
        return []
    points = max(1, round(PARTNERS * avoidable / len(pairs)))
    return [Lost(points, f"partners: {avoidable} shift(s) repeat a pair while "
                 f"{len(never)} pair(s) of members never served together")]


def quality(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, counted: Sequence[str]
) -> Quality:
    """The term's score and the lines that explain every point below 100."""
    lost = [
        *_gaps(rotation, calendar, schedule),
        *_balance(rotation, calendar, schedule, counted),
        *_teams(rotation, calendar, schedule),
        *_partners(schedule, counted),
    ]
    return Quality(max(0, 100 - sum(x.points for x in lost)), tuple(lost))
