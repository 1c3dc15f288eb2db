"""Terms in sequence: `plan --next-term`, kept terms found by date, the fairness ledger.

A three-term morning watch (daily shifts, newcomers) and daytime pairs (weekly shifts),
planned through the real CLI; each term's cumulative spread is held to the brute-force
optimum given what the earlier terms carried in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.core.calendar import build_calendar
from oncall.io.loading import load_rotation, load_schedule
from tests.helpers.brute_force import reachable, spread

MORNING = """\
rotation: morning
timezone: Asia/Tokyo
window: {{days: [mon, tue, wed, thu, fri], start: "08:00", end: "09:30"}}
shift: {{length: 1d, people: 1}}
term: {{start: 2027-01-04, length: 2w}}
rules: {{distinct_teams: "off", min_gap: 1}}
onboarding: {{shadow_shifts: 2}}
members:
  - {{handle: aoi, name: Aoi, team: a}}
  - {{handle: ren, name: Ren, team: b, unavailable: [mon]}}
  - {{handle: yuna, name: Yuna, team: a, new: true}}
  - {{handle: sota, name: Sota, team: b}}
{extra}"""

NOW = ("--now", "2027-01-05T12:00")


def _write(folder: Path, extra: str = "") -> Path:
    path = folder / "rotations" / "morning.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(MORNING.format(extra=extra), encoding="utf-8")
    return path


def _three_terms(cli, folder: Path) -> None:
    assert cli("plan", *NOW, cwd=folder).returncode == 0
    for now in ("2027-01-14T12:00", "2027-01-28T12:00"):
        ran = cli("plan", "--next-term", "--now", now, cwd=folder)
        assert ran.returncode == 0, ran.stderr


def test_next_term_keeps_each_term_byte_for_byte(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    current = tmp_path / "rotations" / "morning.schedule.yaml"
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    first = current.read_bytes()
    ran = cli("plan", "--next-term", "--now", "2027-01-14T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    kept = tmp_path / "rotations" / "morning.terms" / "2027-01-04.schedule.yaml"
    assert kept.read_bytes() == first
    assert "term: {start: 2027-01-18, end: 2027-01-31}" in current.read_text()
    assert "kept as" in ran.stdout


def test_each_term_is_as_fair_as_the_rules_allow_given_the_ledger(cli, tmp_path: Path) -> None:
    """The cumulative spread after every term is the exact optimum over every plan of
    that term, starting from the loads the earlier terms carried in."""
    path = _write(tmp_path)
    _three_terms(cli, tmp_path)
    folder = tmp_path / "rotations"
    files = [*sorted((folder / "morning.terms").iterdir()), folder / "morning.schedule.yaml"]
    carried: dict[str, int] = {}
    for file in files:
        rotation = load_rotation(path, term_start=_term(file)[0], term_end=_term(file)[1])
        schedule = load_schedule(file, rotation)
        calendar = build_calendar(rotation)
        stored = schedule.ledger or {}
        assert {h: s.load for h, s in stored.items()} == {
            h: n for h, n in carried.items() if n
        } | {h: s.load for h, s in stored.items() if s.credited}
        handles = [m.handle for m in rotation.members]
        finals = reachable(rotation, calendar) if not stored else _reachable_with_ledger(
            rotation, calendar, stored
        )
        positions = list(range(len(handles)))
        best = min(
            spread(
                tuple(n + stored.get(h, _zero()).load for h, n in zip(handles, loads, strict=True)),
                positions,
            )
            for loads, _ in finals
        )
        loads = {h: sum(h in s.primary for s in schedule.shifts) for h in handles}
        total = [loads[h] + (stored[h].load if h in stored else 0) for h in handles]
        assert max(total) - min(total) == best
        for handle in handles:
            carried[handle] = carried.get(handle, 0) + loads[handle]


def _zero():
    from oncall.core.ledger import Served

    return Served()


def _reachable_with_ledger(rotation, calendar, stored):
    """Newcomers who served as primary in an earlier term are experienced now."""
    from dataclasses import replace

    members = tuple(
        replace(m, new=False) if m.new and stored.get(m.handle) and stored[m.handle].days else m
        for m in rotation.members
    )
    return reachable(replace(rotation, members=members), calendar)


def _term(file: Path):
    from oncall.io.loading import schedule_term

    term = schedule_term(file)
    return term.start, term.end


def test_a_newcomer_shadows_once_across_terms(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    folder = tmp_path / "rotations"
    texts = [p.read_text() for p in sorted((folder / "morning.terms").iterdir())]
    texts.append((folder / "morning.schedule.yaml").read_text())
    assert texts[0].count("shadow: [yuna]") == 2
    assert all("shadow:" not in text.split("ledger:")[0] for text in texts[1:])
    ran = cli("validate", "--now", "2027-02-10T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout


def test_commands_find_the_term_of_their_day(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    for day in ("2027-01-05", "2027-01-19", "2027-02-02"):
        ran = cli("who", "--date", day, "--format", "json", "--now", "2027-01-28T12:00",
                  cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
        assert json.loads(ran.stdout)["primary"], day
    csv = cli("export", "--format", "csv", cwd=tmp_path).stdout
    assert "2027-01-04" in csv and "2027-01-18" in csv and "2027-02-01" in csv
    one = cli("export", "--format", "csv", "--term", "2027-01-18", cwd=tmp_path).stdout
    assert "2027-01-04" not in one and "2027-01-18" in one and "2027-02-01" not in one
    # A month two terms share shows the one holding more of it (the later on a tie).
    shown = cli(
        "show", "--month", "2027-01", "--list", "--now", "2027-01-28T12:00", cwd=tmp_path
    )
    assert "2027-01-19" in shown.stdout and "2027-01-05" not in shown.stdout
    shown = cli(
        "show", "--month", "2027-02", "--list", "--now", "2027-01-28T12:00", cwd=tmp_path
    )
    assert "2027-02-02" in shown.stdout


def test_remind_on_the_last_friday_announces_the_next_terms_monday(cli, tmp_path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    monday = cli("who", "--date", "2027-01-18", "--format", "json", cwd=tmp_path)
    who = json.loads(monday.stdout)["primary"][0]["handle"]
    ran = cli("remind", "--next", "--now", "2027-01-15T17:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert who in ran.stdout


def test_a_swap_in_a_running_kept_term_updates_the_next_ledger(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    assert cli("plan", "--next-term", "--now", "2027-01-12T12:00", cwd=tmp_path).returncode == 0
    friday = json.loads(cli("who", "--date", "2027-01-15", "--format", "json",
                            cwd=tmp_path).stdout)
    out = friday["primary"][0]["handle"]
    for into in ("aoi", "ren", "sota", "yuna"):  # the first the rules allow
        ran = cli("swap", "--dates", "2027-01-15", "--out", out, "--in", into,
                  "--now", "2027-01-12T12:00", cwd=tmp_path)
        if ran.returncode == 0:
            break
    assert ran.returncode == 0, ran.stderr
    assert "morning.terms/2027-01-04.schedule.yaml" in ran.stdout
    ran = cli("validate", "--now", "2027-01-12T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout
    ledger = (tmp_path / "rotations" / "morning.schedule.yaml").read_text().split("ledger:")[1]
    assert "swaps_taken: 1" in ledger and "swaps_given: 1" in ledger


def test_a_ledger_that_disagrees_with_the_kept_terms_fails_validate(cli, tmp_path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    current = tmp_path / "rotations" / "morning.schedule.yaml"
    text = current.read_text()
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("  aoi: {days: "))
    lines[number] = lines[number].replace("{days: ", "{days: 1", 1)
    current.write_text("\n".join(lines) + "\n")
    ran = cli("validate", "--now", "2027-02-10T12:00", cwd=tmp_path)
    assert ran.returncode == 1
    assert f"morning.schedule.yaml:{number + 1}:" in ran.stdout
    assert "[ledger]" in ran.stdout
    # The message names the command that carries the kept terms again, and it does.
    assert "oncall repair --ledgers rotations/morning.yaml" in ran.stdout
    ran = cli("repair", "--ledgers", "rotations/morning.yaml", cwd=tmp_path)
    assert ran.returncode == 0 and "carried it into" in ran.stdout, ran.stdout
    assert cli("validate", "--now", "2027-02-10T12:00", cwd=tmp_path).returncode == 0


def test_a_joiner_starts_at_the_average(cli, tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    path.write_text(
        MORNING.format(extra="  - {handle: mio, name: Mio, team: b, joined: 2027-01-18}\n"),
        encoding="utf-8",
    )
    ran = cli("plan", "--next-term", "--now", "2027-01-14T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    text = (tmp_path / "rotations" / "morning.schedule.yaml").read_text()
    assert "mio: {credited: " in text
    report = json.loads(cli("report", "--format", "json", "--now", "2027-01-14T12:00",
                            cwd=tmp_path).stdout)["rotations"][0]
    ledger = report["ledger"]
    loads = [ledger[h]["load"] for h in ("aoi", "ren", "sota", "yuna", "mio")]
    assert max(loads) - min(loads) <= 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--next-term", "--start", "2027-02-01"), "--start and --from do not apply"),
        (("--next-term", "--end", "2027-01-10"), "before the next term's start"),
        (("--next-term", "--length", "soon"), "expected a length such as 3mo"),
        (("--next-term", "--length", "99999mo"), "expected a term of at most ten years"),
        (("--next-term", "--end", "2027-02-10", "--length", "2w"), "give one of them"),
    ],
)
def test_bad_next_term_requests_write_nothing(cli, tmp_path, args, message) -> None:
    _write(tmp_path)
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    current = tmp_path / "rotations" / "morning.schedule.yaml"
    before = current.read_bytes()
    ran = cli("plan", *args, *NOW, cwd=tmp_path)
    assert ran.returncode == 2
    assert message in ran.stderr
    assert current.read_bytes() == before
    assert not (tmp_path / "rotations" / "morning.terms").exists()


def test_next_term_refuses_a_term_with_unplanned_days(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    current = tmp_path / "rotations" / "morning.schedule.yaml"
    text = current.read_text()
    cut = text.index("  - start: 2027-01-15")
    current.write_text(text[:cut] + text[text.index("overrides:"):])
    before = current.read_bytes()
    ran = cli("plan", "--next-term", *NOW, cwd=tmp_path)
    assert ran.returncode == 2
    assert "no shift covers, from 2027-01-15" in ran.stderr
    assert current.read_bytes() == before


def test_a_stray_file_among_kept_terms_is_an_error(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    (tmp_path / "rotations" / "morning.terms" / "notes.txt").write_text("x")
    ran = cli("export", "--format", "csv", cwd=tmp_path)
    assert ran.returncode == 2
    assert "notes.txt" in ran.stderr and "START.schedule.yaml" in ran.stderr


def test_report_formats(cli, tmp_path: Path) -> None:
    _write(tmp_path)
    _three_terms(cli, tmp_path)
    text = cli("report", "--now", "2027-02-10T12:00", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "term 2027-01-04..2027-01-17 (finished" in text.stdout
    assert "in progress: 7 of 10 duty days served" in text.stdout
    csv = cli("report", "--format", "csv", "--now", "2027-02-10T12:00", cwd=tmp_path).stdout
    assert csv.splitlines()[0].startswith("rotation,term_start,term_end,person,name,duty_days")
    markdown = cli("report", "--format", "markdown", cwd=tmp_path).stdout
    assert "| person | name | duty days |" in markdown
    data = json.loads(cli("report", "--format", "json", cwd=tmp_path).stdout)["rotations"][0]
    assert len(data["terms"]) == 3
    assert sum(p["duty_days"] for p in data["ledger"].values()) == 30
    assert data["ledger"]["aoi"]["duty_hours"] == data["ledger"]["aoi"]["duty_days"] * 1.5


def test_daytime_pairs_over_three_terms(cli, tmp_path: Path) -> None:
    """The bundled daytime rotation (weekly pairs, holidays, a newcomer) for three terms:
    every term keeps the rules, the ledgers agree with the kept terms, exports cover all."""
    import shutil

    shutil.copytree(Path(__file__).parents[1] / "rotations", tmp_path / "rotations")
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    for now in ("2027-03-20T09:00", "2027-06-20T09:00"):
        ran = cli("plan", "--next-term", "--now", now, cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
        assert "counts include earlier terms" in ran.stdout
    ran = cli("validate", "--now", "2027-08-01T09:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout
    data = json.loads(cli("report", "--format", "json", cwd=tmp_path).stdout)["rotations"][0]
    # Three months each, lined up with the Monday handoff (docs/terms.md).
    assert [t["start"] for t in data["terms"]] == ["2027-01-04", "2027-04-05", "2027-07-05"]
    ics = cli("export", "--format", "ics", cwd=tmp_path).stdout
    assert "DTSTART;TZID=Asia/Tokyo:20270104T100000" in ics
    assert "DTSTART;TZID=Asia/Tokyo:20270705T100000" in ics


def test_deleting_a_member_with_history_keeps_them_readable(cli, tmp_path: Path) -> None:
    """The schedule records names (people:), so a member deleted from the roster is still
    read and named; their served days stay history and plan moves their future shifts."""
    path = _write(tmp_path)
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - {handle: sota, name: Sota, team: b}\n", ""), encoding="utf-8")
    ran = cli("validate", "--now", "2027-01-11T12:00", cwd=tmp_path)
    assert ran.returncode == 1  # sota still holds shifts from today on
    assert "sota is not in the roster" in ran.stdout and "history" in ran.stdout
    sheet = cli("export", "--format", "csv", cwd=tmp_path).stdout
    assert ",sota,Sota,b" in sheet  # the name and team come from the schedule's people:
    ran = cli("plan", "--now", "2027-01-11T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    schedule = (tmp_path / "rotations" / "morning.schedule.yaml").read_text()
    later = schedule.split("- start: 2027-01-11")[1].split("overrides:")[0]
    assert "sota" not in later
    assert "sota: {name: Sota, team: b}" in schedule  # still named, for the days served
    assert cli("validate", "--now", "2027-01-11T12:00", cwd=tmp_path).returncode == 0


def test_min_gap_holds_across_the_boundary_between_terms(cli, tmp_path: Path) -> None:
    _write(tmp_path)  # daily shifts, min_gap 1
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    assert cli("plan", "--next-term", "--now", "2027-01-14T12:00", cwd=tmp_path).returncode == 0
    last = json.loads(cli("who", "--date", "2027-01-15", "--format", "json", cwd=tmp_path).stdout)
    first = json.loads(cli("who", "--date", "2027-01-18", "--format", "json", cwd=tmp_path).stdout)
    ending = last["primary"][0]["handle"]
    assert first["primary"][0]["handle"] != ending  # the planner kept the gap
    current = tmp_path / "rotations" / "morning.schedule.yaml"
    text = current.read_text()
    opening = first["primary"][0]["handle"]
    head, tail = text.split("  - start: 2027-01-18\n    end: 2027-01-18\n    primary: ", 1)
    current.write_text(head + "  - start: 2027-01-18\n    end: 2027-01-18\n    primary: "
                       + tail.replace(f"[{opening}]", f"[{ending}]", 1))
    ran = cli("validate", "--now", "2027-01-14T12:00", cwd=tmp_path)
    assert ran.returncode == 1
    assert f"{ending} serves the end of the term 2027-01-04..2027-01-17" in ran.stdout


WEEKLY = """\
rotation: weekly
timezone: Asia/Tokyo
window: {{days: [mon, tue, wed, thu, fri, sat, sun], start: "09:00", end: "18:00"}}
shift: {{length: 1w, handoff: mon, people: 1}}
term: {term}
rules: {{distinct_teams: "off", min_gap: 1}}
members:
  - {{handle: aoi, name: Aoi, team: a}}
  - {{handle: ren, name: Ren, team: b}}
  - {{handle: sota, name: Sota, team: a}}
