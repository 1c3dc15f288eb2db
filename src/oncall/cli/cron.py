"""What `who` and `remind` do, called by their typer commands and by the fast entry alike.

These two run from cron and alert hooks, so this module imports no typer (``oncall.cli.entry``
calls it without loading the CLI framework) and only the standard library at import
time; the library modules are imported when a command runs, and never rich, holidays or
icalendar (the schedule file carries the days off `plan` stored).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from oncall.cli.cronargs import WHO_FORMATS

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms) at start-up
if TYPE_CHECKING:
    from datetime import date
    from types import ModuleType

    from oncall.core.duty import OnDuty
    from oncall.core.duty_calendar import DutyCalendar
    from oncall.usecases.workspace import Opened


def choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    from oncall.core.errors import InputError

    if value not in allowed:
        raise InputError(f"{option}: found {value!r}, expected one of: {', '.join(allowed)}")
    return value


def opened(rotations: list[Path] | None, schedule: Path | None) -> list[Opened]:
    """Every rotation the command works on, each with its (required) schedule."""
    from oncall.usecases.workspace import one_path, open_rotation

    return [
        open_rotation(path, schedule=schedule, require_schedule=True)
        for path in one_path(rotations, schedule)
    ]


def json_line(value: dict[str, object]) -> None:
    """One object per rotation per line (JSON Lines): one rotation gives plain JSON."""
    print(json.dumps(value, ensure_ascii=False))


# --- who ---------------------------------------------------------------------------------------


def run_who(
    rotations: list[Path] | None = None,
    schedule: Path | None = None,
    now: str | None = None,
    at: str | None = None,
    on_date: str | None = None,
    output_format: str = "text",
) -> None:
    """Who is on duty at ``at`` (default: now) or on ``on_date``, for each rotation."""
    from oncall.core.dates import parse_day, parse_moment
    from oncall.core.duty import duty_at, duty_of_day
    from oncall.core.errors import InputError
    from oncall.render import messages
    from oncall.render.reminders import duty_json
    from oncall.usecases.workspace import now_in

    choice("--format", output_format, WHO_FORMATS)
    if at is not None and on_date is not None:
        raise InputError("--at and --date ask different questions; give one of them")
    seen: set[str] = set()
    for each in opened(rotations, schedule):
        rotation = each.rotation
        clock = now_in(rotation, now)
        calendar = each.calendar()
        if on_date is not None:
            found = duty_of_day(
                rotation, calendar, each.schedule, parse_day(on_date, "--date", clock.date())
            )
        else:
            moment = parse_moment(at, "--at", rotation.tz, clock.date()) if at else clock
            found = duty_at(rotation, calendar, each.schedule, moment)
        if output_format == "json":
            payload = duty_json(found)
            payload["at"] = found.moment.isoformat() if found.moment else None
            json_line(payload)
        elif output_format == "handles":
            for person in found.people if found.on_duty else ():
                if person.handle not in seen:
                    seen.add(person.handle)
                    print(person.handle)
        else:
            print(_who_text(found, messages))


def _who_text(found: OnDuty, messages: ModuleType) -> str:
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


def run_remind(
    rotations: list[Path] | None = None,
    schedule: Path | None = None,
    now: str | None = None,
    today: bool = False,
    upcoming: bool = False,
    handoff: bool = False,
    output_format: str | None = None,
    post: str | None = None,
) -> None:
    """Each rotation's reminder, printed or posted; nothing when there is no duty."""
    from oncall.core.errors import DeliveryError, InputError
    from oncall.render import reminders
    from oncall.usecases.workspace import now_in

    chosen = [name for name, flag in (("today", today), ("next", upcoming), ("handoff", handoff))
              if flag]
    if len(chosen) > 1:
        raise InputError(
            f"--{' and --'.join(chosen)} ask for different reminders; give one of them"
        )
    kind = chosen[0] if chosen else "today"
    fmt = choice("--format", output_format or ("slack" if post else "text"), reminders.FORMATS)
    if post is not None:
        from oncall.io.webhook import check_url

        check_url(post)
        if fmt == "json":
            raise InputError(
                "--post sends chat text; --format json cannot be posted",
                hint="use --format slack (the default with --post) or text",
            )
    failures: list[str] = []
    for each in opened(rotations, schedule):
        rotation = each.rotation
        clock = now_in(rotation, now)
        calendar = each.calendar()
        found = reminders.build(kind, rotation, calendar, each.schedule, clock.date())
        if found is None:
            _warn_if_term_over(kind, rotation.rotation, calendar, clock.date())
            continue
        if fmt == "json":
            json_line(reminders.as_json(found))
            continue
        message = reminders.render(found, fmt)
        if post is None:
            print(message)
            continue
        from oncall.io.webhook import post as send

        try:
            send(post, message)
        except DeliveryError as error:  # the other rotations' reminders still go out
            failures.append(f"{rotation.rotation}: {error}")
    if failures:
        raise DeliveryError("\n".join(failures))


def _warn_if_term_over(kind: str, name: str, calendar: DutyCalendar, day: date) -> None:
    """No duty because the planned term has run out is not a quiet day: say so on stderr,
    so cron mails the lead to plan the next term (stdout stays empty, exit stays 0)."""
    last = calendar.duty_days[-1] if calendar.duty_days else None
    over = last is None or (day >= last if kind == "next" else day > last)
    if over:
        print(
            f"oncall: {name}: the planned term {calendar.first}..{calendar.last} has no duty "
            "day left; plan the next term (oncall plan --start YYYY-MM-DD)",
            file=sys.stderr,
        )
