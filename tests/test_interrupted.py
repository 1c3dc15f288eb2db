"""Changes that take two writes, killed between them for real, and what comes after.

Each test runs the command in a fresh process whose store dies (``os._exit``, no cleanup,
as under kill -9) at one write, then checks that the next commands detect the half-done
state: readers still answer, `validate` names `oncall repair`, and `repair` (or the next
`plan`/`swap`) finishes the change so every file agrees again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers.cli import Runner

pytestmark = pytest.mark.slow  # real processes

ROOT = Path(__file__).resolve().parent.parent
ROT = "rotations/app-daytime.yaml"
KEPT = "rotations/app-daytime.terms"
PENDING = "rotations/app-daytime.schedule.pending"


def _killed_at_save(cwd: Path, which: int, *args: str) -> int:
    """Run `oncall ARGS` in a new process that dies at the ``which``-th schedule save."""
    script = textwrap.dedent(
        f"""
        import os, sys
        import oncall.io.store as store
        real, seen = store.FileStore.save, []
        def dying(self, term, schedule):
            seen.append(1)
            if len(seen) == {which}:
                os._exit(137)
            return real(self, term, schedule)
        store.FileStore.save = dying
        from oncall.cli.app import main
        sys.argv = ["oncall", *{list(args)!r}]
        main()
        """
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, check=False
    )
    return done.returncode


@pytest.fixture
def planned(tmp_path: Path, cli: Runner) -> Path:
    (tmp_path / "rotations").mkdir()
    shutil.copy(ROOT / ROT, tmp_path / ROT)
    assert cli("plan", "--now", "2026-12-01T09:00", cwd=tmp_path).returncode == 0
    return tmp_path


def test_next_term_killed_between_its_writes_is_finished_by_the_next_plan(
    planned: Path, cli: Runner
) -> None:
    current = (planned / "rotations/app-daytime.schedule.yaml").read_bytes()
    code = _killed_at_save(planned, 1, "plan", "--next-term", "--now", "2027-03-15T09:00")
    assert code == 137
    # The first write happened: a copy of the current term among the kept ones, and the note.
    assert [p.read_bytes() for p in (planned / KEPT).iterdir()] == [current]
    assert (planned / PENDING).exists()
    # Readers still answer from the current term (the copy is not a term of its own).
    who = cli("who", "--date", "2027-02-02", "--format", "json", cwd=planned)
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["on_duty"] is True
    checked = cli("validate", "--now", "2027-03-15T09:00", cwd=planned)
    assert checked.returncode == 1 and "oncall repair" in checked.stdout
    # Planning the next term again finishes the old attempt and plans it whole.
    again = cli("plan", "--next-term", "--now", "2027-03-15T09:00", cwd=planned)
    assert again.returncode == 0, again.stderr
    assert not (planned / PENDING).exists()
    assert [p.read_bytes() for p in (planned / KEPT).iterdir()] == [current]
    assert cli("validate", "--now", "2027-03-15T09:00", cwd=planned).returncode == 0


def test_repair_removes_the_unfinished_copy(planned: Path, cli: Runner) -> None:
    before = (planned / "rotations/app-daytime.schedule.yaml").read_bytes()
    assert _killed_at_save(planned, 1, "plan", "--next-term", "--now", "2027-03-15T09:00")
    result = cli("repair", cwd=planned)
    assert result.returncode == 0, result.stderr
    assert "removed its unfinished copy" in result.stdout
    assert not list((planned / KEPT).iterdir()) and not (planned / PENDING).exists()
    assert (planned / "rotations/app-daytime.schedule.yaml").read_bytes() == before
    assert cli("validate", "--now", "2027-03-15T09:00", cwd=planned).returncode == 0
    assert "nothing to repair" in cli("repair", cwd=planned).stdout


def _swap_args(cli: Runner, cwd: Path, day: str, now: str) -> list[str]:
    """A swap of ``day``'s first primary that keeps every rule: found by trying each
    member in a scratch copy of the folder."""
    who = json.loads(cli("who", "--date", day, "--format", "json", cwd=cwd).stdout)
    out = who["primary"][0]["handle"]
    for taker in ("aiko", "ken", "yui", "taro", "raj", "hana", "daiki", "li", "mei"):
        args = ["swap", "--dates", day, "--out", out, "--in", taker, "--now", now]
        scratch = cwd.with_name(cwd.name + "-scratch")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(cwd, scratch)
        if cli(*args, cwd=scratch).returncode == 0:
            return args
    raise AssertionError(f"no one may take {out}'s {day}")


def test_swap_into_a_kept_term_killed_before_the_ledger_is_carried(
    planned: Path, cli: Runner
) -> None:
    now = "2027-03-20T09:00"
    assert cli("plan", "--next-term", "--now", "2027-03-15T09:00", cwd=planned).returncode == 0
    later = planned / "rotations/app-daytime.schedule.yaml"
    ledger_before = later.read_bytes()
    args = _swap_args(cli, planned, "2027-03-24", now)
    # The first save writes the kept term; the second would carry it into the next term.
    assert _killed_at_save(planned, 2, *args) == 137
    assert later.read_bytes() == ledger_before  # the later ledger was never carried
    checked = cli("validate", "--now", now, cwd=planned)
    assert checked.returncode == 1
    assert "oncall repair" in checked.stdout and "[ledger]" in checked.stdout
    result = cli("repair", cwd=planned)
    assert result.returncode == 0 and "carried it into" in result.stdout, result.stdout
    assert later.read_bytes() != ledger_before
    assert cli("validate", "--now", now, cwd=planned).returncode == 0


def test_the_next_swap_finishes_an_interrupted_one(planned: Path, cli: Runner) -> None:
    now = "2027-03-20T09:00"
    assert cli("plan", "--next-term", "--now", "2027-03-15T09:00", cwd=planned).returncode == 0
    first = _swap_args(cli, planned, "2027-03-24", now)
    assert _killed_at_save(planned, 2, *first) == 137
    second = _swap_args(cli, planned, "2027-03-25", now)
    result = cli(*second, cwd=planned)
    assert result.returncode == 0, result.stderr
    assert not (planned / PENDING).exists()
    assert cli("validate", "--now", now, cwd=planned).returncode == 0


def test_a_replan_of_the_running_kept_term_killed_between_its_writes(
    planned: Path, cli: Runner
) -> None:
    """`plan` after `--next-term` and a leaver re-plans the kept term still running, then
    the next term with its ledger carried: a kill between the two writes leaves the note,
    `validate` names `oncall repair`, and the next `plan` finishes the change."""
    import csv
    import io

    now = "2027-03-20T09:00"
    assert cli("plan", "--next-term", "--now", "2027-03-15T09:00", cwd=planned).returncode == 0
    sheet = cli("export", ROT, "--format", "csv", "--raw", cwd=planned).stdout
    leaver = next(r["handle"] for r in csv.DictReader(io.StringIO(sheet))
                  if r["date"] == "2027-03-29" and r["role"] == "primary")
    path = planned / ROT
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {leaver}" in ln)
    edited = (line.replace(f"handle: {leaver}", f"handle: {leaver}, left: 2027-03-22")
              if "{" in line else f"{line}\n    left: 2027-03-22")
    path.write_text(text.replace(line, edited, 1), encoding="utf-8")
    later = planned / "rotations/app-daytime.schedule.yaml"
    before = later.read_bytes()
    assert _killed_at_save(planned, 2, "plan", "--now", now) == 137
    assert later.read_bytes() == before  # the kept term was written, the next one not yet
    assert (planned / PENDING).exists()
    checked = cli("validate", "--now", now, cwd=planned)
    assert checked.returncode == 1 and "oncall repair" in checked.stdout, checked.stdout
    again = cli("plan", "--now", now, cwd=planned)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Also re-planned: the term 2027-01-04..2027-04-04" in again.stdout
    assert not (planned / PENDING).exists()
    assert cli("validate", "--now", now, cwd=planned).returncode == 0
