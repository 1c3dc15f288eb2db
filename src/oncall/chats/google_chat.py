"""Google Chat: an incoming webhook takes ``{"text": ...}``; `<users/ID>` pings one user
and `<users/all>` everyone. Its webhooks cannot mention a group, so a group key is
refused; `<` and `>` in any text become their full-width look-alikes (it has no escape)."""

from __future__ import annotations

from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import IdShape, Said

NAME = "google-chat"
TITLE = "Google Chat"
ORDER = 30
KEY = "google_chat"
PAGE = "google-chat.md"
MEMBER_ID = IdShape(
    r"users/[1-9][0-9]{5,30}",
    "a Google Chat user id: users/ then digits, e.g. users/123456789012345678901",
    "Google Chat user id `users/DIGITS` for `<users/...>` mentions.",
    "the numeric id of the person's Google account (People API or Admin console); an "
    "email address cannot be mentioned by a webhook",
)
GROUP_ID = None
GROUP_TOKEN = None
NO_GROUP = "Google Chat webhooks mention one user (<users/ID>) or everyone, never a group"
LIMIT = 32_000  # a message up to 32,000 bytes
UNIT = "bytes"
BULLET = "-"
DOCS = ("Google Chat", "`users/ID`", "**not possible** by webhook", "32,000 bytes")

escape = _escape.angle_escape
user_text = _escape.angle_escape
url_text = _escape.angle_escape
handle_text = _escape.plain_handle


def mention(chat_id: str, name: str) -> str:
    return f"<{chat_id}>"


def size(message: str, said: Said) -> int:
    return len(message.encode("utf-8"))


def payload(message: str, said: Said) -> dict[str, Any]:
    return {"text": message}
