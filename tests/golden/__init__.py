"""Golden files: the exact bytes `oncall export` writes for the fixture rotation here.

Set ONCALL_REGEN_GOLDEN=1 to rewrite them after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).parent
ROTATION = HERE / "app-daytime.yaml"
SCHEDULE = HERE / "app-daytime.schedule.yaml"
REGENERATE = os.environ.get("ONCALL_REGEN_GOLDEN") == "1"


def assert_golden(name: str, data: bytes) -> None:
    """``data`` must equal the golden file byte for byte (or becomes it when regenerating)."""
    path = HERE / name
    if REGENERATE:
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run with ONCALL_REGEN_GOLDEN=1 to create it"
    expected = path.read_bytes()
    assert data == expected, (
        f"{name} differs from its golden file; if the change is intended, "
        "rerun with ONCALL_REGEN_GOLDEN=1 and review the diff"
    )
