"""What `oncall leave import` says: the days added (or that would be), and where."""

from __future__ import annotations

from datetime import timedelta

from oncall.usecases.leave import Imported


def imported_text(result: Imported) -> str:
    who = f"{result.name} ({result.handle})" if result.name != result.handle else result.handle
    events = f"{result.busy} busy event{'s' if result.busy != 1 else ''}"
    if not result.ranges:
        why = (
            "every duty day they take is already unavailable"
            if result.busy
            else "none of its events falls in the term"
        )
        lines = [
            f"{who}: nothing to add from {result.calendar} ({events} in the term "
            f"{result.term}; {why})"
        ]
    else:
        verb = "would add" if result.dry_run else "added"
        lines = [
            f"{who}: {verb} {len(result.ranges)} unavailable "
            f"entr{'ies' if len(result.ranges) != 1 else 'y'} from {result.calendar} "
            f"({events} in the term {result.term}) to {result.path}:"
        ]
        lines += [f"  - {entry}" for entry in result.ranges]
    lines += _cover_lines(result)
    lines += _outside_lines(result)
    if result.dry_run and result.ranges:
        lines.append("nothing written (--dry-run)")
    return "\n".join(lines)


def _cover_lines(result: Imported) -> list[str]:
    if not result.covers:
        return []
    verb = "would be covered" if result.dry_run else "covered"
    lines = [f"days {result.handle} held, {verb} (shift.cover: day; tell the cover):"]
    return lines + [f"  - {c.day}: {c.into} for {c.out}" for c in result.covers]


def _outside_lines(result: Imported) -> list[str]:
    """The events the import left out because they are not (all) in the term."""
    if not result.outside:
        return []
    count = len(result.outside)
    lines = [
        f"{count} event{'s' if count != 1 else ''} (partly) outside the term {result.term}, "
        "not imported:"
    ]
    for item in result.outside:
        days = str(item.first) if item.first == item.last else f"{item.first}..{item.last}"
        what = (
            f"recurring from {item.first}, no occurrence in the term"
            if item.recurring
            else f"{'its days ' if item.partly else ''}{days}"
        )
        lines.append(f"  - {item.uid}: {what}")
    later = [o.last for o in result.outside if not o.recurring and o.last > result.term.end]
    if later:
        lines.append(
            f"  to import the days after the term now: oncall leave import {result.calendar} "
            f"--member {result.handle} {result.path} --start "
            f"{result.term.end + timedelta(days=1)} --end {max(later)}"
        )
    return lines

