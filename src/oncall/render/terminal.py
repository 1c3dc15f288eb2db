"""How text meets a terminal: whether to draw with colour, and columns that line up.

One reading of NO_COLOR for every command (https://no-color.org: set to any non-empty value,
it turns colour off) and no colour when the output is not a terminal (pipes, files, cron).
Widths count East Asian wide characters as two columns, so Japanese names line up.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from typing import TextIO


def use_rich(stream: TextIO) -> bool:
    """Colour and boxes only for a person at a terminal who has not asked for NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two, so Japanese names line up."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * (columns - width(text))


def columns(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A plain table: the header line, then one line per row, columns two spaces apart."""
    table = [list(headers), *(list(row) for row in rows)]
    widths = [max(width(r[i]) for r in table) for i in range(len(headers))]
    return ["  ".join(pad(c, widths[i]) for i, c in enumerate(cells)).rstrip() for cells in table]
