"""`oncall leave import`: a person's leave from a calendar file into the rotation file.

Why an import and not a live ``unavailable_ics:`` key: the dates land in the rotation
file, so `git diff` shows what changed and the team reviews it; `plan`, `validate`,
`swap` and the planner's explanations read them like any typed leave; the result does not
change when a calendar export is refreshed or moved (same inputs, same plan); and no
command but this one reads iCalendar, so cron's `who`/`remind` stay fast and never import
it. The cost, re-running the import when the calendar changes, is cheap: it only adds
days not already in the list.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from oncall.core.calendar import build_calendar
from oncall.core.dates import parse_day
from oncall.core.errors import InputError
from oncall.core.leave import Outside, busy_days, local_days, new_ranges, outside_term
from oncall.core.model import DateRange, Term, member_hint
from oncall.core.published import effective, recorded
from oncall.core.schedule import Schedule
from oncall.io.files import read_text, write_atomic
from oncall.io.leave_calendar import busy_times, day_span, event_spans
from oncall.io.loading import (
    load_rotation,
    load_schedule,
    read_schedule,
    schedule_path_for,
    schedule_term,
    term_of,
)
from oncall.io.lock import schedule_lock
from oncall.io.rotation_edit import add_unavailable
from oncall.io.schedule_text import dump_schedule
from oncall.io.terms import kept_terms
from oncall.usecases.day_covers import Covered, held_days, settle
from oncall.usecases.workspace import located, now_in, rotation_paths


class Imported:
    """What an import found and (unless a dry run) wrote."""

    __slots__ = (
        "busy", "calendar", "covers", "dry_run", "handle", "name", "outside", "path", "ranges",
        "term",
    )

    def __init__(
        self,
        path: Path,
        calendar: Path,
        handle: str,
        name: str,
        term: Term,
        busy: int,
        ranges: list[DateRange],
        dry_run: bool,
        outside: list[Outside] | None = None,
        covers: list[Covered] | None = None,
    ) -> None:
        self.path = path
        self.calendar = calendar
        self.handle = handle
        self.name = name
        self.term = term
        self.busy = busy  # busy events with a day in the term
        self.ranges = ranges
        self.dry_run = dry_run
        self.outside = outside or []  # events (partly) outside the term: not imported
        self.covers = covers or []  # one-day covers given for days they held


def import_leave(
    calendar: Path,
    handle: str,
    rotation: Path | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    dry_run: bool = False,
    now: str | None = None,
) -> Imported:
    """Add the duty days ``calendar``'s busy time takes to ``handle``'s ``unavailable``
    list, over the rotation's term (or ``start``..``end``, dates as typed, ``today``
    being ``now``'s day). Nothing is written on any error, nor when the result would not
    load. Leave on a day the member holds from today on, in a running or planned shift,
    gets a one-day cover written with it (``shift.cover: day``), or the import is
    refused naming the swap to record first (``oncall.usecases.day_covers``)."""
    paths = rotation_paths([rotation] if rotation else None)
    if len(paths) != 1:
        raise InputError(
            f"found {len(paths)} rotations in rotations/, expected one",
            hint="name the rotation file: oncall leave import FILE.ics --member HANDLE ROTATION",
        )
    path = paths[0]
    schedule_path = schedule_path_for(path)
    with schedule_lock(path), schedule_lock(schedule_path):
        planned = load_rotation(path, planned_term=lambda: schedule_term(schedule_path))
        clock = now_in(planned, now).replace(microsecond=0)
        loaded = planned
        if start is not None or end is not None:
            loaded = load_rotation(
                path,
                term_start=parse_day(start, "--start", clock.date()) if start else None,
                term_end=parse_day(end, "--end", clock.date()) if end else None,
                planned_term=lambda: schedule_term(schedule_path),
            )
        member = loaded.member(handle)
        if member is None:
            raise InputError(
                f"--member: found {handle!r}, expected a member of {path}",
                hint=member_hint(handle, [m.handle for m in loaded.members]),
            )
        term = loaded.term
        first, last = day_span(term.start, term.end, loaded.tz)
        busy = busy_times(calendar, loaded.tz, first, last)
        days = busy_days(busy, loaded, term.start, term.end)
        ranges = new_ranges(days, member, loaded.window.days)
        in_term = {b.uid for b in busy if _touches(local_days(b, loaded.tz), term)}
        outside = outside_term(event_spans(calendar, loaded.tz), in_term, term, loaded.tz)
        covers: list[Covered] = []
        if ranges:
            text = read_text(path)
            edited = add_unavailable(text, str(path), handle, [str(r) for r in ranges])
            # An edit that would not load is an error here, never a broken rotation file.
            load_rotation(path, term_start=term.start, term_end=term.end, text=edited)
            schedules, covers = _settle_held(path, schedule_path, edited, clock)
            if not dry_run:
                for file, schedule in schedules:  # the covers first: never a day unheld
                    write_atomic(file, dump_schedule(schedule))
                write_atomic(path, edited)
    return Imported(
        path, calendar, handle, member.name, term, len(in_term), ranges, dry_run,
        outside, covers,
    )


def _touches(days: tuple[date, date], term: Term) -> bool:
    return days[0] <= term.end and days[1] >= term.start


def _settle_held(
    path: Path, schedule_path: Path, edited: str, clock: datetime
) -> tuple[list[tuple[Path, Schedule]], list[Covered]]:
    """Each schedule (the current term, or a kept one still running) in which the new
    leave falls on a day its holder has from today on, with the covers that settle it
    (or ``Infeasible``, naming the swap to record first)."""
    files = [kept for _, kept in kept_terms(schedule_path)]
    if schedule_path.exists():
        files.append(schedule_path)
    found: list[tuple[Path, Schedule]] = []
    covers: list[Covered] = []
    for file in files:
        top = read_schedule(file)
        term = term_of(top)
        if term.end < clock.date():
            continue
        rotation = load_rotation(path, term_start=term.start, term_end=term.end, text=edited)
        schedule = load_schedule(file, rotation, top=top)
        calendar = located(path, lambda rotation=rotation: build_calendar(rotation))
        held = held_days(rotation, calendar, schedule, clock.date())
        if not held:
            continue
        settled, covered = settle(
            rotation, calendar, schedule, held, path=path, what="leave import",
            then="import the leave again",
        )
        told = effective(rotation, schedule, calendar)
        settled, _ = recorded(rotation, told, settled, calendar, clock)
        found.append((file, settled.with_names(rotation.names)))
        covers += covered
    return found, covers

