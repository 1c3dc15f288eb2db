"""The CLI end to end: the typer app behind the `oncall` script's error guard, run in this
process; a real `python -m oncall` for the version, exit codes and tracebacks."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from oncall.cli.app import app
from tests.helpers.cli import Runner
from tests.helpers.files import assert_unchanged, snapshot

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "rotations" / "app-daytime.yaml"


@pytest.fixture
def run(cli: Runner) -> Runner:
    return functools.partial(cli, env={"NO_COLOR": "1"})


@pytest.fixture
def run_process(cli_process: Runner) -> Runner:
    """For what only the real `python -m oncall` shows: its version, its exit codes."""
    return functools.partial(cli_process, env={"NO_COLOR": "1"})


def commands() -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_has_help(run: Runner):
    names = commands()
    assert {"init", "validate"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.returncode == 0, result.stderr
        assert "Usage: " in result.stdout
        command = __import__("typer.main").main.get_command(app).commands[name]
        assert command.help, f"{name} has no help text"


def test_version(run_process: Runner):
    result = run_process("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("oncall ")


def test_unknown_option_is_bad_input(run_process: Runner, tmp_path: Path):
    before = snapshot(tmp_path)
    result = run_process("validate", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert_unchanged(tmp_path, before)
    assert "Traceback" not in result.stderr


def test_missing_file_is_bad_input_without_traceback(run_process: Runner, tmp_path: Path):
    before = snapshot(tmp_path)
    result = run_process("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert_unchanged(tmp_path, before)
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_writes_a_starter_that_validates(run: Runner, tmp_path: Path):
    target = tmp_path / "rotations" / "team.yaml"
    result = run("init", str(target), "--now", "2026-11-23T10:00")
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "term:\n  start: 2026-11-30" in text
    assert text.count("#") > 10  # commented
    checked = run("validate", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "team.yaml: ok" in checked.stdout


def test_init_refuses_to_overwrite(run: Runner, tmp_path: Path):
    target = tmp_path / "team.yaml"
    target.write_text("keep me", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("init", str(target))
    assert result.returncode == 2
    assert_unchanged(tmp_path, before)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_no_rotations_found_is_explained(run: Runner, tmp_path: Path):
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "oncall init" in result.stderr


def test_schedule_option_needs_one_rotation(run: Runner, tmp_path: Path):
    before = snapshot(tmp_path)
    result = run("validate", str(BUNDLED), str(BUNDLED), "--schedule", str(tmp_path / "s.yaml"))
    assert result.returncode == 2
    assert_unchanged(tmp_path, before)
    assert "--schedule" in result.stderr


def _hand_edited(tmp_path: Path) -> Path:
    folder = tmp_path / "rotations"
    folder.mkdir()
    rotation = folder / "app-daytime.yaml"
    shutil.copy(BUNDLED, rotation)
    (folder / "app-daytime.schedule.yaml").write_text(
        "rotation: app-daytime\n"
        "term: {start: 2027-01-04, end: 2027-04-03}\n"
        "shifts:\n"
        "  - {start: 2027-01-04, end: 2027-01-10, primary: [aiko, ken]}\n"
        "  - {start: 2027-01-11, end: 2027-01-17, primary: [aiko, taro]}\n"
        "  - {start: 2027-02-08, end: 2027-02-14, primary: [li, sho]}\n"
        "overrides:\n"
        "  - {dates: 2027-01-05, out: ken, in: mei, reason: dentist}\n",
        encoding="utf-8",
    )
    return rotation


def test_validate_reports_each_broken_rule(run: Runner, tmp_path: Path):
    _hand_edited(tmp_path)
    # before the term: every day is checked as unserved (later, some would be history)
    result = run("validate", "--now", "2026-12-01T09:00", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "2027-01-04, 2027-01-06..2027-01-08: aiko and ken are both in team payments" in out
    assert "[distinct_teams]" in out
    assert "2027-02-08..2027-02-12: li (primary) is unavailable 2027-02-08..2027-02-12" in out
    assert "2027-02-08..2027-02-12: sho (primary) is not a volunteer [volunteers_only]" in out
    assert (
        "2027-01-12..2027-01-15: aiko serves shifts 2027-01-04..2027-01-10 and "
        "2027-01-11..2027-01-17 with 0 shift(s) between (min_gap: 1) [min_gap]"
    ) in out
    assert "2027-01-05: mei is new and serves as primary after 0 of 2 shadow shift(s)" in out
    # duty days run across weekends and the 2027-02-11 holiday into one range
    assert "2027-01-18..2027-02-05, 2027-02-15..2027-04-02: nobody is on duty (needs 2)" in out


def test_validate_json(run: Runner, tmp_path: Path):
    import json

    _hand_edited(tmp_path)
    result = run("validate", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["ok"] is False
    rules = {v["rule"] for v in data["rotations"][0]["violations"]}
    assert {"distinct_teams", "availability", "volunteers_only", "min_gap", "people"} <= rules


@pytest.mark.parametrize("fmt", ["xml", ""])
def test_validate_bad_format(run: Runner, tmp_path: Path, fmt: str):
    _hand_edited(tmp_path)
    result = run("validate", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 2
    assert "expected one of: text, json" in result.stderr


def test_a_schedule_given_as_rotation_is_explained(run: Runner, tmp_path: Path):
    _hand_edited(tmp_path)
    result = run("validate", "rotations/app-daytime.schedule.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "is a schedule; commands take the rotation file" in result.stderr
    assert "pass rotations/app-daytime.yaml" in result.stderr


def test_rotation_without_term_takes_the_schedules_term(run: Runner, tmp_path: Path):
    rotation = _hand_edited(tmp_path)
    text = rotation.read_text(encoding="utf-8")
    rotation.write_text(
        text.replace("term:\n  start: 2027-01-04\n  length: 3mo\n", ""), encoding="utf-8"
    )
    assert "term:" not in rotation.read_text(encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    # the same violations as with the term written out: the term came from the schedule
    assert result.returncode == 1, result.stderr
    assert "2027-01-05: mei is new and serves as primary" in result.stdout
    (tmp_path / "rotations" / "app-daytime.schedule.yaml").unlink()
    missing = run("validate", cwd=tmp_path)
    assert missing.returncode == 2
    assert "expected term.start in the file or --start" in missing.stderr


@pytest.mark.parametrize(
    ("replacement", "where", "key"),
    [
        ("country: XX", "15:12", "holidays.country: found country 'XX'"),
        ("country: JP\n  subdivision: '99'", "16:16", "holidays.subdivision: found subdivision"),
    ],
)
def test_unknown_holiday_table_names_file_line_and_key(
    run: Runner,
    tmp_path: Path, replacement: str, where: str, key: str
):
    rotation = tmp_path / "r.yaml"
    rotation.write_text(
        BUNDLED.read_text(encoding="utf-8").replace("country: JP", replacement), encoding="utf-8"
    )
    before = snapshot(tmp_path)
    result = run("validate", str(rotation))
    assert result.returncode == 2
    assert_unchanged(tmp_path, before)
    assert f"r.yaml:{where}: {key}" in result.stderr
    assert "Traceback" not in result.stderr
