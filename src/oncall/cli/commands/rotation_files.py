"""`oncall init` and `oncall validate`: start a rotation file, and check rotation files and
their schedules against every rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import (
    TEXT_OR_JSON,
    EncodingOpt,
    NowOpt,
    RotationsArg,
    ScheduleOpt,
    TextOrJsonOpt,
)
from oncall.usecases.starter import ROSTER_COLUMNS as CSV_COLUMNS


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command()(init)
    app.command()(validate)


def init(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write the starter rotation: a file, or a folder for FOLDER/ID.yaml "
            "(default: rotations/ID.yaml, or ID.yaml inside a rotations folder).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    now: NowOpt = None,
    from_csv: Annotated[
        Path | None,
        typer.Option(
            "--from-csv",
            help="Take the members from a spreadsheet saved as CSV (columns "
            + ", ".join(CSV_COLUMNS) + "; handle and team required).",
            metavar="FILE",
        ),
    ] = None,
    rotation: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="The rotation id (default: the file's name, e.g. morning-watch for "
            "rotations/morning-watch.yaml); no other rotation in the folder may have it.",
            metavar="ID",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="The first term's first day (default: next Monday).",
                     metavar="D"),
    ] = None,
    window: Annotated[
        str | None,
        typer.Option("--window", help="Duty hours, e.g. 10:00-17:00 or 08:00-09:30.",
                     metavar="HH:MM-HH:MM"),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option("--days", help="Duty weekdays, e.g. mon-fri or mon,wed,fri.",
                     metavar="DAYS"),
    ] = None,
    encoding: EncodingOpt = None,
) -> None:
    """Write a commented starter rotation file that plans out of the box.

    With --from-csv the members come from the spreadsheet, one a row, the first row
    naming the columns (any order and letter case). Every cell is checked as the rotation
    file's key would be; bad cells are listed with their row and column, and nothing is
    written. volunteer and new take true/false, yes/no, 1/0 or x; unavailable takes dates,
    ranges (2027-02-10..2027-02-14) or weekdays separated by ';'. UTF-8 (with or without
    a byte order mark) and CP932/Shift_JIS are found by themselves; headers may be
    Japanese (氏名, チーム...: see docs/spreadsheet.md) and ○/×, はい/いいえ are booleans.
    """
    from oncall.cli.stores import clock
    from oncall.usecases.starter import starter_path, write_starter

    target = starter_path(path, rotation, Path.cwd())
    written = write_starter(
        target, force=force, now=clock(now), from_csv=from_csv, rotation=rotation,
        start=start, window=window, days=days, encoding=encoding,
    )
    source = f" with the members of {from_csv}" if from_csv else ""
    typer.echo(f"wrote {written}{source}; next: oncall plan {written}")


def validate(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    output_format: TextOrJsonOpt = "text",
    require_mentions: Annotated[
        bool,
        typer.Option(
            "--require-mentions",
            help="Fail (exit 1) when someone on duty from now on has no id for the "
            "rotation's chat target, instead of warning.",
        ),
    ] = False,
) -> None:
    """Check each rotation file and its schedule against every rule.

    Lists each violation with its dates, the people and the rule broken. Exit 0 when
    clean, 1 on violations; warnings do not change the exit code.

    Days before --now (default: the clock) are history: a break of availability,
    volunteers_only, terms, roster or distinct_teams there comes from a later change to
    the roster (a leave entered afterwards) and is a warning. Every other rule (seats per
    day, min_gap, max_shifts, shadows, shift dates) is an error on every day. For a full
    check of every day as if unserved, pass an early --now.

    With several rotations (named, or all in rotations/), a person on duty in two of them
    at overlapping instants (windows in each rotation's time zone, overrides applied) is
    an error naming both rotations, the person and the instants. A person is the same by
    handle, email or slack id.

    Where the rotation's chat target (reminders.chat) has member ids in use, a member on
    duty from now on without one is a warning (--require-mentions: an error): reminders
    name them in plain text and the chat does not notify them.
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_document
    from oncall.cli.stores import clock, store_for
    from oncall.render import validation as words
    from oncall.usecases.validate import exit_code
    from oncall.usecases.validate import validate as validate_files

    choice("--format", output_format, TEXT_OR_JSON)
    result = validate_files(
        store_for(rotations, schedule), clock(now), require_mentions=require_mentions
    )
    if output_format == "json":
        json_document(words.as_json(result))
    else:
        words.print_reports(result, sys.stdout)
    raise typer.Exit(exit_code(result))
