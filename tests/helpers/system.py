"""Programs from the system that some tests run for real (Chromium, Alertmanager, node).

Locally a missing program skips the test with the package to install; in CI (``CI`` set,
as `.ci/run` does after installing ``.ci/packages``) a missing program fails it, so a
green build always means the real program ran.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, package: str) -> str:
    """The path of ``name``; skip (locally) or fail (in CI) when it is not installed."""
    found = shutil.which(name)
    if found is not None:
        return found
    unavailable(f"{name} is not installed (Debian package {package}; see .ci/packages)")
    raise AssertionError("unreachable")


def unavailable(message: str) -> None:
    """Skip the test with ``message`` locally; fail it in CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
