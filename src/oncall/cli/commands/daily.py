"""Day-to-day commands: `who`, `remind`, `swap` and `show`.

`who` and `remind` run from cron and alert hooks: what they do lives in
``oncall.cli.duty_commands`` and their options in ``oncall.cli.cronargs``, shared with the
fast entry that skips typer (``oncall.cli.entry``); here they pass the holiday tables, for
the schedules that do not store their days off. This module imports only typer and the
standard library at import time; `show` imports rich (through its renderer) when it draws.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import cronargs
from oncall.cli.options import (
    TEXT_OR_JSON,
    NowOpt,
    RotationsArg,
    ScheduleOpt,
    TextOrJsonOpt,
    cron_option,
)

if TYPE_CHECKING:
    from oncall.core.clock import Clock
    from oncall.core.store import ScheduleStore

# --- who ---------------------------------------------------------------------------------------


def who(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    at: Annotated[str | None, cron_option(cronargs.WHO_AT)] = None,
    on_date: Annotated[str | None, cron_option(cronargs.WHO_DATE)] = None,
    output_format: Annotated[str, cron_option(cronargs.WHO_FORMAT)] = "text",
) -> None:
    """Who is on duty now, at a moment or on a day; outside the window, the fallback.

    An alert router can mention the people `--format handles` prints and post without a
    mention when it prints nothing.
    """
    from oncall.cli.duty_commands import run_who
    from oncall.core.calendar import days_off

    run_who(rotations, schedule, now, at, on_date, output_format, holiday_tables=days_off)


# --- remind ------------------------------------------------------------------------------------


def remind(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    today: Annotated[bool, cron_option(cronargs.REMIND_TODAY)] = False,
    upcoming: Annotated[bool, cron_option(cronargs.REMIND_NEXT)] = False,
    handoff: Annotated[bool, cron_option(cronargs.REMIND_HANDOFF)] = False,
    output_format: Annotated[str | None, cron_option(cronargs.REMIND_FORMAT)] = None,
    post: Annotated[str | None, cron_option(cronargs.REMIND_POST)] = None,
    post_url_file: Annotated[Path | None, cron_option(cronargs.REMIND_POST_FILE)] = None,
    post_url_env: Annotated[str | None, cron_option(cronargs.REMIND_POST_ENV)] = None,
    due: Annotated[bool, cron_option(cronargs.REMIND_DUE)] = False,
    catch_up: Annotated[str | None, cron_option(cronargs.REMIND_CATCH_UP)] = None,
) -> None:
    """Reminder text for the chat room; prints nothing and exits 0 when there is no duty.

    From two weeks before the last planned term ends, stderr warns to plan the next term;
    after that term's last day, exit 5 (see docs/refusals.md)."""
    from oncall.cli.duty_commands import run_remind
    from oncall.core.calendar import days_off

    run_remind(
        rotations, schedule, now, today, upcoming, handoff, output_format, post,
        post_url_file, post_url_env, due, catch_up, holiday_tables=days_off,
    )


# --- swap --------------------------------------------------------------------------------------


