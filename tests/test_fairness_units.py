"""Fairness in duty days or hours (``rules.fairness``), held to brute force.

The weighted pass must keep every rule and the proven shift spread; its lower bound must
never exceed the true optimum in days, and "proven optimal" must be exactly that.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.core.calendar import build_calendar
from oncall.core.errors import Infeasible
from oncall.core.model import DateRange, Window
from oncall.core.rules import ERROR, check
from oncall.core.schedule import Schedule
from oncall.io.loading import load_rotation
from oncall.planner import solve
from tests.helpers.brute_force import expected_of, reachable, rosters, spread
from tests.helpers.builders import MONDAY, term_of, with_term

BUNDLED = Path(__file__).resolve().parents[1] / "rotations" / "app-daytime.yaml"


def _days_of(calendar, result, handle: str) -> int:
    return sum(
        len(calendar.slot_of(s.start).duty_days) for s in result.shifts if handle in s.primary
    )


def test_weeks_shortened_by_holidays_count_as_their_days() -> None:
    """The bundled daytime rotation: weekly pairs, four weeks shortened by holidays."""
    by_days = load_rotation(BUNDLED)
    calendar = build_calendar(by_days)
    by_shifts = replace(by_days, rules=replace(by_days.rules, fairness="shifts"))
    days = solve(by_days, calendar, seed=1)
    shifts = solve(by_shifts, calendar, seed=1)
    assert days.fairness.spread == shifts.fairness.spread  # shift counts as even as before
    assert shifts.fairness.duty is None
    duty = days.fairness.duty
    assert duty.unit == "days"
    assert duty.load == {h: _days_of(calendar, days, h) for h in duty.load}
    counted = [_days_of(calendar, shifts, h) for h in shifts.fairness.counted]
    assert duty.spread <= max(counted) - min(counted)
    assert duty.proven_optimal
    schedule = Schedule(by_days.id, None, term_of(by_days), days.shifts)
    assert [v for v in check(by_days, calendar, schedule) if v.severity == ERROR] == []


def test_hours_count_the_window_of_each_day() -> None:
    rotation = load_rotation(BUNDLED)
    rotation = replace(rotation, rules=replace(rotation.rules, fairness="hours"))
    calendar = build_calendar(rotation)
    result = solve(rotation, calendar, seed=1)
    duty = result.fairness.duty
    assert duty.unit == "hours"
    assert duty.load == {h: _days_of(calendar, result, h) * 7 * 60 for h in duty.load}


def test_the_summary_names_the_unit(cli, tmp_path: Path) -> None:
    folder = tmp_path / "rotations"
    folder.mkdir()
    text = BUNDLED.read_text(encoding="utf-8")
    (folder / "app-daytime.yaml").write_text(text, encoding="utf-8")
    ran = cli("plan", "--dry-run", "--now", "2027-01-01T09:00", cwd=tmp_path)
    assert "spread (most - fewest duty days): 4, proven optimal" in ran.stdout
    hours = text.replace("rules:\n", "rules:\n  fairness: hours\n", 1)
    (folder / "app-daytime.yaml").write_text(hours, encoding="utf-8")
    ran = cli("plan", "--dry-run", "--now", "2027-01-01T09:00", cwd=tmp_path)
    assert "duty hours per member" in ran.stdout and "spread (most - fewest duty hours): 28" in (
        ran.stdout
    )
    bad = text.replace("rules:\n", "rules:\n  fairness: weeks\n", 1)
    (folder / "app-daytime.yaml").write_text(bad, encoding="utf-8")
    ran = cli("plan", "--dry-run", "--now", "2027-01-01T09:00", cwd=tmp_path)
    assert ran.returncode == 2
    assert "rules.fairness: found 'weeks', expected one of: days, hours, shifts" in ran.stderr


@st.composite
def uneven_rosters(draw):
    """Small rosters whose shifts differ in duty days: two- and three-day shifts over a
    term with a closure or an odd end."""
    rot = draw(rosters())
    length = draw(st.sampled_from([2, 3]))
    days = draw(st.integers(4, 9))
    closed = draw(st.integers(0, days - 1))
    return with_term(replace(
        rot,
        shift=replace(rot.shift, length=length),
        window=Window(frozenset(range(7)), 600, 1020),
        holidays=replace(rot.holidays, closures=(DateRange.single(MONDAY + timedelta(closed)),)),
    ), replace(term_of(rot), end=MONDAY + timedelta(days=days - 1)))


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uneven_rosters(), st.integers(0, 3))
def test_duty_days_against_brute_force(rot, seed) -> None:
    calendar = build_calendar(rot)
    try:
        result = solve(rot, calendar, seed=seed)
    except Infeasible:
        return
    schedule = Schedule(rot.id, None, term_of(rot), result.shifts)
    assert [v for v in check(rot, calendar, schedule) if v.severity == ERROR] == []
    duty = result.fairness.duty
    positions = [i for i, m in enumerate(rot.members) if m.handle in result.fairness.counted]
    expected = expected_of(rot, calendar, result.fairness.counted, per_day=True)
    assert duty.expected == {rot.members[i].handle: expected[i] for i in positions}
    finals = reachable(rot, calendar, weigh=lambda slot: len(slot.duty_days))
    best = min(spread(loads, positions, expected) for loads, _ in finals)
    assert duty.best_possible <= best, "the lower bound claimed more than is possible"
    assert duty.spread >= best
    if duty.proven_optimal:
        assert duty.spread == best
    assert solve(rot, calendar, seed=seed) == result


def test_a_later_pass_never_breaks_the_proven_shift_band(monkeypatch) -> None:
    """The duty pass runs after the band search proved the shift spread: whatever it
    hands back, a plan wider in shifts (or with more same-team shifts) is not taken, so
    the proof printed stays true (issue 22, point 2)."""
    from oncall.planner import optimise
    from oncall.planner.tables import Seat

    rotation = load_rotation(BUNDLED)
    calendar = build_calendar(rotation)
    honest = solve(rotation, calendar, seed=1)

    def careless(problem, seating, weights):
        first = seating[0].primaries[0]
        return [Seat((first, *p[1:]), s) for p, s in seating]  # one member everywhere

    monkeypatch.setattr(optimise, "balance", careless)
    guarded = solve(rotation, calendar, seed=1)
    assert guarded.fairness.spread == honest.fairness.spread
    assert guarded.fairness.proven_optimal
    schedule = Schedule(rotation.id, None, calendar.term, guarded.shifts)
    assert [v for v in check(rotation, calendar, schedule) if v.severity == ERROR] == []
