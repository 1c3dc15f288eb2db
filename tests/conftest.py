"""Fixtures for the whole suite.

``cli`` runs the `oncall` CLI in this process (fast: use it unless the process itself is
the point); ``cli_process`` runs `python -m oncall` in a fresh interpreter. Both are called
as ``cli("who", "--now", ..., cwd=folder, env={...}, unset=("NO_COLOR",), text=True)`` and
return a ``Ran`` (returncode, stdout, stderr). ``cron_cli`` and ``cron_cli_process`` run
it the way cron does: NO_COLOR unset, so plain text comes from there being no terminal.

``workspace`` is a folder holding the small daily rotation and its schedule;
``tests.helpers.daily.make_rotation`` writes its variants (Japanese, other windows...).

``python -m pytest`` runs everything; ``python -m pytest -m "not slow"`` is the quick run
(the ``slow`` marker: property tests, year-long rosters, real waits).

No test may fail because the machine is busy, so Hypothesis runs without its per-example
deadline and without the health check that times data generation (each property test
still sets its own number of examples).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers.cli import Runner, run_in_process, run_process
from tests.helpers.daily import make_rotation

settings.register_profile("oncall", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# In CI the examples are the same every run: a red build then means the change, not the
# draw, and the run takes the same time. Locally each run draws afresh, to find more.
settings.register_profile("oncall-ci", parent=settings.get_profile("oncall"), derandomize=True)
settings.load_profile("oncall-ci" if os.environ.get("CI") else "oncall")


@pytest.fixture(scope="session")
def cli() -> Runner:
    return run_in_process


@pytest.fixture(scope="session")
def cli_process() -> Runner:
    return run_process


@pytest.fixture(scope="session")
def cron_cli() -> Runner:
    return functools.partial(run_in_process, unset=("NO_COLOR",))


@pytest.fixture(scope="session")
def cron_cli_process() -> Runner:
    return functools.partial(run_process, unset=("NO_COLOR",))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """``tmp_path`` with ``rotations/app.yaml`` (English) and its schedule."""
    make_rotation(tmp_path)
    return tmp_path
