"""The replay behind `oncall import --check`: for every hour of the imported period, who
the source says is on call against who `oncall who` answers for the imported files.

`who` answers with ``oncall.core.duty.duty_at_terms``; so does the replay, over the same
terms, so an hour that agrees here is an hour `who` gets right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from oncall.core.duty import OnDuty, TermDuty, duty_at_terms
from oncall.core.imported import Source, hours


@dataclass(frozen=True)
class Disagreement:
    """A run of consecutive hours on which the source and the files differ."""

    first: datetime  # the first hour, in the rotation's zone
    last: datetime  # the last hour (its start)
    source: tuple[str, ...]  # person keys
    files: tuple[str, ...]  # person keys
    reason: str

    @property
    def count(self) -> int:
        return int((self.last - self.first).total_seconds() // 3600) + 1


@dataclass(frozen=True)
class Replay:
    """How many of the period's hours agree, and the runs that do not, in order."""

    rotation: str
    first: datetime
    last: datetime
    hours: int
    agree: int
    disagreements: tuple[Disagreement, ...]


def replay(
    source: Source,
    rotation: str,
    term_of: Callable[[date], TermDuty],
    keys: Mapping[str, str],
    first: datetime,
    last: datetime,
) -> Replay:
    """Compare every whole hour from ``first`` to before ``last``; ``keys`` maps each
    handle of the files back to the source's person key."""
    runs: list[Disagreement] = []
    agree = total = 0
    for moment in hours(first, last):
        total += 1
        said = tuple(sorted(source.said_at(moment)))
        answer = duty_at_terms(term_of, moment)
        files = tuple(sorted(keys.get(p.handle, p.handle) for p in answer.primary)) if (
            answer.on_duty
        ) else ()
        if said == files:
            agree += 1
            continue
        local = answer.moment or moment
        previous = runs[-1] if runs else None
        if (
            previous is not None and previous.source == said and previous.files == files
            and (local - previous.last).total_seconds() == 3600
        ):
            runs[-1] = Disagreement(previous.first, local, said, files, previous.reason)
        else:
            runs.append(Disagreement(local, local, said, files, _reason(answer, said, files)))
    return Replay(rotation, first, last, total, agree, tuple(runs))


def _reason(answer: OnDuty, said: tuple[str, ...], files: tuple[str, ...]) -> str:
    window = answer.window
    inside = answer.on_duty or (
        window is not None and answer.moment is not None
        and window[0] <= answer.moment < window[1]
    )
    if not files and said:
        if answer.day_off:
            return f"a day off in the files ({answer.day_off}), on call in the source"
        if not inside:
            return "outside the files' window; the source has someone on call"
        return "the files have nobody on duty"
    if files and not said:
        return "the source has nobody on call (a restriction or a gap); the files' window runs"
    if len(files) != len(said):
        return f"the source has {len(said)} on call, the files {len(files)}"
    return "the day is held by whoever the source has for most of its window"
