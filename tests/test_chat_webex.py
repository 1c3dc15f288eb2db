"""Webex, the seventh chat target, written only in `oncall/chats/webex.py`: `remind --post`
sends its incoming webhook's `{"markdown": ...}` body to a real local HTTP server,
mentioning members by their sign-in address and nobody else; its ids are checked, its
group keys refused, its crontab runs, alerts reach it worded like the others, and a long
reminder stays under its 7,439-byte limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall.chats import webex
from oncall.core import alerts
from oncall.core.errors import InputError
from oncall.io.loading import load_rotation
from oncall.render import alerts as words
from tests.helpers.relay import notification
from tests.test_chat_docs import PAGES, WHEN, crontab_calls
from tests.test_chat_escaping import HOSTILE as ALERT_TEXT
from tests.test_chat_escaping import _duty
from tests.test_chat_limits import NEXT, long_checklist
from tests.test_chat_targets import HOSTILE, MONDAY, chat_workspace
from tests.test_remind import Hook, Remind, hook, remind  # noqa: F401  (fixtures)

AIKO = "aiko@example.com"


def webex_workspace(root: Path) -> Path:
    """The chat targets' workspace (Mei has a hostile name and no id) with Aiko's Webex
    address, posting to Webex."""
    chat_workspace(root, "webex")
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("slack: U0AIKO,", f"slack: U0AIKO, webex: {AIKO},"), "utf-8")
    return root


def test_webex_posts_markdown_mentioning_only_the_people_on_duty(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = webex_workspace(tmp_path)
    code, out, err = remind(root, *MONDAY, "--post", hook.url)
    assert (code, out, err) == (0, "", "")
    (sent,) = hook.received
    assert str(sent["type"]).startswith("application/json")
    body = sent["body"]
    assert isinstance(body, dict) and set(body) == {"markdown"}
    text = body["markdown"]
    assert text == remind(root, *MONDAY, "--format", "webex")[1].rstrip("\n")
    assert f"<@personEmail:{AIKO}|Aiko Sato>" in text
    # Mei's name (`<!channel>`, `<users/all>`, `<at>`, a link) forms no token and no link.
    assert re.findall(r"<[^>]*>", text) == [f"<@personEmail:{AIKO}|Aiko Sato>"]
    assert "[x](http://evil)" not in text and "\uff3bx\uff3d(http://evil)" in text
    assert "Mei @everyone" in text and HOSTILE not in text


def test_the_leads_text_cannot_mention_everyone(tmp_path: Path):
    duty = _duty(tmp_path, "2027-01-05T18:00", ('fallback: "@sre-oncall"',
                                                'fallback: "<@all> [runbook](https://x.example)"'))
    text = words.render(alerts.parse(notification(), "alertmanager"), duty, "webex")  # type: ignore[arg-type]
    assert "<@all>" not in text and "\uff1c@all\uff1e" in text
    assert "[runbook](https://x.example)" in text  # the lead's own link stays a link


def test_an_alert_mentions_the_people_on_duty_and_escapes_the_sender(tmp_path: Path):
    inside = _duty(tmp_path, "2027-01-05T11:00", ("slack: U0AIKO,", f"webex: {AIKO},"))
    group = alerts.parse(notification(name=ALERT_TEXT, summary=ALERT_TEXT), "alertmanager")  # type: ignore[arg-type]
    body = words.payload(group, inside, "webex")
    assert set(body) == {"markdown"}
    text = body["markdown"]
    assert re.findall(r"<[^>]*>", text) == [f"<@personEmail:{AIKO}|Aiko Sato>"]
    assert "[x](http://evil)" not in text


def test_a_name_cannot_break_out_of_its_mention():
    assert webex.mention(AIKO, "A|B <x>") == f"<@personEmail:{AIKO}|A\uff5cB \uff1cx\uff1e>"


@pytest.mark.parametrize(
    "value", ["aiko", "aiko@example", "a|b@example.com", "<@all>", "aiko@example.com>"]
)
def test_a_webex_id_must_be_an_address(tmp_path: Path, value: str):
    root = webex_workspace(tmp_path)
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8").replace(f"webex: {AIKO},", f'webex: "{value}",')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    assert "app.yaml:" in str(caught.value) and "expected a Webex user" in str(caught.value)


def test_a_good_webex_id_loads(tmp_path: Path):
    root = webex_workspace(tmp_path)
    aiko = load_rotation(root / "rotations" / "app.yaml").by_handle["aiko"]
    assert aiko.chat_id("webex") == AIKO


@pytest.mark.parametrize("key", ["fallback_group", "escalation_group"])
def test_a_webex_group_is_refused_at_load(tmp_path: Path, key: str):
    root = webex_workspace(tmp_path)
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "reminders:\n", f"{key}:\n  webex: sre@example.com\nreminders:\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    assert "found a Webex group id, expected none" in str(caught.value)


def test_the_webex_page_crontab_posts_at_10_and_17(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = webex_workspace(tmp_path)
    calls = crontab_calls(PAGES["webex"])
    assert [call[0] for call in calls] == ["--today", "--next"]
    for call in calls:
        file = call[call.index("--post-url-file") + 1]
        secret = tmp_path / Path(file).name
        secret.write_text(hook.url + "\n", encoding="utf-8")
        args = [secret.as_posix() if arg == file else arg for arg in call]
        assert remind(root, *args, "--now", WHEN[call[0]]) == (0, "", "")
    assert [set(sent["body"]) for sent in hook.received] == [{"markdown"}, {"markdown"}]


def test_a_long_reminder_stays_under_the_webex_limit(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = long_checklist(tmp_path, "webex", 300, "監視ダッシュボードを確認する" * 4)
    assert remind(root, *NEXT, "--post", hook.url) == (0, "", "")
    text = hook.received[0]["body"]["markdown"]
    assert len(text.encode("utf-8")) <= 7439
    assert "Outside the window: " in text and "more lines left out" in text
