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
    import unicodedata

    first = unicodedata.normalize("NFKC", cell).lstrip()[:1]
    if first and (first in FORMULA_SIGNS or unicodedata.category(first) == "Cc"):
        return "'" + safe
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
    """RFC 4180 text; cells defused against formulas unless ``raw``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow(row.cells() if raw else [neutralise(cell) for cell in row.cells()])
    return (BOM if excel else "") + buffer.getvalue()
