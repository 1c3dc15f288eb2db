"""Where a rotation keeps its terms: one schedule file per term.

The current term (the one `oncall plan` wrote last) stays in ``x.schedule.yaml`` beside the
rotation file, so every cron line keeps working. ``plan --next-term`` moves it, byte for
byte, into the folder ``x.terms/`` as ``START.schedule.yaml`` (START is the term's first
day) before writing the new term: a kept term is never rewritten, and in git it shows as
one file renamed and one written, each readable and diffable on its own.

A command finds the term for a day from the file names alone, so the cron path reads one
kept file at most. A kept file byte for byte equal to the current one is what a kill
between the two writes of beginning a term leaves: it is not a term of its own, and
``oncall repair`` (or the next `plan`) removes it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from oncall.core.errors import InputError, Mark
from oncall.core.store import BEGIN, CARRY

_KEPT = re.compile(r"(\d{4}-\d{2}-\d{2})\.schedule\.yaml")


def kept_folder(schedule_path: Path) -> Path:
    """``rotations/x.schedule.yaml`` -> ``rotations/x.terms``."""
    name = schedule_path.name
    for suffix in (".schedule.yaml", ".schedule.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return schedule_path.with_name(f"{name}.terms")


def kept_path(schedule_path: Path, start: date) -> Path:
    """Where the term starting on ``start`` is kept once a later term is planned."""
    return kept_folder(schedule_path) / f"{start.isoformat()}.schedule.yaml"


def kept_terms(schedule_path: Path) -> list[tuple[date, Path]]:
    """The kept terms of a schedule, oldest first, as (first day, file).

    Anything else in the folder is an error rather than ignored: a stray file there is
    most likely a term someone renamed by hand, and skipping it would lose its history.
    """
    folder = kept_folder(schedule_path)
    if not folder.is_dir():
        return []
    found: list[tuple[date, Path]] = []
    for path in sorted(folder.iterdir()):
        match = _KEPT.fullmatch(path.name)
        start = _day(match.group(1)) if match else None
        if start is None:
            raise InputError(
                f"found {path.name!r} among the kept terms, expected files named "
                "START.schedule.yaml (START the term's first day, e.g. 2027-01-04)",
                mark=Mark(str(path)),
                hint=f"{folder}/ holds only the terms `oncall plan --next-term` moved there; "
                "rename the file to its term's first day, or move it elsewhere",
            )
        found.append((start, path))
    return found


def kept_term_for(schedule_path: Path, day: date) -> Path | None:
    """The kept term file that may hold ``day``: the latest starting on or before it (the
    caller checks its end, which only the file itself says)."""
    candidates = [path for start, path in kept_terms(schedule_path) if start <= day]
    return candidates[-1] if candidates else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def keep_term(schedule_path: Path, target: Path) -> None:
    """Keep the current term's file as ``target``, byte for byte, before the next term is
    written over it. Atomic: a failed run leaves either no kept copy or a whole one."""
    from oncall.io.files import copy_atomic

    target.parent.mkdir(exist_ok=True)
    copy_atomic(schedule_path, target)


# ---- changes that take two writes ------------------------------------------------------
# Beginning a term (keep the current file, write the new one) and a swap into a kept term
# that is still running (write it, then carry it into the later terms' ledgers) each take
# two writes. A note beside the schedule says which is under way; it is removed when both
# are done, so a kill between them leaves the note, and the next command knows what to
# finish (``oncall repair``, or any `plan` or `swap`, which repair first).

_PENDING_KINDS = (BEGIN, CARRY)


def pending_path(schedule_path: Path) -> Path:
    """``rotations/x.schedule.yaml`` -> ``rotations/x.schedule.pending`` (not ``*.yaml``,
    so no command takes it for a rotation; git shows it while it exists)."""
    return schedule_path.with_name(kept_folder(schedule_path).stem + ".schedule.pending")


def read_pending(schedule_path: Path) -> tuple[str, date] | None:
    """The change under way, as (kind, first day of the term it concerns), or None."""
    path = pending_path(schedule_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(
            f"cannot read the note of an unfinished change: {exc.strerror or exc}",
            mark=Mark(str(path)),
        ) from None
    kind, _, start = text.strip().partition(" ")
    day = _day(start)
    if kind not in _PENDING_KINDS or day is None:
        raise InputError(
            f"found {text.strip()[:80]!r}, expected the note of an unfinished change "
            f"({' or '.join(_PENDING_KINDS)} and a date)",
            mark=Mark(str(path)),
            hint="oncall writes this file for a moment during a change; if you wrote it, "
            "remove it",
        )
    return kind, day


def write_pending(schedule_path: Path, kind: str, start: date) -> None:
    from oncall.io.files import write_atomic

    write_atomic(pending_path(schedule_path), f"{kind} {start.isoformat()}\n")


def clear_pending(schedule_path: Path) -> None:
    pending_path(schedule_path).unlink(missing_ok=True)
