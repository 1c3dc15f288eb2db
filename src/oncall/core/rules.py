"""Every rule of a rotation, defined once.

The planner asks ``can_take_slot``, ``gap_allows`` and ``teams_clash`` while it searches
(and ``slot_blockers`` to explain a failure), ``validate`` asks ``check`` for the full
report, and ``swap`` asks ``new_violations`` whether an override keeps the rules. Because
all three ask this module, a rule cannot hold in one command and break in another. The
warnings about rosters that cannot work at all (``validate``) are
``oncall.core.roster``, which asks this module too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

# The availability half of the rules lives in its own module; it is asked through this one.
from oncall.core.availability import (
    day_blockers,
    is_experienced,
)
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import DistinctTeams, Member, Rotation, Term
from oncall.core.schedule import Duty, Schedule
from oncall.core.served import Served

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    why: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "roster", "every member on duty is in the roster", "an unknown handle mentions nobody"
        ),
        Rule(
            "volunteers_only",
            "only volunteers are scheduled (rules.volunteers_only)",
            "people raise their hand; duty is never imposed",
        ),
        Rule(
            "terms",
            "members limited to some terms serve only in those (members[].terms)",
            "a member may sit out a term",
        ),
        Rule(
            "membership",
            "members serve only from members[].joined on and before members[].left",
            "someone who has not joined yet or has left is not on call",
        ),
        Rule(
            "availability",
            "nobody is on duty on a day they cannot serve (members[].unavailable)",
            "personal availability must never leak into a plan",
        ),
        Rule(
            "people",
            "each duty day has exactly shift.people primaries",
            "an unstaffed day leaves alerts to nobody; pairs share the load",
        ),
        Rule(
            "distinct_teams",
            "primaries of one shift come from different teams (rules.distinct_teams: required)",
            "no single team loses two people at once",
        ),
        Rule(
            "min_gap",
            "at least rules.min_gap other shifts between two shifts of one member",
            "nobody serves back to back",
        ),
        Rule(
            "max_shifts",
            "no member serves more than rules.max_shifts shifts in a term",
            "on-call must not crowd out the main job",
        ),
        Rule(
            "shadow_first",
            "a new member serves onboarding.shadow_shifts shifts as shadow before primary duty",
            "newcomers learn before they are alone",
        ),
        Rule(
            "shadow_beside_experienced",
            "a shadow serves beside at least one experienced (not new) primary",
            "a shadow learns from someone who knows the job",
        ),
        Rule(
            "one_role",
            "a member holds one seat on a day",
            "a person listed twice is one person on duty",
        ),
        Rule(
            "shift_dates",
            "shifts lie inside the term, do not overlap and follow the shift blocks",
            "a shift outside the calendar is never served as planned",
        ),
        Rule("override", "every override changes someone on duty", "a stale override misleads"),
    )
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, on which days, for whom, in plain words."""

    rule: str
    message: str
    dates: tuple[date, ...] = ()
    people: tuple[str, ...] = ()
    severity: str = ERROR

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """Identity of the violation apart from its dates, for merging and diffing."""
        return (self.rule, self.message, self.people)

    def describe(self, calendar: DutyCalendar | None = None) -> str:
        """One line for people; with ``calendar``, runs of duty days read as one range."""
        when = format_dates(self.dates, calendar.duty_days if calendar else None)
        prefix = f"{when}: " if when else ""
        return f"{prefix}{self.message} [{self.rule}]"


def format_dates(days: Sequence[date], duty_days: Sequence[date] | None = None) -> str:
    """Dates as compact ranges: 2027-01-04..2027-01-06, 2027-01-08.

    Without ``duty_days`` a range is consecutive calendar days; with them, consecutive duty
    days (so a week of missing duty reads as one range across the weekend).
    """
    if not days:
        return ""
    ordered = sorted(set(days))
    position = {day: number for number, day in enumerate(duty_days or ())}
    parts: list[str] = []
    run_start = previous = ordered[0]
    for day in ordered[1:]:
        if (day - previous).days == 1 or (
            day in position and previous in position and position[day] - position[previous] == 1
        ):
            previous = day
            continue
        parts.append(_span(run_start, previous))
        run_start = previous = day
    parts.append(_span(run_start, previous))
    return ", ".join(parts)


def _span(first: date, last: date) -> str:
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()}..{last.isoformat()}"


# --- Rules about one member and one day: the planner filters candidates with these ---------


def eligible_members(rotation: Rotation, term: Term) -> list[Member]:
    """Members the rules let serve at all in ``term`` (ignoring day-by-day availability)."""
    return [
        member
        for member in rotation.members
        if (member.volunteer or not rotation.rules.volunteers_only)
        and member.serves_in_term(term.start)
    ]


def gap_allows(rotation: Rotation, slot_a: int, slot_b: int) -> bool:
    """Whether one member may serve both slots (indices into the calendar's slots)."""
    return slot_a != slot_b and abs(slot_a - slot_b) > rotation.rules.min_gap


