"""`oncall export`: which calendars or sheets to write, for whom, from which schedules.

Gathers each rotation's feed (rules, schedule, duty days over the planned term), checks the
person asked for, and lays out the files: one to standard output or a file, or one per
rotation (or per member) in a folder. ``oncall.render.ics`` and ``oncall.render.spreadsheet``
turn each into text; writing it is the command's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oncall.core.calendar import days_off
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError
from oncall.core.model import Rotation, member_hint
from oncall.core.schedule import Schedule
from oncall.usecases.workspace import now_in, open_planned


@dataclass(frozen=True)
class Feed:
    """One rotation's part of a calendar: its rules, its schedule and its duty days."""

    rotation: Rotation
    schedule: Schedule
    calendar: DutyCalendar


@dataclass(frozen=True)
class ExportFile:
    """One file to write: ``feeds`` for ``person`` (None: everyone) at ``target`` (None:
    the one output the command was given)."""

    feeds: tuple[Feed, ...]
    person: str | None
    target: Path | None = None


def feeds(rotations: list[Path] | None, schedule: Path | None) -> list[Feed]:
    """Each rotation with its schedule and the duty days of the term it was planned for."""
    found = []
    for opened in open_planned(rotations, schedule, days_off):
        assert opened.schedule is not None  # open_planned
        term = opened.schedule.term
        found.append(Feed(opened.rotation, opened.schedule, opened.calendar(term.start, term.end)))
    return found


def check_person(found: Sequence[Feed], person: str) -> None:
    """An unknown handle is a typo, not an empty calendar: say so, with a suggestion."""
    known = sorted({m.handle for feed in found for m in feed.rotation.members})
    if person in known:
        return
    names = ", ".join(feed.rotation.rotation for feed in found)
    raise InputError(
        f"--person: found {person!r}, expected a member of {names}",
        hint=member_hint(person, known),
    )


def export_files(
    rotations: list[Path] | None,
    schedule: Path | None,
    *,
    fmt: str,
    person: str | None,
    folder: Path | None,
    per_person: bool,
    excel: bool,
    now: str | None = None,
) -> list[ExportFile]:
    """The files to write: into ``folder`` one per rotation (per member with
    ``per_person``), else a single one (a CSV sheet holds one rotation)."""
    if per_person and folder is None:
        raise InputError(
            "--per-person writes one file per member, so it needs -o DIR (an existing directory)",
            hint="create the directory first, e.g. mkdir feeds && oncall export ... -o feeds",
        )
    if excel and fmt != "csv":
        raise InputError("--excel applies to --format csv only")
    found = feeds(rotations, schedule)
    if now is not None:  # the files never depend on the clock; a bad --now is still an error
        for feed in found:
            now_in(feed.rotation, now)
    if person is not None:
        check_person(found, person)
    if folder is None:
        if fmt == "csv" and len(found) > 1:
            raise InputError(
                f"a CSV sheet holds one rotation, but {len(found)} were given",
                hint="name one rotation, or pass -o DIR to write one file per rotation",
            )
        return [ExportFile(tuple(found), person)]
    return [
        ExportFile((feed,), handle, folder / f"{_stem(feed, handle)}.{fmt}")
        for feed in found
        for handle in _handles(feed, person, per_person)
    ]


def _handles(feed: Feed, person: str | None, per_person: bool) -> list[str | None]:
    """Whose file each rotation gets in a folder: everyone's, or each member's."""
    if not per_person:
        handles: list[str | None] = [person]
    else:
        handles = [m.handle for m in feed.rotation.members if person in (None, m.handle)]
    return [h for h in handles if h is None or feed.rotation.member(h) is not None]


def _stem(feed: Feed, handle: str | None) -> str:
    return feed.rotation.rotation + (f"-{handle}" if handle else "")
