"""Mattermost: an incoming webhook takes ``{"text": ...}`` in Markdown; `@username` pings a
member and `@group` a custom user group, while `@all`, `@channel` and `@here` ping the
whole channel, so no id may be one of those and a name's `@` never pings."""

from __future__ import annotations

from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import IdShape, Said

NAME = "mattermost"
TITLE = "Mattermost"
ORDER = 40
KEY = "mattermost"
PAGE = "mattermost.md"
_CHANNEL_WORDS = ("all", "channel", "here")


def _name(value: str) -> str:
    """A Mattermost @name without its @."""
    return value.strip().removeprefix("@")


MEMBER_ID = IdShape(
    r"[a-z][a-z0-9._-]{2,21}",
    "a Mattermost username: 3 to 22 lowercase letters, digits, '.', '_' or '-', "
    "starting with a letter, e.g. aiko.sato",
    "Mattermost username for `@username` mentions.",
    "in Mattermost: Profile, Username (without the @)",
    normalize=_name,
    refused=_CHANNEL_WORDS,
)
GROUP_ID = IdShape(
    r"[a-z0-9][a-z0-9._-]{0,63}",
    "a Mattermost group mention name: lowercase letters, digits, '.', '_' or '-', "
    "e.g. sre-oncall",
    "Mattermost custom user group name, mentioned as `@name`.",
    "in Mattermost: User groups, the group, its @mention name (without the @)",
    normalize=_name,
    refused=_CHANNEL_WORDS,
)
GROUP_TOKEN = "@{}"
NO_GROUP = None
LIMIT = 16_383  # posts up to 16,383 characters (servers since 5.0)
UNIT = "characters"
BULLET = "-"
DOCS = ("Mattermost", "username", "custom user group", "16,383 characters")

escape = _escape.markdown_escape
user_text = _escape.markdown_user_text
url_text = _escape.url_text


def handle_text(handle: str) -> str:
    """`@handle` as text: a zero-width space keeps it from pinging a username."""
    return f"@\u200b{escape(handle)}"


def mention(chat_id: str, name: str) -> str:
    return f"@{chat_id}"


def size(message: str, said: Said) -> int:
    return len(message)


def payload(message: str, said: Said) -> dict[str, Any]:
    return {"text": message}
