"""`oncall repair`: finish a change a kill cut between its two writes."""

from __future__ import annotations

from typing import Annotated

import typer

from oncall.cli.options import RotationsArg, ScheduleOpt


def register(app: typer.Typer) -> None:
    """Attach this module's command to ``app``."""
    app.command("repair")(repair_command)


def repair_command(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    ledgers: Annotated[
        bool,
        typer.Option(
            "--ledgers",
            help="Also carry every later term's ledger again from the kept terms (after "
            "correcting a kept term by hand).",
        ),
    ] = False,
) -> None:
    """Finish an interrupted `plan --next-term` or swap into an earlier term.

    Both take two writes; a kill between them leaves a note beside the schedule
    (x.schedule.pending) that `validate` reports. This finishes the change: a copy of the
    current term left in x.terms/ is removed (run `plan --next-term` again), a swap is
    carried into the later terms' ledgers. `plan` and `swap` do the same first. With
    --ledgers, every ledger is carried again from the kept terms. Prints what it did;
    nothing to do is exit 0.
    """
    from oncall.cli.stores import store_for
    from oncall.render.repair import summary
    from oncall.usecases.repair import repair

    typer.echo(summary(repair(store_for(rotations, schedule), ledgers=ledgers)))
