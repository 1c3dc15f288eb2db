"""`oncall crontab`: what one cron line runs, as data: every rotation's reminder times and
the webhook variable or file each posts to (`remind --due` reads the same keys)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oncall.core.errors import InputError
from oncall.core.model import ReminderTime
from oncall.core.store import ScheduleStore


@dataclass(frozen=True)
class Timed:
    """One rotation's reminder times, in its zone, and where they are posted."""

    rotation: str
    path: Path
    timezone: str
    times: tuple[ReminderTime, ...]
    webhook_env: str | None
    webhook_file: Path | None


@dataclass(frozen=True)
class Crontab:
    """The cron line's inputs: the folder it runs in, the program, how often, and what it
    will post."""

    folder: Path
    program: str
    every: int  # minutes between runs
    rotations: tuple[Timed, ...]


def crontab(store: ScheduleStore, *, folder: Path, program: str, every: int) -> Crontab:
    """The crontab for the rotations in ``store``, run from ``folder`` every ``every``
    minutes; a rotation without reminder times is left out, and none at all is an error."""
    if not 1 <= every <= 30:
        raise InputError(f"--every: found {every}, expected minutes from 1 to 30",
                         hint="5 keeps reminders within five minutes of their time")
    found = []
    for path in store.rotation_sources():
        rotation = store.open(path).rotation
        reminders = rotation.reminders
        if reminders.times:
            found.append(Timed(rotation.id, path, rotation.timezone, reminders.times,
                               reminders.webhook_url_env, reminders.webhook_url_file))
    if not found:
        raise InputError(
            "crontab: no rotation names reminders.times, so `remind --due` would post nothing",
            hint='add e.g. reminders: {times: ["09:45 today", "17:05 next"]} to a rotation file',
        )
    return Crontab(folder, program, every, tuple(found))
