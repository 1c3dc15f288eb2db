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

from oncall.core.clock import Clock
from oncall.core.dates import parse_day
from oncall.core.errors import InputError
from oncall.core.leave import Outside, busy_days, local_days, new_ranges, outside_term
from oncall.core.model import DateRange, Term, member_hint
from oncall.core.published import effective, recorded
from oncall.core.schedule import Schedule
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.io.leave_calendar import busy_times, day_span, event_spans
from oncall.io.rotation_edit import add_unavailable
from oncall.usecases.clock_check import refuse_clock_behind
from oncall.usecases.day_covers import Covered, held_days, settle


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
    store: ScheduleStore,
    now: Clock,
    calendar: Path,
    handle: str,
    *,
    start: str | None = None,
    end: str | None = None,
    dry_run: bool = False,
) -> list[Imported]:
    """Add the duty days ``calendar``'s busy time takes to ``handle``'s ``unavailable``
    list in every rotation of ``store`` that has them (one named rotation: that one), over
    each rotation's term (or ``start``..``end``, dates as typed, ``today`` being ``now``'s
    day). All rotations or none: nothing is written on any error, nor when a result would
    not load. Leave on a day the member holds from today on, in a running or planned
    shift, gets a one-day cover written with it (``shift.cover: day``), or the import is
    refused naming the swap to record first (``oncall.usecases.day_covers``)."""
    paths = store.rotation_sources()
    with store.locked(paths):
        found: list[tuple[Imported, list[tuple[StoredTerm, Schedule]], str | None]] = []
        for path in paths:
            current = store.open(path)
            if len(paths) > 1 and current.rotation.member(handle) is None:
                continue  # not in this rotation: the others still get the leave
            found.append(_prepare(store, current, now, calendar, handle, start, end, dry_run))
        if not found:
            raise InputError(
                f"--member: found {handle!r}, expected a member of one of the "
                f"{len(paths)} rotations in {paths[0].parent}",
                hint="check the handle with oncall show --person HANDLE",
            )
        if not dry_run:
            for imported, schedules, edited in found:
                for each, schedule in schedules:  # the covers first: never a day unheld
                    store.save(each, schedule)
                if edited is not None:
                    store.save_rotation(imported.path, edited)
    return [imported for imported, _, _ in found]


def _prepare(
    store: ScheduleStore,
    current: StoredTerm,
    now: Clock,
    calendar: Path,
    handle: str,
    start: str | None,
    end: str | None,
    dry_run: bool,
) -> tuple[Imported, list[tuple[StoredTerm, Schedule]], str | None]:
    """One rotation's import, checked but not written: what it adds, the schedules with
    their new covers, and the rotation file's new text (None: nothing to add)."""
    path = current.path
    clock = now.now(current.rotation.tz).replace(microsecond=0)
    if not dry_run:
        refuse_clock_behind(current, clock, "leave import")
    chosen = current
    if start is not None or end is not None:
        chosen = store.open(
            path,
            term_start=parse_day(start, "--start", clock.date()) if start else None,
            term_end=parse_day(end, "--end", clock.date()) if end else None,
            unplanned=True,
        )
    loaded = chosen.rotation
    member = loaded.member(handle)
    if member is None:
        raise InputError(
            f"--member: found {handle!r}, expected a member of {path}",
            hint=member_hint(handle, [m.handle for m in loaded.members]),
        )
    term = chosen.term
    first, last = day_span(term.start, term.end, loaded.tz)
    busy = busy_times(calendar, loaded.tz, first, last)
    days = busy_days(busy, loaded, term.start, term.end)
    ranges = new_ranges(days, member, loaded.window.days)
    in_term = {b.uid for b in busy if _touches(local_days(b, loaded.tz), term)}
    outside = outside_term(event_spans(calendar, loaded.tz), in_term, term, loaded.tz)
    covers: list[Covered] = []
    schedules: list[tuple[StoredTerm, Schedule]] = []
    edited = None
    if ranges:
        text = store.rotation_text(path)
        edited = add_unavailable(text, str(path), handle, [str(r) for r in ranges])
        # An edit that would not load is an error here, never a broken rotation file.
        store.rotation_with_text(path, edited, term)
        schedules, covers = _settle_held(current, edited, clock)
    imported = Imported(
        path, calendar, handle, member.name, term, len(in_term), ranges, dry_run,
        outside, covers,
    )
    return imported, schedules, edited


def _touches(days: tuple[date, date], term: Term) -> bool:
    return days[0] <= term.end and days[1] >= term.start


def _settle_held(
    current: StoredTerm, edited: str, clock: datetime
) -> tuple[list[tuple[StoredTerm, Schedule]], list[Covered]]:
    """Each term (the current one, or a kept one still running) in which the new leave
    falls on a day its holder has from today on, with the covers that settle it (or
    ``Infeasible``, naming the swap to record first)."""
    store, path = current.store, current.path
    found: list[tuple[StoredTerm, Schedule]] = []
    covers: list[Covered] = []
    terms = current.terms() if current.schedule is not None else []
    for each in terms:
        assert each.schedule is not None  # terms() holds planned ones only
        if each.term.end < clock.date():
            continue
        rotation = store.rotation_with_text(path, edited, each.term)
        schedule = each.schedule
        calendar = store.fresh_calendar(rotation, each.term, path)
        held = held_days(rotation, calendar, schedule, clock.date())
        if not held:
            continue
        settled, covered = settle(
            rotation, calendar, schedule, held, path=path, what="leave import",
            then="import the leave again",
        )
        told = effective(rotation, schedule, calendar)
        settled, _ = recorded(rotation, told, settled, calendar, clock)
        edited_term = StoredTerm(store, path, rotation, each.term, each.schedule_path, schedule)
        found.append((edited_term, settled))
        covers += covered
    return found, covers
