"""Every bundled and example rotation plans and validates, and examples/output holds what
the commands really print for them.

Regenerate the samples with: ONCALL_REGEN_SAMPLES=1 python -m pytest tests/test_examples.py
"""

from __future__ import annotations

import functools
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from oncall.io.keys import ROTATION_KEYS
from oncall.usecases.starter import starter_text
from tests.helpers.cli import Runner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "output"
ROTATIONS = [ROOT / "rotations" / "app-daytime.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
STARTER = ROOT / "src" / "oncall" / "starter.yaml"  # what `oncall init` writes
# The keys whose values people read (reminders, calendars, the relay): free text.
TEXT_KEYS = {key.path for key in ROTATION_KEYS.keys if key.kind in ("text", "list of text")}
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


def _text_scalars(node: yaml.Node, path: str = "") -> list[tuple[str, yaml.ScalarNode]]:
    """Every scalar of ``node`` under a text key, with its key path (``members[].name``)."""
    if isinstance(node, yaml.MappingNode):
        found = []
        for key, value in node.value:
            found += _text_scalars(value, f"{path}.{key.value}" if path else str(key.value))
        return found
    if isinstance(node, yaml.SequenceNode):
        return [hit for item in node.value for hit in _text_scalars(item, f"{path}[]")]
    bare = path.removesuffix("[]") if path.removesuffix("[]") in TEXT_KEYS else path
    return [(path, node)] if isinstance(node, yaml.ScalarNode) and bare in TEXT_KEYS else []


@pytest.mark.parametrize("path", [*ROTATIONS, STARTER], ids=lambda p: p.name)
def test_no_text_is_cut_by_a_comment(path: Path):
    """An unquoted text is whatever comes before ` #` on its line: the rest is a comment.
    Each text value must be all its line holds up to the next item (``,``, ``}``) or the
    end, so a ` #` inside a text (``迷ったらすぐ #sre に連絡``) cannot silently cut what
    reminders post: a comment may follow a quoted text only."""
    # The starter is a template: check what `oncall init` writes from it.
    raw = starter_text(date(2026, 12, 4)) if path == STARTER else path.read_text("utf-8")
    lines = raw.splitlines()
    scalars = _text_scalars(yaml.compose(raw))
    assert scalars, path
    for key, node in scalars:
        start, end = node.start_mark, node.end_mark
        if node.style is not None:
            continue  # quoted, or a block (| or >): a ` #` inside is text
        line = lines[end.line]
        assert line[start.column : end.column] == node.value or start.line != end.line
        after = line[end.column :]
        assert not after.lstrip().startswith("#"), (
            f"{path.name}:{end.line + 1}: {key} reads {node.value!r}, and the line goes on "
            f"{after.strip()!r}: ` #` starts a comment there, so quote the text"
        )


def test_the_examples_escalation_posts_whole(run: Runner, planned: Path):
    """morning-watch's escalation names a channel (#sre): the remind text ends with it."""
    escalation = "SREが常にバックアップしています。迷ったらすぐ #sre に連絡してください"
    result = run("remind", "rotations/morning-watch.yaml", "--today", "--now",
                 "2027-04-14T07:30", cwd=planned)
    assert result.returncode == 0, result.stderr.decode()
    assert escalation in result.stdout.decode()
