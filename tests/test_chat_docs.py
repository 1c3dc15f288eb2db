"""docs/chat/: each chat's page gives a crontab whose reminder commands work as written,
posting that chat's payload (to a local server standing in for the webhook), and a group
key the page calls impossible is refused at load."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from oncall import chats
from tests.test_chat_targets import chat_workspace
from tests.test_remind import Hook, Remind, hook, remind  # noqa: F401  (fixtures)

DOCS = Path(__file__).resolve().parent.parent / "docs" / "chat"
# Every chat with a page (from the registry, so a new chat's page is run here too).
PAGES = {chat.NAME: chat.PAGE.removesuffix(".md") for chat in chats.PLATFORMS if chat.PAGE}
SIX = ("slack", "teams", "google-chat", "mattermost", "discord")  # the first chats' bodies
WHEN = {"--today": "2027-01-05T10:00", "--next": "2027-01-08T17:00"}


def crontab_calls(page: str) -> list[list[str]]:
    text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    block = re.search(r"```crontab\n(.*?)```", text, re.S)
    assert block, f"{page}.md has no crontab"
    calls = []
    for line in block.group(1).splitlines():
        if line.startswith("#") or "oncall remind" not in line:
            continue
        fields = line.split(None, 5)
        assert fields[:5] in (["0", "10", "*", "*", "1-5"], ["0", "17", "*", "*", "1-5"])
        command = fields[5].split("&& ", 1)[1]
        calls.append(shlex.split(command)[2:])  # after ".../oncall remind"
    return calls


@pytest.mark.parametrize("chat", sorted(PAGES))
def test_each_page_crontab_posts_at_10_and_17(
    remind: Remind, hook: Hook, tmp_path: Path, chat: str  # noqa: F811
):
    root = chat_workspace(tmp_path, chat)
    calls = crontab_calls(PAGES[chat])
    assert [call[0] for call in calls] == ["--today", "--next"]
    for call in calls:
        file = call[call.index("--post-url-file") + 1]
        secret = tmp_path / Path(file).name
        secret.write_text(hook.url + "\n", encoding="utf-8")
        args = [secret.as_posix() if arg == file else arg for arg in call]
        code, out, err = remind(root, *args, "--now", WHEN[call[0]])
        assert (code, out, err) == (0, "", "")
    assert len(hook.received) == 2
    body = hook.received[0]["body"]
    expected = {"teams": {"type", "attachments"}, "discord": {"content", "allowed_mentions"}}
    if chat in SIX:
        assert set(body) == expected.get(chat, {"text"})
    else:  # a later chat: the body its module builds (its own tests check the fields)
        assert set(body) == set(chats.chat(chat).payload("x", chats.Said()))


def test_the_readme_table_is_generated_from_the_chat_modules():
    """docs/chat/README.md's table is `python -m oncall.chats`: one row per chat module."""
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    assert chats.docs_table() in text
    assert set(PAGES) >= set(SIX)


@pytest.mark.parametrize("chat", sorted(PAGES))
def test_each_chat_module_has_its_page(chat: str):
    assert (DOCS / f"{PAGES[chat]}.md").is_file()


@pytest.mark.parametrize("page", ["teams", "google-chat"])
def test_pages_say_groups_are_impossible_where_load_refuses_them(page: str):
    text = (DOCS / f"{page}.md").read_text(encoding="utf-8")
    assert "**Groups: not possible.**" in text and "refused" in text
