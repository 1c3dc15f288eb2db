"""What `oncall plan` says: the plan, its fairness, who moved and what history still breaks.

Plain aligned text for pipes, files and NO_COLOR, a rich table on a terminal
(``terminal.use_rich`` decides), or the stable versioned JSON object scripts read. rich is
imported only when drawing for a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from oncall.core.diff import people_moved
from oncall.render.feeds import calendar_line
from oncall.render.terminal import columns, pad, use_rich, width
from oncall.render.wish_report import wish_lines, wishes_json

if TYPE_CHECKING:
    from oncall.core.model import Rotation
    from oncall.core.quality import Quality
    from oncall.planner import Fairness
    from oncall.planner.results import DutyFairness
    from oncall.usecases.plan import Planned

JSON_VERSION = 1
HEADERS = ("Shift", "Primary (team)", "Shadow", "")
PLAIN_WIDTH = 100  # columns of the fairness grid when not drawing for a terminal


def print_report(items: Sequence[Planned], stream: TextIO) -> None:
    """Every rotation's report, a blank line apart: rich on a terminal, else plain text."""
    fancy = use_rich(stream)
    for number, item in enumerate(items):
        if number:
            stream.write("\n")
        if fancy:
            _print_rich(item, stream)
        else:
            stream.write("\n".join(report_lines(item)) + "\n")


def fairness_members(fairness: Fairness) -> list[str]:
    """Counted members, then anyone else who shadows (a newcomer not yet counted)."""
    counted = set(fairness.counted)
    extra = sorted(h for h in fairness.shadow_load if h not in counted)
    return [*fairness.counted, *extra]


def _people(item: Planned, handles: Sequence[str]) -> str:
    parts = []
    for handle in handles:
        member = item.rotation.member(handle)
        parts.append(f"{handle} ({member.team})" if member else handle)
    return ", ".join(parts)


def _rows(item: Planned) -> list[tuple[str, str, str, str]]:
    kept = set(item.kept)
    changed = {(c.start, c.end) for c in item.changes}
    rows = []
    for shift in item.schedule.shifts:
        dates = (
            shift.start.isoformat()
            if shift.start == shift.end
            else f"{shift.start.isoformat()}..{shift.end.isoformat()}"
        )
        note = "kept" if shift in kept else "changed" if (shift.start, shift.end) in changed else ""
        rows.append((dates, _people(item, shift.primary), ", ".join(shift.shadow), note))
    return rows


def _headline(item: Planned) -> str:
    rotation = item.rotation
    shifts = len(item.schedule.shifts)
    term = item.schedule.term
    text = f"{rotation.id}: term {term}, {shifts} shift{'s' * (shifts != 1)}"
    if item.previous is not None and item.plan_from is not None:
        text += f", re-planned from {item.plan_from.isoformat()} ({len(item.kept)} kept)"
    if item.written is not None:
        text += f"; wrote {item.written}"
    else:
        text += "; dry run, nothing written"
    return text


