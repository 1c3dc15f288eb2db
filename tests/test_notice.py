"""`rules.notice` through the real CLI: a re-plan keeps the shifts that start within the
notice as people were told, says so, and names `--inside-notice` where a kept shift now
breaks a rule; `--inside-notice` re-plans them too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

NOW = "2027-01-04T12:00"


def with_notice(root: Path, notice: str = "14d", taro_away: str | None = None) -> Path:
    path = make_rotation(root)
    text = path.read_text(encoding="utf-8").replace(
        "  min_gap: 1\n", f"  min_gap: 1\n  notice: {notice}\n"
    )
    if taro_away:
        text = text.replace("{handle: taro,", f"{{handle: taro, unavailable: [{taro_away}],", 1)
    path.write_text(text, encoding="utf-8")
    return root / "rotations" / "app.schedule.yaml"


def shifts(root: Path) -> dict[str, list[str]]:
    import yaml

    data = yaml.safe_load((root / "rotations" / "app.schedule.yaml").read_text(encoding="utf-8"))
    return {str(s["start"]): s["primary"] for s in data["shifts"]}


def test_a_replan_keeps_the_shifts_within_the_notice(cli: Runner, tmp_path: Path):
    with_notice(tmp_path, taro_away="2027-01-26")  # a change after the notice
    before = shifts(tmp_path)
    result = cli("plan", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["notice"] == {"days": 14, "until": "2027-01-18", "kept_shifts": 2}
    after = shifts(tmp_path)
    assert after["2027-01-04"] == before["2027-01-04"]
    assert after["2027-01-11"] == before["2027-01-11"]
    assert "taro" not in after["2027-01-25"]
    text = cli("plan", "--dry-run", "--now", NOW, cwd=tmp_path).stdout
    assert "Notice (14 days): 2 shift(s) starting before 2027-01-18 kept" in text


def test_a_kept_shift_that_breaks_a_rule_names_inside_notice(cli: Runner, tmp_path: Path):
    schedule = with_notice(tmp_path, taro_away="2027-01-12")  # taro holds 2027-01-11..
    before = schedule.read_bytes()
    refused = cli("plan", "--now", NOW, cwd=tmp_path)
    assert refused.returncode == 3
    assert "starts within rules.notice (14 days), so plan keeps it" in refused.stderr
    assert "oncall plan --from 2027-01-11 --inside-notice" in refused.stderr
    assert schedule.read_bytes() == before
    inside = cli("plan", "--inside-notice", "--now", NOW, cwd=tmp_path)
    assert inside.returncode == 0, inside.stderr
    assert "taro" not in shifts(tmp_path)["2027-01-11"]
    assert "Notice (" not in inside.stdout


@pytest.mark.parametrize("notice, expected", [
    ("40d", "longer than the term"),
    ("soon", "expected a notice such as 14d or 2w"),
])
def test_bad_notice_is_exit_2_and_writes_nothing(cli: Runner, tmp_path: Path, notice: str,
                                                 expected: str):
    schedule = with_notice(tmp_path, notice=notice)
    before = schedule.read_bytes()
    result = cli("plan", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "app.yaml:" in result.stderr
    assert schedule.read_bytes() == before