"""


def _weekly(folder: Path, term: str = "{start: 2027-01-04, length: 3mo}") -> Path:
    path = folder / "rotations" / "weekly.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(WEEKLY.format(term=term), encoding="utf-8")
    return path


def _terms_and_shifts(folder: Path) -> list[tuple[str, str, list[int]]]:
    """Each term (kept ones first) as (start, end, the length in days of each shift)."""
    import yaml

    rotations = folder / "rotations"
    kept = sorted((rotations / "weekly.terms").glob("*.yaml"))
    files = [*kept, rotations / "weekly.schedule.yaml"]
    found = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        lengths = [(s["end"] - s["start"]).days + 1 for s in data["shifts"]]
        found.append((str(data["term"]["start"]), str(data["term"]["end"]), lengths))
    return found


def test_month_terms_of_weekly_shifts_line_up_with_the_handoff_day(cli, tmp_path) -> None:
    """3mo from Monday 2027-01-04 once ended on Saturday 04-03: the next term opened on a
    Sunday with a one-day "weekly" shift. Each term now ends the day before the Monday
    nearest its month end, and --next-term keeps it so."""
    _weekly(tmp_path)
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    for now in ("2027-03-20T09:00", "2027-06-20T09:00", "2027-09-20T09:00"):
        ran = cli("plan", "--next-term", "--now", now, cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
    found = _terms_and_shifts(tmp_path)
    assert [(start, end) for start, end, _ in found] == [
        ("2027-01-04", "2027-04-04"),
        ("2027-04-05", "2027-07-04"),
        ("2027-07-05", "2027-10-03"),
        ("2027-10-04", "2028-01-02"),
    ]
    assert all(lengths == [7] * 13 for _, _, lengths in found)
    ran = cli("validate", "--now", "2027-09-20T09:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout


def test_a_weeks_length_from_another_weekday_still_ends_lined_up(cli, tmp_path) -> None:
    _weekly(tmp_path, "{start: 2027-01-06, length: 13w}")  # a Wednesday
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    ran = cli("plan", "--next-term", "--now", "2027-03-20T09:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    (first, last, short), (second, end, lengths) = _terms_and_shifts(tmp_path)
    assert (first, last) == ("2027-01-06", "2027-04-04")
    assert short[0] == 5 and short[1:] == [7] * 12  # only the first shift is short
    assert (second, end) == ("2027-04-05", "2027-07-04") and lengths == [7] * 13


@pytest.mark.parametrize(
    ("term", "args", "expected"),
    [
        # An explicit end, a length in days and an explicit --end are kept as given.
        ("{start: 2027-01-04, end: 2027-04-03}", (), ("2027-01-04", "2027-04-03")),
        ("{start: 2027-01-04, length: 90d}", (), ("2027-01-04", "2027-04-03")),
        (
            "{start: 2027-01-04, length: 3mo}",
            ("--next-term", "--end", "2027-06-30"),
            ("2027-04-05", "2027-06-30"),
        ),
        (  # a term planned before terms lined up still counts as three months
            "{start: 2027-01-04, end: 2027-04-03}",
            ("--next-term",),
            ("2027-04-04", "2027-07-04"),
        ),
        (
            "{start: 2027-01-04, length: 3mo}",
            ("--next-term", "--length", "2mo"),
            ("2027-04-05", "2027-06-06"),  # 06-05 is a Saturday: the Monday after is nearer
        ),
    ],
)
def test_ends_the_file_or_the_command_line_give_are_kept(
    cli, tmp_path, term, args, expected
) -> None:
    _weekly(tmp_path, term)
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    if args:
        ran = cli("plan", *args, "--now", "2027-03-20T09:00", cwd=tmp_path)
        assert ran.returncode == 0, ran.stderr
    start, end, _ = _terms_and_shifts(tmp_path)[-1]
    assert (start, end) == expected


def test_daily_shifts_keep_calendar_months(cli, tmp_path: Path) -> None:
    path = _write(tmp_path)
    path.write_text(
        path.read_text().replace("term: {start: 2027-01-04, length: 2w}",
                                 "term: {start: 2027-01-04, length: 3mo}")
    )
    ran = cli("plan", *NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "term 2027-01-04..2027-04-03" in ran.stdout


# ---- the end of the last planned term ---------------------------------------------------

ENDING = (
    "app: the term 2027-01-04..2027-01-29 ends on 2027-01-29 ({left} days left, today "
    "included) and no next term is planned; plan it: oncall plan --next-term rotations/app.yaml"
)


@pytest.mark.parametrize("command", [("who",), ("who", "--format", "json"), ("remind",)])
def test_who_and_remind_warn_two_weeks_before_the_term_ends(
    cron_cli_process, workspace: Path, command
) -> None:
    """On cron's fast path (a real process): stdout is the answer, stderr the warning."""
    quiet = cron_cli_process(*command, "--now", "2027-01-15T10:00", cwd=workspace)
    assert quiet.returncode == 0 and quiet.stdout and quiet.stderr == ""  # 15 days left
    warned = cron_cli_process(*command, "--now", "2027-01-18T10:00", cwd=workspace)
    assert warned.returncode == 0 and warned.stdout
    assert warned.stderr == f"oncall: warning: {ENDING.format(left=12)}\n"


