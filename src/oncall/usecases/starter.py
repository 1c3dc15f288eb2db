"""`oncall init`: a commented starter rotation that plans out of the box.

The term starts on the next Monday after today, so the starter is always in the future
and `oncall plan` works on it straight away.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from string import Template

from oncall.core.errors import InputError
from oncall.io.files import write_atomic


def starter_text(today: date) -> str:
    start = today + timedelta(days=7 - today.weekday())
    closure_year = start.year if start.month < 12 or start.day < 29 else start.year + 1
    template = Template(files("oncall").joinpath("starter.yaml").read_text(encoding="utf-8"))
    return template.substitute(
        term_start=start.isoformat(),
        closure_start=date(closure_year, 12, 29).isoformat(),
        closure_end=date(closure_year + 1, 1, 3).isoformat(),
        away_start=(start + timedelta(weeks=3)).isoformat(),
        away_end=(start + timedelta(weeks=3, days=4)).isoformat(),
    )


def write_starter(path: Path, *, force: bool = False, now: str | None = None) -> Path:
    if path.exists() and not force:
        raise InputError(
            f"{path} already exists; nothing was written",
            hint="pass --force to overwrite it, or give another path",
        )
    if path.is_dir():
        raise InputError(f"{path} is a directory; expected a file path such as {path}/team.yaml")
    today = _today(now)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, starter_text(today))
    return path


def _today(now: str | None) -> date:
    if now is None:
        return date.today()
    try:
        return datetime.fromisoformat(now).date()
    except ValueError:
        raise InputError(
            f"--now: found {now!r}, expected an ISO date-time such as 2027-01-04T10:30"
        ) from None
