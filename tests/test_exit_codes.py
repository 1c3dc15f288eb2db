"""docs/exit-codes.md is generated from core/errors.py (the ``EXIT_`` codes, their meanings
and the errors carrying each), so it cannot drift, and every code the program returns is
one of them: no exit status is written as a bare number anywhere in src/.

Regenerate with: ONCALL_REGEN_DOCS=1 python -m pytest tests/test_exit_codes.py
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from pathlib import Path

import oncall
from oncall.core import errors

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "exit-codes.md"
SRC = ROOT / "src" / "oncall"


def _codes() -> dict[str, int]:
    return {name: value for name, value in vars(errors).items() if name.startswith("EXIT_")
            and isinstance(value, int)}


def _error_classes() -> list[type[errors.OncallError]]:
    """Every ``OncallError`` subclass in the package (each module imported once)."""
    for module in pkgutil.walk_packages(oncall.__path__, "oncall."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type[errors.OncallError]] = []
    pending = [errors.OncallError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return sorted(set(found), key=lambda c: (c.exit_code, c.__module__, c.__name__))


def render_exit_codes() -> str:
    codes = {value: name for name, value in _codes().items()}
    by_code: dict[int, list[str]] = {}
    for cls in _error_classes():
        by_code.setdefault(cls.exit_code, []).append(f"`{cls.__module__}.{cls.__name__}`")
    lines = [
        "# Exit codes",
        "",
        "Generated from `src/oncall/core/errors.py` by `tests/test_exit_codes.py`; do not",
        "edit by hand. Every code `oncall` can return is here; what each refusal means and",
        "why is in [refusals.md](refusals.md).",
        "",
        "| exit | name | meaning | raised as |",
        "| --- | --- | --- | --- |",
    ]
    for code in sorted(errors.EXIT_MEANINGS):
        raised = ", ".join(by_code.get(code, [])) or "-"
        meaning = errors.EXIT_MEANINGS[code].replace("|", "\\|")
        lines.append(f"| {code} | `{codes[code]}` | {meaning} | {raised} |")
    lines += [
        "",
        "A traceback is never shown for these: `--debug` (for developers) shows one",
        "instead of the message, and Python then exits 1.",
    ]
    return "\n".join(lines) + "\n"


def test_exit_code_docs_are_current() -> None:
    text = render_exit_codes()
    if os.environ.get("ONCALL_REGEN_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/exit-codes.md is out of date: "
        "ONCALL_REGEN_DOCS=1 python -m pytest tests/test_exit_codes.py"
    )


def test_every_code_has_a_meaning_and_every_error_a_documented_code() -> None:
    assert sorted(errors.EXIT_MEANINGS) == sorted(_codes().values())
    assert len(set(_codes().values())) == len(_codes())  # one name per code
    for cls in _error_classes():
        assert cls.exit_code in errors.EXIT_MEANINGS, cls


BARE_EXIT = re.compile(
    r"(sys\.exit|os\._exit|SystemExit|typer\.Exit|exit_code\s*=)\s*\(?\s*(code\s*=\s*)?\d+"
)


def test_no_exit_status_is_a_bare_number() -> None:
    """Each exit goes through a named code, so the page above lists every one."""
    bare = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_EXIT.search(line)
    ]
    assert bare == []
