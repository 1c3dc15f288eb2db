"""A `language: ja` rotation that cannot be planned is explained in Japanese: the header,
each reason and the relaxations that give a plan, from the planner's ``plan.`` words in
``oncall.words``; the English explanation of the same roster is unchanged."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.test_planner_forced import issue_roster
from tests.test_planner_forced import reasons as forced_reasons
from tests.test_planner_turns import parity_roster
from tests.test_planner_turns import reasons as turns_reasons

# Three people in two teams, pairs from different teams, min_gap 1: every two weekly shifts
# need four different people.
ROTATION = """\
rotation: team
timezone: Asia/Tokyo
language: {language}
window: {{days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}}
shift: {{length: 1w, handoff: mon, people: 2}}
term: {{start: 2027-01-04, end: 2027-01-29}}
rules: {{distinct_teams: required, min_gap: 1}}
members:
  - {{handle: aiko, name: Aiko Sato, team: payments}}
  - {{handle: ken, name: Ken Suzuki, team: payments}}
  - {{handle: taro, name: 田中 太郎, team: search}}
"""
NOW = "2026-12-01T09:00"


@pytest.fixture
def run(cli_process: Runner) -> Runner:
    return functools.partial(cli_process, env={"NO_COLOR": "1"})


def plan_impossible(run: Runner, tmp_path: Path, language: str) -> list[str]:
    (tmp_path / "rotations").mkdir()
    rotation = tmp_path / "rotations" / "team.yaml"
    rotation.write_text(ROTATION.format(language=language), encoding="utf-8")
    result = run("plan", "rotations/team.yaml", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "rotations").iterdir()) == ["team.yaml"]
    return result.stderr.splitlines()


def test_plan_of_an_impossible_japanese_rotation_explains_in_japanese(
    run: Runner, tmp_path: Path
):
    reason = (
        "min_gap 1 ではこの2シフトのうち2つを同じ人が担当できないため、4名の別々の人が"
        "必要ですが、担当できるのは3名だけです（aiko、ken、taro）"
    )
    assert plan_impossible(run, tmp_path, "ja") == [
        "oncall: team: ルールをすべて満たす計画はありません。何も書き込んでいません。",
        f"  - 2027-01-04..2027-01-17: {reason}",
        f"  - 2027-01-18..2027-01-29: {reason}",
    ]


def test_the_same_rotation_in_english_is_explained_as_before(run: Runner, tmp_path: Path):
    reason = (
        "with min_gap 1 nobody may serve two of these 2 shifts, so they need 4 different "
        "people, but only 3 can serve them (aiko, ken and taro)"
    )
    assert plan_impossible(run, tmp_path, "en") == [
        "oncall: team: the rules cannot all hold; nothing was written.",
        f"  - 2027-01-04..2027-01-17: {reason}",
        f"  - 2027-01-18..2027-01-29: {reason}",
    ]


def test_a_team_that_cannot_take_turns_is_explained_in_japanese(monkeypatch):
    from oncall.planner import budget

    monkeypatch.setattr(budget, "TOTAL_WORK", 0)  # the proof is counting, as in English
    assert turns_reasons(replace(parity_roster(), language="ja")) == [
        "2026-12-06 から 2026-12-13 まで、チーム small が毎日担当しなければなりません。"
        "2人組を別々のチームから組む必要があり、ほかのチームだけでは埋まりません"
        "（チーム ops の x はその期間担当できません）。min_gap 1 では、メンバー y、z は"
        "2日に1回しか交代で担当できません。しかも z は 2026-12-06、2026-12-13 を担当"
        "できません。min_gap 0、または distinct_teams: preferred なら計画できます"
    ]


def test_a_forced_member_and_the_least_relaxation_are_named_in_japanese():
    assert forced_reasons(replace(issue_roster(), language="ja")) == [
        "チーム ops のメンバーは x だけです。2人組を別々のチームから組む必要があるため、"
        "x が全65シフトを担当しなければなりませんが、max_shifts は 64 です。"
        "max_shifts 65、または distinct_teams: preferred なら計画できます"
    ]
