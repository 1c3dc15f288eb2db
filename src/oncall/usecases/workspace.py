"""Finding and loading the rotations a command works on, and reading the clock.

This is the edge between files and the pure core: commands call ``open_rotation`` and get
model objects back. Nothing here imports the holiday tables unless the schedule file lacks
the days off that `oncall plan` stores for the cron path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from oncall.core.calendar import DutyCalendar, build_calendar, calendar_basis
from oncall.core.dates import in_zone
from oncall.core.errors import InputError
from oncall.core.model import Rotation
from oncall.core.schedule import Schedule

ROTATIONS_DIR = "rotations"


def rotation_paths(paths: list[Path] | None) -> list[Path]:
    """The rotation files named, or every ``rotations/*.yaml`` that is not a schedule."""
    if paths:
        return list(paths)
    folder = Path(ROTATIONS_DIR)
    found = (
        sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".schedule.yaml"))
        if folder.is_dir()
        else []
    )
    if not found:
        raise InputError(
            f"no rotation files given and none found in {folder}/ (looked for "
            f"{folder}/*.yaml in {os.getcwd()})",
            hint="pass a rotation file, or run `oncall init` to write a starter rotation",
        )
    return found


@dataclass
class Opened:
    """A rotation file with its schedule (None when not planned yet)."""

    path: Path
    rotation: Rotation
    schedule_path: Path
    schedule: Schedule | None

    def calendar(self, first: date | None = None, last: date | None = None) -> DutyCalendar:
        """The duty calendar, from the days off stored in the schedule when they still match
        the rotation's holiday settings (the cron path), else from the holiday tables."""
        first = first or self.rotation.term.start
        last = last or self.rotation.term.end
        stored = self.schedule
        if (
            stored is not None
            and stored.days_off is not None
            and stored.calendar_basis == calendar_basis(self.rotation, first, last)
        ):
            return build_calendar(self.rotation, first, last, stored.days_off)
        try:
            return build_calendar(self.rotation, first, last)
        except InputError as error:
            if error.mark is not None or not error.path:
                raise
            from oncall.io.loading import locate

            error.mark = locate(self.path, error.path)
            raise


def open_rotation(
    path: Path,
    *,
    schedule: Path | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
    require_schedule: bool = False,
) -> Opened:
    from oncall.io.loading import load_rotation, load_schedule, schedule_path_for, schedule_term

    if path.name.endswith((".schedule.yaml", ".schedule.yml")):
        rotation_file = path.with_name(path.name.replace(".schedule.", ".", 1))
        raise InputError(
            f"{path} is a schedule; commands take the rotation file it belongs to",
            hint=f"pass {rotation_file} (its schedule is found beside it), "
            f"or --schedule {path} with the rotation file",
        )
    schedule_path = schedule or schedule_path_for(path)
    rotation = load_rotation(
        path,
        term_start=term_start,
        term_end=term_end,
        planned_term=lambda: schedule_term(schedule_path),
    )
    loaded = None
    if schedule_path.exists():
        loaded = load_schedule(schedule_path, rotation)
    elif require_schedule or schedule is not None:
        raise InputError(
            f"{schedule_path}: no schedule file",
            hint=f"run `oncall plan {path}` first",
        )
    return Opened(path, rotation, schedule_path, loaded)


def one_path(paths: list[Path] | None, schedule: Path | None) -> list[Path]:
    """``--schedule`` names one file, so it makes sense with one rotation only."""
    found = rotation_paths(paths)
    if schedule is not None and len(found) != 1:
        raise InputError(
            f"--schedule names one schedule, but {len(found)} rotations were given",
            hint="pass exactly one rotation file with --schedule",
        )
    return found


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
    return in_zone(moment, rotation.tz)
