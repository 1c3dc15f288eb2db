"""`oncall roster sync`: the rotation's members from the roster spreadsheet, again.

Only typer and the standard library are imported at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import EncodingOpt, NowOpt

roster_app = typer.Typer(
    name="roster",
    help="The roster spreadsheet: keep the rotation's members in step with it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    roster_app.command("sync")(roster_sync)
    app.add_typer(roster_app)


def roster_sync(
    sheet: Annotated[
        Path, typer.Argument(help="The roster saved as CSV (as for init --from-csv).")
    ],
    rotation: Annotated[
        Path | None,
        typer.Argument(
            help="The rotation file (default: the one in rotations/).", show_default=False
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff; write nothing.")
    ] = False,
    encoding: EncodingOpt = None,
    now: NowOpt = None,
) -> None:
    """Update the rotation's members from the spreadsheet, printing the diff first.

    People new in the sheet are added; a changed cell changes that key (only the columns
    the sheet has are compared); people no longer in the sheet get `left: TODAY` (--now's
    day in the rotation's time zone), never deleted. Comments and the rest of the file are
    kept byte for byte. The result is loaded before it is written (atomically, under the
    rotation's lock): a sheet that would make a rotation that does not load is an error,
    and nothing is written. Syncing the same sheet again changes nothing. Handles that
    differ only in letter case or width (Dev01, ｄｅｖ０１) are refused, naming both.
    """
    from oncall.cli.stores import clock, store_for
    from oncall.render.roster import diff_text, summary_lines
    from oncall.usecases.roster_sync import sync_roster

    synced = sync_roster(
        store_for([rotation] if rotation else None), clock(now), sheet,
        encoding=encoding, dry_run=dry_run, tell=lambda found: typer.echo(diff_text(found)),
    )
    for line in summary_lines(synced, dry_run):
        typer.echo(line)
