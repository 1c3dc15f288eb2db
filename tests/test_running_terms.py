"""`plan` re-plans every term with days still to serve, through the real CLI (issue 19,
point 2): after `plan --next-term` the term running today is kept in X.terms/ while the
next one is the current file, and a roster edit may break either.

The workspace (tests/helpers/daily.py): term 2027-01-04..2027-01-29, weekly shifts
01-04 aiko+ken (mei shadow), 01-11 taro+li, 01-18 aiko+ken, 01-25 taro+mei; min_gap 1.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.helpers.cli import Runner
from tests.test_joined_left import set_member

NOW = ("--now", "2027-01-12T09:00")
KEPT = Path("rotations/app.terms/2027-01-04.schedule.yaml")
CURRENT = Path("rotations/app.schedule.yaml")


def _served(cli: Runner, workspace: Path, before: str = "2027-01-12") -> list[dict[str, str]]:
    ran = cli("export", "--format", "csv", "--raw", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    return [r for r in csv.DictReader(io.StringIO(ran.stdout)) if r["date"] < before]


def _holds(cli: Runner, workspace: Path, handle: str, since: str) -> list[str]:
    ran = cli("export", "--format", "csv", "--raw", cwd=workspace)
    rows = csv.DictReader(io.StringIO(ran.stdout))
    return [r["date"] for r in rows if r["handle"] == handle and r["date"] >= since]


def _validate(cli: Runner, workspace: Path) -> None:
    ran = cli("validate", *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_plan_replans_the_running_kept_term_after_a_roster_edit(cli: Runner, workspace: Path):
    """After `plan --next-term`, a leaver's later days in the term still running (kept in
    X.terms/) move too: `plan` re-plans that term from today with the next one, served days
    untouched, the next term's ledger carried again from it; the summary says so."""
    ran = cli("plan", "--next-term", *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    served = _served(cli, workspace)
    set_member(workspace, "aiko", "left: 2027-01-15")
    ran = cli("plan", *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Also re-planned: the term 2027-01-04..2027-01-29 in {KEPT}, from 2027-01-12" in (
        ran.stdout.replace("\\", "/")
    ), ran.stdout
    assert _holds(cli, workspace, "aiko", "2027-01-15") == []
    assert _served(cli, workspace) == served
    _validate(cli, workspace)  # the ledger of the next term agrees with the kept term
    data = json.loads(cli("plan", "--dry-run", "--format", "json", *NOW, cwd=workspace).stdout)
    (earlier,) = data["earlier"]
    assert earlier["term"] == {"start": "2027-01-04", "end": "2027-01-29"}
    assert earlier["from"] == "2027-01-12"


def test_next_term_replans_the_current_term_a_roster_edit_broke(cli: Runner, workspace: Path):
    """`plan --next-term` after a leaver is set re-plans the current term from today before
    keeping it (a kept term `validate` rejects would page the leaver); served days stay."""
    served = _served(cli, workspace)
    set_member(workspace, "aiko", "left: 2027-01-15")
    ran = cli("plan", "--next-term", *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"Also re-planned: the term 2027-01-04..2027-01-29 in {KEPT}, from 2027-01-12" in (
        ran.stdout.replace("\\", "/")
    ), ran.stdout
    assert (workspace / KEPT).exists()
    assert _holds(cli, workspace, "aiko", "2027-01-15") == []
    assert _served(cli, workspace) == served
    _validate(cli, workspace)


def test_next_term_keeps_a_sound_current_term_byte_for_byte(cli: Runner, workspace: Path):
    """Nothing to mend in the current term: `--next-term` keeps it exactly as it was."""
    before = (workspace / CURRENT).read_bytes()
    ran = cli("plan", "--next-term", *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    assert "Also re-planned" not in ran.stdout
    assert (workspace / KEPT).read_bytes() == before


def test_a_running_kept_term_that_cannot_be_mended_writes_nothing(
    cli: Runner, workspace: Path
):
    """A swap in the running kept term gives ken a day after he then leaves: overrides are
    never dropped, so `plan` exits 3 naming the swap and writes nothing (the runner checks
    every file is byte for byte as it was), in either order of the two terms' writes."""
    assert cli("plan", "--next-term", *NOW, cwd=workspace).returncode == 0
    ran = cli("swap", "--dates", "2027-01-27", "--out", "taro", "--in", "ken", "--force",
              *NOW, cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    set_member(workspace, "ken", "left: 2027-01-20")
    ran = cli("plan", *NOW, cwd=workspace)
    assert ran.returncode == 3, ran.stdout + ran.stderr
    assert "2027-01-27" in ran.stderr and "nothing was written" in ran.stderr
    ran = cli("plan", "--from", "2027-02-01", *NOW, cwd=workspace)  # past the kept term
    assert ran.returncode == 3, ran.stdout + ran.stderr
