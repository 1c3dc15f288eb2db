"""The `oncall` script and `python -m oncall`: the cron commands without typer.

`who` answers alert hooks and `remind` runs from cron, so a fresh interpreter's start-up
is what users wait for, and importing typer is a third of it. A well-formed call of
either (``oncall.cli.cronargs.parse`` says which) runs here directly, through
``oncall.cli.duty_commands``. Anything else goes to the typer CLI in ``oncall.cli.app``,
imported only then: help, other commands, global options such as ``--debug``, every usage
error, and a schedule that does not store its days off (only the full CLI reads the
holiday tables). That hand-over is the one import of the fast path that reaches typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def main() -> None:
    if not _answered(sys.argv[1:]):
        from oncall.cli.app import main as full_cli

        full_cli()


def _answered(argv: list[str]) -> bool:
    """Run a well-formed `who`/`remind` call; False when the full CLI must answer it."""
    call = _fast_call(argv)
    if call is None:
        return False
    from oncall.cli.guard import guarded
    from oncall.core.store import HolidayTablesNeeded

    try:
        guarded(call)
    except HolidayTablesNeeded:
        return False  # nothing was printed: the full CLI starts over with the tables
    return True


def _fast_call(argv: list[str]) -> Callable[[], object] | None:
    from oncall.cli import cronargs

    parsed = cronargs.parse(argv)
    if parsed is None:
        return None
    command, values = parsed
    from oncall.cli import duty_commands

    run = duty_commands.run_who if command == "who" else duty_commands.run_remind
    # cronargs.parse checked each option's value; its dict of them cannot say which is which.
    return lambda: run(**values)  # type: ignore[arg-type]
