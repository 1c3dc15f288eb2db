"""Commands that write a schedule at the same time, as real processes: a swap reported as
recorded is never lost to a re-plan that read the schedule before it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "rotations" / "app-daytime.yaml"
ROUNDS = 6


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "oncall", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


@pytest.mark.slow
def test_a_swap_during_a_replan_is_never_lost(tmp_path: Path):
    folder = tmp_path / "rotations"
    folder.mkdir()
    (folder / "app-daytime.yaml").write_bytes(BUNDLED.read_bytes())
    schedule = folder / "app-daytime.schedule.yaml"
    assert finish(start("plan", "--now", "2026-12-01T09:00", cwd=tmp_path))[0] == 0
    first, second = yaml.safe_load(schedule.read_text(encoding="utf-8"))["shifts"][:2]
    on_duty, partner = first["primary"]
    # A substitute the rules allow (plan refuses to keep a swap that breaks one): not on the
    # next shift (min_gap 1), from another team than the partner (distinct teams).
    roster = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["members"]
    team = {m["handle"]: m["team"] for m in roster}
    busy = {*first["primary"], *first.get("shadow", []), *second["primary"],
            *second.get("shadow", [])}
    substitute = next(
        m["handle"] for m in roster
        if m["handle"] not in busy and m.get("volunteer") and not m.get("new")
        and team[m["handle"]] != team[partner]
    )
    lost = []
    for round_number in range(ROUNDS):
        # The day swapped lies before --from, so the re-plan keeps its shift either way.
        replan = start("plan", "--from", "2027-01-18", "--seed", str(round_number),
                       "--now", "2027-01-05T09:00", cwd=tmp_path)
        time.sleep(0.05 * (round_number % 4))
        # Each round hands the day over and the next hands it back, so each needs the last.
        out, in_ = (on_duty, substitute) if round_number % 2 == 0 else (substitute, on_duty)
        swap = start("swap", "--dates", "2027-01-06", "--out", out, "--in", in_,
                     "--force", "--reason", f"round {round_number}",
                     "--now", "2027-01-05T09:00", cwd=tmp_path)
        swap_code, swap_err = finish(swap)
        plan_code, plan_err = finish(replan)
        assert plan_code == 0, plan_err
        assert swap_code == 0, swap_err
        reasons = [o.get("reason") for o in
                   yaml.safe_load(schedule.read_text(encoding="utf-8")).get("overrides") or []]
        if f"round {round_number}" not in reasons:
            lost.append(round_number)
    assert lost == [], f"swaps reported as recorded but lost in rounds {lost}"
    assert not list(folder.glob(".*.tmp"))
