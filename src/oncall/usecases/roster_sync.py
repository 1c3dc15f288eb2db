"""`oncall roster sync`: the rotation's members brought in step with the roster sheet.

The sheet is read as `init --from-csv` reads it (``oncall.io.roster_csv``), the rotation
file edited in place (``oncall.io.roster_edit``): people new in the sheet are added,
changed cells change their keys (only the columns the sheet has), and people no longer in
the sheet get ``left: TODAY`` (never deleted: their served days stay theirs). The edit is
loaded before anything is written, under the store's lock, and written atomically; the
diff is shown (``tell``) before the write, and a dry run writes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oncall.core.clock import Clock
from oncall.core.errors import InputError, Mark
from oncall.core.store import ScheduleStore
from oncall.io.roster_csv import read_sheet
from oncall.io.roster_edit import Changes, synced_text
from oncall.usecases.clock_check import refuse_clock_behind


@dataclass(frozen=True)
class Synced:
    """What a sync found: the rotation ``path``, the ``diff`` of its file, the changes,
    and whether they were written (not a dry run, and something changed)."""

    path: Path
    sheet: Path
    diff: tuple[str, ...]
    changes: Changes
    written: bool
    planned: bool  # the rotation has a schedule (a leaver's later days need a re-plan)


def sync_roster(
    store: ScheduleStore,
    now: Clock,
    sheet: Path,
    *,
    encoding: str | None = None,
    dry_run: bool = False,
    tell: Callable[[Synced], None] = lambda synced: None,
) -> Synced:
    paths = store.rotation_sources()
    if len(paths) != 1:
        raise InputError(
            f"found {len(paths)} rotations in rotations/, expected one",
            hint=f"name the rotation file: oncall roster sync {sheet} ROTATION",
        )
    path = paths[0]
    columns, rows = read_sheet(sheet, encoding)
    with store.locked(paths):
        current = store.open(path)
        today = now.now(current.rotation.tz).replace(microsecond=0)
        if not dry_run:
            refuse_clock_behind(current, today, "roster sync")
        text = store.rotation_text(path)
        edited, changes = synced_text(text, str(path), str(sheet), columns, rows, today.date())
        if edited != text:
            try:
                store.rotation_with_text(path, edited, current.term)
            except InputError as error:
                raise InputError(
                    f"the rotation as {sheet} makes it would not load ({error}); nothing was "
                    "written",
                    mark=Mark(str(path)),
                    hint="correct the sheet's cell (or the rotation file) and sync again",
                ) from None
        synced = Synced(path, sheet, _diff(text, edited, path), changes,
                        not dry_run and edited != text, current.schedule is not None)
        tell(synced)
        if synced.written:
            store.save_rotation(path, edited)
    return synced


def _diff(before: str, after: str, path: Path) -> tuple[str, ...]:
    """A unified diff of the rotation file, LF line ends, without a trailing newline."""
    old = before.removeprefix("\ufeff").replace("\r\n", "\n").splitlines()
    new = after.removeprefix("\ufeff").replace("\r\n", "\n").splitlines()
    return tuple(
        difflib.unified_diff(old, new, f"{path}", f"{path} (synced)", lineterm="")
    )
