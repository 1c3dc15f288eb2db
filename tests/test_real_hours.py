"""Real hours (issue 22, point 3): a window's duty minutes are the time elapsed between its
real instants, on DST days too, in the planner's weights, the ledger, `report` and the
calendar's DESCRIPTION; ledgers written before (format 1, wall-clock minutes) still read
and check as they were meant, and `repair --ledgers` carries them again in real hours.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.core.calendar import build_calendar
from oncall.core.model import Window
from oncall.io.loading import load_rotation
from oncall.planner import solve
from tests.helpers.cli import Runner

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = Window(frozenset(range(7)), 22 * 60, 6 * 60)

# Nights in New York over the spring change (Sunday 2027-03-14, 02:00 -> 03:00): the night
# of Saturday 03-13 lasts 7 hours, every other one 8.
NIGHTS = """\
rotation: nights
timezone: America/New_York
window: {days: [mon, tue, wed, thu, fri, sat, sun], start: "22:00", end: "06:00"}
shift: {length: 1d, people: 1}
term: {start: 2027-03-08, end: 2027-03-21}
rules: {fairness: hours}
members:
  - {handle: ann, name: Ann Lee, team: core}
  - {handle: bo, name: Bo Chen, team: core}
"""


def test_a_night_across_a_dst_change_lasts_its_real_time():
    assert NIGHT.minutes_on(date(2027, 3, 13), NEW_YORK) == 7 * 60  # spring forward
    assert NIGHT.minutes_on(date(2027, 11, 6), NEW_YORK) == 9 * 60  # fall back
    assert NIGHT.minutes_on(date(2027, 3, 12), NEW_YORK) == 8 * 60
    assert NIGHT.wall_minutes_on(date(2027, 3, 13), NEW_YORK) == 8 * 60  # format 1


def _workspace(root: Path) -> Path:
    (root / "rotations").mkdir()
    path = root / "rotations" / "nights.yaml"
    path.write_text(NIGHTS, encoding="utf-8")
    return path


def test_the_planner_weighs_real_hours(tmp_path: Path):
    rotation = load_rotation(_workspace(tmp_path))
    calendar = build_calendar(rotation)
    result = solve(rotation, calendar, seed=0)
    duty = result.fairness.duty
    assert duty is not None and duty.unit == "hours"
    # 14 nights, one of them 7 hours: 111 hours in all, shared 56 and 55 at best
    assert sum(duty.load.values()) == 13 * 8 * 60 + 7 * 60
    assert duty.spread == 60 and duty.proven_optimal


def test_ledger_report_and_calendar_count_real_hours(cli: Runner, tmp_path: Path):
    _workspace(tmp_path)
    assert cli("plan", "--now", "2027-03-01T09:00", cwd=tmp_path).returncode == 0
    report = json.loads(
        cli("report", "--format", "json", "--now", "2027-03-01T09:00", cwd=tmp_path).stdout
    )
    hours = sum(person["duty_hours"] for person in report["rotations"][0]["ledger"].values())
    assert hours == 111
    ics = cli("export", "--format", "ics", "--now", "2027-03-01T09:00", cwd=tmp_path)
    assert ics.returncode == 0, ics.stderr
    text = ics.stdout.replace("\r\n ", "").replace("\n ", "")
    assert text.count("Length: 7 h of real time (the clocks change)") == 1
    ran = cli("plan", "--next-term", "--now", "2027-03-20T09:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    stored = (tmp_path / "rotations" / "nights.schedule.yaml").read_text(encoding="utf-8")
    assert "ledger_format: 2" in stored
    minutes = [int(part.split(",")[0].split("}")[0]) for part in stored.split("minutes: ")[1:]]
    assert sum(minutes) == 111 * 60


def test_a_ledger_of_format_1_reads_as_written_and_repair_carries_it_in_real_hours(
    cli: Runner, tmp_path: Path
):
    _workspace(tmp_path)
    assert cli("plan", "--now", "2027-03-01T09:00", cwd=tmp_path).returncode == 0
    assert cli("plan", "--next-term", "--now", "2027-03-20T09:00", cwd=tmp_path).returncode == 0
    path = tmp_path / "rotations" / "nights.schedule.yaml"
    real = path.read_text(encoding="utf-8")
    # The same ledger as an older oncall wrote it: no ledger_format, wall-clock minutes
    # (the 7-hour night counted as 8).
    holder = next(
        line.split(":")[0].strip()
        for line in real.split("ledger:\n")[1].splitlines()
        if "minutes: " in line
        and int(line.split("minutes: ")[1].split(",")[0]) % 480
    )
    old = []
    in_ledger = False
    for line in real.splitlines():
        if line.startswith("ledger_format:"):
            continue
        if not line.startswith(" "):
            in_ledger = line == "ledger:"
        if in_ledger and line.strip().startswith(f"{holder}: {{"):
            value = int(line.split("minutes: ")[1].split(",")[0])
            line = line.replace(f"minutes: {value}", f"minutes: {value + 60}")
        old.append(line)
    path.write_text("\n".join(old) + "\n", encoding="utf-8")
    checked = cli("validate", "--now", "2027-03-25T09:00", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Read as format 2, those minutes are wrong: validate says so.
    path.write_text("\n".join(old).replace("ledger:\n", "ledger_format: 2\nledger:\n") + "\n")
    wrong = cli("validate", "--now", "2027-03-25T09:00", cwd=tmp_path)
    assert wrong.returncode == 1 and "[ledger]" in wrong.stdout, wrong.stdout
    path.write_text("\n".join(old) + "\n", encoding="utf-8")
    repaired = cli("repair", "--ledgers", "rotations/nights.yaml", cwd=tmp_path)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert path.read_text(encoding="utf-8") == real
