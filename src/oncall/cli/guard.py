"""The one handler between the commands and the user: every user error becomes its message
on stderr and its exit code, never a traceback.

Both ways in use it: the typer CLI (``oncall.cli.app``) and the cron fast path
(``oncall.cli.entry``), so this imports only the standard library and the errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from oncall.core.errors import EXIT_INTERRUPTED, EXIT_OK, OncallError, printable


def guarded(action: Callable[[], object], debug: Callable[[], bool] = lambda: False) -> None:
    """Run ``action`` with the one handler that turns every user error into its message on
    stderr and its exit code; ``debug()`` true shows the traceback instead."""
    try:
        action()
    except OncallError as error:
        if debug():
            raise
        sys.stdout.flush()
        print(f"oncall: {printable(str(error), lines=True)}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("oncall: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
