"""What a folder holds, byte for byte, so a test can prove a failed run changed nothing.

``snapshot(folder)`` records every entry under ``folder``: a regular file's bytes, a
symlink's target, and that a folder or anything else (a FIFO, a socket) is there, without
ever opening anything but regular files (reading a FIFO would block). ``assert_unchanged``
compares two snapshots and names each path added, removed or changed.

``tests.helpers.cli`` uses it on every CLI run given a ``cwd`` in a test's temporary
folder: a run that exits 1, 2 or 3 (a refusal) must leave that folder byte-identical.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

Snapshot = dict[str, object]


def snapshot(folder: Path) -> Snapshot:
    """Every entry under ``folder`` (its path relative to it) and what it holds."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        mode = os.lstat(path).st_mode
        name = str(path.relative_to(folder))
        if stat.S_ISREG(mode):
            found[name] = path.read_bytes()
        elif stat.S_ISLNK(mode):
            found[name] = ("symlink", os.readlink(path))
        else:
            found[name] = ("folder",) if stat.S_ISDIR(mode) else ("special", stat.S_IFMT(mode))
    return found


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """Each path added, removed or changed between two snapshots, sorted."""
    return sorted(
        [f"added {name}" for name in after.keys() - before.keys()]
        + [f"removed {name}" for name in before.keys() - after.keys()]
        + [f"changed {name}" for name in before.keys() & after.keys()
           if before[name] != after[name]]
    )


def assert_unchanged(folder: Path, before: Snapshot) -> None:
    """``folder`` holds exactly what ``before`` recorded."""
    changed = differences(before, snapshot(folder))
    assert not changed, f"a failed run changed files under {folder}: " + ", ".join(changed)
