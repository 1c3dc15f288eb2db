"""Duty load: how much duty each person holds in a term, served and planned.

The one computation of duty per person (days, minutes, shifts, shadow shifts, holidays,
swaps), day by day through ``Schedule.duty_on``, so overrides and one-day covers count
wherever duty is counted:

* the ledger (``core.ledger.served_in_term``: what a term carries into the next),
* ``oncall report`` (``served_and_planned``: served before today, planned from today on),
* the site's fairness chart (``usecases.publish``),
* ``oncall plan`` (``replan_carry``: what a re-plan must tell the planner each person
  already carries beyond the kept shifts as planned, so that a swap before the re-plan
  date, or one recorded for a later day, counts towards fairness).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Rotation
from oncall.core.schedule import Schedule, Shift
from oncall.core.served import Served


def duty_load(
    rotation: Rotation,
    calendar: DutyCalendar,
    schedule: Schedule,
    counts: Callable[[date], bool] | None = None,
    wall_clock: bool = False,
) -> dict[str, Served]:
    """Duty each person holds on the term's duty days that ``counts`` (default: all),
    overrides and covers applied day by day. Minutes are real elapsed time; with
    ``wall_clock``, as ledgers of format 1 counted them (``Window.wall_minutes_on``).

    A shift counts once per person however many of its days they hold; an override (a
    swap given or taken) counts on the part holding its first day."""
    days: dict[str, int] = {}
    minutes: dict[str, int] = {}
    holidays: dict[str, int] = {}
    shifts: dict[str, set[int]] = {}
    shadows: dict[str, set[int]] = {}
    for day in calendar.duty_days:
        if day not in schedule.term or (counts is not None and not counts(day)):
            continue
        duty = schedule.duty_on(day)
        slot = calendar.slot_of(day)
        position = slot.index if slot is not None else -1
        length = (
            rotation.window.wall_minutes_on(day, rotation.tz)
            if wall_clock
            else rotation.window.minutes_on(day, rotation.tz)
        )
        weekend = day.weekday() >= 5 or day in calendar.days_off
        for handle in duty.primary:
            days[handle] = days.get(handle, 0) + 1
            minutes[handle] = minutes.get(handle, 0) + length
            holidays[handle] = holidays.get(handle, 0) + weekend
            shifts.setdefault(handle, set()).add(position)
        for handle in duty.shadow:
            shadows.setdefault(handle, set()).add(position)
    given: dict[str, int] = {}
    taken: dict[str, int] = {}
    excused: dict[str, int] = {}
    for override in schedule.overrides:
        if counts is not None and not counts(override.dates.first):
            continue
        if override.out is not None:
            given[override.out] = given.get(override.out, 0) + 1
            if override.excused:
                lost = _excused_days(calendar, schedule, override.out, override.dates.days())
                excused[override.out] = excused.get(override.out, 0) + lost
        if override.in_ is not None:
            taken[override.in_] = taken.get(override.in_, 0) + 1
    people = sorted(set(days) | set(shadows) | set(given) | set(taken) | set(excused))
    return {
        h: Served(
            days=days.get(h, 0),
            minutes=minutes.get(h, 0),
            shifts=len(shifts.get(h, ())),
            shadow_shifts=len(shadows.get(h, ())),
            holidays=holidays.get(h, 0),
            swaps_given=given.get(h, 0),
            swaps_taken=taken.get(h, 0),
            excused=excused.get(h, 0),
        )
        for h in people
    }


def _excused_days(
    calendar: DutyCalendar, schedule: Schedule, handle: str, dates: Iterable[date]
) -> int:
    """Of ``dates``, the duty days of the term that ``handle`` no longer holds."""
    return sum(
        1
        for day in dates
        if calendar.is_duty_day(day) and day in schedule.term
        and handle not in schedule.duty_on(day).primary
    )


def served_and_planned(
    rotation: Rotation, calendar: DutyCalendar, schedule: Schedule, today: date
) -> tuple[dict[str, Served], dict[str, Served]]:
    """The term's duty split at ``today``: served (days before it) and planned (from it
    on). A shift running over ``today`` counts in both."""
    served = duty_load(rotation, calendar, schedule, lambda day: day < today)
    planned = duty_load(rotation, calendar, schedule, lambda day: day >= today)
    return served, planned


def replan_carry(
    rotation: Rotation,
    calendar: DutyCalendar,
    previous: Schedule,
    kept: Iterable[Shift],
) -> dict[str, Served]:
    """What overrides and covers add to (or take from) each person's primary duty in a
    re-plan that keeps ``kept`` and plans the rest of ``previous``'s term again.

    The planner counts the kept shifts as planned (every primary holds every day); this is
    the difference the overrides and the kept shifts' covers make on those shifts' days, and
    the difference the overrides make on every later day as the schedule people were told
    has it (the re-plan keeps every override, and keeps told shifts where fairness allows).
    Covers of later shifts are not counted: the re-plan chooses them again. Only duty days
    and minutes are carried (``days`` may be negative: a day given away)."""
    kept = tuple(kept)
    bare_kept = tuple(replace(shift, covers=()) for shift in kept)
    told = tuple(replace(shift, covers=()) for shift in previous.shifts if shift not in kept)
    actual = replace(previous, shifts=(*kept, *told))
    bare = replace(previous, shifts=(*bare_kept, *told), overrides=())
    with_overrides = duty_load(rotation, calendar, actual)
    without = duty_load(rotation, calendar, bare)
    carry: dict[str, Served] = {}
    for handle in sorted(set(with_overrides) | set(without)):
        now, before = with_overrides.get(handle, Served()), without.get(handle, Served())
        if (now.days, now.minutes, now.excused) != (before.days, before.minutes, 0):
            carry[handle] = Served(
                days=now.days - before.days, minutes=now.minutes - before.minutes,
                excused=now.excused,
            )
    return carry
