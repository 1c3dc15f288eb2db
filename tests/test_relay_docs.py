"""docs/relay.md's key reference is generated from the relay's key table, so it cannot
drift. Regenerate with: ONCALL_REGEN_DOCS=1 python -m pytest tests/test_relay_docs.py

Its Alertmanager snippet is checked by the real `amtool check-config`, and against the
relay's defaults: each `repeat_interval` reminder must be posted, not taken for a re-send."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from oncall.io.schema import reference_table
from oncall.relay.config import RELAY_KEYS
from tests.helpers.system import require_program

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


ALERTMANAGER = re.compile(r"### Alertmanager\n+```yaml\n(.*?)```", re.S)
DURATION = re.compile(r"([0-9]+)([smhd])")


def _seconds(text: str) -> int:
    """An Alertmanager duration such as ``30s``, ``5m`` or ``4h`` (one unit, as the doc
    writes them)."""
    match = DURATION.fullmatch(text)
    assert match, text
    return int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def _documented_alertmanager() -> str:
    found = ALERTMANAGER.search(DOC.read_text(encoding="utf-8"))
    assert found, "docs/relay.md lost its Alertmanager snippet"
    return found.group(1)


def test_documented_alertmanager_config_reminds_at_its_repeat_interval() -> None:
    """Retries and an HA pair's copies (within ``group_interval``) are remembered as
    duplicates; a ``repeat_interval`` reminder comes after the relay forgot the first
    post (``spool.keep_sent_seconds``), so each one is posted."""
    route = yaml.safe_load(_documented_alertmanager())["route"]
    keep = next(k for k in RELAY_KEYS.keys if k.path == "spool.keep_sent_seconds").default
    assert _seconds(route["group_interval"]) < keep < _seconds(route["repeat_interval"])
    text = DOC.read_text(encoding="utf-8")
    assert f"(`spool.keep_sent_seconds`, {keep // 3600} h by default)" in text
    assert f"under the relay's spool.keep_sent_seconds ({keep // 3600} h)" in text


def test_documented_alertmanager_config_passes_amtool(tmp_path: Path) -> None:
    amtool = require_program("amtool", "prometheus-alertmanager")
    config = tmp_path / "alertmanager.yml"
    config.write_text(_documented_alertmanager(), encoding="utf-8")
    ran = subprocess.run([amtool, "check-config", str(config)], capture_output=True,
                         text=True, timeout=60, check=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "SUCCESS" in ran.stdout
