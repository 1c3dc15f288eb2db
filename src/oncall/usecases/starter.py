"""`oncall init`: a commented starter rotation that plans out of the box.

The term starts on the next Monday after today, so the starter is always in the future
and `oncall plan` works on it straight away.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from string import Template

from oncall.core.clock import SYSTEM, Clock
from oncall.core.dates import parse_day
from oncall.core.errors import InputError
from oncall.io.files import write_atomic
from oncall.io.loading import load_rotation
from oncall.io.roster_csv import COLUMNS as ROSTER_COLUMNS
from oncall.io.roster_csv import member_lines, read_roster

__all__ = ["ROSTER_COLUMNS", "starter_text", "write_starter"]


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def starter_text(
    today: date,
    rotation: str = "app-daytime",
    *,
    start: date | None = None,
    window: tuple[str, str] = ("10:00", "17:00"),
    days: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> str:
    """The starter for ``rotation``: its term from ``start`` (default: the Monday after
    ``today``), its window and duty weekdays as given."""
    start = start or today + timedelta(days=7 - today.weekday())
    template = Template(files("oncall").joinpath("starter.yaml").read_text(encoding="utf-8"))
    return template.substitute(
        rotation=f"{rotation:<22} ",  # the comment after it stays in its column
        term_start=start.isoformat(),
        away_start=(start + timedelta(weeks=3)).isoformat(),
        away_end=(start + timedelta(weeks=3, days=4)).isoformat(),
        window_days=", ".join(WEEKDAY_NAMES[day] for day in days),
        days_text="weekdays" if days == (0, 1, 2, 3, 4) else "/".join(
            WEEKDAY_NAMES[day] for day in days
        ),
        window_start=window[0],
        window_end=window[1],
    )


def parse_window(text: str) -> tuple[str, str]:
    """``--window 10:00-17:00``: a start and an end, as the rotation file writes them."""
    import re

    match = re.fullmatch(r"\s*(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*", text)
    if match is not None:
        start = (int(match[1]), int(match[2]))
        end = (int(match[3]), int(match[4]))
        if start < (24, 0) and start[1] < 60 and end[1] < 60 and end <= (24, 0) and end != start:
            return f"{match[1]}:{match[2]}", f"{match[3]}:{match[4]}"
    raise InputError(
        f"--window: found {text!r}, expected HH:MM-HH:MM such as 10:00-17:00 (an end before "
        "the start ends the next day; 24:00 is midnight)"
    )


def parse_days(text: str) -> tuple[int, ...]:
    """``--days mon-fri`` or ``mon,wed,fri``: the window's weekdays."""
    found: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in WEEKDAY_NAMES or (dash and last not in WEEKDAY_NAMES):
            raise InputError(
                f"--days: found {text!r}, expected weekdays such as mon-fri or mon,wed,fri"
            )
        a = WEEKDAY_NAMES.index(first)
        b = WEEKDAY_NAMES.index(last) if dash else a
        if b < a:
            raise InputError(f"--days: {part} runs backwards; expected e.g. mon-fri")
        found |= set(range(a, b + 1))
    return tuple(sorted(found))


def starter_path(path: Path | None, rotation: str | None, cwd: Path) -> Path:
    """Where `init` writes: ``path`` (a folder means ``FOLDER/ID.yaml``); by default
    ``rotations/ID.yaml``, or ``ID.yaml`` when run inside a ``rotations`` folder."""
    name = f"{rotation or 'app-daytime'}.yaml"
    if path is None:
        inside = cwd.name == "rotations" and not (cwd / "rotations").is_dir()
        return Path(name) if inside else Path("rotations") / name
    if path.is_dir() or str(path).endswith("/"):
        return path / name
    return path


def write_starter(
    path: Path,
    *,
    force: bool = False,
    now: Clock = SYSTEM,
    from_csv: Path | None = None,
    rotation: str | None = None,
    start: str | None = None,
    window: str | None = None,
    days: str | None = None,
    encoding: str | None = None,
) -> Path:
    """Write the starter to ``path`` (never over a file without ``force``), atomically;
    with ``from_csv``, its members are the spreadsheet's rows, and the whole file is
    loaded before it is written, so what lands on disk is a rotation that plans. Its id
    is ``rotation`` (``--id``), else the file's name, and no other rotation file beside
    it may have it."""
    if path.exists() and not force:
        raise InputError(
            f"{path} already exists; nothing was written",
            hint="pass --force to overwrite it, or give another path",
        )
    today = now.local_guess()  # the starter's first Monday; no time zone is known yet
    first = parse_day(start, "--start", today) if start is not None else None
    text = starter_text(
        today,
        new_id(path, rotation),
        start=first,
        window=parse_window(window) if window is not None else ("10:00", "17:00"),
        days=parse_days(days) if days is not None else (0, 1, 2, 3, 4),
    )
    if from_csv is not None:
        text = with_roster(text, from_csv, encoding)
    load_rotation(path, text=text)  # what lands on disk is a rotation that loads
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return path


def new_id(path: Path, given: str | None) -> str:
    """The id of the rotation ``init`` writes to ``path``: ``given`` (``--id``), else the
    file's name (``rotations/morning-watch.yaml`` -> ``morning-watch``), refused when it
    is not an id or another rotation file in the folder already has it."""
    from oncall.io.loading import rotation_id
    from oncall.io.readers import ROTATION_ID
    from oncall.io.store import rotation_files

    rotation = given if given is not None else path.stem
    if not ROTATION_ID.fullmatch(rotation):
        if given is not None:
            raise InputError(
                f"--id: found {given!r}, expected an id of lowercase letters, digits and "
                "dashes such as morning-watch; nothing was written"
            )
        raise InputError(
            f"{path}: the file name gives the rotation id {rotation!r}, expected lowercase "
            "letters, digits and dashes; nothing was written",
            hint=f"pass --id ID (e.g. --id {_as_id(rotation)}), or name the file after the "
            "id: oncall init rotations/ID.yaml",
        )
    for other in rotation_files(path.parent):
        if other.resolve() == path.resolve():
            continue  # the file --force replaces
        found = rotation_id(other)
        if found is not None and found[0] == rotation:
            raise InputError(
                f"{path}: the rotation id {rotation!r} is already the id of the rotation "
                f"at {found[1]}; nothing was written",
                hint="each rotation in a folder needs its own id: pass --id ID, or name "
                "the new file after another id",
            )
    return rotation


def _as_id(text: str) -> str:
    """``text`` made into an id, for a hint."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "team"


def with_roster(text: str, roster: Path, encoding: str | None = None) -> str:
    """The starter with its members replaced by the roster's, and the two rules that
    depend on the roster set to what it can meet: volunteers only if someone volunteered,
    distinct teams required only with two teams or more."""
    rows = read_roster(roster, encoding)
    head = text[: text.index("\nmembers:\n")]
    volunteers = [row for row in rows if row.values.get("volunteer")]
    if not volunteers:
        head = head.replace(
            "volunteers_only: true          # only members with `volunteer: true` are scheduled",
            "volunteers_only: false         # the roster marks no volunteers: everyone serves",
        )
    teams = {row.values["team"] for row in (volunteers or rows)}
    if len(teams) < 2:
        head = head.replace(
            "distinct_teams: required       # required | preferred | off",
            "distinct_teams: preferred      # the roster has one team; required | preferred | off",
        )
    members = [
        "",
        f"# {len(rows)} members from {roster.name}; from now on, edit them here.",
        "members:",
        *member_lines(rows),
    ]
    return head + "\n" + "\n".join(members) + "\n"
