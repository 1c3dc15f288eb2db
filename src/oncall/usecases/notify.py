"""`plan --notify` and `swap --notify`: tell the people whose duty changed, in the chat.

The webhook is the rotation's own (``reminders.webhook_url_env`` or ``_file``, as
`remind --due` posts to), resolved before anything is written, so a rotation that names
none is refused with nothing changed. The notice mentions only the people whose duty days
from today on changed, with the days they lost and gained; it is worded by
``oncall.render.notice`` and posted by ``usecases.post``, as reminders are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from oncall.core.errors import DeliveryError, InputError
from oncall.core.model import Rotation
from oncall.core.moved import Moved, moved
from oncall.core.store import ScheduleStore
from oncall.usecases.plan import Planned
from oncall.usecases.post import post_message, webhook_target
from oncall.usecases.swap import Recorded


@dataclass(frozen=True)
class Notice:
    """What changed for whom in one rotation, and the command that changed it."""

    rotation: Rotation
    moved: tuple[Moved, ...]
    command: str  # plan | swap


def notify_targets(store: ScheduleStore) -> dict[Path, str]:
    """Each rotation's webhook URL, by rotation file; a rotation that names none is an
    input error before anything is planned or recorded."""
    found = {}
    for path in store.rotation_sources():
        rotation = store.open(path).rotation
        reminders = rotation.reminders
        if reminders.webhook_url_env is None and reminders.webhook_url_file is None:
            raise InputError(
                f"--notify: rotation {rotation.id} names no webhook to post to; "
                "nothing was written",
                mark=store.locate(path, "reminders"),
                hint="add reminders.webhook_url_env: APP_WEBHOOK_URL (or webhook_url_file) "
                "to the rotation file",
            )
        found[path] = webhook_target(None, reminders.webhook_url_file, reminders.webhook_url_env)
    return found


def plan_notices(results: Sequence[Planned], today: Callable[[Rotation], date]) -> list[Notice]:
    """The notice of each written plan that moved somebody's duty from today on."""
    notices = []
    for planned in results:
        if planned.written is None or planned.stored is None:
            continue
        days = planned.stored.calendar().duty_days
        found = moved(days, planned.previous, planned.schedule, today(planned.rotation))
        if found:
            notices.append(Notice(planned.rotation, found, "plan"))
    return notices


def swap_notice(recorded: Recorded) -> Notice | None:
    """The notice of a recorded swap (or trade): the people on its days."""
    proposal, rotation = recorded.proposal, recorded.rotation
    assert rotation is not None  # record_swap sets it
    found = moved(proposal.days, proposal.before, proposal.after, min(proposal.days))
    return Notice(rotation, found, "swap") if found else None


def post_notices(
    notices: Sequence[Notice],
    targets: Mapping[Path, str],
    paths: Mapping[str, Path],
    payload: Callable[[Notice], dict[str, Any]],
) -> list[tuple[str, DeliveryError]]:
    """Post each notice to its rotation's webhook; the failures by rotation id, in order
    (the other notices still go out)."""
    failures = []
    for notice in notices:
        rotation = notice.rotation.id
        posted = post_message(targets[paths[rotation]], rotation, payload(notice))
        if posted.failure is not None:
            failures.append((rotation, posted.failure))
    return failures
