"""An imported rotation as the commented YAML `oncall import` writes: every line that
came from the source says where (``# from data.rotations[0].length``), so a reviewer can
check it against the export; every value is quoted where YAML could read it as another
type, and the file loads with ``oncall.io.loading.load_rotation``."""

from __future__ import annotations

import json

from oncall.core.import_mapping import Layout
from oncall.core.model import WEEKDAYS


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _line(text: str, origin: str | None) -> str:
    if not origin:
        return text
    return f"{text:<40} # from {origin}"


def rotation_text(layout: Layout, fmt: str, files: str) -> str:
    o = layout.origins
    window = o.get("window")
    days = ", ".join(WEEKDAYS[d] for d in layout.days)
    end = "24:00" if layout.end == 1440 else f"{layout.end // 60:02d}:{layout.end % 60:02d}"
    start = f"{layout.start // 60:02d}:{layout.start % 60:02d}"
    lines = [
        f"# Imported by `oncall import {fmt}` from {files}.",
        "# Lines marked `from` came from the source at that path; the import report lists",
        "# what could not map and what was done instead. From now on, edit this file.",
        _line(f"rotation: {layout.rotation}", "the schedule's name"),
        f"description: {_q(layout.description)}",
        _line(f"timezone: {layout.timezone}", o.get("timezone")),
        "window:",
        _line(f"  days: [{days}]", window),
        _line(f'  start: "{start}"', window),
        _line(f'  end: "{end}"', window),
    ]
    if layout.closures:
        lines += [
            "holidays:",
            "  closures:                              # days the source had nobody on call",
            *(f"    - {span}" for span in layout.closures),
        ]
    unit = layout.unit
    lines += [
        "shift:",
        _line(f"  length: {layout.length}{unit}", o.get("shift")),
    ]
    if unit == "w":
        lines.append(_line(f"  handoff: {WEEKDAYS[layout.handoff]}", o.get("shift.handoff")))
    lines += [
        _line(f"  people: {layout.people}", o.get("shift.people")),
        "term:                                    # the last imported term",
        f"  start: {layout.first.isoformat()}",
        f"  end: {layout.last.isoformat()}",
        "rules:",
        "  distinct_teams: off                    # the source has no teams per person",
        "members:",
    ]
    team = _line(f"    team: {_q(layout.team)}", o.get("team"))
    for member in layout.members:
        lines += [
            _line(f"  - handle: {_q(member.handle)}", member.where),
            f"    name: {_q(member.name)}",
            team,
        ]
        if member.email:
            lines.append(f"    email: {_q(member.email)}")
        if member.left:
            lines.append(f"    left: {member.left.isoformat()}              # in overrides only")
    return "\n".join(lines) + "\n"