def test_who_warns_after_the_term_and_still_answers(cli, workspace: Path) -> None:
    ran = cli("who", "--now", "2027-02-03T10:00", cwd=workspace)
    assert ran.returncode == 0
    assert "outside the planned term" in ran.stdout
    assert "ended on 2027-01-29 and no next term is planned" in ran.stderr
    assert "oncall plan --next-term rotations/app.yaml" in ran.stderr


def test_validate_warns_of_the_term_end_in_text_and_json(cli, workspace: Path) -> None:
    assert "term_end" not in cli("validate", "--now", "2027-01-15T10:00", cwd=workspace).stdout
    ran = cli("validate", "--now", "2027-01-18T10:00", cwd=workspace)
    assert ran.returncode == 0, ran.stdout  # a warning does not fail validate
    assert f"warning: 2027-01-29: {ENDING.format(left=12)} [term_end]" in ran.stdout
    data = json.loads(
        cli("validate", "--format", "json", "--now", "2027-01-18T10:00", cwd=workspace).stdout
    )
    (found,) = [v for v in data["rotations"][0]["violations"] if v["rule"] == "term_end"]
    assert found["severity"] == "warning" and found["dates"] == ["2027-01-29"]
    assert "oncall plan --next-term" in found["message"]


def test_no_warning_once_the_next_term_is_planned(cli, cli_process, workspace: Path) -> None:
    ran = cli("plan", "--next-term", "--now", "2027-01-18T09:00", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    for command in (("who",), ("remind",)):
        for now in ("2027-01-18T10:00", "2027-01-29T10:00"):  # in the kept term
            quiet = cli_process(*command, "--now", now, cwd=workspace)
            assert quiet.returncode == 0 and quiet.stderr == "", (command, now)
    assert "term_end" not in cli("validate", "--now", "2027-01-18T10:00", cwd=workspace).stdout
    # The new term (26 days, as the one before: its end was given) is warned of in turn.
    late = cli_process("remind", "--now", "2027-02-22T10:00", cwd=workspace)
    assert late.returncode == 0 and late.stdout
    assert "the term 2027-01-30..2027-02-24 ends on 2027-02-24 (3 days left" in late.stderr


def test_a_member_of_part_of_a_term_is_credited_the_rest_pro_rata(cli, tmp_path: Path) -> None:
    """mio joins on the second Monday of a two-week term: a member on 5 of its 10 duty
    days, so expected to take 1 of the 10 mornings (10 x 5/45 rounded) where the others
    take 2 (10 x 10/45); the ledger then credits her the 1 she was not expected to carry,
    so the next term compares her with the others as an equal (issue 22, point 1)."""
    _write(tmp_path, "  - {handle: mio, name: Mio, team: b, joined: 2027-01-11}\n")
    planned = cli("plan", "--dry-run", "--format", "json", *NOW, cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    fairness = json.loads(planned.stdout)["fairness"]
    assert fairness["expected"] == {"aoi": 2, "ren": 2, "yuna": 2, "sota": 2, "mio": 1}
    assert cli("plan", *NOW, cwd=tmp_path).returncode == 0
    ran = cli("plan", "--next-term", "--now", "2027-01-14T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    text = (tmp_path / "rotations" / "morning.schedule.yaml").read_text()
    ledger = text.split("\nledger:\n")[1]
    line = next(ln for ln in ledger.splitlines() if ln.strip().startswith("mio: {"))
    assert "credited: 1" in line, text
