"""`oncall plan`: plan the term, write the schedule, show the plan, its fairness and who moved.

Only typer and the standard library are imported here at start-up; the planner, the
holiday tables and rich are imported when the command runs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from oncall.cli.options import TEXT_OR_JSON, NowOpt, RotationsArg, ScheduleOpt


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("plan")(plan_command)


# The options, declared once here so the command reads as what it does.
StartOpt = Annotated[
    str | None,
    typer.Option(
        "--start",
        help="Term start (overrides the file's term.start). Refused over a term with days "
        "still to serve; after the current term ended, plans the next one (as --next-term).",
        metavar="D",
    ),
]
EndOpt = Annotated[
    str | None,
    typer.Option("--end", help="Term end, inclusive (overrides the file's term).", metavar="D"),
]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Re-plan shifts starting on or after this day; earlier shifts of the existing "
        "schedule are kept and count towards fairness (default: today). Without an existing "
        "schedule the whole term is planned.",
        metavar="D",
    ),
]
NextTermOpt = Annotated[
    bool,
    typer.Option(
        "--next-term",
        help="Plan the term after the current one (same length unless --end/--length), "
        "with everyone's duty so far carried in; the current term is kept in X.terms/.",
    ),
]
LengthOpt = Annotated[
    str | None,
    typer.Option("--length", help="With --next-term: its length, e.g. 3mo, 13w, 90d.", metavar="L"),
]
RewriteOpt = Annotated[
    bool,
    typer.Option(
        "--rewrite-history",
        help="Allow --from before today, re-planning shifts already served (only to "
        "correct a wrong record).",
    ),
]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Tie-breaking seed: same inputs and seed, same plan.")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print the plan without writing the schedule.")
]
InsideNoticeOpt = Annotated[
    bool,
    typer.Option(
        "--inside-notice",
        help="Re-plan shifts within rules.notice too (by default a re-plan keeps the "
        "shifts that start within the notice as people were told).",
    ),
]
NotifyOpt = Annotated[
    bool,
    typer.Option(
        "--notify",
        help="Post one message to each rotation's chat (reminders.webhook_url_env or _file) "
        "mentioning only the people whose duty changed, with their old and new days.",
    ),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format", help="text, or json (one versioned object per rotation).", metavar="text|json"
    ),
]


def plan_command(
    rotations: RotationsArg = None,
    start: StartOpt = None,
    end: EndOpt = None,
    plan_from: FromOpt = None,
    next_term: NextTermOpt = False,
    length: LengthOpt = None,
    rewrite_history: RewriteOpt = False,
    seed: SeedOpt = 0,
    dry_run: DryRunOpt = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    output_format: FormatOpt = "text",
    notify: NotifyOpt = False,
    inside_notice: InsideNoticeOpt = False,
) -> None:
    """Plan the term and write the schedule; keep history before --from and every override.

    Prints the plan, a fairness summary and, when re-planning, who moved. Exit 3 when the
    rules cannot all hold (nothing is written).
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_document
    from oncall.cli.stores import clock, store_for
    from oncall.render import plan_report
    from oncall.usecases.plan import PlanOptions, plan_files

    choice("--format", output_format, TEXT_OR_JSON)
    options = PlanOptions(
        start=start,
        end=end,
        plan_from=plan_from,
        seed=seed,
        now=clock(now),
        rewrite_history=rewrite_history,
        next_term=next_term,
        length=length,
        inside_notice=inside_notice,
    )
    store = store_for(rotations, schedule)
    targets = None
    if notify and not dry_run:
        from oncall.usecases.notify import notify_targets

        targets = notify_targets(store)  # a rotation without a webhook: nothing written
    results = plan_files(store, options, dry_run=dry_run)
    if output_format == "json":
        for item in results:
            json_document(plan_report.as_json(item))
    else:
        plan_report.print_report(results, sys.stdout)
    if targets is not None:
        from oncall.cli.notices import tell
        from oncall.usecases.notify import plan_notices

        today = options.now
        notices = plan_notices(results, lambda rotation: today.today(rotation.tz))
        paths = {item.rotation.id: item.rotation_path for item in results}
        tell(notices, targets, paths, to_stderr=output_format == "json")

