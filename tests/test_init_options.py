"""`oncall init` that fits: --id, --start, --window, --days, a folder as the path, and
running inside rotations/; the file it writes plans as written."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.helpers.cli import Runner

NOW = "2027-03-01T10:00"


def test_init_with_id_start_window_and_days_writes_a_rotation_that_plans(
    cli: Runner, tmp_path: Path
):
    result = cli("init", "--id", "morning-watch", "--start", "2027-04-05", "--window",
                 "08:00-09:30", "--days", "mon,tue,thu", "--now", NOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "rotations" / "morning-watch.yaml"
    assert f"wrote {Path('rotations/morning-watch.yaml')}" in result.stdout
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rotation"] == "morning-watch"
    assert data["window"] == {"days": ["mon", "tue", "thu"], "start": "08:00", "end": "09:30"}
    assert data["term"]["start"] == date(2027, 4, 5)
    assert data["holidays"]["closures"] == ["12-29..01-03"]
    assert "# on mon/tue/thu 08:00-09:30;" in path.read_text(encoding="utf-8")
    planned = cli("plan", "--now", NOW, cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    shown = json.loads(cli("show", "--format", "json", "--now", NOW, cwd=tmp_path).stdout)
    weekdays = {date.fromisoformat(day["date"]).weekday() for day in shown["days"]}
    assert weekdays <= {0, 1, 3}


def test_init_inside_rotations_and_into_a_folder(cli: Runner, tmp_path: Path):
    inside = tmp_path / "rotations"
    inside.mkdir()
    made = cli("init", "--now", NOW, cwd=inside)
    assert made.returncode == 0, made.stderr
    assert (inside / "app-daytime.yaml").exists() and not (inside / "rotations").exists()
    folder = tmp_path / "teams"
    folder.mkdir()
    into = cli("init", str(folder), "--id", "payments", "--now", NOW, cwd=tmp_path)
    assert into.returncode == 0, into.stderr
    assert (folder / "payments.yaml").exists()


@pytest.mark.parametrize("args, expected", [
    (("--window", "10-17"), "expected HH:MM-HH:MM"),
    (("--window", "10:00-10:00"), "expected HH:MM-HH:MM"),
    (("--window", "25:00-26:00"), "expected HH:MM-HH:MM"),
    (("--days", "mon-funday"), "expected weekdays such as mon-fri"),
    (("--days", "fri-mon"), "runs backwards"),
    (("--start", "someday"), "--start"),
])
def test_bad_init_options_are_exit_2_and_write_nothing(cli: Runner, tmp_path: Path,
                                                       args: tuple[str, ...], expected: str):
    result = cli("init", *args, "--now", NOW, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert not (tmp_path / "rotations").exists()
