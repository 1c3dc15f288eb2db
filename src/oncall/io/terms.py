"""Where a rotation keeps its terms: one schedule file per term.

The current term (the one `oncall plan` wrote last) stays in ``x.schedule.yaml`` beside the
rotation file, so every cron line keeps working. ``plan --next-term`` moves it, byte for
byte, into the folder ``x.terms/`` as ``START.schedule.yaml`` (START is the term's first
day) before writing the new term: a kept term is never rewritten, and in git it shows as
one file renamed and one written, each readable and diffable on its own.

A command finds the term for a day from the file names alone, so the cron path reads one
kept file at most.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from oncall.core.errors import InputError, Mark

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