def swap(
    dates: Annotated[
        str | None,
        typer.Option("--dates", help="A date or inclusive range: D or D..D.", metavar="D[..D]"),
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", help="Who hands the days over.", metavar="H")
    ] = None,
    in_: Annotated[
        str | None,
        typer.Option(
            "--in",
            help="Who takes them. Without it, swap lists who could (as `oncall cover`) and "
            "exits 1.",
            metavar="H",
        ),
    ] = None,
    rotation_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[ROT]",
            help="The rotation file (default: the only rotations/*.yaml).",
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, for the record.", metavar="TEXT")
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Record it even if it breaks a rule (marked forced)."),
    ] = False,
    trade: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--trade",
            help="Two people exchange days as one change: H:D[..D] H:D[..D]. Only the end "
            "state is checked (adjacent days may trade under min_gap).",
            metavar="H:D H:D",
        ),
    ] = None,
    excused: Annotated[
        bool,
        typer.Option(
            "--excused",
            help="An excused absence (sickness, an emergency): the days --out loses count "
            "as served for fairness, so they carry no debt into later shifts or terms.",
        ),
    ] = False,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Post one message to the rotation's chat (reminders.webhook_url_env or "
            "_file) mentioning the people whose duty changed, with their old and new days.",
        ),
    ] = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Record an override: --out hands --dates to --in, after checking every rule.

    Days before --now (default: the clock) were already served: a swap on them is refused
    unless --force, which corrects the record (marked forced).
    """
    from oncall.cli.stores import clock, store_for
    from oncall.core.errors import InputError
    from oncall.render.swap import summary
    from oncall.usecases.swap import record_swap, record_trade

    store = store_for([rotation_file] if rotation_file else None, schedule)
    targets = None
    if notify and (in_ is not None or trade is not None):
        from oncall.usecases.notify import notify_targets

        targets = notify_targets(store)  # no webhook: refused before anything is recorded
    if trade is not None:
        if dates is not None or out is not None or in_ is not None or excused:
            raise InputError(
                "--trade names both sides; --dates, --out, --in and --excused go without it",
                hint="oncall swap --trade aiko:2027-10-04 ken:2027-10-05",
            )
        recorded = record_trade(
            store, clock(now), first=trade[0], second=trade[1], reason=reason, force=force
        )
    elif dates is None or out is None:
        raise InputError(
            "swap needs --dates and --out (or --trade H:D H:D)",
            hint="oncall swap --dates 2027-10-04 --out aiko --in ken",
        )
    elif in_ is None:
        _list_candidates(store, clock(now), out, dates)
        return
    else:
        recorded = record_swap(
            store, clock(now), dates=dates, out=out, in_=in_, reason=reason, force=force,
            excused=excused,
        )
    print(summary(recorded))
    if targets is not None:
        from oncall.cli.notices import tell
        from oncall.usecases.notify import swap_notice

        notice = swap_notice(recorded)
        rotation = recorded.rotation
        assert rotation is not None
        paths = {rotation.id: next(iter(targets))}
        tell([notice] if notice is not None else [], targets, paths)


def _list_candidates(store: ScheduleStore, now: Clock, out: str, dates: str) -> None:
    """`swap` without --in: who could take the days, then a refusal (nothing written)."""
    from oncall.core.errors import RuleRefused
    from oncall.render.cover import as_text
    from oncall.usecases.cover import cover_request

    request = cover_request(store, now, member=out, dates=dates)
    print(as_text(request))
    raise RuleRefused("swap needs --in: name who takes the days (nothing was written)")


# --- cover -------------------------------------------------------------------------------------


def cover(
    member: Annotated[
        str, typer.Option("--member", help="Who cannot serve the days.", metavar="H")
    ],
    dates: Annotated[
        str,
        typer.Option("--dates", help="A date or inclusive range: D or D..D.", metavar="D[..D]"),
    ],
    rotation_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[ROT]",
            help="The rotation file (default: the only rotations/*.yaml).",
            show_default=False,
        ),
    ] = None,
    post: Annotated[
        str | None,
        typer.Option(
            "--post",
            help="Also ask the candidates in the chat: post the request to this incoming "
            "webhook, in the rotation's reminders.chat format; exit 4 if it cannot be "
            "delivered. Prefer --post-url-file or --post-url-env (the URL is a secret).",
            metavar="URL",
        ),
    ] = None,
    post_url_file: Annotated[
        Path | None,
        typer.Option(
            "--post-url-file", help="Post to the webhook URL written in this file.",
            metavar="PATH",
        ),
    ] = None,
    post_url_env: Annotated[
        str | None,
        typer.Option(
            "--post-url-env", help="Post to the webhook URL held by this environment variable.",
            metavar="VAR",
        ),
    ] = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    output_format: TextOrJsonOpt = "text",
) -> None:
    """Who could take --member's duty days in --dates, best first; nothing is written.

    A candidate keeps every rule, other rotations included, as `swap` checks; the fewest
    duty days in the term come first. With --post, the request goes to the rotation's
    chat, mentioning the candidates. Exits 1 when a day has nobody.
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_line
    from oncall.cli.stores import clock, store_for
    from oncall.core.errors import RuleRefused
    from oncall.render.cover import as_json, as_text, payload
    from oncall.usecases.cover import cover_request

    fmt = choice("--format", output_format, TEXT_OR_JSON)
    target = None
    if post is not None or post_url_file is not None or post_url_env is not None:
        from oncall.usecases.post import post_message, webhook_target

        target = webhook_target(post, post_url_file, post_url_env)
    store = store_for([rotation_file] if rotation_file else None, schedule)
    request = cover_request(store, clock(now), member=member, dates=dates)
    if fmt == "json":
        json_line(as_json(request))
    else:
        print(as_text(request))
    if target is not None:
        rotation = request.rotation
        posted = post_message(
            target, rotation.id, payload(request, rotation.reminders.chat)
        )
        if posted.failure is not None:
            raise posted.failure
        print(f"posted the request to {rotation.id}'s {rotation.reminders.chat} chat")
    if request.uncovered:
        days = ", ".join(day.isoformat() for day in request.uncovered)
        raise RuleRefused(f"cover: nobody can take {days} without breaking a rule")


