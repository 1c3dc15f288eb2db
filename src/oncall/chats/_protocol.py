"""The protocol every chat module follows (read by type checkers only: the cron path never
imports ``typing``). A chat module is a module of ``oncall.chats`` whose name does not
start with ``_``; ``oncall.chats`` finds it, so adding a chat means adding one module."""

from __future__ import annotations

from typing import Any, Protocol

from oncall.chats._shapes import IdShape, Said


class Chat(Protocol):
    """One chat platform an incoming webhook posts to."""

    NAME: str  # `reminders.chat` and `remind --format`: slack, google-chat...
    TITLE: str  # as people write it: Slack, Google Chat
    ORDER: int  # where it stands in lists, docs and --format choices
    KEY: str | None  # the rotation-file key of its ids (members[].KEY, *_group.KEY)
    PAGE: str | None  # its page in docs/chat/
    MEMBER_ID: IdShape | None  # a member's id; None: it mentions nobody
    GROUP_ID: IdShape | None  # a group's id (fallback_group, escalation_group)
    GROUP_TOKEN: str | None  # the token that pings the group with id {}
    NO_GROUP: str | None  # why its webhooks cannot mention a group: the key is refused
    LIMIT: int | None  # the longest message it takes, in UNIT; None: never cut
    UNIT: str  # characters or bytes
    BULLET: str  # a list item's mark
    # docs/chat/README.md's row: its name there, how people and a group are mentioned, limit
    DOCS: tuple[str, str, str, str]

    def escape(self, value: str) -> str:
        """A member's name, or text from a sender we do not control: pings nobody."""

    def user_text(self, value: str) -> str:
        """The lead's own text: may ping people and groups, never the whole channel."""

    def url_text(self, value: str) -> str:
        """A link the lead wrote (the manual), kept clickable."""

    def mention(self, chat_id: str, name: str) -> str:
        """The token that pings the member with ``chat_id`` (``name`` as written)."""

    def handle_text(self, handle: str) -> str:
        """A member without an id, named by handle as plain text (`@ken`)."""

    def size(self, message: str, said: Said) -> int:
        """How long ``message`` is as the chat counts it against LIMIT."""

    def payload(self, message: str, said: Said) -> dict[str, Any]:
        """The JSON body of its incoming webhook for any message (a reminder, an alert, a
        notice), declaring the mentions ``said`` collected and no others."""
