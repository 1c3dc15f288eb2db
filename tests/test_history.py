"""The clock and history: `--now` on validate and export, history-aware `validate`, and
`swap` refusing days already served."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import Runner


@pytest.mark.parametrize("command", [("validate",), ("export", "--format", "csv")])
def test_validate_and_export_take_now(cli: Runner, workspace: Path, command: tuple[str, ...]):
    result = cli(*command, "--now", "2027-01-04T09:00", cwd=workspace)
    assert result.returncode == 0, result.stderr
    bad = cli(*command, "--now", "next tuesday", cwd=workspace)
    assert bad.returncode == 2
    assert "--now: found 'next tuesday', expected an ISO date-time" in bad.stderr


def test_export_bytes_do_not_depend_on_now(cli: Runner, workspace: Path):
    early = cli("export", "--format", "ics", "--now", "2026-12-01T09:00", cwd=workspace)
    late = cli("export", "--format", "ics", "--now", "2027-03-01T09:00", cwd=workspace)
    assert early.returncode == 0, early.stderr
    assert early.stdout == late.stdout


def _leave(workspace: Path, handle: str, dates: str) -> None:
    """Enter a leave for ``handle`` after the schedule was planned."""
    path = workspace / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {handle}," in ln)
    changed = line.replace("volunteer: true", f"volunteer: true, unavailable: [{dates}]")
    path.write_text(text.replace(line, changed), encoding="utf-8")


def test_a_leave_entered_later_warns_on_served_days_and_fails_future_ones(
    cli: Runner, workspace: Path
):
    # aiko serves 2027-01-04..08 and 2027-01-18..22; a leave over both is entered on the 20th
    _leave(workspace, "aiko", "2027-01-05..2027-01-21")
    result = cli("validate", "--now", "2027-01-20T09:00", cwd=workspace)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    # (the other warnings: ken, li and mei have no slack id, see test_mentions.py; and the
    # term ends in ten days with no next term planned, see test_terms.py)
    assert "1 violation, 3 warnings" in out
    # today and tomorrow still fail: someone must take them
    assert "  2027-01-20..2027-01-21: aiko (primary) is unavailable" in out
    assert (
        "  warning: 2027-01-05..2027-01-08, 2027-01-18..2027-01-19: aiko (primary) is "
        "unavailable 2027-01-05..2027-01-21 (history: already served before 2027-01-20)"
        " [availability]"
    ) in out


def test_only_history_broken_is_exit_0_and_json_marks_it(cli: Runner, workspace: Path):
    import json

    _leave(workspace, "aiko", "2027-01-05..2027-01-06")
    result = cli("validate", "--now", "2027-01-20T09:00", "--format", "json", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    (rotation,) = data["rotations"]
    assert rotation["history_before"] == "2027-01-20"
    (warning,) = [v for v in rotation["violations"] if v["rule"] == "availability"]
    assert warning["severity"] == "warning" and warning["history"] is True
    assert warning["dates"] == ["2027-01-05", "2027-01-06"]
    # an early --now checks every day as if unserved
    strict = cli("validate", "--now", "2027-01-01T00:00", cwd=workspace)
    assert strict.returncode == 1
    assert "2027-01-05..2027-01-06: aiko (primary) is unavailable" in strict.stdout


def test_structural_rules_stay_errors_on_past_days(cli: Runner, workspace: Path):
    # a second shift for aiko back to back with her first breaks min_gap: not a roster change
    schedule = workspace / "rotations" / "app.schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    assert "primary: [taro, li]" in text
    text = text.replace("primary: [taro, li]", "primary: [aiko, li]")
    schedule.write_text(text, encoding="utf-8")
    result = cli("validate", "--now", "2027-01-25T09:00", cwd=workspace)
    assert result.returncode == 1, result.stdout
    assert "[min_gap]" in result.stdout and "warning: 2027-01-12" not in result.stdout


def test_swap_on_served_days_is_refused_unless_forced(cli: Runner, workspace: Path):
    args = ("swap", "--dates", "2027-01-06..2027-01-07", "--out", "aiko", "--in", "raj")
    refused = cli(*args, "--now", "2027-01-07T12:00", cwd=workspace)
    assert refused.returncode == 1
    assert "swap refused: 2027-01-06 is history (before 2027-01-07)" in refused.stderr
    assert "use --force" in refused.stderr
    assert "out: aiko" not in (workspace / "rotations" / "app.schedule.yaml").read_text()
    # today is not history
    today = cli(*args[:2], "2027-01-07", *args[3:], "--now", "2027-01-07T12:00", cwd=workspace)
    assert today.returncode == 0, today.stderr
    forced = cli(*args[:2], "2027-01-06", *args[3:], "--force", "--now", "2027-01-07T12:00",
                 cwd=workspace)
    assert forced.returncode == 0, forced.stderr
    assert "[forced]" in forced.stdout
    assert "it changes days already served (2027-01-06" in forced.stdout
