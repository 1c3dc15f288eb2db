"""Finding and opening the rotations a command works on, and reading the clock.

This is the edge between files and the pure core: use cases call ``open_rotation`` and get
model objects back. Nothing here imports the holiday tables: a command that may need them
passes ``holiday_tables`` (``oncall.core.calendar.days_off``); the cron path passes none and
builds every calendar from the days off `oncall plan` stored in the schedule file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

from oncall.core.dates import in_range, in_zone
from oncall.core.duty_calendar import DutyCalendar, calendar_basis, calendar_from
from oncall.core.errors import InputError, Mark
from oncall.core.model import Rotation, member_hint
from oncall.core.schedule import Schedule

ROTATIONS_DIR = "rotations"

# Looks up a rotation's days off between two dates in the holiday tables.
HolidayTables = Callable[[Rotation, date, date], Mapping[date, str]]


class HolidayTablesNeeded(Exception):
    """A calendar needs the holiday tables, but the caller passed none: the schedule does not
    store the days off (an older `plan` wrote it, or the holiday settings changed since).
    Not a user error: the cron path answers it by handing the call to the full CLI."""


def rotation_paths(paths: list[Path] | None, schedule: Path | None = None) -> list[Path]:
    """The rotation files named, or every ``rotations/*.yaml`` that is not a schedule;
    with ``schedule`` (``--schedule``), exactly one."""
    found = list(paths) if paths else _default_paths()
    single_schedule(found, schedule)
    unique_ids(found)
    return found


def rotation_files(folder: Path) -> list[Path]:
    """The rotation files of a folder: its ``*.yaml`` that are not schedules."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".schedule.yaml"))


def unique_ids(paths: Sequence[Path]) -> None:
    """Refuse two rotation files with one ``rotation:`` id, among ``paths`` and the other
    rotation files of their folders: schedules, calendar UIDs and the checks across
    rotations (``plan``, ``validate``) tell rotations apart by id alone."""
    from oncall.io.loading import rotation_id

    seen: dict[str, tuple[Path, Mark]] = {}
    files = {p.resolve(): p for folder in {p.parent for p in paths} for p in rotation_files(folder)}
    # A schedule named as a rotation is explained when it is opened (see open_rotation).
    named = [p for p in paths if not p.name.endswith((".schedule.yaml", ".schedule.yml"))]
    files.update({p.resolve(): p for p in named})
    for path in sorted(files.values()):
        found = rotation_id(path)
        if found is None:
            continue
        rotation, mark = found
        first = seen.get(rotation)
        if first is None:
            seen[rotation] = (path, mark)
            continue
        raise InputError(
            f"{mark}: found rotation id {rotation!r} again (first in {first[1]}), expected "
            f"each rotation file in {path.parent}/ to have its own id; nothing was written",
            hint=f"give one of them another id, e.g. `rotation: {path.stem}` (its file "
            "name); ids name the schedules, the calendar events and the checks across "
            "rotations",
        )


def _default_paths() -> list[Path]:
    folder = Path(ROTATIONS_DIR)
    found = rotation_files(folder)
    if not found:
        raise InputError(
            f"no rotation files given and none found in {folder}/ (looked for "
            f"{folder}/*.yaml in {os.getcwd()})",
            hint="pass a rotation file, or run `oncall init` to write a starter rotation",
        )
    return found


def single_schedule(paths: Sequence[Path], schedule: Path | None) -> None:
    """``--schedule`` names one file, so it makes sense with one rotation only."""
    if schedule is not None and len(paths) != 1:
        raise InputError(
            f"--schedule names one schedule, but {len(paths)} rotations were given",
            hint="pass exactly one rotation file with --schedule",
        )


class Opened:
    """A rotation file with its schedule (None when not planned yet).

    A plain class, as is all the cron path creates: a dataclass costs ~0.5 ms to create."""

    __slots__ = (
        "_stored", "holiday_tables", "path", "record", "rotation", "schedule", "schedule_path"
    )

    def __init__(
        self,
        path: Path,
        rotation: Rotation,
        schedule_path: Path,
        schedule: Schedule | None,
        holiday_tables: HolidayTables | None = None,
        record: bool = True,
    ) -> None:
        self.path = path
        self.record = record  # whether schedules are read with their calendar record
        self.rotation = rotation
        self.schedule_path = schedule_path
        self.schedule = schedule
        self.holiday_tables = holiday_tables
        self._stored: dict[tuple[date, date], DutyCalendar | None] = {}

    def stored_calendar(
        self, first: date | None = None, last: date | None = None
    ) -> DutyCalendar | None:
        """The duty calendar from the days off stored in the schedule, when they still match
        the rotation's holiday settings; else None. Built once per range."""
        first = first or self.rotation.term.start
        last = last or self.rotation.term.end
        if (first, last) not in self._stored:
            stored = self.schedule
            found = None
            if (
                stored is not None
                and stored.days_off is not None
                and stored.calendar_basis == calendar_basis(self.rotation, first, last)
            ):
                found = calendar_from(self.rotation, first, last, stored.days_off)
            self._stored[first, last] = found
        return self._stored[first, last]

    def calendar(self, first: date | None = None, last: date | None = None) -> DutyCalendar:
        """The duty calendar: stored (the cron path), else from the holiday tables."""
        stored = self.stored_calendar(first, last)
        if stored is not None:
            return stored
        if self.holiday_tables is None:
            raise HolidayTablesNeeded(str(self.path))
        first = first or self.rotation.term.start
        last = last or self.rotation.term.end
        return located(
            self.path,
            lambda: calendar_from(
                self.rotation, first, last, self.holiday_tables(self.rotation, first, last)
            ),
        )

    def with_schedule(self, schedule: Schedule) -> Opened:
        return Opened(
            self.path, self.rotation, self.schedule_path, schedule, self.holiday_tables,
            self.record,
        )

    def on(self, day: date) -> Opened:
        """The term that holds ``day``: this one, or an earlier term kept beside it (one
        schedule file per term, see ``oncall.io.terms``); this one when none holds it."""
        if self.schedule is None or day >= self.schedule.term.start:
            return self
        from oncall.io.terms import kept_term_for

        kept = kept_term_for(self.schedule_path, day)
        if kept is None:
            return self
        opened = open_kept(self.path, kept, self.holiday_tables, self.record)
        return opened if day in opened.rotation.term else self

    def terms(self) -> list[Opened]:
        """Every term of the rotation, oldest first: the kept ones, then this one. Terms
        that overlap are an error naming both files."""
        from oncall.io.terms import kept_terms

        found = [
            open_kept(self.path, kept, self.holiday_tables, self.record)
            for _, kept in kept_terms(self.schedule_path)
        ]
        if self.schedule is not None:
            found.append(self)
        for before, after in pairwise(found):
            if before.rotation.term.end >= after.rotation.term.start:
                raise InputError(
                    f"{after.schedule_path}: term {after.rotation.term} overlaps the kept "
                    f"term {before.rotation.term} in {before.schedule_path}",
                    hint="each day belongs to one term; fix or remove one of the two files",
                )
        return found


def open_kept(
    path: Path, kept: Path, holiday_tables: HolidayTables | None, record: bool = True
) -> Opened:
    """A kept term: the rotation file read with that term, and the term's own schedule."""
    from oncall.io.loading import load_rotation, load_schedule, read_schedule, term_of

    top = read_schedule(kept, record=record)
    term = term_of(top)
    if kept.name != f"{term.start.isoformat()}.schedule.yaml":
        raise InputError(
            f"{kept}: holds the term {term}, but kept terms are named by their first day",
            hint=f"rename it to {term.start.isoformat()}.schedule.yaml",
        )
    rotation = load_rotation(path, term_start=term.start, term_end=term.end)
    schedule = load_schedule(kept, rotation, top=top)
    return Opened(path, rotation, kept, schedule, holiday_tables, record)


def open_rotation(
    path: Path,
    *,
    schedule: Path | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
    require_schedule: bool = False,
    holiday_tables: HolidayTables | None = None,
    record: bool = True,
) -> Opened:
    """Load a rotation file and its schedule (beside it, or ``schedule``); ``record``
    False skips the schedule's calendar record (``published``), which only the commands
    that write or export calendars read: `who` and `remind` start faster without it."""
    from oncall.io.loading import (
        load_rotation,
        load_schedule,
        read_schedule,
        schedule_path_for,
        term_of,
    )

    if path.name.endswith((".schedule.yaml", ".schedule.yml")):
        rotation_file = path.with_name(path.name.replace(".schedule.", ".", 1))
        raise InputError(
            f"{path} is a schedule; commands take the rotation file it belongs to",
            hint=f"pass {rotation_file} (its schedule is found beside it), "
            f"or --schedule {path} with the rotation file",
        )
    schedule_path = schedule or schedule_path_for(path)
    # The schedule is read once: its term may decide the rotation's (see load_rotation).
    top = read_schedule(schedule_path, record=record) if schedule_path.exists() else None
    rotation = load_rotation(
        path,
        term_start=term_start,
        term_end=term_end,
        planned_term=lambda: term_of(top) if top is not None else None,
    )
    loaded = None
    if top is not None:
        loaded = load_schedule(schedule_path, rotation, top=top)
    elif require_schedule or schedule is not None:
        raise InputError(
            f"{schedule_path}: no schedule file",
            hint=f"run `oncall plan {path}` first",
        )
    return Opened(path, rotation, schedule_path, loaded, holiday_tables, record)


def open_planned(
    rotations: list[Path] | None,
    schedule: Path | None,
    holiday_tables: HolidayTables | None,
    *,
    record: bool = True,
) -> list[Opened]:
    """Every rotation the command works on, each with its (required) schedule.

    Without ``holiday_tables`` (the cron path) each term's calendar must come from the
    stored days off; ``HolidayTablesNeeded`` says otherwise before any rotation is used,
    so a caller that starts over with the tables has said nothing yet.
    """
    opened = [
        open_rotation(
            path,
            schedule=schedule,
            require_schedule=True,
            holiday_tables=holiday_tables,
            record=record,
        )
        for path in rotation_paths(rotations, schedule)
    ]
    if holiday_tables is None:
        for each in opened:
            if each.stored_calendar() is None:
                raise HolidayTablesNeeded(str(each.path))
    return opened


def located(path: Path, build: Callable[[], DutyCalendar]) -> DutyCalendar:
    """``build()``, with a holiday setting the tables do not know reported at its place in
    the rotation file ``path`` (the tables are consulted only when a calendar is built)."""
    try:
        return build()
    except InputError as error:
        if error.mark is not None or not error.path:
            raise
        from oncall.io.loading import locate

        error.mark = locate(path, error.path)
        raise


def known_handle(rotation: Rotation, handle: str, option: str) -> str:
    """The handle if it is in the roster; otherwise an input error with a did-you-mean."""
    if rotation.member(handle) is not None:
        return handle
    raise InputError(
        f"{option}: {handle!r} is not a member of rotation {rotation.rotation}",
        hint=member_hint(handle, sorted(rotation.by_handle)),
    )


def now_in(rotation: Rotation, now: str | None) -> datetime:
    """The current moment in the rotation's time zone; ``--now`` (local to it) replaces the
    clock for tests and replays."""
    if now is None:
        return datetime.now(rotation.tz)
    try:
        moment = datetime.fromisoformat(now)
    except ValueError:
        raise InputError(
            f"--now: found {now!r}, expected an ISO date-time such as 2027-01-04T10:30"
        ) from None
    in_range(moment.date(), "--now")
    return in_zone(moment, rotation.tz)
