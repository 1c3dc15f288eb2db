"""`oncall plan`: plan the term, write the schedule, show the plan, its fairness and who moved.

Only typer and the standard library are imported here at start-up; the planner, the
holiday tables and rich are imported when the command runs.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from oncall.cli.app import NowOpt, RotationsArg, ScheduleOpt

if TYPE_CHECKING:
    from oncall.usecases.planning import Planned

FORMATS = ("text", "json")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to ``app``."""
    app.command("plan")(plan_command)


def plan_command(
    rotations: RotationsArg = None,
    start: Annotated[
        str | None,
        typer.Option("--start", help="Term start (overrides the file's term.start).", metavar="D"),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="Term end, inclusive (overrides the file's term).", metavar="D"),
    ] = None,
    plan_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Re-plan shifts starting on or after this day; earlier shifts of the existing "
            "schedule are kept and count towards fairness (default: today). Without an existing "
            "schedule the whole term is planned.",
            metavar="D",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Tie-breaking seed: same inputs and seed, same plan.")
    ] = 0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan without writing the schedule.")
    ] = False,
    schedule: ScheduleOpt = None,
    now: NowOpt = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="text, or json (one versioned object per rotation).",
            metavar="text|json",
        ),
    ] = "text",
) -> None:
    """Plan the term and write the schedule; keep history before --from and every override.

    Prints the plan, a fairness summary and, when re-planning, who moved. Exit 3 when the
    rules cannot all hold (nothing is written).
    """
    from oncall.core.errors import InputError
    from oncall.usecases.planning import PlanOptions, plan_files
    from oncall.usecases.workspace import rotation_paths

    if output_format not in FORMATS:
        raise InputError(
            f"--format: found {output_format!r}, expected one of: {', '.join(FORMATS)}"
        )
    options = PlanOptions(
        schedule=schedule, start=start, end=end, plan_from=plan_from, seed=seed, now=now
    )
    results = plan_files(rotation_paths(rotations), options, dry_run=dry_run)
    if output_format == "json":
        from oncall.usecases.planning import as_json

        for item in results:
            json.dump(as_json(item), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        return
    fancy = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for number, item in enumerate(results):
        if number:
            sys.stdout.write("\n")
        if fancy:
            _print_rich(item)
        else:
            sys.stdout.write("\n".join(report_lines(item)) + "\n")


# ---- text -----------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


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
    text = f"{rotation.rotation}: term {rotation.term}, {shifts} shift{'s' * (shifts != 1)}"
    if item.previous is not None and item.plan_from is not None:
        text += f", re-planned from {item.plan_from.isoformat()} ({len(item.kept)} kept)"
    if item.written is not None:
        text += f"; wrote {item.written}"
    else:
        text += "; dry run, nothing written"
    return text


def _fairness_lines(item: Planned, width: int = 100) -> list[str]:
    from oncall.usecases.planning import fairness_members

    fairness = item.fairness
    counted = set(fairness.counted)
    lines = [
        f"Fairness: primary/shadow shifts per member ({len(counted)} counted"
        + ("; * not counted" if len(fairness_members(fairness)) > len(counted) else "")
        + ")"
    ]
    cells = [
        f"{h}{'' if h in counted else '*'} "
        f"{fairness.load.get(h, 0)}/{fairness.shadow_load.get(h, 0)}"
        for h in fairness_members(fairness)
    ]
    column = max((_width(cell) for cell in cells), default=0) + 2
    per_line = max(1, (width - 2) // column)
    for first in range(0, len(cells), per_line):
        chunk = cells[first : first + per_line]
        lines.append("  " + "".join(_pad(cell, column) for cell in chunk).rstrip())
    verdict = (
        "proven optimal: the rules allow no smaller spread"
        if fairness.spread == fairness.best_possible
        else f"not proven optimal: the rules might allow {fairness.best_possible}"
    )
    lines.append(f"  spread (most - fewest primary shifts): {fairness.spread}, {verdict}")
    if item.rotation.shift.people > 1 and fairness.shifts:
        rate = 100 * fairness.distinct_team_shifts / fairness.shifts
        lines.append(
            f"  primaries from distinct teams: {fairness.distinct_team_shifts} of "
            f"{fairness.shifts} shifts ({rate:.0f}%)"
        )
    return lines


def _change_lines(item: Planned) -> list[str]:
    if item.previous is None:
        return []
    if not item.changes:
        return ["Changes: nobody's shifts changed."]
    from oncall.core.diff import people_moved

    moved = people_moved(list(item.changes))
    lines = [f"Changes (tell {', '.join(moved)}):"]
    if item.previous_assignments:
        lines[0] = (
            f"Changes: {item.kept_assignments} of {item.previous_assignments} planned "
            f"assignments kept; tell {', '.join(moved)}:"
        )
    lines += [f"  {change.describe()}" for change in item.changes]
    return lines


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
    header = ("Shift", "Primary (team)", "Shadow", "")
    rows = [header, *_rows(item)]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = [_headline(item), ""]
    for row in rows:
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
    for block in (_fairness_lines(item), _change_lines(item), _carried_lines(item)):
        if block:
            lines += ["", *block]
    return lines


def _print_rich(item: Planned, out: TextIO | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out or sys.stdout, markup=False, highlight=False, emoji=False)
    console.print(Text(_headline(item), style="bold"))
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for title in ("Shift", "Primary (team)", "Shadow", ""):
        table.add_column(title)
    for dates, primary, shadow, note in _rows(item):
        table.add_row(Text(dates), Text(primary), Text(shadow), Text(note, style="dim"))
    console.print(table)
    fairness = _fairness_lines(item, console.width)
    for block in (fairness, _change_lines(item), _carried_lines(item)):
        if block:
            console.print()
            console.print(Text(block[0], style="bold"), soft_wrap=True)
            for line in block[1:]:
                console.print(Text(line), soft_wrap=True)
