"""The `oncall` script and `python -m oncall`: the cron commands without typer.

`who` answers alert hooks and `remind` runs from cron, so a fresh interpreter's start-up
is what users wait for, and importing typer is a third of it. A well-formed call of
either (``oncall.cli.cronargs.parse`` says which) runs here directly; anything else — help,
other commands, global options such as ``--debug``, and every usage error — goes to the
typer CLI in ``oncall.cli.app``, imported only then.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from oncall.core.errors import OncallError


def main() -> None:
    call = _fast_call(sys.argv[1:])
    if call is None:
        from oncall.cli.app import main as cli_main

        cli_main()
        return
    guarded(call)


def _fast_call(argv: list[str]) -> Callable[[], object] | None:
    from oncall.cli import cronargs

    parsed = cronargs.parse(argv)
    if parsed is None:
        return None
    command, values = parsed
    from oncall.cli import cron

    run = cron.run_who if command == "who" else cron.run_remind
    return lambda: run(**values)  # type: ignore[arg-type]


def guarded(action: Callable[[], object], debug: Callable[[], bool] = lambda: False) -> None:
    """Run ``action`` with the one handler that turns every user error into its message on
    stderr and its exit code; ``debug()`` true shows the traceback instead."""
    try:
        action()
    except OncallError as error:
        if debug():
            raise
        sys.stdout.flush()
        print(f"oncall: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("oncall: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