# --- crontab -----------------------------------------------------------------------------------


def crontab(
    rotations: RotationsArg = None,
    every: Annotated[
        int, typer.Option("--every", help="Minutes between runs (1 to 30).", metavar="N")
    ] = 5,
    program: Annotated[
        str | None,
        typer.Option(
            "--program",
            help="The oncall command cron runs (default: this one, by its full path).",
            metavar="PATH",
        ),
    ] = None,
) -> None:
    """Print the one crontab line that posts every rotation's reminders (`remind --due`)."""
    import os

    from oncall.cli.stores import store_for
    from oncall.render.crontab import as_text
    from oncall.usecases.crontab import crontab as build

    store = store_for(rotations, None)
    found = program or os.path.realpath(sys.argv[0])
    print(as_text(build(store, folder=Path.cwd(), program=found, every=every)))


# --- show --------------------------------------------------------------------------------------


def show(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this member's days.", metavar="H")
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="Draw this month as a calendar grid (with --list: only its days as a list).",
            metavar="YYYY-MM",
        ),
    ] = None,
    as_list: Annotated[
        bool,
        typer.Option(
            "--list", help="A list of duty days (the default without --month), not a grid."
        ),
    ] = False,
    output_format: TextOrJsonOpt = "text",
) -> None:
    """The schedule as a month calendar or a list of duty days, overrides marked.

    --month draws weeks by weekdays: each day's people, holidays and closures, swaps and
    covers marked with *, today highlighted, --person's days marked. The list (the whole
    term, or --list) adds each member's load.
    """
    from oncall.cli.formats import choice
    from oncall.cli.output import json_line
    from oncall.cli.stores import clock, store_for
    from oncall.render import show as drawing
    from oncall.usecases.show import show as show_views

    choice("--format", output_format, TEXT_OR_JSON)
    if month is not None and not as_list and output_format == "text":
        from oncall.render.month import print_months
        from oncall.usecases.month import show_month

        grids = show_month(
            store_for(rotations, schedule), clock(now), person=person, month=month
        )
        print_months([view for view, _ in grids], [[grid] for _, grid in grids], sys.stdout)
        return
    views = show_views(
        store_for(rotations, schedule), clock(now), person=person, month=month
    )
    if output_format == "json":
        for view in views:
            json_line(drawing.as_json(view))
        return
    drawing.print_views(views, sys.stdout)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command()(who)
    app.command()(remind)
    app.command()(swap)
    app.command()(cover)
    app.command()(crontab)
    app.command()(show)
