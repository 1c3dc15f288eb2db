"""Where the shell opens the store a command works on, and reads its clock, once.

The typer commands run with the holiday tables at hand (a schedule without stored days off
still answers); the cron path (``oncall.cli.duty_commands``) opens its own store without
them, so it never imports the tables.
"""

from __future__ import annotations

from pathlib import Path

from oncall.core.clock import Clock
from oncall.io.store import FileStore


def store_for(
    rotations: list[Path] | None, schedule: Path | None = None, *, record: bool = True
) -> FileStore:
    """The rotations named on the command line (or every ``rotations/*.yaml``)."""
    from oncall.core.calendar import days_off

    return FileStore(rotations, schedule=schedule, holiday_tables=days_off, record=record)


def clock(now: str | None) -> Clock:
    """``--now``, parsed once for the whole command."""
    return Clock.parse(now)