def _fairness_lines(item: Planned, line_width: int = PLAIN_WIDTH) -> list[str]:
    fairness = item.fairness
    counted = set(fairness.counted)
    lines = [
        "Fairness: primary/shadow shifts per member, expected share in brackets "
        f"({len(counted)} counted"
        + ("; * not counted" if len(fairness_members(fairness)) > len(counted) else "")
        + ")"
    ]
    cells = [
        f"{h}{'' if h in counted else '*'} "
        f"{fairness.load.get(h, 0)}/{fairness.shadow_load.get(h, 0)}"
        + (f" ({fairness.expected[h]})" if h in fairness.expected else "")
        for h in fairness_members(fairness)
    ]
    column = max((width(cell) for cell in cells), default=0) + 2
    per_line = max(1, (line_width - 2) // column)
    for first in range(0, len(cells), per_line):
        chunk = cells[first : first + per_line]
        lines.append("  " + "".join(pad(cell, column) for cell in chunk).rstrip())
    if fairness.idle:
        lines.append(
            "  not counted, can take no shift: "
            + ", ".join(f"{h} ({why})" for h, why in fairness.idle.items())
        )
    verdict = (
        "proven optimal: the rules allow no smaller spread"
        if fairness.spread == fairness.best_possible
        else f"not proven optimal: the rules might allow {fairness.best_possible}"
    )
    lines.append(
        f"  spread (most - fewest primary shifts{_over_share(fairness.expected)}): "
        f"{fairness.spread}, {verdict}"
    )
    if fairness.duty is not None:
        lines += _duty_lines(fairness.duty, line_width)
    if fairness.carried:
        sources = ["earlier terms (the ledger)"] if item.schedule.ledger else []
        if item.swaps_counted:
            sources.append("the swaps and covers kept (days given away count minus)")
        lines.append(
            f"  counts include {' and '.join(sources)}, in shifts of this term: "
            + ", ".join(f"{h} {n}" for h, n in sorted(fairness.carried.items()))
        )
    if item.kept_as is not None:
        lines.append(f"  the previous term is kept as {item.kept_as}")
    if item.rotation.shift.people > 1 and fairness.shifts:
        rate = 100 * fairness.distinct_team_shifts / fairness.shifts
        claim = {True: ", proven most possible", False: ", best found", None: ""}[
            fairness.distinct_teams_proven
        ]
        possible = fairness.distinct_teams_possible
        if fairness.distinct_teams_proven is False and possible is not None:
            claim += f": at most {possible} possible at this spread"
        lines.append(
            f"  primaries from distinct teams: {fairness.distinct_team_shifts} of "
            f"{fairness.shifts} shifts ({rate:.0f}%{claim})"
        )
    return lines


def _change_lines(item: Planned) -> list[str]:
    if item.previous is None:
        return []
    covers = [
        f"  {c.day}: {c.into} covers {c.out} (on leave) in a running shift; tell {c.into}"
        for c in item.day_covers
    ]
    if not item.changes:
        return ["Changes: one-day covers given:", *covers] if covers else [
            "Changes: nobody's shifts changed."
        ]
    if covers:
        return [*_shift_change_lines(item), "One-day covers given:", *covers]
    return _shift_change_lines(item)


def _shift_change_lines(item: Planned) -> list[str]:
    moved = people_moved(list(item.changes))
    lines = [f"Changes (tell {', '.join(moved)}):"]
    if item.previous_assignments:
        lines[0] = (
            f"Changes: {item.kept_assignments} of {item.previous_assignments} planned "
            f"assignments kept; tell {', '.join(moved)}:"
        )
    lines += [f"  {change.describe()}" for change in item.changes]
    return lines


def _elsewhere_lines(item: Planned) -> list[str]:
    """Whom the plan kept off which days because of their duty in another rotation."""
    if not item.elsewhere:
        return []
    days: dict[tuple[str, str], list[str]] = {}
    for each in item.elsewhere:
        days.setdefault((each.handle, each.rotation), []).append(each.day.isoformat())
    lines = ["Kept clear of duty in other rotations (overlapping hours):"]
    lines += [
        f"  {handle}: {', '.join(dates)} ({rotation})"
        for (handle, rotation), dates in days.items()
    ]
    return lines


def _notice_lines(item: Planned) -> list[str]:
    """What ``rules.notice`` kept as it was, and the option that re-plans it too."""
    held = item.notice
    if held is None:
        return []
    return [
        f"Notice ({held.days} days): {held.shifts} shift(s) starting before {held.until} "
        "kept as people were told (plan --inside-notice re-plans them too)"
    ]


def _notes(item: Planned) -> tuple[list[str], ...]:
    """The blocks after fairness, in the order both the plain and the rich report show."""
    return (
        quality_lines(item),
        _change_lines(item),
        [calendar_line(item.calendars)],
        _earlier_lines(item),
        _notice_lines(item),
        wish_lines(item),
        _elsewhere_lines(item),
        _carried_lines(item),
        _warning_lines(item),
    )


def _earlier_lines(item: Planned) -> list[str]:
    """The earlier terms with days to serve re-planned in the same run (the term still
    running after `plan --next-term`; with --next-term, the current term a roster edit
    broke): which, where, from when, and who moved."""
    lines: list[str] = []
    for each in item.earlier:
        where = each.written or each.schedule_path
        lines.append(
            f"Also re-planned: the term {each.schedule.term} in {where}, from "
            f"{each.plan_from} ({len(each.kept)} kept)"
        )
        lines += [f"  {line}" for line in _change_lines(each)]
        lines.append(f"  {calendar_line(each.calendars)}")
    return lines


def plan_quality(item: Planned) -> Quality:
    """The written plan's score (``core.quality``), on the days off `plan` stored."""
    from oncall.core.duty_calendar import calendar_from
    from oncall.core.quality import quality
    from oncall.core.rules import eligible_members

    term = item.schedule.term
    calendar = calendar_from(
        item.rotation, term.start, term.end, item.schedule.days_off or {}, term
    )
    counted = [m.handle for m in eligible_members(item.rotation, term)]
    return quality(item.rotation, calendar, item.schedule, counted)


def quality_lines(item: Planned) -> list[str]:
    """The score, then one line per cause of lost points (as `oncall report` prints)."""
    found = plan_quality(item)
    head = f"Plan quality: {found.score}/100" + ("" if found.lost else " (nothing lost)")
    return [head, *(f"  {lost}" for lost in found.lost)]


def _warning_lines(item: Planned) -> list[str]:
    if not item.warnings:
        return []
    return ["Warnings:", *(f"  {warning.describe()}" for warning in item.warnings)]


def _carried_lines(item: Planned) -> list[str]:
    if not item.carried:
        return []
    lines = [
        f"Note: the kept history and overrides still break {len(item.carried)} rule(s); "
        "re-planning never drops them (see `oncall validate`):"
    ]
    lines += [f"  {violation.describe()}" for violation in item.carried]
    return lines


def report_lines(item: Planned) -> list[str]:
    """The whole report as plain aligned text, for pipes, files and NO_COLOR."""
    lines = [_headline(item), "", *columns(HEADERS, _rows(item))]
    for block in (_fairness_lines(item), *_notes(item)):
        if block:
            lines += ["", *block]
    return lines


def _print_rich(item: Planned, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, markup=False, highlight=False, emoji=False)
    console.print(Text(_headline(item), style="bold"))
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for title in HEADERS:
        table.add_column(title)
    for dates, primary, shadow, note in _rows(item):
        table.add_row(Text(dates), Text(primary), Text(shadow), Text(note, style="dim"))
    console.print(table)
    fairness = _fairness_lines(item, console.width)
    for block in (fairness, *_notes(item)):
        if block:
            console.print()
            console.print(Text(block[0], style="bold"), soft_wrap=True)
            for line in block[1:]:
                console.print(Text(line), soft_wrap=True)


# ---- JSON -----------------------------------------------------------------------------------


def _person(rotation: Rotation, handle: str) -> dict[str, str | None]:
    member = rotation.member(handle)
    return {
        "handle": handle,
        "name": member.name if member else None,
        "team": member.team if member else None,
    }


_UNIT = {"days": "duty days", "hours": "duty hours"}


def _over_share(expected: dict[str, int]) -> str:
    """How the spread is measured when shares differ (someone present for part of the
    term): over each member's expected share; with equal shares the plain words hold."""
    return " less share" if len(set(expected.values())) > 1 else ""


def _amount(unit: str, value: int) -> str:
    """Days as they are; hours (kept in minutes) with one decimal when not whole."""
    if unit != "hours":
        return str(value)
    return f"{value / 60:.1f}".removesuffix(".0")


def _duty_lines(duty: DutyFairness, line_width: int) -> list[str]:
    """Fairness in the rotation's unit (``rules.fairness``), below the shift counts."""
    name = _UNIT[duty.unit]
    cells = [
        f"{h} {_amount(duty.unit, n)}"
        + (f" ({_amount(duty.unit, duty.expected[h])})" if h in duty.expected else "")
        for h, n in duty.load.items()
    ]
    column = max((width(cell) for cell in cells), default=0) + 2
    per_line = max(1, (line_width - 2) // column)
    lines = [
        f"  {name} per member, expected share in brackets (what fairness balances, "
        f"rules.fairness: {duty.unit}):"
    ]
    for first in range(0, len(cells), per_line):
        chunk = cells[first : first + per_line]
        lines.append("    " + "".join(pad(cell, column) for cell in chunk).rstrip())
    if duty.proven_optimal:
        verdict = "proven optimal: the rules allow no smaller spread"
    elif duty.bounded:
        verdict = f"best found: the rules might allow {_amount(duty.unit, duty.best_possible)}"
    else:
        verdict = "best found (with one-day covers no bound is proven)"
    lines.append(
        f"  spread (most - fewest {name}{_over_share(duty.expected)}): "
        f"{_amount(duty.unit, duty.spread)}, {verdict}"
    )
    return lines


def duty_json(duty: DutyFairness | None) -> dict[str, object] | None:
    if duty is None:
        return None

    def amount(value: int) -> int | float:
        """Days as they are; hours, kept in minutes, as a number of hours."""
        return value / 60 if duty.unit == "hours" else value

    return {
        "unit": duty.unit,
        "load": {h: amount(n) for h, n in duty.load.items()},
        "expected": {h: amount(n) for h, n in duty.expected.items()},
        "spread": amount(duty.spread),
        "best_possible": amount(duty.best_possible),
        "optimal": duty.proven_optimal,
    }


def fairness_json(fairness: Fairness) -> dict[str, object]:
    members = fairness_members(fairness)
    return {
        "counted": list(fairness.counted),
        "load": {h: fairness.load.get(h, 0) for h in members},
        "shadow_load": {h: fairness.shadow_load.get(h, 0) for h in members},
        # Each counted member's share of the term's shifts, pro-rated to days present.
        "expected": dict(fairness.expected),
        "spread": fairness.spread,
        "best_possible": fairness.best_possible,
        "optimal": fairness.spread == fairness.best_possible,
        "distinct_team_shifts": fairness.distinct_team_shifts,
        # distinct_teams preferred: whether no fairest plan has more (null otherwise).
        "distinct_team_shifts_proven": fairness.distinct_teams_proven,
        # The most any plan at this spread could have, by a proven bound (null: not
        # preferred).
        "distinct_team_shifts_possible": fairness.distinct_teams_possible,
        "shifts": fairness.shifts,
        "carried": dict(sorted(fairness.carried.items())),
        # Eligible members who can take no shift: handle -> why (not counted, no load).
        "idle": dict(fairness.idle),
        "duty": duty_json(fairness.duty),
    }


def _quality_json(found: Quality) -> dict[str, object]:
    return {"score": found.score,
            "lost": [{"points": x.points, "reason": x.reason} for x in found.lost]}


def as_json(item: Planned) -> dict[str, object]:
    """The stable, versioned object `oncall plan --format json` prints per rotation."""
    rotation = item.rotation
    kept = set(item.kept)
    return {
        "version": JSON_VERSION,
        "rotation": rotation.id,
        "term": {"start": item.schedule.term.start.isoformat(),
                 "end": item.schedule.term.end.isoformat()},
        "from": item.plan_from.isoformat() if item.plan_from else None,
        "shifts": [
            {
                "start": shift.start.isoformat(),
                "end": shift.end.isoformat(),
                "primary": [_person(rotation, h) for h in shift.primary],
                "shadow": [_person(rotation, h) for h in shift.shadow],
                "kept": shift in kept,
            }
            for shift in item.schedule.shifts
        ],
        "fairness": fairness_json(item.fairness),
        "quality": _quality_json(plan_quality(item)),
        "changes": [
            {
                "start": change.start.isoformat(),
                "end": change.end.isoformat(),
                "left": [{"handle": s.handle, "role": s.role} for s in change.left],
                "joined": [{"handle": s.handle, "role": s.role} for s in change.joined],
            }
            for change in item.changes
        ],
        "elsewhere": [
            {"handle": e.handle, "date": e.day.isoformat(), "rotation": e.rotation}
            for e in item.elsewhere
        ],
        "calendars": {"team": item.calendars.team, "people": list(item.calendars.people)},
        "kept_assignments": item.kept_assignments,
        "previous_assignments": item.previous_assignments,
        "warnings": [
            {"rule": w.rule, "people": list(w.people), "message": w.message}
            for w in item.warnings
        ],
        "carried_violations": [
            {
                "rule": v.rule,
                "dates": [day.isoformat() for day in v.dates],
                "people": list(v.people),
                "message": v.message,
            }
            for v in item.carried
        ],
        "written": str(item.written) if item.written is not None else None,
        # The earlier terms with days to serve re-planned in the same run, oldest first.
        "earlier": [as_json(each) for each in item.earlier],
        "notice": None if item.notice is None else {
            "days": item.notice.days, "until": item.notice.until.isoformat(),
            "kept_shifts": item.notice.shifts,
        },
        "wishes": wishes_json(item),
    }
