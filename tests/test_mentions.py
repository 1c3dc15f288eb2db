"""`validate` says who on duty the chat target cannot mention, where ids are in use, and
`--require-mentions` makes it an error for CI."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.daily import make_rotation

NOW = ("--now", "2027-01-04T09:00")


def test_members_on_duty_without_an_id_are_a_warning(cli, tmp_path: Path):
    make_rotation(tmp_path)  # aiko and taro have slack ids, the others do not
    result = cli("validate", *NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "have no `slack` id: reminders name them in plain text" in result.stdout
    assert "[mentions]" in result.stdout and "aiko" not in result.stdout.split("warning: ")[1]


def test_require_mentions_turns_it_into_an_error(cli, tmp_path: Path):
    make_rotation(tmp_path)
    result = cli("validate", "--require-mentions", *NOW, cwd=tmp_path)
    assert result.returncode == 1
    assert "[mentions]" in result.stdout


def test_nobody_is_warned_where_no_ids_are_in_use_or_the_target_is_text(cli, tmp_path: Path):
    rotation = make_rotation(tmp_path)
    text = rotation.read_text(encoding="utf-8")
    rotation.write_text(text.replace("slack: U0AIKO, ", "").replace("slack: U0TARO, ", ""),
                        encoding="utf-8")
    assert "[mentions]" not in cli("validate", *NOW, cwd=tmp_path).stdout
    rotation.write_text(text.replace("reminders:\n", "reminders:\n  chat: text\n"),
                        encoding="utf-8")
    assert "[mentions]" not in cli("validate", *NOW, cwd=tmp_path).stdout


def test_plan_says_whom_the_chat_cannot_mention(cli, tmp_path: Path):
    rotation = make_rotation(tmp_path)
    (tmp_path / "rotations" / "app.schedule.yaml").unlink()
    result = cli("plan", str(rotation.relative_to(tmp_path)), "--dry-run",
                 "--now", "2026-12-01T09:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Warnings:" in result.stdout and "[mentions]" in result.stdout
