"""`leave import --member H` without a rotation file writes the leave into every rotation
of the folder that has H, all of them or none; a named rotation limits it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from tests.helpers.cli import Runner
from tests.helpers.life import leave_ics
from tests.test_remind_due import two_rotations

NOW = "2027-01-04T12:00"


def unavailable(path: Path, handle: str) -> list[str]:
    members = yaml.safe_load(path.read_text(encoding="utf-8"))["members"]
    [member] = [m for m in members if m["handle"] == handle]
    return [str(item) for item in member.get("unavailable", [])]


def test_leave_goes_into_every_rotation_that_has_the_member(cli: Runner, tmp_path: Path):
    app, watch = two_rotations(tmp_path)
    ics = tmp_path / "raj.ics"
    ics.write_text(leave_ics(date(2027, 1, 25), date(2027, 1, 26)), encoding="utf-8")
    result = cli("leave", "import", str(ics), "--member", "raj", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert unavailable(app, "raj") == unavailable(watch, "raj") == ["2027-01-25..2027-01-26"]
    assert str(app.relative_to(tmp_path)) in result.stdout
    assert str(watch.relative_to(tmp_path)) in result.stdout


def test_a_named_rotation_limits_the_import(cli: Runner, tmp_path: Path):
    app, watch = two_rotations(tmp_path)
    ics = tmp_path / "raj.ics"
    ics.write_text(leave_ics(date(2027, 1, 25), date(2027, 1, 26)), encoding="utf-8")
    result = cli("leave", "import", str(ics), str(watch), "--member", "raj", "--now", NOW,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert unavailable(watch, "raj") == ["2027-01-25..2027-01-26"]
    assert unavailable(app, "raj") == []


def test_a_refusal_in_one_rotation_writes_nothing_anywhere(cli: Runner, tmp_path: Path):
    app, _ = two_rotations(tmp_path)
    # watch has no day covers (shift.cover is not day): leave on a day taro holds there
    # is refused; app must not get it either.
    text = app.read_text(encoding="utf-8").replace("shift:\n", "shift:\n  cover: day\n", 1)
    app.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in sorted((tmp_path / "rotations").iterdir())}
    ics = tmp_path / "taro.ics"
    ics.write_text(leave_ics(date(2027, 1, 12), date(2027, 1, 12)), encoding="utf-8")
    result = cli("leave", "import", str(ics), "--member", "taro", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert {p: p.read_bytes() for p in sorted((tmp_path / "rotations").iterdir())} == before


def test_a_member_of_no_rotation_is_exit_2(cli: Runner, tmp_path: Path):
    two_rotations(tmp_path)
    ics = tmp_path / "x.ics"
    ics.write_text(leave_ics(date(2027, 1, 25), date(2027, 1, 26)), encoding="utf-8")
    result = cli("leave", "import", str(ics), "--member", "nobody", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and "expected a member of one of the 2 rotations" in result.stderr
