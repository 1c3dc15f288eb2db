"""`oncall roster sync`'s words: the diff of the rotation file, then what changed."""

from __future__ import annotations

from oncall.usecases.roster_sync import Synced


def diff_text(synced: Synced) -> str:
    """The diff, or a line saying the rotation already matches the sheet."""
    if not synced.changes:
        return f"{synced.path} already matches {synced.sheet}: nothing to change"
    return "\n".join(synced.diff)


def summary_lines(synced: Synced, dry_run: bool) -> list[str]:
    changes = synced.changes
    lines = []
    for handle, left in changes.kept_left:
        lines.append(
            f"note: {handle} is in the sheet but has left: {left} in the rotation; kept (a "
            "`left` column with an empty cell brings them back)"
        )
    if not changes:
        return lines
    parts = []
    if changes.added:
        parts.append(f"{len(changes.added)} added: {', '.join(changes.added)}")
    if changes.changed:
        shown = ", ".join(f"{h} ({', '.join(keys)})" for h, keys in changes.changed)
        parts.append(f"{len(changes.changed)} changed: {shown}")
    if changes.left:
        parts.append(f"{len(changes.left)} left: {', '.join(changes.left)}")
    verb = "would change" if dry_run else "changed"
    lines.append(f"{verb} {synced.path}: {'; '.join(parts)}")
    if dry_run:
        lines.append("dry run: nothing was written")
    elif changes.left and synced.planned:
        lines.append(
            f"next: oncall plan {synced.path} re-plans the shifts of those who left "
            "(their served days stay theirs)"
        )
    return lines
