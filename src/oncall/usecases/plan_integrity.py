"""What `oncall plan` refuses to write: a schedule that breaks a rule on a day not yet served.

The planner keeps every rule on the shifts it plans (``plan.verify`` calls anything else
a bug). What a plan must keep as it is, it cannot mend: overrides (never dropped) and the
shifts before ``--from``. When one of them breaks a rule on a day from today on (a swap
that gives a member a day after their ``left``, a running shift someone can no longer
serve), `validate` would reject the file, so the plan is refused (exit 3, nothing written)
and each reason names the day, the person, the override or kept shift behind it and the
commands that mend it. Breaks on days already served are history (``core.history``): they
never block a plan, and the report notes the errors among them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import EXIT_SOFTWARE, Infeasible, InputError, OncallError
from oncall.core.history import settle_history
from oncall.core.model import DateRange, Rotation, Unavailability
from oncall.core.rules import ERROR, Violation, check, format_dates, new_violations
from oncall.core.schedule import Override, Schedule, Shift
from oncall.usecases.swap import propose

MOST_CANDIDATES = 6  # people named as able to take a day; the rest are "and N more"


class UnservedBreaks(Infeasible):
    """Kept shifts or overrides break rules on days not yet served (exit 3)."""

    def __str__(self) -> str:
        lines = [
            f"{self.rotation}: the shifts a re-plan keeps and the recorded overrides break "
            "rules on days not yet served; nothing was written."
        ]
        lines += [f"  - {reason}" for reason in self.reasons]
        return "\n".join(lines)


def unserved_errors(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, today: date
) -> tuple[list[Violation], list[Violation]]:
    """The errors of ``schedule`` on days from ``today`` on (or on no day), and those only
    on days already served (history rules there are warnings, left to `validate`)."""
    errors = [
        v for v in settle_history(check(rotation, calendar, schedule), today)
        if v.severity == ERROR
    ]
    upcoming = [v for v in errors if not v.dates or any(day >= today for day in v.dates)]
    served = [v for v in errors if v not in upcoming]
    return upcoming, served


def refuse(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    errors: Sequence[Violation],
    *,
    kept: Sequence[Shift],
    previous: Schedule | None,
    schedule_path: Path,
    now: datetime,
) -> UnservedBreaks:
    """The refusal for ``errors``: each with what causes it and the commands that fix it."""
    mend = _Mender(rotation, calendar, schedule, kept, previous, schedule_path, now)
    return UnservedBreaks(rotation.id, [mend.reason(v) for v in errors])


class _Mender:
    """Finds, for a broken rule, the override or kept shift behind it and what mends it."""

    def __init__(
        self,
        rotation: Rotation,
        calendar: DutyCalendar,
        schedule: Schedule,
        kept: Sequence[Shift],
        previous: Schedule | None,
        schedule_path: Path,
        now: datetime,
    ) -> None:
        self.rotation, self.calendar, self.schedule = rotation, calendar, schedule
        self.kept = set(kept)
        # `oncall swap` works on the schedule on disk: candidates are asked of it.
        same_term = previous is not None and previous.term == schedule.term
        self.on_disk = previous if same_term else None
        self.path, self.now = schedule_path, now

    def reason(self, violation: Violation) -> str:
        lines = [violation.describe(self.calendar)]
        today = self.now.date()
        for person in violation.people:
            days = [d for d in violation.dates if d >= today and self._on_duty(person, d)]
            if days:
                lines += self._causes(person, days)
        return "\n    ".join(lines)

    def _on_duty(self, person: str, day: date) -> bool:
        return person in self.schedule.duty_on(day).people

    def _causes(self, person: str, days: list[date]) -> list[str]:
        """Per override or kept shift that puts ``person`` on ``days``: what it is and how
        to mend it."""
        by_override: dict[int, list[date]] = {}
        by_shift: dict[Shift, list[date]] = {}
        for day in days:
            duty = self.schedule.duty_on(day)
            number = next(
                (n for n in duty.overrides if self.schedule.overrides[n].in_ == person), None
            )
            if number is not None:
                by_override.setdefault(number, []).append(day)
            elif duty.shift is not None and self.schedule.shifts[duty.shift] in self.kept:
                by_shift.setdefault(self.schedule.shifts[duty.shift], []).append(day)
        lines: list[str] = []
        for number, on in sorted(by_override.items()):
            override = self.schedule.overrides[number]
            lines.append(
                f"cause: override #{number + 1} ({_override_text(override)}) in "
                f"{self.path}, which plan never drops"
            )
            lines += self._swap_lines(person, on)
            lines.append(
                f"or delete override #{number + 1} (the entry `- dates: {override.dates}` "
                f"under `overrides:`) from {self.path}, then plan again"
            )
        notice = self.rotation.rules.notice
        for shift, on in sorted(by_shift.items(), key=lambda item: item[0].start):
            started = shift.start < self.now.date()
            noticed = not started and (shift.start - self.now.date()).days < notice
            why = (
                "has started, so plan keeps it" if started
                else f"starts within rules.notice ({notice} days), so plan keeps it"
                if noticed else "starts before --from"
            )
            lines.append(f"cause: the shift {shift.span}, which {why}")
            lines += self._swap_lines(person, on)
            if not started:
                inside = " --inside-notice" if noticed else ""
                lines.append(f"or re-plan it too: oncall plan --from {shift.start}{inside}")
        return lines

    def _swap_lines(self, person: str, days: list[date]) -> list[str]:
        """The `oncall swap` that hands ``days`` over, with who may take them (asked of
        the schedule on disk, which is what `swap` changes)."""
        schedule = self.on_disk
        if schedule is None or not all(person in schedule.duty_on(d).people for d in days):
            return []
        span = DateRange(days[0], days[-1])
        able = self._candidates(schedule, span, person)
        if not able:
            return [
                f"fix: nobody may take {format_dates(days)} from {person} without breaking a "
                f"rule; `oncall swap --dates {span} --out {person} --in HANDLE --force` "
                "records one anyway"
            ]
        shown = ", ".join(able[:MOST_CANDIDATES])
        if len(able) > MOST_CANDIDATES:
            shown += f" and {len(able) - MOST_CANDIDATES} more"
        return [
            f"fix: oncall swap --dates {span} --out {person} --in {able[0]} "
            f"(who may take it: {shown})"
        ]

    def _candidates(self, schedule: Schedule, span: DateRange, person: str) -> list[str]:
        """Members a swap of ``span`` from ``person`` to them keeps every rule for."""
        able = []
        for member in self.rotation.members:
            if member.handle == person:
                continue
            try:
                proposal = propose(
                    self.rotation, self.calendar, schedule, span, person, member.handle,
                    reason=None, now=self.now,
                )
            except OncallError:
                continue
            if not proposal.violations:
                able.append(member.handle)
        return able


def _override_text(override: Override) -> str:
    return f"{override.dates}: {override.out or '-'} -> {override.in_ or '-'}"


def clear_of_overrides(
    rotation: Rotation,
    calendar: DutyCalendar,
    overrides: Sequence[Override],
    plan_from: date | None,
) -> Rotation:
    """The rotation as the planner sees it: whoever an override puts on duty in a shift
    (its ``in``) is kept off the planned shifts ``min_gap`` would forbid beside it, that
    shift included, since the override, never dropped, will still put them there."""
    gap = rotation.rules.min_gap
    slots = calendar.slots
    blocked: dict[str, set[int]] = {}
    for override in overrides:
        if override.in_ is None:
            continue
        for day in override.dates.days():
            slot = calendar.slot_of(day) if calendar.is_duty_day(day) else None
            if slot is None:
                continue
            low, high = max(0, slot.index - gap), min(len(slots) - 1, slot.index + gap)
            blocked.setdefault(override.in_, set()).update(range(low, high + 1))
    if not blocked:
        return rotation
    members = []
    for member in rotation.members:
        extra = tuple(
            Unavailability(DateRange(slots[t].first, slots[t].last))
            for t in sorted(blocked.get(member.handle, ()))
            if plan_from is None or slots[t].first >= plan_from
        )
        members.append(replace(member, unavailable=(*member.unavailable, *extra)))
    return replace(rotation, members=tuple(members))


class PlannerBug(OncallError):
    """The planner returned shifts that break a hard rule: a bug, never written to disk."""

    exit_code = EXIT_SOFTWARE  # not the user's fault, and not a plain "cannot plan"


def refuse_rewriting_served(previous: Schedule, plan_from: date, today: date) -> None:
    """A --from before today would re-plan shifts people already served: the schedule is
    the record of who served, so that takes an explicit --rewrite-history."""
    served = [s for s in previous.shifts if plan_from <= s.start < today]
    if served:
        first = min(served, key=lambda s: s.start)
        raise InputError(
            f"--from {plan_from} is before today ({today}): {len(served)} shift(s) from "
            f"{first.start} on have already started, and re-planning would rewrite who served "
            "them; nothing was written",
            hint="re-plan from today (the default), or pass --rewrite-history to correct a "
            "wrong record",
        )


def verify(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    kept: Sequence[Shift],
    *,
    previous: Schedule | None = None,
    schedule_path: Path | None = None,
) -> tuple[Violation, ...]:
    """Check the new schedule with the one rules engine before anything is written.

    Planned shifts must add no error to the kept history (else: PlannerBug). An error the
    kept shifts or the overrides bring to a day not yet served (today, ``planned_at``, on)
    refuses the plan with what mends it (``plan_integrity``), because `validate` would
    reject the file and dropping history or overrides is never the answer. Errors only on
    days already served are returned for the lead to see.
    """
    bare = replace(schedule, overrides=())
    history = replace(bare, shifts=tuple(kept))
    added = [
        v for v in new_violations(rotation, calendar, history, bare) if v.severity == ERROR
    ]
    if added:
        details = "; ".join(v.describe() for v in added[:5])
        raise PlannerBug(
            f"{rotation.id}: the planner produced shifts that break the rules "
            f"({details}); nothing was written. Please report this with the rotation file."
        )
    assert schedule.planned_at is not None  # plan stamps every schedule it makes
    now = schedule.planned_at
    upcoming, served = unserved_errors(rotation, calendar, schedule, now.date())
    if upcoming:
        raise refuse(
            rotation, calendar, schedule, upcoming, kept=kept, previous=previous,
            schedule_path=schedule_path or Path(f"{rotation.id}.schedule.yaml"), now=now,
        )
    return tuple(served)
