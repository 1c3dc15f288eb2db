"""CI runs exactly README's test command, and that command type-checks src/ strictly."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _after_install(command: str) -> str:
    """What a test command runs once the test extra is installed."""
    found = re.fullmatch(r"python3? -m pip install (?:-q )?'\.\[test\]' && (.+)", command)
    assert found, command
    return found[1]


def test_ci_runs_readme_test_command_with_mypy_strict() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("(this is what CI runs", 1)[1].split("```sh\n", 1)[1]
    documented = block.split("\n", 1)[0]
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if "'.[test]'" in line and not line.startswith("#")
    ]
    assert len(ci) == 1
    assert _after_install(ci[0]) == _after_install(documented)
    assert " && mypy && " in f" && {_after_install(documented)}"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = config["tool"]["mypy"]
    assert mypy["strict"] is True and mypy["files"] == ["src"]
    test_extra = " ".join(config["project"]["optional-dependencies"]["test"])
    assert "mypy" in test_extra and "types-PyYAML" in test_extra
