"""`oncall leave import`: a person's leave from a calendar file into the rotation file.

Only typer and the standard library are imported at start-up; icalendar and
recurring-ical-events are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import NowOpt

leave_app = typer.Typer(
    name="leave",
    help="Time off: import a person's leave from a calendar into the rotation file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    leave_app.command("import")(leave_import)
    app.add_typer(leave_app)


def leave_import(
    calendar: Annotated[
        Path, typer.Argument(help="The person's calendar, an .ics (iCalendar) file.")
    ],
    member: Annotated[
        str, typer.Option("--member", help="Whose leave it is (a handle).", metavar="H")
    ],
    rotation: Annotated[
        Path | None,
        typer.Argument(
            help="The rotation file (default: every rotation in rotations/ that has the "
            "member).",
            show_default=False
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="Term start (default: the file's or the schedule's).", metavar="D"
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="Term end, inclusive.", metavar="D"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be added; write nothing.")
    ] = False,
    now: NowOpt = None,
) -> None:
    """Add the duty days a calendar's busy time takes to the member's `unavailable` list.

    Reads every event of the .ics over the term, recurring ones expanded: an all-day
    event takes each duty day it covers; a timed event takes a duty day when it overlaps
    that day's duty window (rotation's time zone). Events marked free (TRANSP:TRANSPARENT)
    or cancelled are skipped. The rotation file keeps its comments and layout; days
    already unavailable are not added twice, so importing again is safe. A calendar that
    cannot be read is an error naming the file, line and event UID, and nothing is written.
    Events outside the term are listed, not imported (pass --start/--end to import them).
    Leave on a day the member already holds (from today, --now, on) gets a one-day cover
    in the schedule with shift.cover: day; without it, or when no cover keeps every rule,
    nothing is written and the message names the swap to record first (exit 3).
    Without a rotation file, every rotation in rotations/ that has the member gets the
    leave, all of them or (on any error) none.
    """
    from oncall.cli.stores import clock, store_for
    from oncall.render.leave import imported_text
    from oncall.usecases.leave import import_leave

    store = store_for([rotation] if rotation else None)
    results = import_leave(
        store, clock(now), calendar, member, start=start, end=end, dry_run=dry_run
    )
    typer.echo("\n".join(imported_text(result) for result in results))
