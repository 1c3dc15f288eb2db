"""`oncall export`: the schedule as a calendar (.ics) or a spreadsheet (.csv).

Only typer and the standard library are imported at start-up; icalendar and the loaders
are imported when the command runs.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli.app import RotationsArg, ScheduleOpt

if TYPE_CHECKING:
    from oncall.render.ics import Feed

FORMATS = ("ics", "csv")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("export")(export_command)


def export_command(
    rotations: RotationsArg = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="ics (calendar) or csv (spreadsheet); default: from the -o file's extension.",
            metavar="ics|csv",
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Only the days this member is on duty.", metavar="H"),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="File to write ('-' or none: stdout); an existing directory gets one file "
            "per rotation (<rotation>.ics), or per member with --per-person.",
            metavar="FILE",
        ),
    ] = None,
    per_person: Annotated[
        bool,
        typer.Option(
            "--per-person",
            help="With -o DIR: one file per member, <rotation>-<handle>.ics, to publish as feeds.",
        ),
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV only: add a BOM so Excel reads UTF-8.")
    ] = False,
    schedule: ScheduleOpt = None,
) -> None:
    """Write the schedule as an iCalendar file or a CSV sheet, overrides applied.

    Re-exporting after a swap updates calendar events in place (stable UIDs, rising
    SEQUENCE); the same schedule always gives the same bytes.
    """
    from oncall.core.errors import InputError
    from oncall.render.ics import Feed
    from oncall.usecases.workspace import one_path, open_rotation

    fmt = _format(output_format, output)
    folder = Path(output) if output not in (None, "-") and Path(output).is_dir() else None
    if output is not None and output.endswith(("/", "\\")) and folder is None:
        raise InputError(
            f"-o: found {output!r}, expected an existing directory",
            hint=f"create it first: mkdir -p {output}",
        )
    if per_person and folder is None:
        raise InputError(
            "--per-person writes one file per member, so it needs -o DIR (an existing directory)",
            hint="create the directory first, e.g. mkdir feeds && oncall export ... -o feeds",
        )
    if excel and fmt != "csv":
        raise InputError("--excel applies to --format csv only")
    feeds: list[Feed] = []
    for path in one_path(rotations, schedule):
        opened = open_rotation(path, schedule=schedule, require_schedule=True)
        assert opened.schedule is not None  # require_schedule
        term = opened.schedule.term
        calendar = opened.calendar(term.start, term.end)
        feeds.append(Feed(opened.rotation, opened.schedule, calendar))
    if person is not None:
        _check_person(feeds, person)

    if folder is not None:
        written = []
        for feed in feeds:
            handles: list[str | None]
            if per_person:
                handles = [m.handle for m in feed.rotation.members]
                if person is not None:
                    handles = [h for h in handles if h == person]
            else:
                handles = [person]
            for handle in handles:
                if handle is not None and feed.rotation.member(handle) is None:
                    continue
                stem = feed.rotation.rotation + (f"-{handle}" if handle else "")
                target = folder / f"{stem}.{fmt}"
                _write(target, _render(fmt, [feed], handle, excel))
                written.append(target)
        for target in written:
            typer.echo(f"wrote {target}")
        return
    if fmt == "csv" and len(feeds) > 1:
        raise InputError(
            f"a CSV sheet holds one rotation, but {len(feeds)} were given",
            hint="name one rotation, or pass -o DIR to write one file per rotation",
        )
    text = _render(fmt, feeds, person, excel)
    if output in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        _write(Path(output), text)


def _format(output_format: str | None, output: str | None) -> str:
    from oncall.core.errors import InputError

    if output_format is None:
        suffix = Path(output).suffix.lower().lstrip(".") if output not in (None, "-") else ""
        if suffix in FORMATS:
            return suffix
        raise InputError(
            "--format: missing, expected ics or csv",
            hint="e.g. oncall export --format ics -o oncall.ics",
        )
    lowered = output_format.strip().lower()
    if lowered not in FORMATS:
        raise InputError(f"--format: found {output_format!r}, expected ics or csv")
    return lowered


def _check_person(feeds: Sequence[Feed], person: str) -> None:
    """An unknown handle is a typo, not an empty calendar: say so, with a suggestion."""
    from oncall.core.errors import InputError

    known = sorted({m.handle for feed in feeds for m in feed.rotation.members})
    if person in known:
        return
    by_lower = {handle.lower(): handle for handle in known}
    close = [by_lower[person.lower()]] if person.lower() in by_lower else []
    close = close or difflib.get_close_matches(person, known, n=1)
    names = ", ".join(feed.rotation.rotation for feed in feeds)
    raise InputError(
        f"--person: found {person!r}, expected a member of {names}",
        hint=f"did you mean {close[0]!r}?" if close else f"members: {', '.join(known)}",
    )


def _render(fmt: str, feeds: Sequence[Feed], person: str | None, excel: bool) -> str:
    if fmt == "ics":
        from oncall.render.ics import to_ics

        return to_ics(feeds, person=person).decode("utf-8")
    from oncall.render.spreadsheet import to_csv

    (feed,) = feeds
    return to_csv(feed.rotation, feed.schedule, feed.calendar, person=person, excel=excel)


def _write(path: Path, text: str) -> None:
    from oncall.io.files import write_atomic

    write_atomic(path, text)
