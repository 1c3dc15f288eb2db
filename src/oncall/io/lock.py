"""An exclusive lock on a schedule file, for read-check-write changes of it.

Two changes at once (two swaps, or a swap and a re-plan) must both see the other's result,
or one of them silently drops the other's overrides. The lock is an advisory ``flock`` on
the schedule file itself, so no stray lock files land in the repository beside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

ATTEMPTS = 50


@contextmanager
def schedule_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the schedule at ``path`` while the block runs.

    Writes replace the file (``io.files.write_atomic``), so after waiting for the lock we
    check it is still on the file the path names, and lock again if not. A missing or
    unreadable file is not locked: reading it then reports the problem. Off Unix there is
    no lock, and writes are still atomic.
    """
    handle = _locked(path)
    try:
        yield
    finally:
        if handle is not None:
            handle.close()


@contextmanager
def schedule_locks(paths: Iterable[Path]) -> Iterator[None]:
    """Hold the locks of several schedules (a re-plan of many rotations), always taken in
    the same order so that two commands never wait for each other."""
    with ExitStack() as stack:
        for path in sorted({Path(os.path.realpath(p)) for p in paths}):
            stack.enter_context(schedule_lock(path))
        yield


def _locked(path: Path) -> BinaryIO | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Unix
        return None
    for _ in range(ATTEMPTS):
        handle = _open_regular(path)
        if handle is None:
            return None
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except OSError:
            same = False
        if same:
            return handle
        handle.close()
    return None


def _open_regular(path: Path) -> BinaryIO | None:
    """``path`` open for reading if it is a regular file; None for anything else. Opened
    without blocking, so a FIFO at the path is not waited on (reading it is then refused)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")
