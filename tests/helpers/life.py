"""A folder of rotations driven through the real CLI, and every reader of it, for the tests
of a rotation's life (tests/test_rotation_life.py, tests/test_year_replay.py).

``Folder`` writes rotation files as plain YAML documents, runs `oncall` in this process
(``run`` checks that a refused command leaves every file byte for byte as it was), and
reads the same duty back from each reader: `who --format json`, `remind --today --format
json`, the site's JSON (`publish`), the team calendar (`export --format ics`) and the sheet
(`export --format csv`). A reader's answer for one day is a ``Duty``: the primaries and the
shadows, as sorted handle tuples. The checks here compute what they expect from the files
themselves (YAML and CSV), not through oncall's model.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import yaml

from tests.helpers.cli import Ran, run_in_process

Duty = tuple[tuple[str, ...], tuple[str, ...]]  # (primaries, shadows), each sorted
NOBODY: Duty = ((), ())
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
READERS = ("export", "publish", "who", "remind", "validate")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# "On duty: Ken (@ken, red, primary), Mei (@mei, green, shadow)" in an event's description.
ICS_PERSON = re.compile(r"@([A-Za-z0-9._-]+)(?:, [^,()]*)?, (primary|shadow)\)|"
                        r"@([A-Za-z0-9._-]+) \((primary|shadow)\)")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def minutes(text: str) -> int:
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def off_days(entry: Any) -> tuple[date, date] | None:
    """An ``unavailable`` entry as an inclusive date range (None for a weekday)."""
    if isinstance(entry, date):
        return entry, entry
    text = str(entry)
    if text in WEEKDAYS:
        return None
    first, _, last = text.partition("..")
    return date.fromisoformat(first), date.fromisoformat(last or first)


def member_off(member: dict[str, Any], day: date) -> str | None:
    """Why ``member`` (a YAML mapping) may not serve ``day``, or None."""
    if member.get("joined") is not None and day < as_date(member["joined"]):
        return "not joined yet"
    if member.get("left") is not None and day >= as_date(member["left"]):
        return "has left"
    for entry in member.get("unavailable") or ():
        span = off_days(entry)
        if span is None and WEEKDAYS[day.weekday()] == str(entry):
            return f"unavailable {entry}"
        if span is not None and span[0] <= day <= span[1]:
            return f"unavailable {entry}"
    if not member.get("volunteer", False):
        return "not a volunteer"
    return None


def member(handle: str, team: str, **extra: Any) -> dict[str, Any]:
    return {"handle": handle, "name": handle.title(), "team": team, "volunteer": True, **extra}


def rotation_doc(rid: str, window: tuple[str, str], shift: dict[str, Any],
                 roster: list[dict[str, Any]], length: str, *, distinct: str,
                 min_gap: int, start: date = date(2027, 1, 4)) -> dict[str, Any]:
    return {
        "rotation": rid, "timezone": "Asia/Tokyo", "language": "en",
        "window": {"days": ["mon", "tue", "wed", "thu", "fri"],
                   "start": window[0], "end": window[1]},
        "holidays": {"closures": []},
        "shift": shift,
        "term": {"start": start, "length": length},
        "rules": {"volunteers_only": True, "distinct_teams": distinct, "min_gap": min_gap},
        "onboarding": {"shadow_shifts": 1},
        "fallback": "@sre",
        "members": roster,
    }


def leave_ics(first: date, last: date, uid: str = "leave") -> str:
    """A calendar with one all-day busy event from ``first`` to ``last`` inclusive."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//oncall tests//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\n"
        f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}\r\n"
        "SUMMARY:Leave\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@dataclass
class Term:
    start: date
    end: date
    path: Path
    ledger: dict[str, dict[str, int]]


