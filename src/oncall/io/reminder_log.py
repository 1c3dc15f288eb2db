"""What `oncall remind --due` has posted, one small state file per rotation.

The file holds the moment up to which every reminder slot of the rotation was handled
(posted, or found to need no message): ``{"version": 1, "rotation": ID,
"handled_through": ISO}``. Two crons at once take turns on ``STATE.lock`` (an advisory
``flock`` on a file that is never replaced, unlike the state file, which is written
atomically after every slot), so each slot is posted once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

from oncall.core.errors import InputError, Mark
from oncall.core.store import StoredTerm
from oncall.io import loading
from oncall.io.files import read_text, write_atomic

VERSION = 1


def state_path(current: StoredTerm) -> Path:
    """The rotation's state file: ``reminders.state_file``, else ``NAME.reminded.json``."""
    named = current.rotation.reminders.state_file
    return named if named is not None else current.path.with_name(
        current.path.stem + ".reminded.json"
    )


class ReminderStateFiles:
    """The state files of the rotations `remind --due` posts for (``ReminderLog``)."""

    def held(self, rotations: Sequence[StoredTerm]) -> AbstractContextManager[None]:
        """Hold every rotation's state file against another `remind --due`."""
        return _held([state_path(current) for current in rotations], rotations)

    def handled_through(self, current: StoredTerm) -> datetime | None:
        path = state_path(current)
        if not path.exists():
            return None
        raw = read_text(path, max_bytes=4096)
        try:
            data = json.loads(raw)
            found = datetime.fromisoformat(data["handled_through"])
            ok = data.get("version") == VERSION and found.tzinfo is not None
        except (ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok or data.get("rotation") != current.rotation.id:
            raise InputError(
                f"{path}: expected the reminder state of rotation {current.rotation.id} "
                f'(version {VERSION}: {{"rotation": ..., "handled_through": ISO date-time}})',
                hint="remove it to start again: the slots within --catch-up of now are "
                "then posted once more",
            )
        return found

    def record(self, current: StoredTerm, through: datetime) -> None:
        state = {
            "version": VERSION,
            "rotation": current.rotation.id,
            "handled_through": through.isoformat(),
        }
        write_atomic(state_path(current), json.dumps(state) + "\n")


@contextmanager
def _held(paths: list[Path], rotations: Sequence[StoredTerm]) -> Iterator[None]:
    """Every state file's lock, in one order, once each state file is known to belong to
    one rotation only."""
    owners: dict[Path, StoredTerm] = {}
    for path, current in zip(paths, rotations, strict=True):
        key = Path(os.path.realpath(path))
        if key in owners:
            first = owners[key]
            mark = _where(current.path)
            raise InputError(
                f"{current.rotation.id} and {first.rotation.id} both keep their "
                f"reminder state in {path}; expected one state file per rotation",
                mark=mark,
                hint="give one of them another reminders.state_file",
            )
        owners[key] = current
    with ExitStack() as stack:
        for key in sorted(owners):
            stack.enter_context(_flock(key.with_name(key.name + ".lock")))
        yield


def _where(source: Path) -> Mark:
    try:
        return loading.locate(source, "reminders.state_file")
    except InputError:
        return Mark(str(source))


@contextmanager
def _flock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path``, created empty if missing and never replaced."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Unix
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
