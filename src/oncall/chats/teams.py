"""Microsoft Teams, through a Workflows webhook ("Post to a channel when a webhook request is
received"): one Adaptive Card, a TextBlock per line, each `<at>` mention declared as an
entity by the user's sign-in address or Entra object id. Its webhooks mention users only;
tags can be mentioned by bots, not webhooks, so a group key is refused."""

from __future__ import annotations

from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import EMAIL, IdShape, Said

NAME = "teams"
TITLE = "Teams"
ORDER = 20
KEY = "teams"
PAGE = "teams.md"
_GUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
MEMBER_ID = IdShape(
    rf"(?:{EMAIL})|(?:{_GUID})",
    "a Teams user: the sign-in address (UPN, e.g. aiko@example.com) or the Entra object "
    "id (e.g. 8c5e2a4e-1b2c-4d3e-9f00-123456789abc)",
    "Microsoft Teams user for `<at>` mentions: sign-in address (UPN) or Entra "
    "object id (a GUID).",
)
GROUP_ID = None
GROUP_TOKEN = None
NO_GROUP = (
    "Teams webhooks (Workflows) mention users only; tags can be mentioned by bots, not webhooks"
)
LIMIT = 28_000  # a webhook message up to 28 KB, the whole card counted
UNIT = "bytes"
BULLET = "-"
DOCS = (
    "Microsoft Teams", "sign-in address or Entra object id", "**not possible** by webhook",
    "28 KB card",
)
ADAPTIVE_CARD_VERSION = "1.4"

# Names and alert text: no mention, and no Markdown link (`[x](http://evil)` renders as a
# link in a TextBlock and there is no escape for it). The lead's own text keeps its links.
escape = _escape.bracket_escape
user_text = _escape.angle_escape
url_text = _escape.angle_escape
handle_text = _escape.plain_handle


def mention(chat_id: str, name: str) -> str:
    return f"<at>{escape(name)}</at>"


def size(message: str, said: Said) -> int:
    import json  # Teams only: the card's JSON is what counts

    return len(json.dumps(payload(message, said), ensure_ascii=False).encode("utf-8"))


def payload(message: str, said: Said) -> dict[str, Any]:
    body = [{"type": "TextBlock", "text": line, "wrap": True} for line in message.split("\n")]
    entities = [
        {"type": "mention", "text": token, "mentioned": {"id": chat_id, "name": token[4:-5]}}
        for chat_id, token in said.people
    ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": ADAPTIVE_CARD_VERSION,
                    "body": body,
                    "msteams": {"width": "Full", "entities": entities},
                },
            }
        ],
    }
