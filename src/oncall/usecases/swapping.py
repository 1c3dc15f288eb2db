"""Swaps: one person hands one or more duty days to another, after planning.

Pure: given the rotation, its calendar and schedule, ``propose`` builds the override and
asks the rules engine (``rules.new_violations``, the one definition of every rule) what it
would break. The command decides whether to refuse or, with ``--force``, record it anyway.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import date, datetime

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError, RuleRefused
from oncall.core.model import DateRange, Rotation
from oncall.core.rules import Violation, format_dates, new_violations
from oncall.core.schedule import Override, Schedule


@dataclass(frozen=True)
class Proposal:
    """A swap as it would be recorded, with what it would break (empty: it keeps every rule)."""

    override: Override
    before: Schedule
    after: Schedule
    days: tuple[date, ...]  # the duty days it changes
    violations: tuple[Violation, ...]

    def forced(self) -> Proposal:
        """The same swap marked ``forced: true``, for `--force` over broken rules."""
        override = replace(self.override, forced=True)
        after = self.before.with_override(override)
        return replace(self, override=override, after=after)


def known_handle(rotation: Rotation, handle: str, option: str) -> str:
    """The handle if it is in the roster; otherwise an input error with a did-you-mean."""
    if rotation.member(handle) is not None:
        return handle
    handles = sorted(rotation.by_handle)
    lowered = {h.lower(): h for h in handles}
    close = [lowered[handle.lower()]] if handle.lower() in lowered else []
    close = close or difflib.get_close_matches(handle, handles, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"members: {', '.join(handles)}"
    raise InputError(
        f"{option}: {handle!r} is not a member of rotation {rotation.rotation}", hint=hint
    )


def propose(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    dates: DateRange,
    out: str,
    in_: str,
    *,
    reason: str | None,
    now: datetime,
) -> Proposal:
    """The override ``out`` -> ``in_`` over ``dates`` and the rules it would break.

    Refuses outright (RuleRefused) what no ``--force`` can make meaningful: dates with no
    duty day, or an ``out`` who is not on duty on those dates.
    """
    known_handle(rotation, out, "--out")
    known_handle(rotation, in_, "--in")
    if out == in_:
        raise InputError(f"--out and --in are both {out!r}", hint="name two different members")
    days = tuple(day for day in dates.days() if calendar.is_duty_day(day))
    if not days:
        off = [f"{d} ({calendar.days_off[d]})" for d in dates.days() if d in calendar.days_off]
        why = f"; days off: {', '.join(off)}" if off else ""
        outside = dates.first < calendar.first or dates.last > calendar.last
        term = f" (the term is {calendar.first}..{calendar.last})" if outside else ""
        raise RuleRefused(f"swap refused: {dates} holds no duty day{term}{why}")
    serving = [day for day in days if out in schedule.duty_on(day).people]
    if not serving:
        raise RuleRefused(
            f"swap refused: {out} is not on duty on {format_dates(days)}; "
            f"nothing to hand over (see `oncall show --person {out}`)"
        )
    missing = [day for day in days if day not in serving]
    if missing:
        raise RuleRefused(
            f"swap refused: {out} is on duty on {format_dates(serving)} but not on "
            f"{format_dates(missing)}; narrow --dates to the days {out} serves"
        )
    already = [day for day in days if in_ in schedule.duty_on(day).people]
    if already:
        raise RuleRefused(
            f"swap refused: {in_} is already on duty on {format_dates(already)}"
        )
    override = Override(dates, out, in_, reason or None, False, now)
    after = schedule.with_override(override)
    broken = new_violations(rotation, calendar, schedule, after)
    return Proposal(override, schedule, after, days, tuple(broken))


def refusal(proposal: Proposal) -> RuleRefused:
    lines = ["swap refused: it would break these rules (nothing was written):"]
    lines += [f"  - {violation.describe()}" for violation in proposal.violations]
    lines.append("  use --force to record it anyway (marked forced: true)")
    return RuleRefused("\n".join(lines))


def summary(proposal: Proposal, schedule_path: object) -> str:
    """What was recorded and who is now on duty on the changed days."""
    override = proposal.override
    reason = f" ({override.reason})" if override.reason else ""
    lines = [
        f"recorded in {schedule_path}: {override.dates} {override.out} -> {override.in_}{reason}"
    ]
    if override.forced:
        lines[0] += " [forced]"
        lines.append("it breaks these rules (recorded anyway with --force):")
        lines += [f"  - {violation.describe()}" for violation in proposal.violations]
    for day in proposal.days:
        duty = proposal.after.duty_on(day)
        shadow = f" (shadow: {', '.join(duty.shadow)})" if duty.shadow else ""
        lines.append(f"  {day.isoformat()}: {', '.join(duty.primary) or 'nobody'}{shadow}")
    return "\n".join(lines)
