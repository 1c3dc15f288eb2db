"""`oncall export`: the schedule as a calendar (.ics) or a spreadsheet (.csv).

Only typer and the standard library are imported at start-up; icalendar and the loaders
are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli.options import NowOpt, RotationsArg, ScheduleOpt

if TYPE_CHECKING:
    from oncall.usecases.export import ExportFile

FORMATS = ("ics", "csv")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("export")(export_command)


# The options, declared once here so the command reads as what it does.
OutputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="ics (calendar) or csv (spreadsheet); default: from the -o file's extension.",
        metavar="ics|csv",
    ),
]
PersonOpt = Annotated[
    str | None,
    typer.Option("--person", help="Only the days this member is on duty.", metavar="H"),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        help="File to write ('-' or none: stdout); an existing directory gets one file "
        "per rotation (<rotation>.ics), or per member with --per-person.",
        metavar="FILE",
    ),
]
PerPersonOpt = Annotated[
    bool,
    typer.Option(
        "--per-person",
        help="With -o DIR: one file per member, <rotation>-<handle>.ics, to publish as feeds.",
    ),
]
ExcelOpt = Annotated[
    bool, typer.Option("--excel", help="CSV only: add a BOM so Excel reads UTF-8.")
]
TermOpt = Annotated[
    str | None,
    typer.Option(
        "--term",
        help="Only the term starting on this day (default: every kept term and the "
        "current one).",
        metavar="D",
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV only: values exactly as in the files, for scripts. Unsafe to open in a "
        "spreadsheet: a name starting with = runs as a formula.",
    ),
]


def export_command(
    rotations: RotationsArg = None,
    output_format: OutputFormatOpt = None,
    person: PersonOpt = None,
    output: OutputOpt = None,
    per_person: PerPersonOpt = False,
    excel: ExcelOpt = False,
    term: TermOpt = None,
    raw: RawOpt = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Write the schedule as an iCalendar file or a CSV sheet, overrides applied.

    Re-exporting after a change (re-plan, swap, leaver, closure) updates calendar events
    in place: stable UIDs, SEQUENCE raised on every changed event, removed ones sent as
    cancelled. The same committed files always give the same bytes, whatever the clock
    says (--now is accepted, and checked, like on every command).
    """
    from oncall.cli.output import write_bytes
    from oncall.cli.stores import clock, store_for
    from oncall.core.errors import InputError
    from oncall.io.files import write_output
    from oncall.usecases.export import export_plan

    fmt = _format(output_format, output)
    folder = Path(output) if output not in (None, "-") and Path(output).is_dir() else None
    if output is not None and output.endswith(("/", "\\")) and folder is None:
        raise InputError(
            f"-o: found {output!r}, expected an existing directory",
            hint=f"create it first: mkdir -p {output}",
        )
    clock(now)  # the files never depend on the clock; a bad --now is still an error
    files, idle = export_plan(
        store_for(rotations, schedule), fmt=fmt, person=person, folder=folder,
        per_person=per_person, excel=excel, term=term, raw=raw,
    )
    named = None if output in (None, "-") else Path(output)  # else standard output
    for file in files:
        text = _render(fmt, file, excel, raw)
        target = file.target or named
        if target is None:
            write_bytes(text)
        else:
            write_output(target, text)
    if folder is not None:
        for file in files:
            typer.echo(f"wrote {file.target}")
    rotations_idle: dict[str, list[str]] = {}
    for each in idle:
        rotations_idle.setdefault(each.rotation, []).append(each.handle)
    for name, handles in rotations_idle.items():
        typer.echo(f"no duty in {name} for {', '.join(handles)}: no file written for them")


def _format(output_format: str | None, output: str | None) -> str:
    """--format, or the -o file's extension."""
    from oncall.cli.formats import choice
    from oncall.core.errors import InputError

    if output_format is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output not in (None, "-") else ""
        if suffix in FORMATS:
            return suffix
        raise InputError(
            "--format: missing, expected ics or csv",
            hint="e.g. oncall export --format ics -o oncall.ics",
        )
    return choice("--format", output_format, FORMATS, fold=True, expected="ics or csv")


def _render(fmt: str, file: ExportFile, excel: bool, raw: bool) -> str:
    """The calendar or the sheet; icalendar is imported only for a calendar."""
    if fmt == "ics":
        from oncall.render.ics import to_ics

        return to_ics(file.feeds, person=file.person).decode("utf-8")
    from oncall.render.spreadsheet import rows, write_rows

    table = [  # one sheet: the kept terms of the rotation, then the current one
        row
        for feed in file.feeds
        for row in rows(feed.rotation, feed.schedule, feed.calendar, person=file.person)
    ]
    return write_rows(table, excel=excel, raw=raw)
