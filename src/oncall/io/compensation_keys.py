"""The rotation-file keys of ``compensation:``: what an hour of duty in each category
(``core.duty_hours``) is paid, for `oncall report --hours`. Kept apart from
``oncall.io.keys`` (which splices them into the rotation table), as
``oncall.io.chat_keys`` is."""

from __future__ import annotations

import math
import re

from yaml.nodes import Node, ScalarNode

from oncall.core.hour_categories import CATEGORIES
from oncall.io import yamlsafe as ys
from oncall.io.readers import text
from oncall.io.schema import Key
from oncall.io.yamlsafe import At

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
MAX_RATE = 1_000_000


def rate(node: Node, at: At) -> float:
    """A number of money units per hour from 0 to a million, written without quotes."""
    expected = f"a number from 0 to {MAX_RATE} (money per hour), such as 12.5"
    raw = ys.scalar(node, at, expected)
    if not (isinstance(node, ScalarNode) and node.style is None and _NUMBER.fullmatch(raw)):
        raise at.error(node, f"found {ys.describe(node)}, expected {expected}")
    value = float(raw)
    if not math.isfinite(value) or not 0 <= value <= MAX_RATE:
        raise at.error(node, f"found {raw}, expected {expected}")
    return value


_LABELS = {
    "in_window": "weekday window hours (before midnight)",
    "night": "the part of a weekday window after midnight (windows that cross it)",
    "weekend": "windows starting on a Saturday or Sunday",
    "holiday": "windows starting on a named day off that is a weekday",
}

COMPENSATION_KEYS = (
    Key(
        "compensation",
        "mapping",
        "Pay per hour of duty by category, for `oncall report --hours` (amounts appear "
        "only when this is set; a category left out is not priced).",
    ),
    *(
        Key(
            f"compensation.{category}",
            "number >= 0",
            f"Pay per hour for {_LABELS[category]}.",
            rate,
            default_doc="not priced",
        )
        for category in CATEGORIES
    ),
    Key(
        "compensation.currency",
        "text",
        "The currency the rates are in (printed beside amounts, e.g. `EUR`).",
        text,
        default_doc="none",
    ),
)
