"""npm packages that some tests run for real under node: ical.js (the calendar reader of
Thunderbird and Nextcloud) and axe-core (the accessibility checker).

Each is pinned and installed once into the pytest cache
(``.pytest_cache/d/npm-NAME-VERSION/``) by the test that needs it, with the machine's
npm (Debian's ``nodejs`` and ``npm``, see .ci/packages). Offline, the test is skipped
locally and fails in CI, like a missing program (``tests.helpers.system``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.system import require_program, unavailable

PINNED = {"ical.js": "2.2.1", "axe-core": "4.14.1"}
TIMEOUT = 600  # seconds, for a download on a busy machine; never asserted


def npm_package(cache: pytest.Cache, name: str) -> Path:
    """The folder of the pinned npm package ``name`` (``node_modules/NAME``)."""
    require_program("node", "nodejs")
    npm = require_program("npm", "npm")
    version = PINNED[name]
    prefix = cache.mkdir(f"npm-{name}-{version}")
    folder = prefix / "node_modules" / name
    if (folder / "package.json").is_file():
        return folder
    try:
        ran = subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
             "--prefix", str(prefix), f"{name}@{version}"],
            capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        unavailable(f"npm install {name}@{version} took over {TIMEOUT} s (offline?)")
    if ran.returncode != 0 or not (folder / "package.json").is_file():
        unavailable(f"npm install {name}@{version} failed (offline?): {ran.stderr[-800:]}")
    return folder


def node(script: str, *args: str) -> str:
    """Run ``script`` (CommonJS) under node with ``args``; its standard output."""
    binary = require_program("node", "nodejs")
    ran = subprocess.run(
        [binary, "-e", script, "--", *args],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return ran.stdout
