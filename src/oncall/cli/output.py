"""Writing a command's result to standard output: JSON Lines, JSON documents, raw bytes.

Used by the cron fast path too, so only the standard library is imported.
"""

from __future__ import annotations

import json
import sys


def json_line(value: dict[str, object]) -> None:
    """One object per rotation per line (JSON Lines): one rotation gives plain JSON."""
    print(json.dumps(value, ensure_ascii=False))


def json_document(value: object) -> None:
    """One indented JSON document (plan, validate), ending with a newline."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_bytes(text: str) -> None:
    """Text as UTF-8 bytes whatever the locale says (calendars, sheets), in order with
    anything printed before."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
