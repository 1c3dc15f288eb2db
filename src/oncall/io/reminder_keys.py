"""The rotation-file keys that say when and where `oncall remind --due` posts: the times
of day (each with its kind of reminder), the webhook URL's variable or file, and the state
file that records what was posted. Kept apart from ``oncall.io.keys`` (which splices them
into the rotation table), as ``oncall.io.chat_keys`` is."""

from __future__ import annotations

import re

from yaml.nodes import Node

from oncall.core.model import ReminderTime
from oncall.io import yamlsafe as ys
from oncall.io.readers import text
from oncall.io.schema import Key
from oncall.io.yamlsafe import At

KINDS = ("today", "next", "handoff")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?:\s+([a-z]+))?")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def reminder_times(node: Node, at: At) -> tuple[ReminderTime, ...]:
    """``["09:45 today", "17:00 handoff", "17:05 next"]``: a time of day, then the kind of
    reminder (``today`` when left out). An unquoted 10:00 is read as 10:00."""
    expected = "a time HH:MM from 00:00 to 23:59, then today, next or handoff"
    found: list[ReminderTime] = []
    for index, item in enumerate(ys.sequence(node, at, "a list of times")):
        where = at.item(index)
        if not item.tag.endswith(":str") and not item.tag.endswith(":int"):
            raise where.error(item, f"found {ys.describe(item)}, expected {expected}")
        raw = str(item.value).strip()
        match = _TIME.fullmatch(raw)
        if match is None:
            raise where.error(item, f"found {ys.describe(item)}, expected {expected}")
        hours, minutes, kind = int(match[1]), int(match[2]), match[3] or "today"
        if hours > 23 or minutes > 59:
            raise where.error(item, f"found {raw!r}, which is not a time of day, "
                              f"expected {expected}")
        if kind not in KINDS:
            raise where.error(item, f"found the kind {kind!r}, expected {expected}")
        time = ReminderTime(hours * 60 + minutes, kind)
        if time in found:
            raise where.error(item, f"found {time.describe()} twice, expected each time once")
        found.append(time)
    return tuple(sorted(found, key=lambda t: (t.at, KINDS.index(t.kind))))


def env_name(node: Node, at: At) -> str:
    value = text(node, at).strip()
    if not _ENV_NAME.fullmatch(value):
        raise at.error(node, f"found {value!r}, expected an environment variable name "
                       "such as APP_WEBHOOK_URL")
    return value


REMINDER_KEYS = (
    Key(
        "reminders.times",
        "list of `HH:MM [today|next|handoff]`",
        "When `oncall remind --due` posts, in the rotation's time zone, and which "
        'reminder: e.g. `["09:45 today", "17:00 handoff", "17:05 next"]` (the kind '
        "defaults to `today`).",
        reminder_times,
        default=(),
        default_doc="`[]`",
    ),
    Key(
        "reminders.webhook_url_env",
        "environment variable",
        "Where `remind --due` posts this rotation's reminders: the variable holding the "
        "chat's incoming webhook URL (or `webhook_url_file`; `--post` gives one for "
        "rotations that name neither).",
        env_name,
        default_doc="none",
    ),
    Key(
        "reminders.webhook_url_file",
        "path",
        "A file holding the webhook URL (first non-empty line), relative to the rotation "
        "file; keep it chmod 600.",
        text,
        default_doc="none",
    ),
    Key(
        "reminders.state_file",
        "path",
        "Where `remind --due` records the reminders it posted, relative to the rotation "
        "file; one per rotation.",
        text,
        default_doc="`NAME.reminded.json` beside the rotation file",
    ),
)
