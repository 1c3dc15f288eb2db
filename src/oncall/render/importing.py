"""The report `oncall import` prints: per rotation, what was read, what could not map
(by source object and field, with what was done instead), the terms and files, and the
replay's agreement; with ``--dry-run`` also the rotation file it would write."""

from __future__ import annotations

from oncall.core.replay import Replay
from oncall.usecases.importing import Imported, ImportedRotation

SHOWN_DISAGREEMENTS = 5


def report(result: Imported) -> str:
    lines: list[str] = []
    count = len(result.rotations)
    lines.append(
        f"Imported {count} schedule(s) from {result.fmt} "
        f"({', '.join(p.name for p in result.files)}): {result.people} people, matched by email."
    )
    for note in result.skipped:
        lines.append(f"Skipped {note.where}: {note.problem}; {note.instead}.")
    for each in result.rotations:
        lines += ["", *_rotation(each, result.dry_run)]
    if result.dry_run:
        lines += ["", "Dry run: nothing was written."]
    return "\n".join(lines)


def _rotation(each: ImportedRotation, dry_run: bool) -> list[str]:
    source, layout = each.source, each.layout
    terms = each.schedules
    lines = [
        f"{source.name} ({source.where}) -> {each.path}",
        f"  {len(layout.members)} member(s); {len(terms)} term(s) "
        f"{terms[0].term.start}..{terms[-1].term.end}"
        + (f", {len(terms) - 1} kept with a ledger" if len(terms) > 1 else ""),
    ]
    lines += [f"  Read: {line}" for line in source.read]
    if each.notes:
        lines.append("  What did not map as the source says (source path: what; instead):")
        for note in each.notes:
            lines.append(f"  - {note.where}: {note.problem}; {note.instead}")
    else:
        lines.append("  Everything mapped as the source says.")
    if each.replay is not None:
        lines += _replay(each.replay)
    if dry_run:
        lines += ["", f"  --- {each.path} (not written)"]
        lines += [f"  {line}".rstrip() for line in each.text.splitlines()]
    else:
        lines.append("  Wrote " + ", ".join(str(p) for p in each.written))
    return lines


def _replay(checked: Replay) -> list[str]:
    lines = [
        f"  Replay: {checked.agree:,} of {checked.hours:,} hours agree "
        f"({checked.first:%Y-%m-%d %H:%M}Z to {checked.last:%Y-%m-%d %H:%M}Z)."
    ]
    for run in checked.disagreements[:SHOWN_DISAGREEMENTS]:
        lines.append(
            f"  - {run.first:%Y-%m-%d %H:%M} for {run.count} hour(s): source "
            f"{_who(run.source)}, files {_who(run.files)}: {run.reason}"
        )
    more = len(checked.disagreements) - SHOWN_DISAGREEMENTS
    if more > 0:
        lines.append(f"  ... and {more} more run(s) of hours that differ")
    return lines


def _who(keys: tuple[str, ...]) -> str:
    return ", ".join(k.removeprefix("id:") for k in keys) or "nobody"
