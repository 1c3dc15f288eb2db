"""Discord: a webhook takes ``{"content": ..., "allowed_mentions": ...}``; `<@ID>` pings a
user and `<@&ID>` a role, and ``allowed_mentions`` lets only the people and the role the
message names ping: never @everyone, another role or a user id some text happens to hold."""

from __future__ import annotations

from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import IdShape, Said

NAME = "discord"
TITLE = "Discord"
ORDER = 50
KEY = "discord"
PAGE = "discord.md"
_SNOWFLAKE = r"[1-9][0-9]{16,19}"
MEMBER_ID = IdShape(
    _SNOWFLAKE,
    "a Discord user id: 17 to 20 digits, e.g. 123456789012345678",
    "Discord user id (17 to 20 digits) for `<@...>` mentions.",
    "in Discord: turn on Developer Mode, then the member's profile, Copy User ID",
)
GROUP_ID = IdShape(
    _SNOWFLAKE,
    "a Discord role id: 17 to 20 digits, e.g. 123456789012345678",
    "Discord role id, mentioned as `<@&ID>`; `allowed_mentions` lets only this role "
    "ping (the role must be mentionable).",
    "in Discord: Developer Mode on, Server Settings, Roles, the role, \u22ee, Copy Role ID; "
    "the role must allow anyone to @mention it",
)
GROUP_TOKEN = "<@&{}>"
NO_GROUP = None
LIMIT = 2_000  # `content` up to 2,000 characters (HTTP 400 past it)
UNIT = "characters"
BULLET = "-"
DOCS = ("Discord", "user id", "role (only that role may ping)", "2,000 characters")

escape = _escape.markdown_escape
user_text = _escape.markdown_user_text
url_text = _escape.url_text


def handle_text(handle: str) -> str:
    return f"@{escape(handle)}"


def mention(chat_id: str, name: str) -> str:
    return f"<@{chat_id}>"


def size(message: str, said: Said) -> int:
    return len(message)


def payload(message: str, said: Said) -> dict[str, Any]:
    allowed: dict[str, list[str]] = {
        "parse": [],
        "users": list(dict.fromkeys(chat_id for chat_id, _ in said.people))[:100],
    }
    if said.groups:
        allowed["roles"] = said.groups[:100]
    return {"content": message, "allowed_mentions": allowed}
