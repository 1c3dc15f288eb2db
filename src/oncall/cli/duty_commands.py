"""What `who` and `remind` do on the command line: ask the use case, word the answer, print
it (or post it). Both the typer commands and the fast entry call these functions.

They run from cron and alert hooks, so this module imports no typer (``oncall.cli.entry``
calls it without loading the CLI framework), and what it imports loads neither rich,
holidays nor icalendar: without ``holiday_tables`` every calendar comes from the days off
the schedule stores, and a schedule without them raises ``HolidayTablesNeeded`` before
anything is printed, so the entry hands the call to the full CLI, which passes the tables.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from oncall.cli.cronargs import WHO_FORMATS
from oncall.cli.formats import choice
from oncall.cli.output import json_line
from oncall.core.errors import DeliveryError, InputError, TermEnded
from oncall.core.term_end import TermEnding

if TYPE_CHECKING:
    from oncall.core.model import Rotation
    from oncall.core.store import HolidayTables
    from oncall.usecases.remind import Reminder, TermOver, Unnamed


def run_who(
    rotations: list[Path] | None = None,
    schedule: Path | None = None,
    now: str | None = None,
    at: str | None = None,
    on_date: str | None = None,
    output_format: str = "text",
    holiday_tables: HolidayTables | None = None,
) -> None:
    """Who is on duty at ``at`` (default: now) or on ``on_date``, for each rotation."""
    from oncall.core.clock import Clock
    from oncall.core.term_end import TermEnding
    from oncall.io.store import FileStore
    from oncall.render.who import dropped_warning, who_json, who_text  # only its own
    from oncall.usecases.who import who

    choice("--format", output_format, WHO_FORMATS)
    seen: set[str] = set()
    store = FileStore(rotations, schedule=schedule, holiday_tables=holiday_tables, record=False)
    answers = who(store, Clock.parse(now), at=at, on_date=on_date)
    for found in answers:
        if isinstance(found, TermEnding):  # for cron's mail: stdout stays the answer
            print(f"oncall: warning: {found.describe()}", file=sys.stderr)
            continue
        warning = dropped_warning(found)
        if warning is not None:
            print(warning, file=sys.stderr)
        if output_format == "json":
            json_line(who_json(found))
        elif output_format == "handles":
            for person in found.people if found.on_duty else ():
                if person.handle not in seen:  # one mention per person across rotations
                    seen.add(person.handle)
                    print(person.handle)
        else:
            print(who_text(found))


def run_remind(
    rotations: list[Path] | None = None,
    schedule: Path | None = None,
    now: str | None = None,
    today: bool = False,
    upcoming: bool = False,
    handoff: bool = False,
    output_format: str | None = None,
    post: str | None = None,
    post_url_file: Path | None = None,
    post_url_env: str | None = None,
    due: bool = False,
    catch_up: str | None = None,
    holiday_tables: HolidayTables | None = None,
) -> None:
    """Each rotation's reminder, printed or posted; nothing when there is no duty. A
    last planned term ending within two weeks is warned of on stderr; once it has ended,
    the other rotations' reminders still go out and the run fails (``TermEnded``)."""
    from oncall.core.term_end import TermEnding
    from oncall.render import reminders as reminder_text
    from oncall.render.who import dropped_warning
    from oncall.usecases import remind

    if due or catch_up is not None:
        asked = [flag for flag, value in (("--today", today), ("--next", upcoming),
                 ("--handoff", handoff), ("--format", output_format)) if value]
        if asked or not due:
            raise InputError(
                f"{' and '.join(asked) or '--catch-up'} "
                + ("go without --due: the rotation file's reminders.times say which "
                   "reminder is due and its chat" if due else "goes with --due"),
                hint="oncall remind --due (from cron, every few minutes)",
            )
        run_due(rotations, schedule, now, catch_up, post, post_url_file, post_url_env,
                holiday_tables)
        return
    kind = remind.reminder_kind(today, upcoming, handoff)
    if post is not None or post_url_file is not None or post_url_env is not None:
        from oncall.usecases.post import post_message, webhook_target  # urllib: only for --post

        post = webhook_target(post, post_url_file, post_url_env)
    fmt = choice("--format", output_format, reminder_text.FORMATS) if output_format else None
    if post is not None and fmt == "json":
        raise InputError(
            "--post sends a chat message; --format json cannot be posted",
            hint="leave --format out to post in each rotation's reminders.chat format "
            "(slack unless set), or name a chat: " + ", ".join(reminder_text.CHATS),
        )
    from oncall.core.clock import Clock
    from oncall.io.store import FileStore

    failures: list[str] = []
    ended: list[str] = []
    store = FileStore(rotations, schedule=schedule, holiday_tables=holiday_tables, record=False)
    found = remind.reminders(store, Clock.parse(now), kind=kind)
    for reminder in found:
        if isinstance(reminder, TermEnding):
            if reminder.ended:
                ended.append(reminder.describe())
            else:
                print(f"oncall: warning: {reminder.describe()}", file=sys.stderr)
            continue
        for warning in remind.dropped(reminder):
            print(dropped_warning(warning), file=sys.stderr)
        if isinstance(reminder, remind.Reminder) and reminder_text.skipped_warning(reminder):
            print(reminder_text.skipped_warning(reminder), file=sys.stderr)
        if isinstance(reminder, remind.TermOver):
            print(reminder_text.term_over(reminder), file=sys.stderr)
        elif isinstance(reminder, remind.Unnamed):
            continue
        elif fmt == "json":
            json_line(reminder_text.as_json(reminder))
        elif post is None:
            print(reminder_text.render(reminder, fmt or "text"))
        else:
            chat = fmt or reminder.rotation.reminders.chat
            posted = post_message(
                post, reminder.rotation.id, reminder_text.payload(reminder, chat)
            )
            if posted.failure is not None:  # the other rotations' reminders still go out
                failures.append(f"{posted.rotation}: {posted.failure}")
    _finish(failures, ended)



