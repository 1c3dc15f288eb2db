"""Escapes more than one chat shares. Each chat module says which it uses for a member's
name (and any text from a sender we do not control, such as an alert) and which for the
lead's own text, which may ping people and groups but never the whole channel."""

from __future__ import annotations

import re

# Patterns, compiled on first use (``re``'s cache): most runs word one chat or none.
# Discord and Mattermost markdown; a backslash shows the next character as written.
_MARKDOWN = r"([\\*_~`|>#\[\]<])"
# A zero-width space after the `@` shows the same text without the ping. A name never
# pings anyone; the lead's own text (fallback, escalation, checklist) may name a group such
# as `@sre-oncall` on purpose, but never the whole channel.
AT = r"@(?=\w)"
BROADCAST = r"(?i)@(?=(?:everyone|here|channel|all)\b)"


def markdown_escape(value: str) -> str:
    """Discord/Mattermost names: markdown shown as written, and no `@` mention at all."""
    return re.sub(AT, "@\u200b", re.sub(_MARKDOWN, r"\\\1", value))


def markdown_user_text(value: str) -> str:
    """Discord/Mattermost free text: markdown shown as written; no @everyone/@here/
    @channel/@all (Discord's allowed_mentions refuses any other ping anyway)."""
    return re.sub(BROADCAST, "@\u200b", re.sub(_MARKDOWN, r"\\\1", value))


def url_text(value: str) -> str:
    """A link (the manual) keeps its characters, so the chat still links it."""
    return re.sub(BROADCAST, "@\u200b", value)


def angle_escape(value: str) -> str:
    """Teams and Google Chat read `<...>` as mentions (`<at>`, `<users/all>`) or markup and
    have no escape for it: the brackets become their full-width look-alikes."""
    return value.replace("<", "\uff1c").replace(">", "\uff1e")


def bracket_escape(value: str) -> str:
    """No mention and no Markdown link (`[x](http://evil)` renders as a link and there is
    no escape for it): angle and square brackets become their full-width look-alikes."""
    return angle_escape(value).replace("[", "\uff3b").replace("]", "\uff3d")


def plain_handle(handle: str) -> str:
    """A member without an id for the chat, named by handle: `@ken` as text."""
    return f"@{handle}"
