"""Fitting a message inside its chat's documented limit (each chat's module in
``oncall.chats`` says the limit and how it counts it; this says what to cut).

A webhook refuses (Discord: HTTP 400 over 2,000 characters; Teams: 413 over ~28 KB) or
silently cuts (Slack over 40,000 characters) a message that is too long. A reminder that
is not posted reminds nobody, so a long one is shortened rather than refused: whole lines
of the checklist, the report fields, the days without duty and the manual link are left
out, lowest priority and last first, and one line says how many and why. Who is on duty,
the escalation and the fallback are never left out: if those alone do not fit, that is
an error naming the limit (cutting a list of people would drop someone silently).
On the cron path: standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from oncall import chats
from oncall.core.errors import InputError
from oncall.render import messages

if TYPE_CHECKING:
    from oncall.chats._protocol import Chat

# chat: (limit, what it counts), from each chat's module (``oncall.chats``).
LIMITS: dict[str, tuple[int, str]] = {
    chat.NAME: (chat.LIMIT, chat.UNIT) for chat in chats.PLATFORMS if chat.LIMIT is not None
}

Lines = list[tuple[str, int]]  # a line and its priority: 0 is always kept, 1 goes first


def fit(
    chat: Chat,
    language: str,
    lines: Lines,
    size: Callable[[str], int],
    notice: str = "left_out",
) -> str:
    """The message, with droppable lines left out until it fits ``chat``'s limit.

    ``size`` measures a message as the chat counts it (Teams: its card's JSON);
    ``notice`` is the key of the sentence saying what was left out (``messages``)."""
    texts = [text for text, _ in lines]
    if chat.LIMIT is None:
        return "\n".join(texts)
    limit, unit, name = chat.LIMIT, chat.UNIT, chat.TITLE
    message = "\n".join(texts)
    if size(message) <= limit:
        return message
    order = sorted(
        (index for index, (_, priority) in enumerate(lines) if priority > 0),
        key=lambda index: (lines[index][1], -index),
    )


    def leaving_out(count: int) -> str:
        said = _notice(notice, name, language, count, limit, unit)
        return _without(lines, set(order[:count]), said)

    # Leaving out more makes it shorter (but for the notice's count gaining a digit), so
    # bisect for the fewest, then step on past such a digit: a few renders, not hundreds.
    low, high = 1, len(order)
    while low < high:
        middle = (low + high) // 2
        if size(leaving_out(middle)) <= limit:
            high = middle
        else:
            low = middle + 1
    for count in range(low, len(order) + 1):
        message = leaving_out(count)
        if size(message) <= limit:
            return message
    essential = "\n".join(text for text, priority in lines if priority == 0)
    raise InputError(
        f"the {name} reminder is {size(essential):,} {unit} with only who is on duty, "
        f"the escalation and the fallback, over {name}'s limit of {limit:,} {unit}",
        hint="shorten the escalation or fallback text, or post with --format text",
    )


def _without(lines: Lines, left_out: set[int], notice: str) -> str:
    out: list[str] = []
    for index, (text, _) in enumerate(lines):
        if index not in left_out:
            out.append(text)
        elif index == min(left_out):
            out.append(notice)
    return "\n".join(out)


def _notice(key: str, chat: str, language: str, count: int, limit: int, unit: str) -> str:
    return messages.text(
        language, key, count=str(count), chat=chat, limit=f"{limit:,}",
        unit=messages.text(language, f"unit_{unit}"),
    )