def run_due(
    rotations: list[Path] | None = None,
    schedule: Path | None = None,
    now: str | None = None,
    catch_up: str | None = None,
    post: str | None = None,
    post_url_file: Path | None = None,
    post_url_env: str | None = None,
    holiday_tables: HolidayTables | None = None,
) -> None:
    """`remind --due`: post every reminder slot that has come, each to its rotation's own
    webhook (``reminders.webhook_url_env``/``_file``), else to --post's; print what went."""
    from oncall.core.clock import Clock
    from oncall.core.dates import parse_duration
    from oncall.io.reminder_log import ReminderStateFiles
    from oncall.io.store import FileStore
    from oncall.render import reminders as reminder_text
    from oncall.usecases.post import post_message, webhook_target
    from oncall.usecases.remind_due import due_reminders

    given = post is not None or post_url_file is not None or post_url_env is not None
    default = webhook_target(post, post_url_file, post_url_env) if given else None
    span = parse_duration(catch_up or "1h", "--catch-up")
    store = FileStore(rotations, schedule=schedule, holiday_tables=holiday_tables, record=False)

    def send(reminder: Reminder, url: str) -> None:
        rotation = reminder.rotation
        body = reminder_text.payload(reminder, rotation.reminders.chat)
        posted = post_message(url, rotation.id, body)
        if posted.failure is not None:
            raise posted.failure

    handled = due_reminders(
        store, ReminderStateFiles(), Clock.parse(now), catch_up=span,
        target=lambda rotation: _rotation_webhook(rotation, default), send=send,
    )
    failures: list[str] = []
    ended: list[str] = []
    warned: set[str] = set()
    for run in handled:
        for slot, _ in run.sent:
            print(f"{run.rotation}: posted the {slot.describe()} reminder")
        for slot in run.missed:
            print(f"oncall: warning: {run.rotation}: missed the {slot.describe()} reminder "
                  "(older than --catch-up; not sent)", file=sys.stderr)
        for note in run.notes:
            line = _note(note)
            if line is None or line in warned:
                continue
            warned.add(line)
            if isinstance(note, TermEnding) and note.ended:
                ended.append(line)
            else:
                print(f"oncall: warning: {line}", file=sys.stderr)
        if run.failure is not None:
            failures.append(f"{run.rotation}: {run.failure}")
    _finish(failures, ended)


def _note(note: TermOver | TermEnding | Unnamed) -> str | None:
    """One line for a slot's note: a term ending or over; None for a day with only
    leavers planned (nothing to say but that nobody is named)."""
    from oncall.render.reminders import term_over
    from oncall.usecases.remind import TermOver, Unnamed

    if isinstance(note, TermOver):
        return term_over(note)
    if isinstance(note, Unnamed):
        return None
    return note.describe()


def _rotation_webhook(rotation: Rotation, default: str | None) -> str:
    """The rotation's own webhook URL, else --post's; neither is an input error."""
    from oncall.usecases.post import webhook_target

    reminders = rotation.reminders
    if reminders.webhook_url_env is not None or reminders.webhook_url_file is not None:
        return webhook_target(None, reminders.webhook_url_file, reminders.webhook_url_env)
    if default is not None:
        return default
    raise InputError(
        f"remind --due: rotation {rotation.id} names no webhook "
        "(reminders.webhook_url_env or webhook_url_file) and no --post was given",
        hint="add reminders.webhook_url_env: APP_WEBHOOK_URL to the rotation file, "
        "or pass --post-url-env VAR for every rotation without one",
    )


def _finish(failures: list[str], ended: list[str]) -> None:
    """A failed post is exit 4 (the terms that ended are said too); otherwise a last
    planned term that has ended is exit 5."""
    if failures:
        for line in ended:
            print(f"oncall: {line}", file=sys.stderr)
        raise DeliveryError("\n".join(failures))
    if ended:
        raise TermEnded("\n".join(ended))
