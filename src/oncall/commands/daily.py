"""Day-to-day commands: `who`, `remind`, `swap` and `show`.

`who` and `remind` run from cron and alert hooks, so this module imports only typer and
the standard library at import time, and their code paths never touch rich, holidays or
icalendar (the schedule file carries the days off `plan` stored). `show` imports rich
inside its function.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oncall.cli import NowOpt, RotationsArg, ScheduleOpt

if TYPE_CHECKING:
    from oncall.duty import OnDuty
    from oncall.workspace import Opened

WHO_FORMATS = ("text", "handles", "json")
REMIND_FORMATS = ("text", "slack", "json")
SHOW_FORMATS = ("text", "json")


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    from oncall.errors import InputError

    if value not in allowed:
        raise InputError(f"{option}: found {value!r}, expected one of: {', '.join(allowed)}")
    return value


def _opened(rotations: list[Path] | None, schedule: Path | None) -> list[Opened]:
    from oncall.workspace import one_path, open_rotation

    return [
        open_rotation(path, schedule=schedule, require_schedule=True)
        for path in one_path(rotations, schedule)
    ]


def _json_line(value: dict[str, Any]) -> None:
    """One object per rotation per line (JSON Lines): one rotation gives plain JSON."""
    print(json.dumps(value, ensure_ascii=False))


# --- who ---------------------------------------------------------------------------------------


def who(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="The moment to ask about (default: now).", metavar="DATETIME"),
    ] = None,
    on_date: Annotated[
        str | None,
        typer.Option("--date", help="Ask about a whole day instead of a moment.", metavar="D"),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text, handles (on-duty handles one per line; nothing when off duty) or json "
            "(one object per rotation per line).",
            metavar="text|handles|json",
        ),
    ] = "text",
) -> None:
    """Who is on duty now, at a moment or on a day; outside the window, the fallback.

    An alert router can mention the people `--format handles` prints and post without a
    mention when it prints nothing.
    """
    from oncall import messages
    from oncall.duty import duty_at, duty_of_day
    from oncall.errors import InputError
    from oncall.reminders import duty_json
    from oncall.workspace import now_in, parse_day, parse_moment

    _choice("--format", output_format, WHO_FORMATS)
    if at is not None and on_date is not None:
        raise InputError("--at and --date ask different questions; give one of them")
    seen: set[str] = set()
    for opened in _opened(rotations, schedule):
        rotation = opened.rotation
        clock = now_in(rotation, now)
        calendar = opened.calendar()
        if on_date is not None:
            found = duty_of_day(
                rotation, calendar, opened.schedule, parse_day(on_date, "--date", clock.date())
            )
        else:
            moment = parse_moment(at, "--at", rotation, clock.date()) if at else clock
            found = duty_at(rotation, calendar, opened.schedule, moment)
        if output_format == "json":
            payload = duty_json(found)
            payload["at"] = found.moment.isoformat() if found.moment else None
            _json_line(payload)
        elif output_format == "handles":
            for person in found.people if found.on_duty else ():
                if person.handle not in seen:
                    seen.add(person.handle)
                    print(person.handle)
        else:
            print(_who_text(found, messages))


def _who_text(found: OnDuty, messages: Any) -> str:
    rotation = found.rotation
    lang = rotation.language
    hours = messages.window(lang, rotation.window)
    day = messages.day(lang, found.day)
    name = rotation.rotation
    if found.on_duty:
        key = "who_on" if found.moment is not None else "who_day"
        lines = [messages.text(lang, key, rotation=name, date=day, window=hours)]
        for role, people in (("primary", found.primary), ("shadow", found.shadow)):
            if people:
                listed = ", ".join(
                    f"{p.name} (@{p.handle}{', ' + p.team if p.team else ''})" for p in people
                )
                lines.append(f"  {messages.text(lang, role)}: {listed}")
    elif found.day not in rotation.term:
        lines = [
            messages.text(lang, "who_off_term", rotation=name, date=day, term=str(rotation.term))
        ]
    elif found.window is None:
        why = messages.text(lang, "day_off", name=found.day_off) if found.day_off else ""
        lines = [messages.text(lang, "who_off_day", rotation=name, date=day, why=why)]
    elif found.moment is not None and not (found.window[0] <= found.moment < found.window[1]):
        time_text = f"{day} {found.moment.strftime('%H:%M')}"
        lines = [messages.text(lang, "who_off_window", rotation=name, time=time_text, window=hours)]
    else:
        lines = [messages.text(lang, "who_unstaffed", rotation=name, date=day, window=hours)]
    fallback = rotation.fallback or messages.text(lang, "none")
    lines.append(f"  {messages.text(lang, 'fallback_label')}: {fallback}")
    return "\n".join(lines)


# --- remind ------------------------------------------------------------------------------------


def remind(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    today: Annotated[
        bool, typer.Option("--today", help="Name today's people (the default).")
    ] = False,
    upcoming: Annotated[
        bool,
        typer.Option(
            "--next",
            help="Name the next duty day's people (Friday -> Monday, holidays skipped), "
            "with the manual and the pre-shift checklist.",
        ),
    ] = False,
    handoff: Annotated[
        bool,
        typer.Option(
            "--handoff",
            help="The end-of-duty report template for today's people, naming who takes over.",
        ),
    ] = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="text, slack (<@ID> mentions) or json, one object per rotation per line "
            "(default: text; slack with --post).",
            metavar="text|slack|json",
        ),
    ] = None,
    post: Annotated[
        str | None,
        typer.Option(
            "--post",
            help="Send the message to this chat incoming webhook (Slack-compatible) instead "
            "of printing it; exit 4 if it cannot be delivered.",
            metavar="URL",
        ),
    ] = None,
) -> None:
    """Reminder text for the chat room; prints nothing and exits 0 when there is no duty."""
    from oncall import reminders
    from oncall.errors import InputError
    from oncall.workspace import now_in

    chosen = [name for name, flag in (("today", today), ("next", upcoming), ("handoff", handoff))
              if flag]
    if len(chosen) > 1:
        raise InputError(
            f"--{' and --'.join(chosen)} ask for different reminders; give one of them"
        )
    kind = chosen[0] if chosen else "today"
    fmt = _choice(
        "--format", output_format or ("slack" if post else "text"), reminders.FORMATS
    )
    if post is not None:
        from oncall.webhook import check_url

        check_url(post)
        if fmt == "json":
            raise InputError(
                "--post sends chat text; --format json cannot be posted",
                hint="use --format slack (the default with --post) or text",
            )
    failures: list[str] = []
    for opened in _opened(rotations, schedule):
        rotation = opened.rotation
        clock = now_in(rotation, now)
        found = reminders.build(
            kind, rotation, opened.calendar(), opened.schedule, clock.date()
        )
        if found is None:
            continue
        if fmt == "json":
            _json_line(reminders.as_json(found))
            continue
        message = reminders.render(found, fmt)
        if post is None:
            print(message)
            continue
        from oncall.errors import DeliveryError
        from oncall.webhook import post as send

        try:
            send(post, message)
        except DeliveryError as error:  # the other rotations' reminders still go out
            failures.append(f"{rotation.rotation}: {error}")
    if failures:
        from oncall.errors import DeliveryError

        raise DeliveryError("\n".join(failures))


# --- swap --------------------------------------------------------------------------------------


def swap(
    dates: Annotated[
        str,
        typer.Option("--dates", help="A date or inclusive range: D or D..D.", metavar="D[..D]"),
    ],
    out: Annotated[str, typer.Option("--out", help="Who hands the days over.", metavar="H")],
    in_: Annotated[str, typer.Option("--in", help="Who takes them.", metavar="H")],
    rotation_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[ROT]",
            help="The rotation file (default: the only rotations/*.yaml).",
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, for the record.", metavar="TEXT")
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Record it even if it breaks a rule (marked forced)."),
    ] = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
) -> None:
    """Record an override: --out hands --dates to --in, after checking every rule."""
    from oncall.errors import InputError
    from oncall.workspace import one_path

    paths = one_path([rotation_file] if rotation_file else None, schedule)
    if len(paths) != 1:
        raise InputError(
            f"swap changes one rotation, but {len(paths)} were found",
            hint="name the rotation file: oncall swap rotations/NAME.yaml ...",
        )
    _swap_locked(paths[0], schedule, dates, out.strip(), in_.strip(), reason, force, now)


def _swap_locked(
    path: Path,
    schedule: Path | None,
    dates: str,
    out: str,
    in_: str,
    reason: str | None,
    force: bool,
    now: str | None,
) -> None:
    """Read, check and write under a lock on the schedule file, so two swaps at once both
    land (overrides are appended, never lost)."""
    from oncall import swapping
    from oncall.files import write_atomic
    from oncall.loading import dump_schedule
    from oncall.workspace import now_in, open_rotation

    with _schedule_lock(path, schedule):
        opened = open_rotation(path, schedule=schedule, require_schedule=True)
        assert opened.schedule is not None  # require_schedule
        rotation = opened.rotation
        clock = now_in(rotation, now)
        span = swapping.parse_dates(dates, clock.date())
        proposal = swapping.propose(
            rotation,
            opened.calendar(),
            opened.schedule,
            span,
            out,
            in_,
            reason=reason,
            now=clock.replace(microsecond=0),
        )
        if proposal.violations:
            if not force:
                raise swapping.refusal(proposal)
            proposal = proposal.forced()
        write_atomic(opened.schedule_path, dump_schedule(proposal.after))
    print(swapping.summary(proposal, opened.schedule_path))


class _schedule_lock:
    """An exclusive advisory lock on the schedule file itself (no stray lock files in the
    repository). The file is replaced on every write, so after waiting we check the lock is
    still on the file the path names."""

    def __init__(self, rotation_path: Path, schedule: Path | None) -> None:
        from oncall.loading import schedule_path_for

        self.path = schedule or schedule_path_for(rotation_path)
        self.handle: Any = None

    def __enter__(self) -> None:
        import os

        try:
            import fcntl
        except ImportError:  # pragma: no cover - not Unix: no lock, still atomic writes
            return
        for _ in range(50):
            try:
                handle = self.path.open("rb")
            except OSError:
                return  # open_rotation reports the missing or unreadable file
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                same = os.fstat(handle.fileno()).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if same:
                self.handle = handle
                return
            handle.close()

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


# --- show --------------------------------------------------------------------------------------


def show(
    rotations: RotationsArg = None,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    person: Annotated[
        str | None, typer.Option("--person", help="Only this member's days.", metavar="H")
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", help="Only this month (default: the whole term).", metavar="YYYY-MM"
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text or json.", metavar="text|json")
    ] = "text",
) -> None:
    """The schedule as a table of duty days, with overrides marked and each member's load."""
    from oncall import showing
    from oncall.swapping import known_handle
    from oncall.workspace import now_in

    _choice("--format", output_format, SHOW_FORMATS)
    views = []
    for opened in _opened(rotations, schedule):
        rotation = opened.rotation
        clock = now_in(rotation, now)
        if person is not None:
            known_handle(rotation, person, "--person")
        span = showing.month_span(month, rotation) if month else None
        assert opened.schedule is not None
        views.append(
            showing.build_view(
                rotation, opened.calendar(), opened.schedule, span=span, person=person,
                today=clock.date(),
            )
        )
    if output_format == "json":
        for view in views:
            _json_line(showing.as_json(view))
        return
    showing.print_views(views, sys.stdout)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command()(who)
    app.command()(remind)
    app.command()(swap)
    app.command()(show)
