"""Nothing left to plan: ``plan_from`` after the term's last shift.

A re-plan from a day after the term (``oncall plan --from`` past the end) plans no shift.
With no kept shift either, nobody is counted for fairness; the improving passes (team
mixing with ``distinct_teams: preferred`` and pairs) must then leave the empty plan alone
instead of taking the band of no loads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oncall.core.calendar import build_calendar
from oncall.core.model import DistinctTeams
from oncall.core.schedule import Shift
from oncall.planner import solve
from tests.helpers.builders import member, rotation
from tests.helpers.cli import Runner

AFTER_TERM = date(2027, 3, 1)  # the builders' term is 2027-01-04..2027-01-31


@pytest.mark.parametrize("distinct", list(DistinctTeams))
@pytest.mark.parametrize("people", [1, 2])
def test_plan_from_after_the_term_plans_nothing(distinct: DistinctTeams, people: int) -> None:
    rot = rotation(
        [member("a", "x"), member("b", "x"), member("c", "y")], people=people, distinct=distinct
    )
    result = solve(rot, build_calendar(rot), plan_from=AFTER_TERM)
    assert result.shifts == ()
    assert result.fairness.counted == ()
    assert result.fairness.spread == 0


def test_plan_from_after_the_term_with_a_previous_schedule() -> None:
    rot = rotation(
        [member("a", "x"), member("b", "x"), member("c", "y")],
        people=2,
        distinct=DistinctTeams.PREFERRED,
    )
    told = (Shift(date(2027, 3, 1), date(2027, 3, 5), ("a", "c")),)  # outside the term
    result = solve(rot, build_calendar(rot), plan_from=AFTER_TERM, told=told)
    assert result.shifts == ()


ROTATION = """\
rotation: pairs
timezone: Asia/Tokyo
window: {days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}
shift: {length: 1w, handoff: mon, people: 2}
term: {start: 2027-01-04, end: 2027-01-29}
rules: {distinct_teams: preferred, min_gap: 1}
members:
  - {handle: aiko, team: payments}
  - {handle: ken, team: payments}
  - {handle: taro, team: search}
  - {handle: raj, team: platform}
"""


def test_cli_replan_from_after_a_new_term_does_not_crash(tmp_path: Path, cli: Runner) -> None:
    """The schedule on disk is for another term, so no shift is kept, and ``--from`` lies
    after the new term: nothing to plan, and no traceback. A --start over the planned
    term (not started yet) would replace it: refused (exit 2), naming --next-term."""
    rotations = tmp_path / "rotations"
    rotations.mkdir()
    (rotations / "pairs.yaml").write_text(ROTATION, encoding="utf-8")
    now = ("--now", "2027-01-01T09:00")
    assert cli("plan", *now, cwd=tmp_path).returncode == 0
    ran = cli(
        "plan", *now, "--start", "2027-04-05", "--end", "2027-04-30",
        "--from", "2027-05-03", "--dry-run", cwd=tmp_path,
    )
    assert "Traceback" not in ran.stderr
    assert "min() arg" not in ran.stderr
    assert ran.returncode == 2, ran.stderr
    assert "oncall plan --next-term" in ran.stderr
