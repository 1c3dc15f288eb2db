"""`fallback_group` and `escalation_group`: the lead's fallback and escalation text ping a
group in each chat's own syntax (Slack user group, Discord role allowed by
`allowed_mentions.roles`, Mattermost custom group), posted to a local server; Teams and
Google Chat webhooks cannot mention a group, so a group id for them is refused at load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall.core.errors import InputError
from oncall.io.loading import load_rotation
from tests.test_chat_targets import MONDAY, chat_workspace, post_one
from tests.test_remind import Hook, Remind, hook, remind  # noqa: F401  (fixtures)

ROLE = "223456789012345678"
GROUPS = f"""\
fallback_group:
  slack: S0SRE123
  discord: "{ROLE}"
  mattermost: sre-oncall
escalation_group:
  slack: S0LEADS
"""


def group_workspace(root: Path, chat: str, groups: str = GROUPS) -> Path:
    chat_workspace(root, chat)
    path = root / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('fallback: "@sre-oncall"\n', f'fallback: "SRE on call"\n{groups}')
    path.write_text(text, encoding="utf-8")
    return root


def test_slack_pings_the_user_groups(remind: Remind, hook: Hook, tmp_path: Path):  # noqa: F811
    text = post_one(remind, hook, group_workspace(tmp_path, "slack"))["text"]
    assert "Outside the window: <!subteam^S0SRE123> SRE on call" in text
    assert "Escalation: <!subteam^S0LEADS> Escalate to SRE after 30 minutes" in text
    assert re.findall(r"<!subteam\^\w+>", text) == ["<!subteam^S0LEADS>", "<!subteam^S0SRE123>"]


def test_discord_allows_exactly_the_fallback_role(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    body = post_one(remind, hook, group_workspace(tmp_path, "discord"))
    assert f"Outside the window: <@&{ROLE}> SRE on call" in body["content"]
    assert body["allowed_mentions"] == {
        "parse": [],
        "users": ["123456789012345678"],
        "roles": [ROLE],
    }


def test_discord_without_a_role_allows_none(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    root = group_workspace(tmp_path, "discord", "fallback_group:\n  slack: S0SRE123\n")
    body = post_one(remind, hook, root)
    assert "roles" not in body["allowed_mentions"]
    assert "<@&" not in body["content"] and "Outside the window: SRE on call" in body["content"]


def test_mattermost_pings_the_custom_group(
    remind: Remind, hook: Hook, tmp_path: Path  # noqa: F811
):
    text = post_one(remind, hook, group_workspace(tmp_path, "mattermost"))["text"]
    assert "Outside the window: @sre-oncall SRE on call" in text
    assert re.findall(r"@[\w.-]+", text) == ["@aiko.sato", "@sre-oncall"]


@pytest.mark.parametrize("chat", ["teams", "google-chat", "text"])
def test_chats_without_group_mentions_show_the_text(
    remind: Remind, hook: Hook, tmp_path: Path, chat: str  # noqa: F811
):
    body = post_one(remind, hook, group_workspace(tmp_path, chat))
    text = str(body)
    assert "SRE on call" in text and "S0SRE123" not in text and ROLE not in text


def test_japanese_fallback_pings_the_group(remind: Remind, tmp_path: Path):  # noqa: F811
    root = group_workspace(tmp_path, "slack")
    path = root / "rotations" / "app.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: ja"))
    code, out, _ = remind(root, *MONDAY, "--format", "slack")
    assert code == 0 and "時間外は <!subteam^S0SRE123> SRE on call が対応します。" in out


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("fallback_group:\n  teams: sre@example.com\n", "Teams webhooks (Workflows) mention"),
        ("fallback_group:\n  google_chat: spaces/AAA\n", "Google Chat webhooks mention one user"),
        ("fallback_group:\n  slack: U0AIKO\n", "Slack user group id"),
        ("fallback_group:\n  slack: '!channel'\n", "Slack user group id"),
        ("fallback_group:\n  discord: '<@&223456789012345678>'\n", "Discord role id"),
        ("fallback_group:\n  mattermost: channel\n", "Mattermost group mention name"),
        ("escalation_group:\n  mattermost: all\n", "Mattermost group mention name"),
        ("fallback_group:\n  slak: S0SRE\n", "did you mean 'slack'?"),
    ],
)
def test_group_ids_are_checked_at_load(tmp_path: Path, groups: str, expected: str):
    root = group_workspace(tmp_path, "slack", groups)
    path = root / "rotations" / "app.yaml"
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    message = str(caught.value)
    assert expected in message
    rows = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(rows, 1) if row.endswith("_group:")) + 1
    assert f"app.yaml:{line}:" in message


def test_a_group_needs_its_text(tmp_path: Path):
    root = group_workspace(tmp_path, "slack")
    path = root / "rotations" / "app.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('fallback: "SRE on call"\n', ""))
    with pytest.raises(InputError) as caught:
        load_rotation(path)
    assert "found fallback_group without fallback" in str(caught.value)


def test_validate_warns_about_a_group_without_an_id_for_the_rotations_chat(
    cli, tmp_path: Path
) -> None:
    root = group_workspace(tmp_path, "discord", "fallback_group:\n  slack: S0SRE123\n")
    ran = cli("validate", "--now", "2027-01-04T09:00", cwd=root)
    assert ran.returncode == 0, ran.stdout
    assert "fallback_group has no `discord` id" in ran.stdout
    strict = cli("validate", "--require-mentions", "--now", "2027-01-04T09:00", cwd=root)
    assert strict.returncode == 1
    both = group_workspace(tmp_path / "both", "discord")
    assert "fallback_group has no" not in cli("validate", cwd=both).stdout
