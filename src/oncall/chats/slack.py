"""Slack: an incoming webhook takes ``{"text": ...}`` in Slack's mrkdwn; `<@U…>` pings a
member, `<!subteam^S…>` a user group. `&`, `<` and `>` are its only control characters."""

from __future__ import annotations

import re
from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import IdShape, Said

NAME = "slack"
TITLE = "Slack"
ORDER = 10
KEY = "slack"
PAGE = "slack.md"
MEMBER_ID = IdShape(
    r"[UW][A-Z0-9]{2,20}",
    "a Slack member id: U or W then capital letters and digits, e.g. U012AB3CD",
    "Slack member id (`U...` or `W...`) for `<@...>` mentions.",
    "in Slack: the member's profile, \u22ee (more), Copy member ID",
)
GROUP_ID = IdShape(
    r"S[A-Z0-9]{2,20}",
    "a Slack user group id: S then capital letters and digits, e.g. S0123ABCD",
    "Slack user group id (`S...`), mentioned as `<!subteam^ID>`.",
    "in Slack: People, User groups, the group, \u22ee (more), Copy group ID",
)
GROUP_TOKEN = "<!subteam^{}>"
NO_GROUP = None
LIMIT = 40_000  # `text` is truncated past 40,000 characters
UNIT = "characters"
BULLET = "•"
DOCS = ("Slack", "member id `U…`", "user group `S…`", "40,000 characters")

# A whole Slack mention or link token (a user, a user group, a channel link) that a team
# lead wrote on purpose, e.g. `fallback: "<!subteam^S0123|@sre>"`: escaping it would break
# the ping. The one rule on every chat: the lead's text may ping people and groups, never
# the whole channel, so `<!here>`, `<!channel>` and `<!everyone>` are escaped like
# Mattermost's and Discord's @here/@channel/@all/@everyone and Teams' and Google Chat's
# `<users/all>`.
_SLACK_TOKEN = r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^<>]*)?>"


def escape(value: str) -> str:
    """Slack's three control characters, so a name like `R&D <ops>` shows as written."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user_text(value: str) -> str:
    """Escape user text, keeping whole Slack mention tokens the user wrote on purpose."""
    out: list[str] = []
    position = 0
    for match in re.finditer(_SLACK_TOKEN, value):
        out.append(escape(value[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(escape(value[position:]))
    return "".join(out)


url_text = user_text
handle_text = _escape.plain_handle


def mention(chat_id: str, name: str) -> str:
    return f"<@{chat_id}>"


def size(message: str, said: Said) -> int:
    return len(message)


def payload(message: str, said: Said) -> dict[str, Any]:
    return {"text": message}
