"""`who` and `remind` run from cron and alert hooks: they must not import the heavy
libraries (rich, holidays, icalendar ~100 ms each), nor typer (~25 ms: the `oncall` entry
runs well-formed calls of them without the CLI framework). Each case runs the real entry
point in a fresh interpreter and reports which modules were loaded by the time it exited.
A second probe lists the dataclasses it created: only the model's values, each documented
(creating a dataclass costs ~0.5 ms, so the rest of the cron path uses plain classes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.daily import make_rotation

HEAVY = ("rich", "holidays", "icalendar", "typer")

# Runs the `oncall` script's entry point (also `python -m oncall`'s), then lists heavy
# modules at exit (atexit runs on sys.exit).
WRAPPER = """
import atexit, json, sys
heavy = {heavy!r}
atexit.register(lambda: sys.__stderr__.write(
    "\\nLOADED=" + json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)) + "\\n"))
sys.argv = ["oncall", *{args!r}]
from oncall.cli.entry import main
main()
"""


def loaded_heavy(cwd: Path, *args: str) -> tuple[int, list[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER.format(heavy=HEAVY, args=list(args))],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )
    marker = result.stderr.rsplit("LOADED=", 1)
    assert len(marker) == 2, result.stderr
    return result.returncode, json.loads(marker[1]), result.stdout


CRON_CALLS = [
    ("who", "--now", "2027-01-04T12:00"),
    ("who", "--now", "2027-01-04T18:00", "--format", "handles"),
    ("who", "--date", "2027-01-11", "--now", "2027-01-04T12:00", "--format", "json"),
    ("remind", "--today", "--now", "2027-01-04T10:00"),
    ("remind", "--next", "--now", "2027-01-08T17:00", "--format", "slack"),
    ("remind", "--handoff", "--now", "2027-01-08T17:00", "--format", "json"),
    ("remind", "--today", "--now", "2027-01-09T10:00"),
    ("remind", "--today", "--now", "2027-01-04T10:00", "--format", "teams"),
]


@pytest.mark.parametrize("args", CRON_CALLS, ids=lambda args: " ".join(args[:2]))
def test_cron_path_imports_no_heavy_library_and_no_typer(tmp_path: Path, args: tuple[str, ...]):
    make_rotation(tmp_path, language="ja")
    code, heavy, _ = loaded_heavy(tmp_path, *args)
    assert code == 0
    assert heavy == []


def test_the_check_sees_heavy_imports(tmp_path: Path):
    """Without the days off stored by `plan`, the holiday table has to be read: the probe
    must notice, or the test above could never fail."""
    make_rotation(tmp_path, store_days_off=False)
    code, heavy, out = loaded_heavy(tmp_path, "who", "--date", "2027-01-11", "--format", "json")
    assert code == 0 and json.loads(out)["day_off"] == "Coming of Age Day"
    assert "holidays" in heavy


def test_the_check_sees_typer(tmp_path: Path):
    """Help is typer's job: the probe must see typer loaded then, or the test above could
    never fail on it."""
    make_rotation(tmp_path, language="ja")
    code, heavy, out = loaded_heavy(tmp_path, "who", "--help")
    assert code == 0 and "--format" in out
    assert "typer" in heavy


# Runs the entry point, then lists the dataclasses of every loaded oncall module at exit,
# each with whether it has a docstring of its own.
DATACLASSES = """
import atexit, dataclasses, json, sys
def found():
    return sorted(
        [name + "." + value.__qualname__, bool(value.__dict__.get("__doc__"))]
        for name, module in list(sys.modules.items()) if name.startswith("oncall")
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == name
        and dataclasses.is_dataclass(value)
    )
atexit.register(lambda: sys.__stderr__.write("\\nDATACLASSES=" + json.dumps(found()) + "\\n"))
sys.argv = ["oncall", *{args!r}]
from oncall.cli.entry import main
main()
"""

# Compared, hashed or replace()d by plan, swap and the tests, so they stay dataclasses.
MODEL_VALUES = {
    *(
        f"oncall.core.model.{name}"
        for name in (
            "DateRange", "Unavailability", "Member", "Window", "Holidays", "ShiftRule", "Term",
            "TermRule",
            "Rules", "Onboarding", "ReminderTime", "Reminders", "GroupMention", "Rotation",
            "YearlyClosure",
        )
    ),
    "oncall.core.schedule.Shift",
    "oncall.core.schedule.Override",
    "oncall.core.schedule.Schedule",
}


@pytest.mark.parametrize(
    "args", [CRON_CALLS[0], CRON_CALLS[4], CRON_CALLS[5]], ids=lambda args: " ".join(args[:2])
)
def test_cron_path_creates_no_dataclass_but_the_model_values(tmp_path: Path, args):
    """Creating a dataclass compiles its generated methods (~0.5 ms a class, on every cron
    run), so what the cron path creates and never compares is a plain class; and every
    dataclass it does create has a docstring, without which ``dataclass`` would write one
    with ``inspect.signature``. Not a timing test: it checks which classes exist."""
    make_rotation(tmp_path, language="ja")
    result = subprocess.run(
        [sys.executable, "-c", DATACLASSES.format(args=list(args))],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = dict(json.loads(result.stderr.rsplit("DATACLASSES=", 1)[1]))
    assert set(found) <= MODEL_VALUES
    assert all(found.values()), [name for name, documented in found.items() if not documented]
