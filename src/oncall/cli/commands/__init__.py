"""The typer commands, one module per command family, registered in the order `--help`
lists them.

Each module imports only typer, the standard library and the shell's own light modules
(``oncall.cli.options``) at import time, so that `--help` starts fast; use cases and
renderers are imported inside the command functions. Each command is thin: parse the
options, call one use case, hand its data to one renderer, print.
"""

from __future__ import annotations

import typer

from oncall.cli.commands import (
    daily,
    export,
    importing,
    leave,
    plan,
    publish,
    relay,
    repair,
    report,
    roster,
    rotation_files,
)


def register_all(app: typer.Typer) -> None:
    for module in (
        rotation_files, roster, plan, export, daily, leave, report, publish, relay, repair,
        importing,
    ):
        module.register(app)
