"""Yearly closures (`holidays.closures: ["12-29..01-03"]`) through the real CLI: they close
the same days every year, so a later term over another new year keeps them; and `validate`
warns of a term over a new year with no holiday or closure there."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers.cli import Runner

ROTATION = """\
rotation: desk
timezone: Europe/Berlin
window: {{days: [mon, tue, wed, thu, fri], start: "10:00", end: "17:00"}}
holidays: {{{holidays}}}
shift: {{length: 1d, people: 1}}
term: {{start: 2027-12-06, end: 2029-01-12}}
rules: {{distinct_teams: off}}
members:
  - {{handle: aiko, team: a}}
  - {{handle: ken, team: b}}
  - {{handle: taro, team: c}}
"""


def write(root: Path, holidays: str) -> Path:
    folder = root / "rotations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "desk.yaml"
    path.write_text(ROTATION.format(holidays=holidays), encoding="utf-8")
    return path


def test_a_yearly_closure_closes_every_new_year_of_the_term(cli: Runner, tmp_path: Path):
    write(tmp_path, 'closures: ["12-29..01-03", "05-01"]')
    planned = cli("plan", "--now", "2027-11-01T10:00", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    shown = json.loads(cli("show", "--format", "json", "--now", "2027-11-01T10:00",
                           cwd=tmp_path).stdout)
    duty = {date.fromisoformat(day["date"]) for day in shown["days"] if day["primary"]}
    for year in (2027, 2028):
        closed = {date(year, 12, d) for d in (29, 30, 31)} | {
            date(year + 1, 1, d) for d in (1, 2, 3)}
        assert not closed & duty
        assert date(year, 12, 28) in duty or date(year, 12, 28).weekday() >= 5
    assert date(2028, 5, 1) not in duty and date(2028, 5, 2) in duty
    validated = cli("validate", "--now", "2027-11-01T10:00", cwd=tmp_path)
    assert validated.returncode == 0 and "new year" not in validated.stdout + validated.stderr


@pytest.mark.parametrize("holidays, warned", [
    ("closures: []", ["2028-01-01", "2029-01-01"]),
    ('closures: ["2027-12-29..2028-01-03"]', ["2029-01-01"]),  # entered for one year only
    ("country: DE", []),
])
def test_validate_warns_of_a_new_year_with_no_day_off(cli: Runner, tmp_path: Path,
                                                      holidays: str, warned: list[str]):
    write(tmp_path, holidays)
    assert cli("plan", "--now", "2027-11-01T10:00", cwd=tmp_path).returncode == 0
    result = cli("validate", "--format", "json", "--now", "2027-11-01T10:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    days = sorted(
        day for item in found["rotations"] for v in item["violations"]
        if v["rule"] == "new_year" and v["severity"] == "warning" for day in v["dates"]
    )
    assert days == warned
    text = cli("validate", "--now", "2027-11-01T10:00", cwd=tmp_path).stdout
    assert ('holidays.closures: ["12-29..01-03"]' in text) == bool(warned)


@pytest.mark.parametrize("closure, expected", [
    ("02-29", "not a day of every year"),
    ("13-01", "not a day of every year"),
    ("12-29..1-03", "expected a yearly closure MM-DD"),
])
def test_bad_yearly_closures_are_exit_2_at_their_place(cli: Runner, tmp_path: Path,
                                                       closure: str, expected: str):
    path = write(tmp_path, f'closures: ["{closure}"]')
    result = cli("plan", "--now", "2027-11-01T10:00", cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert f"{path.name}:4:" in result.stderr
    assert not (path.parent / "desk.schedule.yaml").exists()
