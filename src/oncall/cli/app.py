"""The `oncall` typer CLI: the application, its global options and its commands.

Kept light on purpose: this module and the command modules import only typer and the
standard library at start-up, and each command imports what it needs when it runs. The
cron commands `who` and `remind` usually do not come here at all: ``oncall.cli.entry`` runs
well-formed calls of them without importing typer. Imports go one way: entry -> app ->
commands -> options, guard (never back), so the shell has no import cycle.
"""

from __future__ import annotations

from typing import Annotated

import typer

from oncall import __version__
from oncall.cli.commands import register_all
from oncall.cli.guard import guarded

app = typer.Typer(
    name="oncall",
    help="Plan and run fair on-call rotations: plan a term, check it, export calendars, "
    "and tell cron who is on duty.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"oncall {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for developers).")
    ] = False,
) -> None:
    """Plan and run fair on-call rotations."""
    _state["debug"] = debug


register_all(app)


def main() -> None:
    """The full CLI; ``oncall.cli.entry.main`` (the `oncall` script) comes here for everything
    but well-formed `who` and `remind` calls."""
    guarded(app, debug=lambda: _state["debug"])