class Folder:
    """``root/rotations/`` and the commands run on it (``log`` lists them, for a report)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rotations = root / "rotations"
        self.rotations.mkdir(parents=True, exist_ok=True)
        self.log: list[str] = []  # the commands and edits that change files
        self.last_read = ""
        self.parsed: dict[str, Any] = {}

    # -- files ------------------------------------------------------------------------
    def path(self, rid: str) -> Path:
        return self.rotations / f"{rid}.yaml"

    def rids(self) -> list[str]:
        return sorted(p.name[:-5] for p in self.rotations.glob("*.yaml")
                      if not p.name.endswith(".schedule.yaml"))

    def doc(self, rid: str) -> dict[str, Any]:
        return yaml.safe_load(self.path(rid).read_text(encoding="utf-8"))

    def write(self, rid: str, doc: dict[str, Any], why: str = "") -> None:
        self.path(rid).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
                                  encoding="utf-8")
        if why:
            self.log.append(f"# edit rotations/{rid}.yaml: {why}")

    def planned(self) -> list[str]:
        """The rotations that have a schedule."""
        return [rid for rid in self.rids() if (self.rotations / f"{rid}.schedule.yaml").exists()]

    def planned_args(self) -> list[str]:
        return [f"rotations/{rid}.yaml" for rid in self.planned()]

    def snapshot(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.root)): p.read_bytes()
                for p in sorted(self.rotations.rglob("*")) if p.is_file()}

    def schedule(self, path: Path) -> dict[str, Any]:
        """A schedule file as YAML data (parsed once per content: they are large)."""
        text = path.read_text(encoding="utf-8")
        if text not in self.parsed:
            self.parsed[text] = yaml.load(text, Loader=LOADER)
        return self.parsed[text]

    def terms(self, rid: str) -> list[Term]:
        """Every term of ``rid``, kept ones first, in order; the current one last."""
        files = sorted((self.rotations / f"{rid}.terms").glob("*.schedule.yaml"))
        current = self.rotations / f"{rid}.schedule.yaml"
        found = []
        for path in [*files, *([current] if current.exists() else [])]:
            data = self.schedule(path)
            term = data["term"]
            found.append(Term(as_date(term["start"]), as_date(term["end"]), path,
                              data.get("ledger") or {}))
        return found

    # -- running ----------------------------------------------------------------------
    def run(self, *args: str, ok: tuple[int, ...] = (0,)) -> Ran:
        """`oncall ARGS` in the folder. Any exit is allowed that is in ``ok`` or a refusal
        (1, 2, 3) that left every file byte for byte as it was; never a traceback."""
        line = "oncall " + " ".join(args)
        if args[0] in READERS:
            self.last_read = line
        else:
            self.log.append(line)
        before = self.snapshot()
        ran = run_in_process(*args, cwd=self.root)
        assert "Traceback" not in ran.stderr, self.report(ran)
        if ran.returncode not in ok:
            assert ran.returncode in (1, 2, 3), self.report(ran)
            assert self.snapshot() == before, "a refused command changed files\n" + self.report(ran)
        return ran

    def report(self, ran: Ran | None = None, tail: int = 60) -> str:
        lines = ["commands so far (cd into a folder holding rotations/):", *self.log[-tail:],
                 f"last read: {self.last_read}"]
        if ran is not None:
            lines += [f"exit {ran.returncode}", "stdout:", ran.stdout[-3000:],
                      "stderr:", ran.stderr[-3000:]]
        return "\n".join(lines)

    def json_lines(self, *args: str, ok: tuple[int, ...] = (0,)) -> dict[str, dict[str, Any]]:
        ran = self.run(*args, ok=ok)
        assert ran.returncode in ok, self.report(ran)
        return {d["rotation"]: d for d in map(json.loads, ran.stdout.splitlines()) if d}

    # -- readers ----------------------------------------------------------------------
    def csv_rows(self, rid: str, now: datetime) -> list[dict[str, str]]:
        ran = self.run("export", f"rotations/{rid}.yaml", "--format", "csv", "--raw",
                       "--now", stamp(now))
        assert ran.returncode == 0, self.report(ran)
        return list(csv.DictReader(io.StringIO(ran.stdout)))

    def ics_days(self, rid: str, now: datetime) -> dict[date, Duty]:
        ran = self.run("export", f"rotations/{rid}.yaml", "--format", "ics", "--now", stamp(now))
        assert ran.returncode == 0, self.report(ran)
        days: dict[date, Duty] = {}
        for event in icalendar.Calendar.from_ical(ran.stdout).walk("VEVENT"):
            if str(event.get("STATUS", "CONFIRMED")) == "CANCELLED":
                continue
            day = event.decoded("DTSTART").date()
            assert day not in days, f"{rid}: two live events on {day}\n" + self.report()
            text = str(event.get("DESCRIPTION", "")).split("\n")[0]
            people = [(m[0] or m[2], m[1] or m[3]) for m in ICS_PERSON.findall(text)]
            days[day] = roles(people)
        return days

    def site(self, now: datetime) -> dict[str, dict[str, Any]]:
        out = self.root / "site"
        ran = self.run("publish", str(out), *self.planned_args(), "--now", stamp(now))
        assert ran.returncode == 0, self.report(ran)
        return {rid: json.loads((out / rid / f"{rid}.json").read_text(encoding="utf-8"))
                for rid in self.planned()}

    def who(self, at: datetime, now: datetime) -> dict[str, dict[str, Any]]:
        return self.json_lines("who", *self.planned_args(), "--now", stamp(now), "--at", stamp(at),
                               "--format", "json")

    def remind(self, now: datetime) -> dict[str, dict[str, Any]]:
        # Exit 5: a rotation's last planned term has ended (the others still answer).
        return self.json_lines("remind", *self.planned_args(), "--today", "--now", stamp(now),
                               "--format", "json", ok=(0, 5))

    def validate(self, now: datetime) -> dict[str, Any]:
        ran = self.run("validate", *self.planned_args(), "--now", stamp(now), "--format", "json",
                       ok=(0, 1))
        return json.loads(ran.stdout)


def roles(people: Iterable[tuple[str, str]]) -> Duty:
    people = list(people)
    return (tuple(sorted(h for h, r in people if r == "primary")),
            tuple(sorted(h for h, r in people if r == "shadow")))


def csv_days(rows: list[dict[str, str]]) -> dict[date, Duty]:
    grouped: dict[date, list[tuple[str, str]]] = {}
    for row in rows:
        grouped.setdefault(date.fromisoformat(row["date"]), []).append((row["handle"], row["role"]))
    return {day: roles(people) for day, people in grouped.items()}


def json_duty(answer: dict[str, Any] | None) -> Duty:
    """A `who`/`remind` JSON object (or the site's `now`/`next`) as a Duty."""
    if answer is None or not answer.get("on_duty"):
        return NOBODY
    return (tuple(sorted(p["handle"] for p in answer["primary"])),
            tuple(sorted(p["handle"] for p in answer["shadow"])))


def site_days(site: dict[str, Any]) -> dict[date, Duty]:
    return {date.fromisoformat(d["date"]): (tuple(sorted(d["primary"])), tuple(sorted(d["shadow"])))
            for d in site["schedule"]["days"] if d["duty"]}


def window_of(doc: dict[str, Any]) -> tuple[int, int]:
    return minutes(doc["window"]["start"]), minutes(doc["window"]["end"])


def overlapping(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two same-zone rotations' windows share an instant on a day (no overnight)."""
    (a0, a1), (b0, b1) = window_of(a), window_of(b)
    return a0 < b1 and b0 < a1


def mid_window(doc: dict[str, Any], day: date) -> datetime:
    start, end = window_of(doc)
    middle = (start + end) // 2
    return datetime.combine(day, time(middle // 60, middle % 60))


def ledger_errors(folder: Folder, rid: str, rows: list[dict[str, str]]) -> list[str]:
    """Each term's stored ledger against the primary days (and minutes) the sheet shows
    for every earlier term."""
    doc = folder.doc(rid)
    start, end = window_of(doc)
    errors = []
    served: dict[str, int] = {}
    terms = folder.terms(rid)
    for index, term in enumerate(terms):
        if index:
            for handle, days in served.items():
                entry = term.ledger.get(handle) or {}
                if entry.get("days", 0) != days or entry.get("minutes", 0) != days * (end - start):
                    errors.append(f"{term.path.name}: ledger {handle} {entry}, "
                                  f"earlier terms show {days} days")
            for handle, entry in term.ledger.items():
                if entry.get("days", 0) and handle not in served:
                    errors.append(f"{term.path.name}: ledger {handle} {entry}, "
                                  "earlier terms show 0")
        for row in rows:
            day = date.fromisoformat(row["date"])
            if row["role"] == "primary" and term.start <= day <= term.end:
                served[row["handle"]] = served.get(row["handle"], 0) + 1
    return errors
