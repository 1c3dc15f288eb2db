"""The line `plan` and `swap` print about calendars: which feeds a change reached.

A subscribed calendar follows on its next refresh, but an imported copy never does: the
line names the feeds to publish again and the people who should re-import theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oncall.core.published import FeedChanges


def calendar_line(changes: FeedChanges) -> str:
    """``calendars changed: team feed; personal: aiko, ken (export again ...)``."""
    if not changes:
        return "calendars: no event changed"
    parts = []
    if changes.team:
        parts.append("team feed")
    if changes.people:
        parts.append("personal: " + ", ".join(changes.people))
    return (
        f"calendars changed: {'; '.join(parts)} "
        "(export or publish again; people who imported a file must import the new one)"
    )
