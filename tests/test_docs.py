"""docs/cli.md is generated from the commands' own --help, so it cannot drift.

Regenerate with: ONCALL_REGEN_DOCS=1 python -m pytest tests/test_docs.py
"""

from __future__ import annotations

import os
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from oncall.cli.app import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _help(*args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, "--help"], env={"NO_COLOR": "1", "COLUMNS": "100"}, terminal_width=100
    )
    assert result.exit_code == 0, result.output
    return result.output.replace("Usage: root", "Usage: oncall").rstrip() + "\n"


def render_cli_docs() -> str:
    parts = [
        "# Command reference\n",
        "Generated from `oncall --help` and each command's `--help` by `tests/test_docs.py`;",
        "do not edit by hand.\n",
        "```text",
        _help().rstrip(),
        "```\n",
    ]
    for name, command in sorted(typer.main.get_command(app).commands.items()):  # type: ignore[attr-defined]
        parts += [f"## oncall {name}\n", "```text", _help(name).rstrip(), "```\n"]
        for sub in sorted(getattr(command, "commands", {})):  # a group: `leave import`
            parts += [f"## oncall {name} {sub}\n", "```text", _help(name, sub).rstrip(), "```\n"]
    return "\n".join(parts)


def test_cli_docs_are_current():
    text = render_cli_docs()
    if os.environ.get("ONCALL_REGEN_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/cli.md is out of date: ONCALL_REGEN_DOCS=1 python -m pytest tests/test_docs.py"
    )
