"""What `oncall leave import` says: the days added (or that would be), and where."""

from __future__ import annotations

from oncall.usecases.leave import Imported


def imported_text(result: Imported) -> str:
    who = f"{result.name} ({result.handle})" if result.name != result.handle else result.handle
    events = f"{result.busy} busy event{'s' if result.busy != 1 else ''}"
    if not result.ranges:
        return (
            f"{who}: nothing to add from {result.calendar} ({events} in the term "
            f"{result.term}; every duty day they take is already unavailable)"
        )
    verb = "would add" if result.dry_run else "added"
    lines = [
        f"{who}: {verb} {len(result.ranges)} unavailable "
        f"entr{'ies' if len(result.ranges) != 1 else 'y'} from {result.calendar} "
        f"({events} in the term {result.term}) to {result.path}:"
    ]
    lines += [f"  - {entry}" for entry in result.ranges]
    if result.dry_run:
        lines.append("nothing written (--dry-run)")
    return "\n".join(lines)
