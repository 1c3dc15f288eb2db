"""Newcomers (`new: true`) who cannot shadow in a term, through the real CLI (issue 22,
point 4): not present this term (joining later, gone already), away all of it, or with no
shift beside an experienced member. They are simply not planned this term and keep their
shadow shifts for a later one; nothing claims the term impossible, and the explanation
names them only when the roster cannot do without them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.test_joined_left import set_member

NOW = "2027-01-01T09:00"


def plan_json(cli: Runner, workspace: Path) -> dict:
    result = cli("plan", "--seed", "1", "--dry-run", "--format", "json", "--now", NOW,
                 cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "extra",
    [
        "joined: 2027-03-01",  # joins next term
        "left: 2027-01-02",  # already left
        "unavailable: [2026-12-28..2027-02-05]",  # away all term
    ],
)
def test_a_newcomer_who_cannot_shadow_this_term_is_not_planned(
    cli: Runner, workspace: Path, extra: str
):
    set_member(workspace, "mei", extra)
    planned = plan_json(cli, workspace)
    for shift in planned["shifts"]:
        people = [p["handle"] for p in (*shift["primary"], *shift.get("shadow", []))]
        assert "mei" not in people, shift
    text = cli("plan", "--seed", "1", "--dry-run", "--now", NOW, cwd=workspace)
    assert text.returncode == 0, text.stdout + text.stderr
    assert "is new and must first shadow" not in text.stdout
    assert "impossible" not in text.stdout


def test_a_newcomer_keeps_their_shadowing_for_the_term_they_can_serve(
    cli: Runner, workspace: Path
):
    # Four weekly shifts cannot hold five shadow shifts: mei waits for a longer term.
    path = workspace / "rotations" / "app.yaml"
    path.write_text(path.read_text().replace("shadow_shifts: 1", "shadow_shifts: 5"))
    result = cli("plan", "--seed", "1", "--dry-run", "--now", NOW, cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    planned = plan_json(cli, workspace)
    assert all(
        "mei" not in [p["handle"] for p in (*s["primary"], *s.get("shadow", []))]
        for s in planned["shifts"]
    )
    assert planned["fairness"]["idle"]["mei"].startswith("new, and cannot serve")


def test_the_explanation_names_a_newcomer_the_roster_needs(cli: Runner, workspace: Path):
    # Without aiko, li and raj only ken and taro (one team) and mei are left: distinct
    # teams required needs mei, who cannot finish five shadow shifts in four weeks.
    path = workspace / "rotations" / "app.yaml"
    path.write_text(path.read_text().replace("shadow_shifts: 1", "shadow_shifts: 5"))
    for handle in ("aiko", "li", "raj"):
        set_member(workspace, handle, "joined: 2027-03-01")
    result = cli("plan", "--seed", "1", "--dry-run", "--now", NOW, cwd=workspace)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "mei is new and must first shadow 5 shift(s)" in result.stdout + result.stderr
