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

from datetime import date
from pathlib import Path

from oncall.core.errors import InputError
from oncall.core.leave import busy_days, new_ranges
from oncall.core.model import DateRange, Term, member_hint
from oncall.io.files import read_text, write_atomic
from oncall.io.leave_calendar import busy_times, day_span
from oncall.io.loading import load_rotation, schedule_path_for, schedule_term
from oncall.io.lock import schedule_lock
from oncall.io.rotation_edit import add_unavailable


class Imported:
    """What an import found and (unless a dry run) wrote."""

    __slots__ = ("busy", "calendar", "dry_run", "handle", "name", "path", "ranges", "term")

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
    ) -> None:
        self.path = path
        self.calendar = calendar
        self.handle = handle
        self.name = name
        self.term = term
        self.busy = busy
        self.ranges = ranges
        self.dry_run = dry_run


def import_leave(
    calendar: Path,
    handle: str,
    rotation: Path | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    dry_run: bool = False,
) -> Imported:
    """Add the duty days ``calendar``'s busy time takes to ``handle``'s ``unavailable``
    list, over the rotation's term (or ``start``..``end``). Nothing is written on any error,
    nor when the result would not load."""
    from oncall.io.store import FileStore  # until leave import takes the command's store

    paths = FileStore([rotation] if rotation else None).rotation_sources()
    if len(paths) != 1:
        raise InputError(
            f"found {len(paths)} rotations in rotations/, expected one",
            hint="name the rotation file: oncall leave import FILE.ics --member HANDLE ROTATION",
        )
    path = paths[0]
    with schedule_lock(path):
        loaded = load_rotation(
            path,
            term_start=start,
            term_end=end,
            planned_term=lambda: schedule_term(schedule_path_for(path)),
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
        if ranges and not dry_run:
            text = read_text(path, keep_bom=True)  # the edit keeps a BOM and CRLF lines
            edited = add_unavailable(text, str(path), handle, [str(r) for r in ranges])
            # An edit that would not load is an error here, never a broken rotation file.
            load_rotation(path, term_start=term.start, term_end=term.end,
                          text=edited.removeprefix("\ufeff"))
            write_atomic(path, edited)
    return Imported(path, calendar, handle, member.name, term, len(busy), ranges, dry_run)

