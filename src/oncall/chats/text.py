"""Plain text (`reminders.chat: text`): ``{"text": ...}`` to any webhook, mentioning nobody.
Printed, it shows as written; posted, it reaches a chat we do not know (a Slack, Mattermost
or Google Chat webhook), so it pings nobody there: `<`, `>` become their full-width
look-alikes (`<!channel>`, `<users/all>`) and every `@` before a word gets a zero-width
space (`@channel`, `@all`, `@handle`). Never cut."""

from __future__ import annotations

import re
from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import Said

NAME = "text"
TITLE = "plain text"
ORDER = 90
KEY = None
PAGE = None
MEMBER_ID = None
GROUP_ID = None
GROUP_TOKEN = None
NO_GROUP = None
LIMIT = None
UNIT = "characters"
BULLET = "-"
DOCS = ("plain text", "nobody", "nobody", "none")

escape = str
user_text = str
url_text = str
handle_text = _escape.plain_handle


def mention(chat_id: str, name: str) -> str:
    return name  # never called: no member has an id for plain text


def size(message: str, said: Said) -> int:
    return len(message)


def unping(message: str) -> str:
    """The message as posted: it pings nobody on whichever chat it reaches."""
    return re.sub(_escape.AT, "@\u200b", _escape.angle_escape(message))


def payload(message: str, said: Said) -> dict[str, Any]:
    return {"text": unping(message)}
