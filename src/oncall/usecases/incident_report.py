"""`oncall report`'s alert figures, from the relay's incident log the rotation names
(``reminders.incidents_log``): per term, the alerts each person was mentioned for, the
time to acknowledge (median and worst, over the incidents acknowledged) and the
escalations. Kept apart from ``oncall.usecases.report`` (the duty figures) so each can
change on its own; ``oncall.render.incident_report`` words them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from statistics import median

from oncall.core.model import Term
from oncall.core.store import ScheduleStore
from oncall.io.incident_log import Incident, read_incidents


class TermAlerts:
    """One term's alert figures (seconds for the times to acknowledge)."""

    __slots__ = (
        "ack_median",
        "ack_worst",
        "acked",
        "alerts_by_person",
        "escalated",
        "escalations",
        "incidents",
        "term",
    )

    def __init__(self, term: Term, incidents: Sequence[Incident]) -> None:
        self.term = term
        self.incidents = len(incidents)
        counts: dict[str, int] = {}
        for incident in incidents:
            for handle in incident.mentioned:
                counts[handle] = counts.get(handle, 0) + 1
        self.alerts_by_person = dict(sorted(counts.items(), key=lambda c: (-c[1], c[0])))
        waits = [(i.acked_at - i.fired_at).total_seconds() for i in incidents
                 if i.acked_at is not None]
        self.acked = len(waits)
        self.ack_median: float | None = median(waits) if waits else None
        self.ack_worst: float | None = max(waits) if waits else None
        self.escalated = sum(1 for i in incidents if i.escalations)  # incidents escalated
        self.escalations = sum(i.escalations for i in incidents)  # steps fired in all


class RotationAlerts:
    """A rotation's alert figures per term, oldest first, and the log's unread lines."""

    __slots__ = ("log", "rotation", "skipped", "terms")

    def __init__(self, rotation: str, log: Path, terms: list[TermAlerts],
                 skipped: int) -> None:
        self.rotation = rotation
        self.log = log
        self.terms = terms
        self.skipped = skipped


def incident_report(store: ScheduleStore) -> dict[str, RotationAlerts]:
    """Each planned rotation that names an incident log: its figures for every term
    (an incident counts in the term holding the day it fired, in the rotation's zone)."""
    found: dict[str, RotationAlerts] = {}
    for current in store.planned():
        rotation = current.rotation
        path = rotation.reminders.incidents_log
        if path is None:
            continue
        read = read_incidents(path)
        own = [i for i in read.incidents if i.rotation == rotation.id]
        terms = []
        for each in store.terms(current):
            term = each.term
            terms.append(TermAlerts(term, [
                i for i in own if i.fired_at.astimezone(rotation.tz).date() in term]))
        found[rotation.id] = RotationAlerts(rotation.id, path, terms,
                                                  len(read.skipped))
    return found
