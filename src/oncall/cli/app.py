"""The `oncall` command line: thin typer commands over the library.

Kept light on purpose: this module and the command modules import only typer and the
standard library at start-up, and each command imports what it needs when it runs. The
cron commands `who` and `remind` usually do not come here at all: ``oncall.cli.entry`` runs
well-formed calls of them without importing typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall import __version__
from oncall.cli import cronargs

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

# The options every command shares; `who` and `remind` declare theirs in one table that
# their fast entry (``oncall.cli.entry``) parses too, so the texts come from there.
RotationsArg = Annotated[
    list[Path] | None,
    typer.Argument(help=cronargs.ROTATIONS.help, show_default=False),
]
ScheduleOpt = Annotated[
    Path | None,
    typer.Option(
        cronargs.SCHEDULE.flag, help=cronargs.SCHEDULE.help, metavar=cronargs.SCHEDULE.metavar
    ),
]
NowOpt = Annotated[
    str | None,
    typer.Option(cronargs.NOW.flag, help=cronargs.NOW.help, metavar=cronargs.NOW.metavar),
]


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


@app.command()
def init(
    path: Annotated[
        Path,
        typer.Argument(help="Where to write the starter rotation."),
    ] = Path("rotations/app-daytime.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    now: NowOpt = None,
) -> None:
    """Write a commented starter rotation file that plans out of the box."""
    from oncall.usecases.starter import write_starter

    written = write_starter(path, force=force, now=now)
    typer.echo(f"wrote {written}; next: oncall plan {written}")


@app.command()
def validate(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text or json.", metavar="text|json")
    ] = "text",
) -> None:
    """Check each rotation file and its schedule against every rule.

    Lists each violation with its dates, the people and the rule broken. Exit 0 when
    clean, 1 on violations; warnings about the roster do not change the exit code.
    """
    from oncall.usecases.validation import run_validate

    raise typer.Exit(run_validate(rotations, schedule, output_format))


def _register() -> None:
    """Attach the commands that live in modules of their own."""
    from oncall.cli.commands import register_all

    register_all(app)


_register()


def main() -> None:
    """The full CLI; ``oncall.cli.entry.main`` (the `oncall` script) comes here for everything
    but well-formed `who` and `remind` calls."""
    from oncall.cli.entry import guarded

    guarded(app, debug=lambda: _state["debug"])
