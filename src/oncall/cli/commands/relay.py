"""`oncall relay`: the alert relay service (``oncall.relay``), started from the shell.

Thin, like every command: the options in, ``oncall.relay.service.serve`` does the rest.
The relay and its libraries are imported only when it runs, so no other command pays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import NowOpt


def relay(
    config: Annotated[
        Path,
        typer.Option("--config", help="The relay config file (routes, spool, webhooks).",
                     metavar="PATH"),
    ],
    listen: Annotated[
        str,
        typer.Option("--listen", help="Address to listen on; port 0 picks a free one.",
                     metavar="HOST:PORT"),
    ] = "127.0.0.1:9095",
    token_env: Annotated[
        str | None,
        typer.Option("--token-env", help="Environment variable holding the bearer token "
                     "senders must present.", metavar="NAME"),
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help="File holding the bearer token.", metavar="PATH"),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Receive Alertmanager and Grafana alerts and post them to the chat of the rotation
    they route to, mentioning the people on duty; nobody outside the window.

    Runs until SIGTERM. Logs JSON lines on stderr; serves /healthz and /metrics.
    --now fixes the moment used for "who is on duty" (for tests and replays).
    """
    from oncall.relay.service import serve

    serve(listen, config, token_env=token_env, token_file=token_file, now=now)


def register(app: typer.Typer) -> None:
    """Attach this module's command to ``app``."""
    app.command()(relay)
