"""Soft wishes (``members[].prefers_not``) through the real CLI: kept when this costs
no fairness, counted in the summary (text and JSON) with whose were broken, and a wish
in the wrong form is exit 2 at file:line:column with nothing written."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.helpers.cli import Runner

NOW = "2027-01-20T09:00"

ROTATION = """\
rotation: desk
timezone: UTC
window:
  days: [mon, tue, wed, thu, fri]
  start: "09:00"
  end: "17:00"
shift:
  length: 1d
  people: 1
term:
  start: 2027-02-01
  end: 2027-02-26
rules:
  distinct_teams: off
members:
  - {{handle: aiko, team: a{aiko}}}
  - {{handle: bob, team: b{bob}}}
"""


def write(root: Path, aiko: str = "", bob: str = "") -> Path:
    (root / "rotations").mkdir(exist_ok=True)
    path = root / "rotations" / "desk.yaml"
    path.write_text(ROTATION.format(aiko=aiko, bob=bob), encoding="utf-8")
    return path


def held(root: Path) -> dict[str, list[date]]:
    data = yaml.safe_load((root / "rotations" / "desk.schedule.yaml").read_text("utf-8"))
    out: dict[str, list[date]] = {}
    for shift in data["shifts"]:
        for handle in shift["primary"]:
            out.setdefault(handle, []).append(shift["start"])
    return out


def test_a_free_wish_is_kept_and_counted(cli: Runner, tmp_path: Path):
    write(tmp_path, aiko=", prefers_not: [fri]")
    result = cli("plan", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["wishes"] == {"kept": 4, "broken": 0, "broken_by": {}}
    assert found["fairness"]["spread"] == 0
    days = held(tmp_path)
    assert [d for d in days["aiko"] if d.weekday() == 4] == []
    assert len(days["aiko"]) == len(days["bob"]) == 10
    text = cli("plan", "--dry-run", "--now", NOW, cwd=tmp_path)
    assert "Wishes (prefers_not): 4 kept, 0 broken" in text.stdout


def test_wishes_that_cost_fairness_are_broken_and_named(cli: Runner, tmp_path: Path):
    # aiko would rather work Fridays only: 4 of them, but her fair share is 10 days, so
    # 6 of her 16 wishes are broken; never one more, never at bob's expense.
    write(tmp_path, aiko=", prefers_not: [mon, tue, wed, thu]")
    result = cli("plan", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["wishes"] == {"kept": 10, "broken": 6, "broken_by": {"aiko": 6}}
    assert found["fairness"]["spread"] == 0
    days = held(tmp_path)
    assert len(days["aiko"]) == len(days["bob"]) == 10
    text = cli("plan", "--dry-run", "--now", NOW, cwd=tmp_path).stdout
    assert "Wishes (prefers_not): 10 kept, 6 broken (aiko 6)" in text


def test_a_wish_both_share_is_broken_by_someone(cli: Runner, tmp_path: Path):
    write(tmp_path, aiko=", prefers_not: [fri]", bob=", prefers_not: [2027-02-05..2027-02-26]")
    result = cli("plan", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # bob's fair 10 days: the 4 before his range, and 6 in it, the Fridays among them,
    # so aiko keeps every wish of hers.
    wishes = json.loads(result.stdout)["wishes"]
    assert wishes == {"kept": 14, "broken": 6, "broken_by": {"bob": 6}}


def test_no_wishes_no_line(cli: Runner, tmp_path: Path):
    write(tmp_path)
    result = cli("plan", "--format", "json", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["wishes"] is None
    assert "Wishes" not in cli("plan", "--dry-run", "--now", NOW, cwd=tmp_path).stdout


@pytest.mark.parametrize("wish, column", [
    ("[friday]", 43),
    ("[fri, 2027-02-31]", 48),
    ("[2027-02-12..2027-02-10]", 43),
    ("fri", 42),
])
def test_a_wish_in_the_wrong_form_is_exit_2_and_writes_nothing(
    cli: Runner, tmp_path: Path, wish: str, column: int
):
    write(tmp_path, aiko=f", prefers_not: {wish}")
    result = cli("plan", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"desk.yaml:16:{column}: members[0].prefers_not" in result.stderr
    assert "expected" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "rotations" / "desk.schedule.yaml").exists()
