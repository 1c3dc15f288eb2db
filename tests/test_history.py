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
