"""`reminders.chat` and `remind --format` for each chat: every target posts its own payload
to a local HTTP server (the Hook of test_remind), mentions members by their id for that
chat, names the others plainly, and escapes user text so a name cannot ping or forge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall.core.errors import InputError
from oncall.io.loading import load_rotation
from tests.helpers.daily import make_rotation
from tests.test_remind import Hook, Remind, hook, remind  # noqa: F401  (fixtures)

IDS = (
    "slack: U0AIKO, teams: aiko@example.com, google_chat: users/123456789012, "
    "mattermost: aiko.sato, discord: 123456789012345678,"
)
# Mei (the shadow on Monday 2027-01-04) has no chat id and a hostile name.
HOSTILE = 'Mei @everyone @here <!channel> <users/all> <at>Boss</at> *bold* [x](http://evil)'
MONDAY = ("--today", "--now", "2027-01-04T10:00")


def chat_workspace(root: Path, chat: str | None) -> Path:
    path = make_rotation(root)
    text = path.read_text(encoding="utf-8")
    text = text.replace("slack: U0AIKO,", IDS)
    text = text.replace("name: Mei Ito,", f"name: {HOSTILE!r},".replace("'", '"'))
    if chat is not None:
        text = text.replace("reminders:\n", f"reminders:\n  chat: {chat}\n")
    path.write_text(text, encoding="utf-8")
    return root


def post_one(remind: Remind, hook: Hook, root: Path, *args: str) -> dict:  # noqa: F811
    code, out, err = remind(root, *MONDAY, "--post", hook.url, *args)
    assert (code, out, err) == (0, "", "")
    assert len(hook.received) == 1
    sent = hook.received[0]
    assert str(sent["type"]).startswith("application/json")
    body = sent["body"]
    assert isinstance(body, dict)
    return body


def test_slack_is_the_default_and_unchanged(remind: Remind, hook: Hook, tmp_path: Path):  # noqa: F811
    root = chat_workspace(tmp_path, None)
    body = post_one(remind, hook, root)
    assert set(body) == {"text"}
    assert body["text"] == remind(root, *MONDAY, "--format", "slack")[1].rstrip("\n")
    assert "<@U0AIKO>" in body["text"]
    assert "&lt;!channel&gt;" in body["text"] and "<!channel>" not in body["text"]
    assert "Ken &lt;R&amp;D&gt; (@ken)" in body["text"]


def test_slack_chat_key_posts_the_same_as_the_default(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    explicit = post_one(remind, hook, chat_workspace(tmp_path / "a", "slack"))
    hook.received.clear()
    default = post_one(remind, hook, chat_workspace(tmp_path / "b", None))
    assert explicit == default


def test_teams_posts_an_adaptive_card_with_mention_entities(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    body = post_one(remind, hook, chat_workspace(tmp_path, "teams"))
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"] and all(
        block["type"] == "TextBlock" and isinstance(block["text"], str) and block["wrap"]
        for block in card["body"]
    )
    text = "\n".join(block["text"] for block in card["body"])
    entities = card["msteams"]["entities"]
    assert entities == [
        {
            "type": "mention",
            "text": "<at>Aiko Sato</at>",
            "mentioned": {"id": "aiko@example.com", "name": "Aiko Sato"},
        }
    ]
    assert "<at>Aiko Sato</at>" in text
    # The hostile name forges no mention and no markup: no '<' or '>' of its own survives.
    assert "<at>Boss</at>" not in text and "\uff1cat\uff1eBoss" in text
    assert re.findall(r"<[^>]*>", text) == ["<at>", "</at>"]
    assert "Ken \uff1cR&D\uff1e (@ken)" in text


def test_google_chat_mentions_users_and_defuses_users_all(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    body = post_one(remind, hook, chat_workspace(tmp_path, "google-chat"))
    assert set(body) == {"text"}
    text = body["text"]
    assert "<users/123456789012>" in text
    assert "<users/all>" not in text and "<!channel>" not in text
    assert re.findall(r"<[^>]*>", text) == ["<users/123456789012>"]


def test_mattermost_mentions_usernames_and_nobody_else(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    body = post_one(remind, hook, chat_workspace(tmp_path, "mattermost"))
    assert set(body) == {"text"}
    text = body["text"]
    assert "@aiko.sato" in text
    # In names every other '@' is followed by a zero-width space (no @everyone, @here, @ken);
    # the lead's fallback names the SRE group on purpose.
    mentions = re.findall(r"@[\w.-]+", text)
    assert mentions == ["@aiko.sato", "@sre-oncall"]
    assert "\\*bold\\*" in text and "\\[x\\]" in text


def test_discord_allows_only_the_people_on_duty(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    body = post_one(remind, hook, chat_workspace(tmp_path, "discord"))
    assert set(body) == {"content", "allowed_mentions"}
    assert body["allowed_mentions"] == {"parse": [], "users": ["123456789012345678"]}
    content = body["content"]
    assert "<@123456789012345678>" in content
    assert "@everyone" not in content and "@here" not in content
    assert "@\u200beveryone" in content
    assert len(content) <= 2000


def test_lead_text_never_pings_the_whole_channel(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = chat_workspace(tmp_path, "mattermost")
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8").replace('"@sre-oncall"', '"@channel or @sre"')
    path.write_text(text, encoding="utf-8")
    body = post_one(remind, hook, root)
    assert "@\u200bchannel or @sre" in body["text"]


def test_text_chat_posts_plain_text(remind: Remind, hook: Hook, tmp_path: Path):  # noqa: F811
    body = post_one(remind, hook, chat_workspace(tmp_path, "text"))
    assert set(body) == {"text"}
    # Plain text pings nobody, whichever chat the webhook belongs to (see unping).
    assert "Aiko Sato (@\u200baiko)" in body["text"] and "U0AIKO" not in body["text"]


def test_format_overrides_the_rotation_chat(remind: Remind, hook: Hook, tmp_path: Path):  # noqa: F811
    body = post_one(remind, hook, chat_workspace(tmp_path, "slack"), "--format", "discord")
    assert set(body) == {"content", "allowed_mentions"}


@pytest.mark.parametrize("chat", ["teams", "google-chat", "mattermost", "discord"])
def test_format_prints_the_chat_text(remind: Remind, tmp_path: Path, chat: str):  # noqa: F811
    code, out, _ = remind(chat_workspace(tmp_path, None), *MONDAY, "--format", chat)
    assert code == 0 and out.startswith("On call today")
    assert "@everyone" not in out or chat in ("teams", "google-chat")


def test_bad_chat_is_an_error_with_its_place(tmp_path: Path):
    root = chat_workspace(tmp_path, "typetalk")
    with pytest.raises(InputError) as caught:
        load_rotation(root / "rotations" / "app.yaml")
    assert "app.yaml:" in str(caught.value) and "slack, teams" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("discord", "12345", "Discord user id"),
        ("discord", '"<@&123456789012345678>"', "Discord user id"),
        ("google_chat", "users/all", "Google Chat user id"),
        ("google_chat", "aiko@example.com", "Google Chat user id"),
        ("mattermost", "all", "Mattermost username"),
        ("mattermost", "Aiko Sato", "Mattermost username"),
        ("teams", "aiko", "Teams user"),
        ("teams", "8c5e2a4e-1b2c-4d3e-9f00", "Teams user"),
    ],
)
def test_member_ids_are_checked_for_their_shape(
    tmp_path: Path, key: str, value: str, expected: str
):
    path = make_rotation(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "{handle: raj,", f"{{handle: raj, {key}: {value},"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    message = str(caught.value)
    assert expected in message
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "handle: raj" in row)
    assert f"app.yaml:{line}:" in message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("discord", "123456789012345678"),
        ("google_chat", "users/123456789012"),
        ("mattermost", "raj.patel"),
        ("teams", "raj@example.com"),
        ("teams", "8C5E2A4E-1B2C-4D3E-9F00-123456789ABC"),
    ],
)
def test_good_member_ids_load(tmp_path: Path, key: str, value: str):
    path = make_rotation(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "{handle: raj,", f"{{handle: raj, {key}: {value},"
    )
    path.write_text(text, encoding="utf-8")
    raj = load_rotation(path).by_handle["raj"]
    assert raj.chat_id(key.replace("_", "-")) == value
