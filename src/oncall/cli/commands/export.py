"""`oncall export`: the schedule as a calendar (.ics) or a spreadsheet (.csv).

Only typer and the standard library are imported at start-up; icalendar and the loaders
are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import NowOpt, RotationsArg, ScheduleOpt

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


ByOpt = Annotated[
    str,
    typer.Option(
        "--by",
        help="CSV only: day (a row per person and duty day) or shift (a row per shift: "
        "names, handles, teams, swap and cover markers, weekdays in the rotation's language).",
        metavar="day|shift",
    ),
]
BY = ("day", "shift")


def export_command(
    rotations: RotationsArg = None,
    output_format: OutputFormatOpt = None,
    person: PersonOpt = None,
    output: OutputOpt = None,
    per_person: PerPersonOpt = False,
    excel: ExcelOpt = False,
    term: TermOpt = None,
    raw: RawOpt = False,
    by: ByOpt = "day",
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
    from oncall.render.export import file_text, summary
    from oncall.render.who import dropped_warning
    from oncall.usecases.export import export_files

    fmt = _format(output_format, output)
    by = _by(by, fmt)
    clock(now)  # the files never depend on the clock; a bad --now is still an error
    exported = export_files(
        store_for(rotations, schedule), output=output, fmt=fmt, person=person,
        per_person=per_person, excel=excel, term=term, raw=raw,
        render=file_text(fmt, excel=excel, raw=raw, by=by),
    )
    for text in exported.printed:
        write_bytes(text)
    for line in summary(exported):
        typer.echo(line)
    for found in exported.dropped:  # left out of the files, as `who` leaves them out
        typer.echo(dropped_warning(found), err=True)


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


def _by(by: str, fmt: str) -> str:
    """--by, which only a CSV sheet has."""
    from oncall.cli.formats import choice
    from oncall.core.errors import InputError

    chosen = choice("--by", by, BY, fold=True, expected="day or shift")
    if chosen != "day" and fmt != "csv":
        raise InputError("--by applies to --format csv only",
                         hint="e.g. oncall export --format csv --by shift -o week.csv")
    return chosen
