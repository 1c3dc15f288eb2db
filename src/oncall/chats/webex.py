"""Webex: an incoming webhook (Webex App Hub, "Incoming Webhooks") takes
``{"markdown": ...}``; `<@personEmail:ADDRESS|NAME>` pings a person and `<@all>` everyone in
the space. Its webhooks cannot mention a group, so a group key is refused. `<` and `>` in
any text become their full-width look-alikes, so no text forms a mention (`<@all>`); in
names and alert text `[` and `]` too, so a sender's `[x](http://evil)` is not a link."""

from __future__ import annotations

from typing import Any

from oncall.chats import _escape
from oncall.chats._shapes import IdShape, Said

NAME = "webex"
TITLE = "Webex"
ORDER = 60
KEY = "webex"
PAGE = "webex.md"
# An address, without what would end or split the mention token (`|`, `>`).
_ADDRESS = r"[^@\s<>,;:\"|]+@[^@\s<>,;:\"|]+\.[^@\s<>,;:\"|]+"
MEMBER_ID = IdShape(
    _ADDRESS,
    "a Webex user: the address they sign in to Webex with, e.g. aiko@example.com",
    "Webex sign-in address for `<@personEmail:...>` mentions.",
    "in Webex: the person's profile card shows it; a webhook cannot mention by name",
)
GROUP_ID = None
GROUP_TOKEN = None
NO_GROUP = "Webex webhooks mention one person (<@personEmail:...>) or everyone, never a group"
LIMIT = 7_439  # the Messages API's longest `markdown`, in bytes
UNIT = "bytes"
BULLET = "-"
DOCS = ("Webex", "sign-in address", "**not possible** by webhook", "7,439 bytes")

escape = _escape.bracket_escape
user_text = _escape.angle_escape
url_text = _escape.angle_escape
handle_text = _escape.plain_handle


def mention(chat_id: str, name: str) -> str:
    shown = escape(name).replace("|", "\uff5c")  # `|` would end the address
    return f"<@personEmail:{chat_id}|{shown}>"


def size(message: str, said: Said) -> int:
    return len(message.encode("utf-8"))


def payload(message: str, said: Said) -> dict[str, Any]:
    return {"markdown": message}
