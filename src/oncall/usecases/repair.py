"""`oncall repair`: finish a change that takes two writes and was cut between them.

Beginning a term keeps the current file and writes the next term; a swap into an earlier
term that is still running writes that term, then carries it into the later terms'
ledgers. A kill between the two writes leaves a note (``ScheduleStore.pending``). Repair
finishes the change: an unfinished copy of the current term is removed (the next term was
never written, so `plan --next-term` can simply run again), and a swap's ledgers are
carried. `plan` and `swap` repair first, under the same lock, so the lead rarely needs the
command; `validate` names it. ``--ledgers`` carries every ledger again from the kept terms,
for a lead who corrected a kept term by hand (`validate` names it with the mismatch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oncall.core.store import BEGIN, CARRY, ScheduleStore, StoredTerm
from oncall.usecases.terms import carry_forward


@dataclass(frozen=True)
class Repaired:
    """One interrupted change, finished."""

    rotation: str
    kind: str  # core.store.BEGIN or CARRY
    term: date  # the first day of the term it concerned
    removed: tuple[Path, ...]  # unfinished copies deleted
    rewritten: tuple[Path, ...]  # ledgers carried


def finish_interrupted(current: StoredTerm) -> Repaired | None:
    """Finish ``current``'s interrupted change, if there is one; the caller holds the lock."""
    found = current.store.pending(current.path)
    if found is None:
        return None
    kind, start = found
    rewritten = carry_forward(current) if kind != BEGIN and current.schedule else []
    removed = current.store.settle(current)
    return Repaired(current.rotation.id, kind, start, tuple(removed), tuple(rewritten))


def repair(store: ScheduleStore, *, ledgers: bool = False) -> list[Repaired]:
    """Every named rotation's interrupted change, finished under the store's lock; with
    ``ledgers``, every later term's ledger carried again from the kept terms (after a
    kept term was corrected by hand: the lead says the kept files are right)."""
    paths = store.rotation_sources()
    found = []
    with store.locked(paths):
        for path in paths:
            done = None
            if store.pending(path) is not None:
                done = finish_interrupted(store.open(path))
            if ledgers:
                current = store.open(path, require_schedule=True)
                rewritten = tuple(carry_forward(current, upgrade=True))
                if rewritten and done is None:
                    done = Repaired(current.rotation.id, CARRY, current.term.start,
                                    (), rewritten)
            if done is not None:
                found.append(done)
    return found
