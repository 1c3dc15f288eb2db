"""The rotations the relay posts for, re-read when their files change.

A swap (`oncall swap`) rewrites the schedule atomically, so its inode, size or mtime
changes; the next alert for that rotation opens the files again and mentions the new
people, without a restart. A file caught mid-edit by hand that does not load keeps the
last good version in use (the error is logged and counted) rather than dropping alerts.

A path that is not a regular file (a FIFO, a device, a socket) is refused without being
opened: reading a FIFO blocks until someone writes to it, which would hold a delivery
worker for good. Each rotation has its own lock, so one rotation's files never wait on
another's.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from oncall.core.duty_calendar import DutyCalendar
from oncall.core.errors import InputError, Mark
from oncall.core.store import HolidayTables, StoredTerm
from oncall.io.loading import schedule_path_for
from oncall.io.store import FileStore
from oncall.relay.escalation import StepTarget, targets

Signature = tuple[tuple[int, int, int] | None, ...]


class Loaded:
    """A rotation, its schedule and its duty calendar (built once per version)."""

    __slots__ = ("calendar", "opened", "steps")

    def __init__(self, opened: StoredTerm, calendar: DutyCalendar,
                 steps: tuple[StepTarget, ...] = ()) -> None:
        self.opened = opened
        self.calendar = calendar
        self.steps = steps  # escalation.after's targets, their secrets read


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _regular(path: Path) -> None:
    """An ``InputError`` unless ``path`` is a regular file (or missing: the reader says)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a directory" if stat.S_ISDIR(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise InputError(f"found {kind}, expected a regular file (it is never opened: "
                         "reading a FIFO would wait for ever)", mark=Mark(str(path)))


class RotationBook:
    """Each rotation's opened files, by id, checked for changes on every use."""

    def __init__(
        self,
        paths: dict[str, Path],
        holiday_tables: HolidayTables,
        on_reload: Callable[[str, InputError | None], None],
    ) -> None:
        self._paths = paths
        self._tables = holiday_tables
        self._on_reload = on_reload
        self._locks = {rotation: threading.Lock() for rotation in paths}
        self._opened: dict[str, tuple[Signature, Loaded]] = {}
        for rotation in paths:
            self._opened[rotation] = (self._signature(rotation), self._open(rotation))

    def _signature(self, rotation: str) -> Signature:
        path = self._paths[rotation]
        return (_stat(path), _stat(schedule_path_for(path)))

    def _open(self, rotation: str) -> Loaded:
        path = self._paths[rotation]  # a new store each time: the files changed
        for each in (path, schedule_path_for(path)):
            _regular(each)
        opened = FileStore([path], holiday_tables=self._tables).open(path, require_schedule=True)
        if opened.rotation.id != rotation:
            raise InputError(
                f"the file now defines rotation {opened.rotation.id!r}, "
                f"expected {rotation!r} (the relay config routes by it)",
                path="rotation",
            )
        return Loaded(opened, opened.calendar(), targets(opened.rotation))

    def get(self, rotation: str) -> Loaded:
        """The rotation and schedule as they are on disk now (or the last good version)."""
        with self._locks[rotation]:
            signature, opened = self._opened[rotation]
            current = self._signature(rotation)
            if current == signature:
                return opened
            try:
                fresh = self._open(rotation)
            except InputError as error:
                self._opened[rotation] = (current, opened)  # logged once per change
                self._on_reload(rotation, error)
                return opened
            self._opened[rotation] = (current, fresh)
            self._on_reload(rotation, None)
            return fresh
