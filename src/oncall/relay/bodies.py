"""A sender's body read with limits, before anything is spooled.

Whatever is answered 2xx is written to the spool and read again at every start and by
every delivery, so a body must be something those reads can never fail on: UTF-8 JSON
nested at most ``MAX_DEPTH`` deep, numbers of at most ``MAX_NUMBER_CHARS`` characters
(Python refuses to convert integers over 4,300 digits; ``NaN`` and ``1e999`` are not
numbers JSON can carry back), and text that is Unicode (no lone surrogates such as
``\\ud800``, which cannot be written as UTF-8). Anything else is ``Refused`` with the
reason, answered 400 and never posted.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32  # Alertmanager's and Grafana's bodies nest 4 or 5 deep
MAX_NUMBER_CHARS = 32


class Refused(ValueError):
    """The body cannot be accepted; ``str()`` says why (sent back with the 400)."""


def decode(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value in ``body``, checked as the module says (a spool record, which
    holds the body one level down, is read with ``max_depth`` one more)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"the body is not UTF-8: {exc.reason} at byte {exc.start}") from None
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_fraction,
                           parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise Refused(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column "
                      f"{exc.colno}") from None
    except RecursionError:
        raise Refused(f"the body nests deeper than {max_depth} levels") from None
    _check(value, max_depth)
    return value


def _integer(text: str) -> int:
    _length(text)
    return int(text)


def _fraction(text: str) -> float:
    _length(text)
    value = float(text)
    if not math.isfinite(value):
        raise Refused(f"the body holds the number {text}, which is out of range")
    return value


def _constant(text: str) -> float:
    raise Refused(f"the body holds {text}, which is not a JSON number")


def _length(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise Refused(f"the body holds a number of {len(text)} characters, at most "
                      f"{MAX_NUMBER_CHARS} are accepted")


def _check(value: Any, max_depth: int) -> None:
    """Depth and text, walked without recursion (a deep body must not recurse either)."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "body")]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, str):
            _text(item, where)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > max_depth:
            raise Refused(f"{where}: the body nests deeper than {max_depth} levels")
        if isinstance(item, dict):
            for key, child in item.items():
                _text(key, where)
                stack.append((child, depth + 1, _place(where, key)))
        else:
            stack.extend((child, depth + 1, f"{where}[{index}]")
                         for index, child in enumerate(item))


def _place(where: str, key: str) -> str:
    shown = key if len(key) <= 40 and key.isprintable() else json.dumps(key[:37]) + "..."
    return shown if where == "body" else f"{where}.{shown}"


def _text(text: str, where: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise Refused(f"{where}: the text holds a lone surrogate (\\u{code:04x}) at "
                      f"character {exc.start}, which is not Unicode text") from None
