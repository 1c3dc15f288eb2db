"""Running the real `oncall` entry point in a subprocess, as users and cron do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def oncall(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    text: bool = True,
    unset: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[Any]:
    """`python -m oncall ARGS` with no TTY (so plain text), ``env`` added to the
    environment and the ``unset`` variables removed from it."""
    environment = {**os.environ, "COLUMNS": "120", **(env or {})}
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "oncall", *args],
        capture_output=True,
        text=text,
        cwd=cwd,
        env=environment,
        timeout=120,
    )
