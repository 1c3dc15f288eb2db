"""`oncall import`: rotation files (and kept terms with a ledger) from another tool's
schedules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import NowOpt


def register(app: typer.Typer) -> None:
    """Attach this module's command to ``app``."""
    app.command("import")(import_command)


def import_command(
    fmt: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT",
            help="opsgenie, pagerduty, grafana-oncall, goalert or ics.",
        ),
    ],
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="The export(s): JSON from the tool's API, or .ics."),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the rotation files into.")
    ] = Path("rotations"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the rotation files and the report only.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Replay every hour of the imported period: who the source says against "
            "who `oncall who` answers for the imported files.",
        ),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="First day to import (default: the history's first, or today)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Last day to import (default: the history's last, or 13 weeks on)."
        ),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Write rotation files from Opsgenie, PagerDuty, Grafana OnCall, GoAlert or .ics exports.

    Each schedule becomes one rotation, written as commented YAML with the source path
    of every line that came from it. History (final shifts, an .ics) becomes kept terms
    with a ledger, so `plan --next-term` puts whoever served least first. What cannot map
    is listed by source path with what was done instead. Never overwrites a file;
    nothing is written on any error.
    """
    from oncall.cli.stores import clock, store_for
    from oncall.render.importing import report
    from oncall.usecases.importing import import_schedules

    result = import_schedules(
        store_for(None), clock(now), fmt, files,
        out=out, dry_run=dry_run, check=check, since=since, until=until,
    )
    typer.echo(report(result))
