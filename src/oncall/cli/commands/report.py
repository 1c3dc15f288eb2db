"""`oncall report`: duty per person over a period, each term's and across terms."""

from __future__ import annotations

from typing import Annotated

import typer

from oncall.cli.options import NowOpt, RotationsArg, ScheduleOpt

TermOpt = Annotated[
    str | None,
    typer.Option("--term", help="Only the term starting on this day.", metavar="START"),
]
YearOpt = Annotated[
    str | None,
    typer.Option("--year", help="The days of one calendar year, in every term holding them.",
                 metavar="YYYY"),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="First day of the period (with --to).", metavar="D")
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last day of the period (with --from).", metavar="D")
]


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("report")(report_command)


def report_command(
    rotations: RotationsArg = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text, json (one versioned document), csv, markdown or html (a standalone "
            "page).",
            metavar="text|json|csv|markdown|html",
        ),
    ] = "text",
    term: TermOpt = None,
    year: YearOpt = None,
    first: FromOpt = None,
    last: ToOpt = None,
    hours: Annotated[
        bool,
        typer.Option("--hours", help="Hours per category and month per person, priced by "
                     "the rotation's compensation: rates (html: not available)."),
    ] = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Print each person's duty per term and in total, served and planned, over a period.

    Per person: duty days and hours (in-window, night, weekend, holiday), holidays worked,
    swaps given and taken, covers, shadow shifts and the joining credit; per term the spread
    and, after it, the cumulative spread. With several rotations, each person across them.
    Days of the period no term holds are named on stderr and exit 6; never counted as 0.
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_document, write_bytes
    from oncall.cli.stores import clock, store_for
    from oncall.core.errors import InputError, ReportIncomplete
    from oncall.core.period import parse_period
    from oncall.render import incident_report as alert_render
    from oncall.render import report as render
    from oncall.usecases.incident_report import incident_report
    from oncall.usecases.report import not_counted, report

    choice("--format", output_format, render.FORMATS)
    when = clock(now)
    period = parse_period(term, year, first, last, when.local_guess())
    if hours and output_format == "html":
        raise InputError("--hours: found --format html, expected text, json, csv or markdown")
    store = store_for(rotations, schedule)
    reports = report(store, when, period)
    alerts = incident_report(store)  # issue 23: only rotations naming the incident log
    if hours:
        from oncall.render import report_hours

        if output_format == "json":
            json_document(report_hours.as_json(reports))
        else:
            write_bytes(getattr(report_hours, f"as_{output_format}")(reports))
    elif output_format == "json":
        document = render.as_json(reports)
        entries = document["rotations"]
        assert isinstance(entries, list)
        for entry in entries:
            if entry["rotation"] in alerts:
                entry["alerts"] = alert_render.as_json(alerts[entry["rotation"]])
        json_document(document)
    elif output_format == "csv":
        write_bytes(render.as_csv(reports))
    elif output_format == "markdown":
        write_bytes(render.as_markdown(reports))
    elif output_format == "html":
        from oncall.render.report_html import as_html

        write_bytes(as_html(reports))
    else:
        import sys

        from oncall.render.terminal import use_rich

        write_bytes(render.as_text(reports, colour=use_rich(sys.stdout)))
        for item in reports:
            if item.rotation in alerts:
                write_bytes(alert_render.as_text(alerts[item.rotation], item.names))
    missing = not_counted(reports)
    if missing:
        raise ReportIncomplete("\n".join(missing))