def gap_run(rotation: Rotation, slot_count: int) -> int:
    """How many consecutive shifts need different people (min_gap + 1), capped at the
    calendar's ``slot_count``: no two of its shifts lie further apart, so a larger min_gap
    means "at most one shift each" and the work stays independent of how large it is."""
    run = 1
    while run < max(1, slot_count) and not gap_allows(rotation, 0, run):
        run += 1
    return run


def shares_team(teams: Iterable[Hashable]) -> bool:
    """Whether two of one shift's primaries are in the same team: a same-team shift, which
    ``distinct_teams: required`` forbids and ``preferred`` avoids (teams as names or as any
    other one-per-team key)."""
    listed = list(teams)
    return len(set(listed)) < len(listed)


def teams_clash(rotation: Rotation, teams: Iterable[str]) -> bool:
    """Whether these primaries' teams break ``distinct_teams: required``."""
    if rotation.rules.distinct_teams is not DistinctTeams.REQUIRED:
        return False
    return shares_team(teams)


# --- The full report: validate and swap -------------------------------------------------------


def check(rotation: Rotation, calendar: DutyCalendar, schedule: Schedule) -> list[Violation]:
    """Every violation of ``schedule`` (overrides applied) on every duty day of ``calendar``."""
    found: list[Violation] = []
    found += _check_shift_dates(rotation, calendar, schedule)
    duties = schedule.duties(calendar.duty_days)
    for duty in duties:
        found += _check_day(rotation, calendar.term, duty, schedule)
    found += _check_sequences(rotation, calendar, duties, schedule.ledger or {})
    return merge(found)


def new_violations(
    rotation: Rotation, calendar: DutyCalendar, before: Schedule, after: Schedule
) -> list[Violation]:
    """Violations that ``after`` has and ``before`` had not: what a change would break."""
    old = {(v.key, day) for v in check(rotation, calendar, before) for day in v.dates or (None,)}
    fresh: list[Violation] = []
    for violation in check(rotation, calendar, after):
        days = tuple(day for day in violation.dates if (violation.key, day) not in old)
        if not violation.dates and (violation.key, None) in old:
            continue
        if violation.dates and not days:
            continue
        fresh.append(
            Violation(violation.rule, violation.message, days, violation.people, violation.severity)
        )
    return fresh


def merge(violations: Iterable[Violation]) -> list[Violation]:
    """One line per broken rule and people, listing all its dates, in date order."""
    grouped: dict[tuple[str, str, tuple[str, ...]], list[Violation]] = defaultdict(list)
    for violation in violations:
        grouped[violation.key].append(violation)
    merged = []
    for group in grouped.values():
        days = tuple(sorted({day for v in group for day in v.dates}))
        first = group[0]
        merged.append(Violation(first.rule, first.message, days, first.people, first.severity))
    merged.sort(key=lambda v: (v.dates[:1], v.rule, v.people, v.message))
    return merged


def _names(handles: Iterable[str]) -> str:
    listed = list(handles)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def _check_shift_dates(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule
) -> list[Violation]:
    found: list[Violation] = []
    previous = None
    starts = {slot.first for slot in calendar.slots}
    term = calendar.term
    for shift in schedule.shifts:
        people = shift.people
        if shift.end < shift.start:
            found.append(
                Violation("shift_dates", f"shift ends before it starts ({shift.span})", (), people)
            )
            continue
        if shift.start < term.start or shift.end > term.end:
            found.append(
                Violation(
                    "shift_dates",
                    f"shift {shift.span} lies outside the term {term}",
                    (shift.start,),
                    people,
                    WARNING,
                )
            )
        if previous is not None and shift.start <= previous.end:
            found.append(
                Violation(
                    "shift_dates",
                    f"shift {shift.span} overlaps shift {previous.span}",
                    (shift.start,),
                    people,
                )
            )
        elif shift.start in term and shift.start not in starts:
            slot = calendar.slot_of(shift.start)
            if slot is not None and not (slot.first <= shift.start and shift.end <= slot.last):
                found.append(
                    Violation(
                        "shift_dates",
                        f"shift {shift.span} does not follow the shift blocks "
                        f"(this block is {slot.span})",
                        (shift.start,),
                        people,
                        WARNING,
                    )
                )
        previous = shift
    for number, override in enumerate(schedule.overrides):
        if override.dates.first < calendar.first or override.dates.last > calendar.last:
            continue
        if not any(calendar.is_duty_day(day) for day in override.dates.days()):
            found.append(
                Violation(
                    "override",
                    f"override #{number + 1} ({override.dates}) covers no duty day",
                    (override.dates.first,),
                    tuple(h for h in (override.out, override.in_) if h),
                    WARNING,
                )
            )
    return found


