"""The chat platforms a reminder or an alert is posted to: one module each.

Every module of this package whose name does not start with ``_`` is a chat platform that
follows ``oncall.chats._protocol.Chat``: the shape of its ids and their errors, how it
escapes a member's name and the lead's text, how it mentions a person and a group, its
size limit and how it counts it, and the body of its incoming webhook. This registry finds
them, so adding a platform means adding one module (and its tests and docs page): the
rotation-file keys (``oncall.io.chat_keys``), the `reminders.chat` and `remind --format`
choices and the table of docs/chat/README.md (``python -m oncall.chats``) are built from it.

A leaf: it imports nothing else of ``oncall``, so the model, the loader and the renderers
may all ask it. On the cron path: standard library only.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING

from oncall.chats._shapes import IdShape, Said

__all__ = ["BY_NAME", "NAMES", "PLATFORMS", "WITH_IDS", "IdShape", "Said", "chat", "docs_table"]

if TYPE_CHECKING:
    from oncall.chats._protocol import Chat


def _found() -> tuple[Chat, ...]:
    """The platform modules beside this file, in their ORDER."""
    names = sorted(
        entry[:-3]
        for entry in os.listdir(os.path.dirname(__file__))
        if entry.endswith(".py") and not entry.startswith("_")
    )
    modules: list[Chat] = [import_module(f"{__name__}.{name}") for name in names]
    return tuple(sorted(modules, key=lambda chat: (chat.ORDER, chat.NAME)))


PLATFORMS: tuple[Chat, ...] = _found()
# `reminders.chat` values: slack, teams, google-chat, mattermost, discord, text...
NAMES: tuple[str, ...] = tuple(chat.NAME for chat in PLATFORMS)
BY_NAME: dict[str, Chat] = {chat.NAME: chat for chat in PLATFORMS}
# The chats whose members have ids (each a `members[].KEY` key).
WITH_IDS: tuple[Chat, ...] = tuple(chat for chat in PLATFORMS if chat.MEMBER_ID is not None)


def chat(name: str) -> Chat:
    """The platform ``name`` (one of NAMES: the loader and the option parsers check it)."""
    return BY_NAME[name]


def docs_table() -> str:
    """The table of docs/chat/README.md: each chat with a page, how it mentions people and
    groups, and its size limit."""
    rows = [
        "| chat | page | people mentioned by | a group (fallback, escalation) | size limit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for platform in PLATFORMS:
        if platform.PAGE is None:
            continue
        title, people, groups, limit = platform.DOCS
        page = f"[{platform.PAGE}]({platform.PAGE})"
        rows.append(f"| {title} | {page} | {people} | {groups} | {limit} |")
    return "\n".join(rows) + "\n"
