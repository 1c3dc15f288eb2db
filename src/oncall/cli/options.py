"""The typer parameters several commands share, declared once.

`who` and `remind` declare their options in ``oncall.cli.cronargs``, the table the cron
fast path parses too, so the shared texts come from there and ``cron_option`` turns any
entry of that table into a typer option. The command modules import this module, never
``oncall.cli.app``, so the shell has no import cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from oncall.cli import cronargs
from oncall.cli.cronargs import OptionSpec

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
TextOrJsonOpt = Annotated[
    str, typer.Option("--format", help="text or json.", metavar="text|json")
]
TEXT_OR_JSON = ("text", "json")
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="The CSV's encoding, e.g. utf-8 or cp932 (default: UTF-8, with or without a "
        "BOM, else CP932/Shift_JIS, found by strict decoding).",
        metavar="NAME",
    ),
]


def cron_option(spec: OptionSpec) -> Any:
    """The typer option for one entry of the cron commands' table."""
    assert spec.flag is not None
    return typer.Option(spec.flag, help=spec.help, metavar=spec.metavar)
