"""The rotation-file keys that name chat ids, built from the chat modules (``oncall.chats``):
each member's id on each chat, and the group the fallback or escalation text mentions.
Kept apart from ``oncall.io.keys`` (which splices them into the rotation table) because
every chat adds one of each.

A chat whose webhooks can mention users but no group (Teams: UPN or Entra id; Google Chat:
``users/ID`` or everyone) has a group key only to refuse it at load: a reminder that seems
to page SRE but pings nobody is worse than none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yaml.nodes import Node

from oncall import chats
from oncall.io.readers import no_group, text
from oncall.io.schema import Key
from oncall.io.yamlsafe import At

if TYPE_CHECKING:
    from oncall.chats import IdShape
    from oncall.io.readers import Reader


def id_reader(shape: IdShape) -> Reader:
    """The reader of one kind of chat id: one line of text with ``shape``, else the error
    every chat id reader gives, at its place."""

    def read(node: Node, at: At) -> str:
        value = text(node, at).strip()
        found = shape.read(value)
        if found is None:
            raise at.error(node, f"found {value!r}, expected {shape.expected}", hint=shape.hint)
        return found

    return read


# `members[].KEY` per chat whose members have ids (also the `init --from-csv` columns).
MEMBER_ID_READERS: dict[str, Reader] = {
    chat.KEY: id_reader(chat.MEMBER_ID)
    for chat in chats.WITH_IDS
    if chat.KEY is not None and chat.MEMBER_ID is not None
}

MEMBER_CHAT_KEYS = tuple(
    Key(f"members[].{chat.KEY}", "text", chat.MEMBER_ID.doc, id_reader(chat.MEMBER_ID),
        default_doc="none")
    for chat in chats.WITH_IDS
    if chat.KEY is not None and chat.MEMBER_ID is not None
)


def group_keys(name: str, text_key: str) -> tuple[Key, ...]:
    """``fallback_group`` or ``escalation_group``: the group ``text_key``'s text pings."""
    keys = [
        Key(
            name,
            "mapping",
            f"The chat group to mention before the `{text_key}` text, by its id on each "
            f"chat (needs `{text_key}`). A chat without an id here shows the text only.",
        )
    ]
    for chat in chats.WITH_IDS:
        if chat.GROUP_ID is not None:
            keys.append(Key(f"{name}.{chat.KEY}", "text", chat.GROUP_ID.doc,
                            id_reader(chat.GROUP_ID), default_doc="none"))
    for chat in chats.WITH_IDS:
        if chat.GROUP_ID is None and chat.NO_GROUP is not None:
            keys.append(Key(
                f"{name}.{chat.KEY}",
                "(refused)",
                f"Refused: {chat.TITLE} webhooks cannot mention a group.",
                no_group(chat.TITLE, chat.NO_GROUP),
                default_doc="none",
            ))
    return tuple(keys)
