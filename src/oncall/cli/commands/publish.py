"""`oncall publish`: the rotations as a static site with calendar feeds.

Only typer and the standard library are imported at start-up; Jinja2, icalendar and the
loaders are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli.options import NowOpt, ScheduleOpt


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("publish")(publish_command)


def publish_command(
    out_dir: Annotated[
        Path,
        typer.Argument(
            metavar="OUT_DIR",
            help="The folder to (re)build: new, empty, or made by an earlier publish.",
            show_default=False,
        ),
    ],
    rotations: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[ROT]...",
            help="Rotation files (default: every rotations/*.yaml).",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The https:// address OUT_DIR is served from: the pages then offer "
            "webcal:// subscription links.",
            metavar="URL",
        ),
    ] = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Publish the rotations as a static site, with calendars to subscribe to.

    Pages: who is on duty now and next, a month calendar per month of the term, the rules,
    fairness, and a page per person with their duties and a subscription link. Feeds: the
    team calendar, one per person, one for all rotations, the CSV and a JSON schedule.

    Any static web server, intranet share or git pages host can serve OUT_DIR; the pages
    use relative links, fetch nothing from elsewhere and need no JavaScript. The site is
    built beside OUT_DIR and swapped in at once; a folder with other content is refused.
    Re-run after every plan or swap (e.g. from cron); the same state and --now give the
    same bytes.
    """
    from oncall.cli.stores import clock, store_for
    from oncall.render.site import MARKER, published, site_files
    from oncall.usecases.publish import publish_site

    done = publish_site(
        store_for(rotations, schedule), clock(now), out_dir,
        base_url=base_url, render=site_files, marker=MARKER,
    )
    typer.echo(published(done))
