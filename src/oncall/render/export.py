"""`oncall export`'s files as text, and the lines it prints about what it wrote.

``file_text`` is what the use case (``oncall.usecases.export.export_files``) renders each
file with; icalendar is imported only for a calendar.
"""

from __future__ import annotations

from collections.abc import Callable

from oncall.usecases.export import Exported, ExportFile


def file_text(
    fmt: str, *, excel: bool = False, raw: bool = False, by: str = "day"
) -> Callable[[ExportFile], str]:
    """How one file of ``fmt`` (ics or csv) reads: the calendar, or the sheet (a row per
    person and day, or ``by`` shift a row per shift)."""
    if fmt == "ics":
        return calendar_text
    if by == "shift":
        return lambda file: shift_sheet_text(file, excel=excel, raw=raw)
    return lambda file: sheet_text(file, excel=excel, raw=raw)


def calendar_text(file: ExportFile) -> str:
    from oncall.render.ics import to_ics

    return to_ics(file.feeds, person=file.person).decode("utf-8")


def sheet_text(file: ExportFile, *, excel: bool = False, raw: bool = False) -> str:
    """One sheet: the kept terms of the rotation, then the current one."""
    from oncall.render.spreadsheet import rows, write_rows

    table = [
        row
        for feed in file.feeds
        for row in rows(feed.rotation, feed.schedule, feed.calendar, person=file.person)
    ]
    return write_rows(table, excel=excel, raw=raw)


def shift_sheet_text(file: ExportFile, *, excel: bool = False, raw: bool = False) -> str:
    """The weekly sheet: a row per shift, the kept terms first."""
    from oncall.render.shift_sheet import shift_rows, write_shift_rows

    table = [
        row
        for feed in file.feeds
        for row in shift_rows(feed.rotation, feed.schedule, feed.calendar, person=file.person)
    ]
    return write_shift_rows(table, excel=excel, raw=raw)


def summary(exported: Exported) -> list[str]:
    """The lines printed after writing into a folder (each file), and for each rotation
    the members given no file because it would hold nothing."""
    lines = [f"wrote {path}" for path in exported.written] if exported.folder else []
    idle: dict[str, list[str]] = {}
    for each in exported.idle:
        idle.setdefault(each.rotation, []).append(each.handle)
    lines += [
        f"no duty in {name} for {', '.join(handles)}: no file written for them"
        for name, handles in idle.items()
    ]
    return lines
