"""The rotation-file key that keeps the next days stable: ``rules.notice`` (``14d``,
``2w``), read here and spliced into ``oncall.io.keys``'s table, as the other small key
groups are."""

from __future__ import annotations

import re

from yaml.nodes import Node

from oncall.io import yamlsafe as ys
from oncall.io.schema import Key
from oncall.io.yamlsafe import At

_NOTICE = re.compile(r"([0-9]{1,4})\s*([dw])")


def notice(node: Node, at: At) -> int:
    """``14d`` or ``2w``: the notice in days."""
    expected = "a notice such as 14d or 2w (days or weeks)"
    raw = ys.scalar(node, at, expected).strip().lower()
    match = _NOTICE.fullmatch(raw)
    if match is None:
        raise at.error(node, f"found {ys.describe(node)}, expected {expected}")
    return int(match[1]) * (7 if match[2] == "w" else 1)


NOTICE_KEYS = (
    Key(
        "rules.notice",
        "`Nd` or `Nw`",
        "No re-plan changes a shift that starts within this many days of today, unless "
        "`plan --inside-notice` is given: people keep the duty they were told (e.g. `14d`).",
        notice,
        default=0,
        default_doc="`0d` (none)",
    ),
)
