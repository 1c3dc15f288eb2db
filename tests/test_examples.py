"""Every bundled and example rotation plans and validates, and examples/output holds what
the commands really print for them.

Regenerate the samples with: ONCALL_REGEN_SAMPLES=1 python -m pytest tests/test_examples.py
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import Runner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "output"
ROTATIONS = [ROOT / "rotations" / "app-daytime.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
NOW = "2026-11-23T10:00"

# (sample file, arguments): what a lead, an engineer and a cron job would run.
COMMANDS = [
    ("plan-app-daytime.txt", ["plan", "rotations/app-daytime.yaml", "--dry-run", "--now", NOW]),
    ("validate.txt", ["validate"]),
    ("who-app-daytime.txt", ["who", "rotations/app-daytime.yaml", "--now", "2027-01-05T11:00"]),
    (
        "who-app-daytime.json",
        ["who", "rotations/app-daytime.yaml", "--now", "2027-01-05T11:00", "--format", "json"],
    ),
    (
        "remind-next-friday-ja.txt",
        ["remind", "rotations/app-daytime.yaml", "--next", "--now", "2027-01-08T17:00"],
    ),
    (
        "remind-today-slack-ja.txt",
        [
            "remind",
            "rotations/app-daytime.yaml",
            "--today",
            "--now",
            "2027-01-12T10:00",
            "--format",
            "slack",
        ],
    ),
    (
        "remind-next-en.txt",
        ["remind", "rotations/sre-exchange.yaml", "--next", "--now", "2027-04-09T17:00"],
    ),
    (
        "remind-handoff-ja.txt",
        ["remind", "rotations/morning-watch.yaml", "--handoff", "--now", "2027-04-14T09:30"],
    ),
    ("show-app-daytime-2027-01.txt", ["show", "rotations/app-daytime.yaml", "--month", "2027-01"]),
    ("app-daytime.csv", ["export", "rotations/app-daytime.yaml", "--format", "csv"]),
    ("us-nights.ics", ["export", "rotations/us-nights.yaml", "--format", "ics"]),
]


@pytest.fixture(scope="module")
def run(cli: Runner) -> Runner:
    env = {"NO_COLOR": "1", "COLUMNS": "100", "LC_ALL": "C.UTF-8"}
    return functools.partial(cli, env=env, text=False)


@pytest.fixture(scope="module")
def planned(run: Runner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("examples")
    (workspace / "rotations").mkdir()
    for rotation in ROTATIONS:
        shutil.copy(rotation, workspace / "rotations" / rotation.name)
    result = run("plan", "--now", NOW, cwd=workspace)
    assert result.returncode == 0, result.stderr.decode()
    return workspace


def test_every_rotation_plans_and_validates(run: Runner, planned: Path):
    result = run("validate", cwd=planned)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    for rotation in ROTATIONS:
        assert (planned / "rotations" / rotation.name.replace(".yaml", ".schedule.yaml")).exists()


@pytest.mark.parametrize(("sample", "args"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_sample_output_is_current(run: Runner, planned: Path, sample: str, args: list[str]):
    result = run(*args, cwd=planned)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout, f"{sample}: the command printed nothing"
    path = SAMPLES / sample
    if os.environ.get("ONCALL_REGEN_SAMPLES"):
        SAMPLES.mkdir(exist_ok=True)
        path.write_bytes(result.stdout)
    assert path.read_bytes() == result.stdout, (
        f"examples/output/{sample} is out of date: "
        "ONCALL_REGEN_SAMPLES=1 python -m pytest tests/test_examples.py"
    )
