"""Day-to-day commands: `who`, `remind`, `swap` and `show`.

`who` and `remind` run from cron and alert hooks: their work lives in ``oncall.cli.cron`` and
their options in ``oncall.cli.cronargs``, shared with the fast entry that skips typer
(``oncall.cli.entry``). This module imports only typer and the standard library at import
time; `show` imports rich inside its function.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from oncall.cli import cron, cronargs
from oncall.cli.app import NowOpt, RotationsArg, ScheduleOpt
from oncall.cli.cronargs import OptionSpec

SHOW_FORMATS = ("text", "json")


def _option(spec: OptionSpec) -> Any:
    """The typer option for one entry of the cron commands' table (``oncall.cli.cronargs``)."""
    assert spec.flag is not None
    return typer.Option(spec.flag, help=spec.help, metavar=spec.metavar)


# --- who ---------------------------------------------------------------------------------------


def who(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    at: Annotated[str | None, _option(cronargs.WHO_AT)] = None,
    on_date: Annotated[str | None, _option(cronargs.WHO_DATE)] = None,
    output_format: Annotated[str, _option(cronargs.WHO_FORMAT)] = "text",
) -> None:
    """Who is on duty now, at a moment or on a day; outside the window, the fallback.

    An alert router can mention the people `--format handles` prints and post without a
    mention when it prints nothing.
    """
    cron.run_who(rotations, schedule, now, at, on_date, output_format)


# --- remind ------------------------------------------------------------------------------------


def remind(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    today: Annotated[bool, _option(cronargs.REMIND_TODAY)] = False,
    upcoming: Annotated[bool, _option(cronargs.REMIND_NEXT)] = False,
    handoff: Annotated[bool, _option(cronargs.REMIND_HANDOFF)] = False,
    output_format: Annotated[str | None, _option(cronargs.REMIND_FORMAT)] = None,
    post: Annotated[str | None, _option(cronargs.REMIND_POST)] = None,
) -> None:
    """Reminder text for the chat room; prints nothing and exits 0 when there is no duty."""
    cron.run_remind(rotations, schedule, now, today, upcoming, handoff, output_format, post)


# --- swap --------------------------------------------------------------------------------------


def swap(
    dates: Annotated[
        str,
        typer.Option("--dates", help="A date or inclusive range: D or D..D.", metavar="D[..D]"),
    ],
    out: Annotated[str, typer.Option("--out", help="Who hands the days over.", metavar="H")],
    in_: Annotated[str, typer.Option("--in", help="Who takes them.", metavar="H")],
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
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Record an override: --out hands --dates to --in, after checking every rule."""
    from oncall.core.errors import InputError
    from oncall.usecases.workspace import one_path

    paths = one_path([rotation_file] if rotation_file else None, schedule)
    if len(paths) != 1:
        raise InputError(
            f"swap changes one rotation, but {len(paths)} were found",
            hint="name the rotation file: oncall swap rotations/NAME.yaml ...",
        )
    _swap_locked(paths[0], schedule, dates, out.strip(), in_.strip(), reason, force, now)


def _swap_locked(
    path: Path,
    schedule: Path | None,
    dates: str,
    out: str,
    in_: str,
    reason: str | None,
    force: bool,
    now: str | None,
) -> None:
    """Read, check and write under a lock on the schedule file, so two swaps at once both
    land (overrides are appended, never lost)."""
    from oncall.core.dates import parse_dates
    from oncall.io.files import write_atomic
    from oncall.io.loading import dump_schedule
    from oncall.usecases import swapping
    from oncall.usecases.workspace import now_in, open_rotation

    with _schedule_lock(path, schedule):
        opened = open_rotation(path, schedule=schedule, require_schedule=True)
        assert opened.schedule is not None  # require_schedule
        rotation = opened.rotation
        clock = now_in(rotation, now)
        span = parse_dates(dates, "--dates", clock.date())
        proposal = swapping.propose(
            rotation,
            opened.calendar(),
            opened.schedule,
            span,
            out,
            in_,
            reason=reason,
            now=clock.replace(microsecond=0),
        )
        if proposal.violations:
            if not force:
                raise swapping.refusal(proposal)
            proposal = proposal.forced()
        write_atomic(opened.schedule_path, dump_schedule(proposal.after))
    print(swapping.summary(proposal, opened.schedule_path))


class _schedule_lock:
    """An exclusive advisory lock on the schedule file itself (no stray lock files in the
    repository). The file is replaced on every write, so after waiting we check the lock is
    still on the file the path names."""

    def __init__(self, rotation_path: Path, schedule: Path | None) -> None:
        from oncall.io.loading import schedule_path_for

        self.path = schedule or schedule_path_for(rotation_path)
        self.handle: Any = None

    def __enter__(self) -> None:
        import os

        try:
            import fcntl
        except ImportError:  # pragma: no cover - not Unix: no lock, still atomic writes
            return
        for _ in range(50):
            try:
                handle = self.path.open("rb")
            except OSError:
                return  # open_rotation reports the missing or unreadable file
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                same = os.fstat(handle.fileno()).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if same:
                self.handle = handle
                return
            handle.close()

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


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
            "--month", help="Only this month (default: the whole term).", metavar="YYYY-MM"
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text or json.", metavar="text|json")
    ] = "text",
) -> None:
    """The schedule as a table of duty days, with overrides marked and each member's load."""
    from oncall.core.dates import parse_month
    from oncall.usecases import showing
    from oncall.usecases.swapping import known_handle
    from oncall.usecases.workspace import now_in

    cron.choice("--format", output_format, SHOW_FORMATS)
    views = []
    for opened in cron.opened(rotations, schedule):
        rotation = opened.rotation
        clock = now_in(rotation, now)
        if person is not None:
            known_handle(rotation, person, "--person")
        span = parse_month(month, "--month", rotation.term.start) if month else None
        assert opened.schedule is not None
        views.append(
            showing.build_view(
                rotation, opened.calendar(), opened.schedule, span=span, person=person,
                today=clock.date(),
            )
        )
    if output_format == "json":
        for view in views:
            cron.json_line(showing.as_json(view))
        return
    showing.print_views(views, sys.stdout)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command()(who)
    app.command()(remind)
    app.command()(swap)
    app.command()(show)
