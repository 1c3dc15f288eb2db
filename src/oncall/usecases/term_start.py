"""What `oncall plan --start D` may do beside the terms already planned.

A schedule file holds one term, and its served days are the record of who served. So
``--start`` never replaces a term that has days still to serve (running, or planned and
not started) nor lands inside a kept term (``X.terms/``): those are refused with the
command that does what the lead most likely wants (``--next-term`` to plan the term after,
``--from`` to re-plan the rest of the running one). ``--start`` with the current term's own
start re-plans it (a new ``--end`` included). After the current term has ended, every day
of it served, ``--start`` plans the next term as ``--next-term`` does: the current file is
kept in ``X.terms/`` and the ledger carried, so no history is lost (``FOLLOWS``).
"""

from __future__ import annotations

from datetime import date, timedelta

from oncall.core.errors import InputError
from oncall.core.store import StoredTerm

SAME = "same"  # --start names the current term: re-plan it
FOLLOWS = "follows"  # --start after a finished current term: plan it as the next term


def start_over(stored: StoredTerm, start: date, today: date) -> str:
    """What ``--start start`` means beside the stored current term: ``SAME`` or
    ``FOLLOWS``; anything that would replace days still to serve or overlap a kept term is
    refused (exit 2, nothing written)."""
    assert stored.schedule is not None
    current, schedule_path = stored.schedule.term, stored.schedule_path
    if start == current.start:
        return SAME
    after = current.end + timedelta(days=1)
    if start < current.start:
        kept = stored.on(start)  # the kept term that holds the day, if one does
        if kept is not stored:
            raise InputError(
                f"--start {start} lies inside the kept term {kept.term} "
                f"({kept.schedule_path}); a kept term is never rewritten, and nothing was "
                "written",
                hint=f"plan the term after the current one with `oncall plan --next-term` "
                f"(from {after})",
            )
    if start < current.start:
        raise InputError(
            f"--start {start} is before the current term {current} in {schedule_path}; "
            "planning it would replace that term, and nothing was written",
            hint=f"plan the term after the current one with `oncall plan --next-term` "
            f"(from {after})",
        )
    if current.end < today:
        if start <= current.end:
            raise InputError(
                f"--start {start} lies inside the finished term {current} in "
                f"{schedule_path}; nothing was written",
                hint=f"plan the term after it with `oncall plan --next-term` "
                f"(from {after})",
            )
        return FOLLOWS
    running = current.start <= today
    state = f"is running (until {current.end})" if running else "is planned and not started yet"
    follow = f"`oncall plan --next-term` plans the term after it (from {after})"
    if running and today <= start <= current.end:
        again = f"`oncall plan --from {start}` re-plans this one from {start}"
    elif running:
        again = "`oncall plan` re-plans the rest of this one (from today)"
    else:
        again = "`oncall plan` re-plans this one"
    raise InputError(
        f"--start {start}: the term {current} in {schedule_path} {state}; a term from "
        f"{start} would replace it (served days and its ledger included), so nothing was "
        "written",
        hint=f"{follow}; {again}",
    )
