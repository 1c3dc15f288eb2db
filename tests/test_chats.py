"""`oncall.chats`: one module per chat platform, found by the registry. Every module keeps
the protocol (``oncall.chats._protocol.Chat``), and what lists the platforms (the rotation
file's keys, `reminders.chat`, `remind --format`, the docs table) is built from them."""

from __future__ import annotations

import typing

import pytest

from oncall import chats
from oncall.chats._protocol import Chat
from oncall.cli.cronargs import REMIND_FORMATS
from oncall.core.model import CHAT_TARGETS
from oncall.io.keys import ROTATION_KEYS
from oncall.io.roster_csv import COLUMNS
from oncall.render import chat_limits

MEMBERS = typing.get_type_hints(Chat)  # the constants; the functions are Chat's methods
FUNCTIONS = [name for name, value in vars(Chat).items()
             if callable(value) and not name.startswith("_")]


def test_the_first_chats_keep_their_order_and_plain_text_comes_last():
    assert chats.NAMES[:5] == ("slack", "teams", "google-chat", "mattermost", "discord")
    assert chats.NAMES[-1] == "text"


@pytest.mark.parametrize("platform", chats.PLATFORMS, ids=lambda chat: chat.NAME)
def test_each_module_keeps_the_protocol(platform: Chat):
    for name in MEMBERS:
        assert hasattr(platform, name), (platform.NAME, name)
    for name in FUNCTIONS:
        assert callable(getattr(platform, name)), (platform.NAME, name)
    assert (platform.KEY is None) == (platform.MEMBER_ID is None)
    assert (platform.GROUP_ID is None) == (platform.GROUP_TOKEN is None)
    assert platform.GROUP_ID is None or platform.NO_GROUP is None
    said = chats.Said()
    body = platform.payload("hello", said)
    assert isinstance(body, dict) and body
    assert platform.size("hello", said) >= len("hello")


def test_names_keys_and_orders_are_unique():
    assert len(set(chats.NAMES)) == len(chats.NAMES)
    keys = [chat.KEY for chat in chats.WITH_IDS]
    assert len(set(keys)) == len(keys)
    assert len({chat.ORDER for chat in chats.PLATFORMS}) == len(chats.PLATFORMS)


def test_the_lists_of_chats_are_built_from_the_registry():
    assert CHAT_TARGETS == chats.NAMES
    markups = [name for name in chats.NAMES if name != "text"]
    assert ("text", *markups, "json") == REMIND_FORMATS
    names = {key.path for key in ROTATION_KEYS.keys}
    for chat in chats.WITH_IDS:
        assert f"members[].{chat.KEY}" in names and chat.KEY in COLUMNS
        for group in ("fallback_group", "escalation_group"):
            grouped = chat.GROUP_ID is not None or chat.NO_GROUP is not None
            assert (f"{group}.{chat.KEY}" in names) == grouped
    assert set(chat_limits.LIMITS) == {c.NAME for c in chats.PLATFORMS if c.LIMIT is not None}


def test_an_id_of_the_right_shape_that_pings_everyone_is_refused():
    from oncall.chats import mattermost

    assert mattermost.MEMBER_ID.read(" @aiko.sato ") == "aiko.sato"
    assert mattermost.MEMBER_ID.read("channel") is None
    assert mattermost.GROUP_ID.read("@all") is None
