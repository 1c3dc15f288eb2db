"""docs/relay.md's key reference is generated from the relay's key table, so it cannot
drift. Regenerate with: ONCALL_REGEN_DOCS=1 python -m pytest tests/test_relay_docs.py"""

from __future__ import annotations

import os
import re
from pathlib import Path

from oncall.io.schema import reference_table
from oncall.relay.config import RELAY_KEYS

DOC = Path(__file__).resolve().parent.parent / "docs" / "relay.md"
SECTION = re.compile(r"(<!-- relay-keys:start[^\n]*-->\n)(.*?)(<!-- relay-keys:end -->)", re.S)


def test_relay_key_reference_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = "\n".join(reference_table(RELAY_KEYS)) + "\n"
    current = SECTION.sub(lambda m: m.group(1) + table + m.group(3), text)
    if os.environ.get("ONCALL_REGEN_DOCS"):
        DOC.write_text(current, encoding="utf-8")
        text = current
    assert SECTION.search(text), "docs/relay.md lost its relay-keys markers"
    assert text == current, (
        "docs/relay.md is out of date: ONCALL_REGEN_DOCS=1 python -m pytest "
        "tests/test_relay_docs.py"
    )
