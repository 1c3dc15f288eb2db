"""`plan --notify` and `swap --notify` through the real CLI, posting to a real local
webhook: one message mentioning only the people whose duty changed, with their old and new
days, in the rotation's language; a rotation without a webhook is refused with nothing
written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation
from tests.helpers.hook import Hook

NOW = "2027-01-04T12:00"


def with_webhook(root: Path, *, language: str = "en") -> Path:
    path = make_rotation(root, language=language)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("reminders:\n", "reminders:\n  webhook_url_env: APP_HOOK\n"),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("language, title, lost, gained", [
    ("en", "On-call duty changed in app:", "no longer on Wed 2027-01-06",
     "now on Wed 2027-01-06"),
    ("ja", "app のオンコール担当が変わりました:", "1月6日(水) は担当から外れました",
     "1月6日(水) が新しい担当日です"),
])
def test_swap_notify_mentions_only_the_two_people(cron_cli: Runner, tmp_path: Path,
                                                  language: str, title: str, lost: str,
                                                  gained: str):
    with_webhook(tmp_path, language=language)
    with Hook([]) as hook:
        result = cron_cli("swap", "--dates", "2027-01-06", "--out", "aiko", "--in", "raj",
                          "--notify", "--now", NOW, cwd=tmp_path, env={"APP_HOOK": hook.url})
    assert result.returncode == 0, result.stderr
    assert "told aiko, raj in app's chat" in result.stdout
    [posted] = hook.received
    text = str(posted["body"]["text"])  # type: ignore[index]
    lines = text.splitlines()
    assert lines[0] == title
    assert re.search(r"<@U0AIKO>.*" + re.escape(lost), text)
    assert "raj" in text and gained in text
    # ken and mei serve that day too, but their duty did not change: not mentioned.
    assert "ken" not in text and "mei" not in text


def test_plan_notify_tells_who_moved_after_a_leave(cron_cli: Runner, tmp_path: Path):
    path = with_webhook(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "{handle: ken,", "{handle: ken, unavailable: [2027-01-18..2027-01-22],", 1)
    path.write_text(text, encoding="utf-8")
    with Hook([]) as hook:
        result = cron_cli("plan", "--notify", "--now", NOW, cwd=tmp_path,
                          env={"APP_HOOK": hook.url})
        assert result.returncode == 0, result.stderr
        [posted] = hook.received
    body = str(posted["body"]["text"])  # type: ignore[index]
    assert body.startswith("On-call duty changed in app:")
    told = re.search(r"told (.*) in app's chat", result.stdout)
    assert told is not None
    for handle in told[1].split(", "):
        assert handle in body
    assert "ken" in told[1].split(", ")  # away the week of 2027-01-18 he held
    assert "aiko" not in told[1].split(", ")  # kept her shifts


def test_notify_without_a_webhook_is_refused_and_nothing_is_written(cron_cli: Runner,
                                                                    tmp_path: Path):
    make_rotation(tmp_path)
    schedule = tmp_path / "rotations" / "app.schedule.yaml"
    before = schedule.read_bytes()
    result = cron_cli("swap", "--dates", "2027-01-06", "--out", "aiko", "--in", "raj",
                      "--notify", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and "names no webhook" in result.stderr
    assert "app.yaml:" in result.stderr
    assert schedule.read_bytes() == before
    planned = cron_cli("plan", "--notify", "--now", NOW, cwd=tmp_path)
    assert planned.returncode == 2 and schedule.read_bytes() == before


def test_a_failed_notice_is_exit_4_and_says_the_change_was_written(cron_cli: Runner,
                                                                   tmp_path: Path):
    with_webhook(tmp_path)
    with Hook([500, 500]) as hook:
        result = cron_cli("swap", "--dates", "2027-01-06", "--out", "aiko", "--in", "raj",
                          "--notify", "--now", NOW, cwd=tmp_path, env={"APP_HOOK": hook.url})
    assert result.returncode == 4
    assert "the change was written, but its notice could not be posted" in result.stderr
    assert "recorded in" in result.stdout
