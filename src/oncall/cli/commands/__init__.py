"""Commands that live in modules of their own, one module per command family.

Each module imports only typer and the standard library at import time, so that `who`
and `remind` start fast; heavy imports happen inside the command functions.
"""

from __future__ import annotations

import typer

from oncall.cli.commands import daily, export, plan


def register_all(app: typer.Typer) -> None:
    for module in (plan, export, daily):
        module.register(app)
