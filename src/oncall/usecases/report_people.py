"""`oncall report`'s people: each person's duty across the rotations reported.

Two members of different rotations are one person when ``core.overlap.people`` says so
(a shared handle, email or chat id). Their duty in the period adds up; a handle no roster
holds any more (someone who left) is a person of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oncall.core.duty_hours import Hours
from oncall.core.overlap import people as identities
from oncall.core.served import Served
from oncall.usecases.report import RotationReport


@dataclass
class PersonReport:
    """One person's duty in the period, over every rotation reported."""

    handles: tuple[str, ...]
    name: str
    rotations: list[str] = field(default_factory=list)
    served: Served = field(default_factory=Served)
    planned: Served = field(default_factory=Served)
    hours_served: Hours = field(default_factory=Hours)
    hours_planned: Hours = field(default_factory=Hours)
    covers_given: int = 0
    covers_taken: int = 0

    @property
    def total(self) -> Served:
        return self.served + self.planned

    @property
    def hours(self) -> Hours:
        return self.hours_served.plus(self.hours_planned)


def people(reports: Sequence[RotationReport]) -> list[PersonReport]:
    """Everyone with duty in the period or in a roster, by person, in first-seen order."""
    identity = identities({r.rotation: r.roster for r in reports})
    found: dict[tuple[str, ...], PersonReport] = {}
    for report in reports:
        handles = list(report.names)
        handles += sorted({h for t in report.terms for h in t.duty} - set(report.names))
        for handle in handles:
            key = identity.get((report.rotation, handle), (handle,))
            person = found.setdefault(
                key, PersonReport(key, report.names.get(handle, "(left)"))
            )
            person.rotations.append(report.rotation)
            for term in report.terms:
                person.served += term.served.get(handle, Served())
                person.planned += term.planned.get(handle, Served())
                person.hours_served = person.hours_served.plus(
                    term.hours_served.get(handle, Hours())
                )
                person.hours_planned = person.hours_planned.plus(
                    term.hours_planned.get(handle, Hours())
                )
                person.covers_given += term.covers_given.get(handle, 0)
                person.covers_taken += term.covers_taken.get(handle, 0)
    return list(found.values())
