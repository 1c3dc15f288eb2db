"""What `oncall repair` did, in one line per rotation."""

from __future__ import annotations

from collections.abc import Sequence

from oncall.core.store import BEGIN
from oncall.usecases.repair import Repaired


def summary(done: Sequence[Repaired]) -> str:
    if not done:
        return "nothing to repair: no change was interrupted"
    lines = []
    for each in done:
        if each.kind == BEGIN:
            what = f"an interrupted `plan --next-term` after the term starting {each.term}"
            if each.removed:
                removed = ", ".join(str(p) for p in each.removed)
                what += f": removed its unfinished copy {removed}; plan the next term again"
            else:
                what += ": it had written the new term; nothing else to do"
        else:
            what = f"an interrupted swap into the term starting {each.term}: carried it into "
            what += ", ".join(str(p) for p in each.rewritten) or "the later terms (unchanged)"
        lines.append(f"{each.rotation}: {what}")
    return "\n".join(lines)
