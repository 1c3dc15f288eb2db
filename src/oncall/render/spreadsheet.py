"""CSV export: the schedule as the one-row-per-person-per-day sheet team leads keep.

Pure: model objects in, text out. RFC 4180 as the csv module writes it (CRLF line ends,
fields quoted only when needed, embedded quotes doubled). Every cell a spreadsheet would
run as a formula is neutralised with a leading single quote (OWASP "CSV injection"):
names come from people, and exported names are data, never code. The sheet is data for
scripts, so its weekday column is English whatever the rotation's language.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from oncall import words
from oncall.core.duty import named_duty
from oncall.core.duty_calendar import DutyCalendar
from oncall.core.model import Rotation
from oncall.core.schedule import Schedule

COLUMNS: tuple[str, ...] = (
    "date",
    "weekday",
    "start",
    "end",
    "timezone",
    "role",
    "handle",
    "name",
    "team",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = "=+-@"
BOM = "\ufeff"
_PEOPLE = frozenset({"handle", "name", "team"})  # the cells people type, unlike times
_ROLE_ORDER = {"primary": 0, "shadow": 1}


@dataclass(frozen=True)
class Row:
    """One person on one duty day."""

    date: str
    weekday: str
    start: str
    end: str
    timezone: str
    role: str
    handle: str
    name: str
    team: str

    def cells(self) -> list[str]:
        return [getattr(self, column) for column in COLUMNS]


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows instead of evaluating.

    Spreadsheets skip leading blanks (a space, U+3000, a line break) and read full-width
    signs as their ASCII twins, so the test is on the first non-blank character after
    NFKC normalisation; a control character there is defused too. NUL, which some readers
    take as the end of the file, is never written."""
    safe = cell.replace("\x00", "\ufffd")
    if not cell or cell[0].isalnum():  # the usual names: no normalising needed
        return safe
    if cell.startswith(FORMULA_STARTS):
        return "'" + safe
    first = unicodedata.normalize("NFKC", cell).lstrip()[:1]
    if first and (first in FORMULA_SIGNS or unicodedata.category(first) == "Cc"):
        return "'" + safe
    return safe


# What Excel and LibreOffice turn into a number, a date, a time or a boolean when they
# open a CSV: 007 -> 7, 1e3 -> 1000, 1/2 -> a date, 10:00 -> a time, TRUE -> a boolean.
_NUMBER_LIKE = re.compile(
    r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?"
    r"|\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[aApP][mM])?"
    r"|(?i:true|false)"
)


def textual(cell: str) -> str:
    """``neutralise``d, and a cell a spreadsheet would read as a number, date, time or
    boolean (a handle ``007``, a team ``1e3``) given the same leading single quote, the
    spreadsheets' mark of a text cell, so it is not turned into 7 or 1000. (Not ``="007"``:
    that is a formula, which this module never writes, and LibreOffice imports it as the
    formula's text unless told to evaluate formulas.)"""
    safe = neutralise(cell)
    plain = unicodedata.normalize("NFKC", cell).strip()
    if len(safe) == len(cell) and _NUMBER_LIKE.fullmatch(plain):
        return "'" + cell
    return safe


def rows(
    rotation: Rotation,
    schedule: Schedule,
    calendar: DutyCalendar,
    *,
    person: str | None = None,
) -> list[Row]:
    """One row per person per duty day, overrides applied, sorted by date, role, handle;
    nobody on a day they are not a member (``core.duty.named_duty``)."""
    window, tz = rotation.window, rotation.tz
    recorded = schedule.names or {}
    teams = schedule.teams or {}
    out: list[Row] = []
    for day in calendar.duty_days:
        start, end = window.wall_times(day, tz)
        duty = named_duty(rotation, schedule, day)  # as `who` names it: no leaver after `left`
        people = [(handle, "primary") for handle in duty.primary]
        people += [(handle, "shadow") for handle in duty.shadow]
        for handle, role in people:
            if person is not None and handle != person:
                continue
            member = rotation.member(handle)
            out.append(
                Row(
                    date=day.isoformat(),
                    weekday=words.weekday("en", day.weekday()),
                    start=start,
                    end=end,
                    timezone=rotation.timezone,
                    role=role,
                    handle=handle,
                    # Someone deleted from the roster keeps the name and team the
                    # schedule recorded (``people:``).
                    name=member.name if member is not None else recorded.get(handle, ""),
                    team=member.team if member is not None else teams.get(handle, ""),
                )
            )
    out.sort(key=lambda row: (row.date, _ROLE_ORDER[row.role], row.handle))
    return out


def write_rows(table: Iterable[Row], *, excel: bool = False, raw: bool = False) -> str:
    """RFC 4180 text; cells defused against formulas unless ``raw``, and the people's
    cells (handle, name, team) kept as text where they look like numbers (``textual``)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        if raw:
            writer.writerow(row.cells())
            continue
        writer.writerow([
            (textual if column in _PEOPLE else neutralise)(cell)
            for column, cell in zip(COLUMNS, row.cells(), strict=True)
        ])
    return (BOM if excel else "") + buffer.getvalue()
