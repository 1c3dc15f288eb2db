"""Whose duty days a change moved: each person's days lost and gained between two
schedules of one term, on the duty days still to come, overrides and covers applied (as
every reader counts them, through ``Schedule.duty_on``). What a "your shift moved" notice
says after `plan` or `swap`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from oncall.core.schedule import Schedule


@dataclass(frozen=True)
class Moved:
    """One person's duty days that are no longer theirs (``lost``) and newly theirs."""

    handle: str
    lost: tuple[date, ...]
    gained: tuple[date, ...]


def moved(
    duty_days: Iterable[date], before: Schedule | None, after: Schedule, since: date
) -> tuple[Moved, ...]:
    """Each person whose primary or shadow duty on one of ``duty_days`` from ``since`` on
    differs, by handle; nobody when nothing changed."""
    lost: dict[str, list[date]] = {}
    gained: dict[str, list[date]] = {}
    for day in sorted(duty_days):
        if day < since or day not in after.term:
            continue
        old = set(before.duty_on(day).people) if before is not None and day in before.term \
            else set()
        new = set(after.duty_on(day).people)
        for handle in old - new:
            lost.setdefault(handle, []).append(day)
        for handle in new - old:
            gained.setdefault(handle, []).append(day)
    return tuple(
        Moved(handle, tuple(lost.get(handle, ())), tuple(gained.get(handle, ())))
        for handle in sorted(set(lost) | set(gained))
    )
