"""The "your duty moved" notice `plan --notify` and `swap --notify` post: one message that
mentions only the people whose duty changed, with the days each lost and gained, in the
rotation's language, with the same mentions, escaping and size limit as `remind`."""

from __future__ import annotations

from typing import Any

from oncall.core.duty import person
from oncall.render import messages
from oncall.render.reminders import chat_payload, chat_style, fitted
from oncall.usecases.notify import Notice


def payload(notice: Notice, chat: str | None = None) -> dict[str, Any]:
    """The chat body for ``notice`` in ``chat`` (default: the rotation's reminders.chat)."""
    rotation = notice.rotation
    lang = rotation.language
    style = chat_style(rotation, chat or rotation.reminders.chat)
    lines: list[tuple[str, int]] = [
        (messages.text(lang, "moved_title", rotation=style.escape(rotation.id)), 0)
    ]
    for change in notice.moved:
        parts = []
        if change.lost:
            days = messages.join(lang, [messages.day(lang, d) for d in change.lost])
            parts.append(messages.text(lang, "moved_lost", days=days))
        if change.gained:
            days = messages.join(lang, [messages.day(lang, d) for d in change.gained])
            parts.append(messages.text(lang, "moved_gained", days=days))
        who = style.mention(person(rotation, change.handle))
        said = parts[0] if len(parts) == 1 else messages.text(
            lang, "moved_both", lost=parts[0], gained=parts[1]
        )
        lines.append((f"{style.bullet} {who}: {said}", 0))
    lines.append((messages.text(lang, "moved_see", command=notice.command), 1))
    return chat_payload(style.chat, fitted(style, lines), style)
