"""What `oncall cover` says: each day's candidates as text, JSON, or a chat request that
mentions them (the same mentions and escaping as `remind`, in the rotation's language)."""

from __future__ import annotations

from typing import Any

from oncall.core.duty import person
from oncall.render import messages
from oncall.render.reminders import chat_payload, chat_style, fitted
from oncall.usecases.cover import Candidate, CoverRequest

VERSION = 1


def _who(candidate: Candidate) -> str:
    team = f", team {candidate.team}" if candidate.team else ""
    plural = "" if candidate.days == 1 else "s"
    return f"{candidate.handle} ({candidate.days} day{plural} this term{team})"


def as_text(request: CoverRequest) -> str:
    """Each day and who could take it, best first, then the swap that records the first."""
    rotation = request.rotation
    lines = [
        f"{rotation.id}: who could take {request.member}'s duty, best first "
        "(keeps every rule, other rotations included; fewest duty days first):"
    ]
    for day in request.days:
        when = f"{day.day.isoformat()} ({messages.weekday('en', day.day)})"
        if day.candidates:
            lines.append(f"  {when}: " + ", ".join(_who(c) for c in day.candidates))
        else:
            lines.append(f"  {when}: nobody can take it without breaking a rule")
    first = next((d for d in request.days if d.candidates), None)
    if first is not None:
        lines.append(
            f"to record one: oncall swap --dates {first.day.isoformat()} "
            f"--out {request.member} --in {first.candidates[0].handle}"
        )
    if request.uncovered:
        lines.append(
            "for a day nobody can take: oncall swap ... --force records it anyway, "
            "or oncall plan --from DATE re-plans from that day"
        )
    return "\n".join(lines)


def as_json(request: CoverRequest) -> dict[str, Any]:
    """The versioned object `cover --format json` prints."""
    return {
        "version": VERSION,
        "rotation": request.rotation.id,
        "member": request.member,
        "days": [
            {
                "date": day.day.isoformat(),
                "candidates": [
                    {
                        "handle": c.handle,
                        "name": c.name,
                        "team": c.team,
                        "days": c.days,
                        "carried": c.carried,
                    }
                    for c in day.candidates
                ],
            }
            for day in request.days
        ],
    }


def payload(request: CoverRequest, chat: str) -> dict[str, Any]:
    """The chat message asking the candidates to cover, mentioning each once."""
    rotation = request.rotation
    lang = rotation.language
    style = chat_style(rotation, chat)
    asked = style.mention(person(rotation, request.member))
    lines: list[tuple[str, int]] = [(messages.text(lang, "cover_request", member=asked), 0)]
    mentioned: dict[str, str] = {}
    for day in request.days:
        names = []
        for candidate in day.candidates:
            if candidate.handle not in mentioned:
                mentioned[candidate.handle] = style.mention(person(rotation, candidate.handle))
            names.append(mentioned[candidate.handle])
        who = messages.join(lang, names) if names else messages.text(lang, "cover_nobody")
        words = messages.text(
            lang, "cover_day", date=messages.day(lang, day.day), people=who
        )
        lines.append((f"{style.bullet} {words}", 0))
    lines.append((messages.text(lang, "cover_reply"), 0))
    return chat_payload(chat, fitted(style, lines), style)
