"""The layers hold: `lint-imports` checks the contracts in pyproject.toml (cli > render >
usecases > planner | io > core, the shell without cycles, and the cron fast path without
typer, click, rich, holidays or icalendar), counting imports inside functions too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    script = Path(sys.executable).with_name("lint-imports")  # from the `test` extra
    assert script.exists(), f"{script} is missing: pip install '.[test]'"
    done = subprocess.run(
        [str(script), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
