"""`swap --excused` through the real CLI: an excused absence (sickness, an emergency) is
recorded as such, the days lost are credited to the person who was away (the ledger and
`report` show them), so they carry no debt into the next term."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from tests.helpers.cli import Runner
from tests.test_cover import NOW, candidates, duty, planned


def report(cli: Runner, root: Path) -> dict[str, dict[str, int]]:
    found = json.loads(cli("report", "--format", "json", "--now", NOW, cwd=root).stdout)
    return found["rotations"][0]["terms"][-1]["people"]


def sick_day(cli: Runner, root: Path) -> tuple[date, str, str]:
    days = duty(cli, root)
    day = min(d for d in days if d > date(2027, 1, 6) and d.weekday() != 2)
    holder = days[day]
    [listed] = candidates(cli, root, holder, day.isoformat())["days"]
    return day, holder, listed["candidates"][0]["handle"]


def test_an_excused_absence_is_credited_not_carried_as_a_debt(cli: Runner, tmp_path: Path):
    schedule = planned(cli, tmp_path)
    day, holder, cover = sick_day(cli, tmp_path)
    before = report(cli, tmp_path)[holder]
    result = cli("swap", "--dates", day.isoformat(), "--out", holder, "--in", cover,
                 "--excused", "--reason", "flu", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{holder} -> {cover} (flu) [excused]" in result.stdout
    [recorded] = yaml.safe_load(schedule.read_text(encoding="utf-8"))["overrides"]
    assert recorded["excused"] is True
    after = report(cli, tmp_path)[holder]
    assert after["duty_days"] == before["duty_days"] - 1
    assert after["excused"] == 1 and after["load"] == before["load"]
    # The same swap, not excused, leaves the holder one day lighter: a debt.
    plain = tmp_path / "plain"
    planned(cli, plain)
    assert cli("swap", "--dates", day.isoformat(), "--out", holder, "--in", cover,
               "--now", NOW, cwd=plain).returncode == 0
    assert report(cli, plain)[holder]["load"] == before["load"] - 1
    # The next term's ledger carries the credit.
    ran = cli("plan", "--next-term", "--now", "2027-01-25T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    ledger = yaml.safe_load(schedule.read_text(encoding="utf-8"))["ledger"]
    assert ledger[holder]["excused"] == 1
    assert cli("validate", "--now", "2027-01-25T12:00", cwd=tmp_path).returncode == 0


def test_excused_on_a_day_that_was_not_theirs_is_refused(cli: Runner, tmp_path: Path):
    schedule = planned(cli, tmp_path)
    day, holder, cover = sick_day(cli, tmp_path)
    before = schedule.read_bytes()
    result = cli("swap", "--dates", day.isoformat(), "--out", cover, "--in", holder,
                 "--excused", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 1 and f"{cover} is not on duty" in result.stderr
    trade = cli("swap", "--trade", f"{holder}:{day}", f"{cover}:2027-01-20", "--excused",
                "--now", NOW, cwd=tmp_path)
    assert trade.returncode == 2 and "--excused go without it" in trade.stderr
    assert schedule.read_bytes() == before
