"""`oncall report`: the fairness ledger and each term's duty per person."""

from __future__ import annotations

from typing import Annotated

import typer

from oncall.cli.options import NowOpt, RotationsArg, ScheduleOpt


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("report")(report_command)


def report_command(
    rotations: RotationsArg = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text, json (one versioned object per rotation), csv or markdown.",
            metavar="text|json|csv|markdown",
        ),
    ] = "text",
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Print each person's duty per term and across terms (the ledger fairness carries).

    Per person: duty days and hours, holidays worked (weekends and named days off), swaps
    given and taken, shadow shifts, and the joining credit. Swaps and covers are applied.
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_document, write_bytes
    from oncall.cli.stores import clock, store_for
    from oncall.render import incident_report as alert_render
    from oncall.render import report as render
    from oncall.usecases.incident_report import incident_report
    from oncall.usecases.report import report

    choice("--format", output_format, render.FORMATS)
    store = store_for(rotations, schedule)
    reports = report(store, clock(now))
    alerts = incident_report(store)  # issue 23: only rotations naming the incident log
    if output_format == "json":
        for item in reports:
            document = render.as_json(item)
            if item.rotation in alerts:
                document["alerts"] = alert_render.as_json(alerts[item.rotation])
            json_document(document)
    elif output_format == "csv":
        write_bytes(render.as_csv(reports))
    elif output_format == "markdown":
        write_bytes(render.as_markdown(reports))
    else:
        write_bytes(render.as_text(reports))
        for item in reports:
            if item.rotation in alerts:
                write_bytes(alert_render.as_text(alerts[item.rotation], item.names))
