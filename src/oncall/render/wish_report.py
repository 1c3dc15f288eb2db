"""The plan summary's line on soft wishes (``members[].prefers_not``): how many were kept
and broken, and whose were broken; and the same as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall.core.calendar import days_off
from oncall.core.wishes import WishTally, tally

if TYPE_CHECKING:
    from oncall.usecases.plan import Planned


def wish_tally(item: Planned) -> WishTally | None:
    """The term's wishes, or None when no member has any."""
    rotation, schedule = item.rotation, item.schedule
    if not any(member.prefers_not for member in rotation.members):
        return None
    term = schedule.term
    off = (
        schedule.days_off
        if schedule.days_off is not None
        else days_off(rotation, term.start, term.end)
    )
    return tally(rotation, term, off, schedule.shifts)


def wish_lines(item: Planned) -> list[str]:
    """``Wishes (prefers_not): 4 kept, 1 broken (aiko 1)``; nothing without wishes."""
    wishes = wish_tally(item)
    if wishes is None:
        return []
    line = f"Wishes (prefers_not): {wishes.kept} kept, {wishes.broken} broken"
    if wishes.broken_by:
        whose = ", ".join(f"{handle} {count}" for handle, count in wishes.broken_by.items())
        line += f" ({whose})"
    return [line]


def wishes_json(item: Planned) -> dict[str, object] | None:
    wishes = wish_tally(item)
    if wishes is None:
        return None
    return {"kept": wishes.kept, "broken": wishes.broken, "broken_by": dict(wishes.broken_by)}