def _check_day(
    rotation: Rotation, term: Term, duty: Duty, schedule: Schedule
) -> list[Violation]:
    found: list[Violation] = []
    day = duty.day
    on_duty: list[Member] = []
    for handle in duty.people:
        member = rotation.member(handle)
        if member is None:
            found.append(Violation("roster", f"{handle} is not in the roster", (day,), (handle,)))
            continue
        on_duty.append(member)
        role = duty.role_of(handle)
        for rule, reason in day_blockers(rotation, term, member, day):
            found.append(Violation(rule, f"{handle} ({role}) is {reason}", (day,), (handle,)))
    for handle in set(duty.people):
        if duty.people.count(handle) > 1:
            found.append(Violation("one_role", f"{handle} holds two seats", (day,), (handle,)))
    wanted = rotation.shift.people
    if len(duty.primary) != wanted:
        if not duty.primary:
            message = f"nobody is on duty (needs {wanted})"
        elif len(duty.primary) < wanted:
            message = f"only {len(duty.primary)} of {wanted} primaries: {_names(duty.primary)}"
        else:
            message = f"{len(duty.primary)} primaries, {wanted} wanted: {_names(duty.primary)}"
        found.append(Violation("people", message, (day,), duty.primary))
    primaries = [rotation.by_handle[h] for h in duty.primary if h in rotation.by_handle]
    if teams_clash(rotation, (m.team for m in primaries)):
        by_team: dict[str, list[str]] = defaultdict(list)
        for member in primaries:
            by_team[member.team].append(member.handle)
        for team, handles in sorted(by_team.items()):
            if len(handles) > 1:
                found.append(
                    Violation(
                        "distinct_teams",
                        f"{_names(handles)} are both in team {team}",
                        (day,),
                        tuple(handles),
                    )
                )
    # A primary no longer in the roster (deleted after serving) is flagged by the roster
    # rule; whether they could mentor is unknown, so they are not also blamed here.
    gone = any(h not in rotation.by_handle for h in duty.primary)
    if duty.shadow and not gone and not any(is_experienced(m) for m in primaries):
        found.append(
            Violation(
                "shadow_beside_experienced",
                f"{_names(duty.shadow)} (shadow) has no experienced primary beside them",
                (day,),
                duty.shadow,
            )
        )
    for number in duty.unmatched:
        override = schedule.overrides[number]
        found.append(
            Violation(
                "override",
                f"override #{number + 1} names {override.out} out, "
                "but they are not on duty that day"
                if override.out
                else f"override #{number + 1} adds {override.in_}, who is already on duty",
                (day,),
                tuple(h for h in (override.out, override.in_) if h),
                WARNING,
            )
        )
    return found


def served_slots(
    calendar: DutyCalendar, duties: Iterable[Duty]
) -> dict[str, dict[int, dict[str, list[date]]]]:
    """For each member, the slots they serve in, by role, with the days (overrides applied)."""
    served: dict[str, dict[int, dict[str, list[date]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for duty in duties:
        slot = calendar.slot_of(duty.day)
        if slot is None:
            continue
        for handle in duty.primary:
            served[handle][slot.index]["primary"].append(duty.day)
        for handle in duty.shadow:
            served[handle][slot.index]["shadow"].append(duty.day)
    return served


def _days(roles: dict[str, list[date]]) -> tuple[date, ...]:
    return tuple(sorted(day for days in roles.values() for day in days))


def _check_sequences(
    rotation: Rotation,
    calendar: DutyCalendar,
    duties: Sequence[Duty],
    carried: Mapping[str, Served],
) -> list[Violation]:
    """min_gap, max_shifts and shadow_first over the term; a newcomer's shifts in earlier
    terms (``carried``, the ledger) count: one who served as primary there is experienced."""
    found: list[Violation] = []
    served = served_slots(calendar, duties)
    slots = calendar.slots
    rules = rotation.rules
    for handle in sorted(served):
        roles = served[handle]
        indices = sorted(roles)
        for earlier, later in pairwise(indices):
            if not gap_allows(rotation, earlier, later):
                between = later - earlier - 1
                found.append(
                    Violation(
                        "min_gap",
                        f"{handle} serves shifts {slots[earlier].span} and {slots[later].span} "
                        f"with {between} shift(s) between (min_gap: {rules.min_gap})",
                        _days(roles[later]),
                        (handle,),
                    )
                )
        if rules.max_shifts is not None and len(indices) > rules.max_shifts:
            found.append(
                Violation(
                    "max_shifts",
                    f"{handle} serves {len(indices)} shifts (max_shifts: {rules.max_shifts})",
                    tuple(d for index in indices[rules.max_shifts :] for d in _days(roles[index])),
                    (handle,),
                )
            )
        member = rotation.member(handle)
        before = carried.get(handle)
        if member is not None and member.new and not (before is not None and before.days):
            needed = rotation.onboarding.shadow_shifts
            first_primary = next((i for i in indices if "primary" in roles[i]), None)
            if first_primary is not None:
                shadowed = indices.index(first_primary)
                shadowed += before.shadow_shifts if before is not None else 0
                if shadowed < needed:
                    found.append(
                        Violation(
                            "shadow_first",
                            f"{handle} is new and serves as primary after {shadowed} of "
                            f"{needed} shadow shift(s)",
                            tuple(roles[first_primary]["primary"]),
                            (handle,),
                        )
                    )
    return found
