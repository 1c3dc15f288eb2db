"""Members who come and go (`joined: DATE`, `left: DATE`) through the real CLI.

``left`` is the day someone left: they are not on duty from that day on. ``joined`` is
their first possible duty day. One rule (``membership`` in ``core/rules.py``) keeps both,
so `plan`, `validate` and `swap` agree.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import Runner

# The workspace's schedule (tests/helpers/daily.py), term 2027-01-04..2027-01-29:
# 01-04 aiko+ken (mei shadow), 01-11 taro+li, 01-18 aiko+ken, 01-25 taro+mei.


def set_member(workspace: Path, handle: str, extra: str) -> Path:
    """Add ``extra`` (e.g. ``left: 2027-01-20``) to ``handle``'s entry of the roster."""
    path = workspace / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {handle}," in ln)
    path.write_text(
        text.replace(line, line.replace("volunteer: true", f"volunteer: true, {extra}")),
        encoding="utf-8",
    )
    return path


def test_left_before_joined_is_an_error_naming_file_line_and_column(
    cli: Runner, workspace: Path
):
    set_member(workspace, "ken", "joined: 2027-01-10, left: 2027-01-05")
    result = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert result.returncode == 2
    line = next(
        number
        for number, text in enumerate(
            (workspace / "rotations" / "app.yaml").read_text().splitlines(), 1
        )
        if "handle: ken," in text
    )
    assert f"app.yaml:{line}:" in result.stderr
    assert "found left 2027-01-05 before joined 2027-01-10, expected a later date" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_validate_names_duty_after_leaving(cli: Runner, workspace: Path):
    set_member(workspace, "ken", "left: 2027-01-20")
    result = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "2027-01-20..2027-01-22: ken (primary) is no longer a member: ken left on 2027-01-20"
        " [membership]"
    ) in result.stdout
    assert result.stdout.count("[membership]") == 1  # the days before he left are fine


def test_validate_names_duty_before_joining(cli: Runner, workspace: Path):
    # 2027-01-11 is a holiday: taro's first duty day of that week is the 12th
    set_member(workspace, "taro", "joined: 2027-01-13")
    result = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "  2027-01-12: taro (primary) is not a member yet: taro joins on 2027-01-13"
        " [membership]"
    ) in result.stdout


def test_swap_refuses_a_member_after_they_left(cli: Runner, workspace: Path):
    set_member(workspace, "raj", "left: 2027-01-13")
    refused = cli(
        "swap", "--dates", "2027-01-13", "--out", "li", "--in", "raj",
        "--now", "2027-01-04T12:00", cwd=workspace,
    )
    assert refused.returncode == 1
    assert "raj left on 2027-01-13" in refused.stdout + refused.stderr
    accepted = cli(
        "swap", "--dates", "2027-01-12", "--out", "li", "--in", "raj",
        "--now", "2027-01-04T12:00", cwd=workspace,
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_plan_keeps_members_inside_their_membership(cli: Runner, workspace: Path):
    set_member(workspace, "ken", "left: 2027-01-18")
    set_member(workspace, "raj", "joined: 2027-01-11")
    result = cli("plan", "--from", "2027-01-04", "--seed", "3", "--now", "2027-01-01T09:00",
                 cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    check = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout
    # only the shifts: the `published` record below them names everyone's events
    schedule = (workspace / "rotations" / "app.schedule.yaml").read_text().split("\noverrides:")[0]
    for shift in schedule.split("- start: ")[1:]:
        start = shift[:10]
        if start >= "2027-01-18":
            assert "ken" not in shift, shift
        if start < "2027-01-11":
            assert "raj" not in shift, shift


def long_term(workspace: Path) -> Path:
    """The workspace's rotation over twelve weeks, planned on 2027-01-01."""
    path = workspace / "rotations" / "app.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  end: 2027-01-29", "  end: 2027-03-26"),
        encoding="utf-8",
    )
    return path


def shifts_of(workspace: Path) -> list[str]:
    text = (workspace / "rotations" / "app.schedule.yaml").read_text(encoding="utf-8")
    text = text.split("\noverrides:")[0]  # the shifts, not the `published` record after them
    return [part.split("\n- start: ")[0] for part in text.split("  - start: ")[1:]]


def test_replanning_after_a_departure_moves_only_future_shifts(cli: Runner, workspace: Path):
    long_term(workspace)
    first = cli("plan", "--seed", "1", "--now", "2027-01-01T09:00", cwd=workspace)
    assert first.returncode == 0, first.stdout + first.stderr
    before = shifts_of(workspace)
    assert sum("ken" in shift for shift in before if shift[:10] >= "2027-02-15") > 0
    set_member(workspace, "ken", "left: 2027-02-15")
    result = cli("plan", "--seed", "1", "--now", "2027-02-03T09:00", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    after = shifts_of(workspace)
    # served and started shifts are kept as they were, ken's later ones moved
    assert [s for s in after if s[:10] < "2027-02-03"] == [
        s for s in before if s[:10] < "2027-02-03"
    ]
    assert all("ken" not in shift for shift in after if shift[:10] >= "2027-02-15")
    changes = result.stdout.split("Changes:")[1]
    assert "tell " in changes and "ken" in changes.splitlines()[0]
    moved = [line for line in changes.splitlines() if ": ken -> " in line]
    assert moved and all(line.strip()[:10] >= "2027-02-15" for line in moved)
    # fairness: ken serves part of the term, so he is counted with a pro-rated share
    # (6 of the 12 weeks: 2 shifts where the others have 4)
    assert "(6 counted)" in result.stdout
    assert "ken 2/0 (2)" in result.stdout
    assert "spread (most - fewest primary shifts less share): 1, proven optimal" in (
        result.stdout
    )
    check = cli("validate", "--now", "2027-02-03T09:00", cwd=workspace)
    assert check.returncode == 0, check.stdout


def test_a_joiner_is_planned_from_joining_with_a_pro_rated_share(
    cli: Runner, workspace: Path
):
    import json

    long_term(workspace)
    set_member(workspace, "raj", "joined: 2027-02-15")
    result = cli("plan", "--seed", "1", "--dry-run", "--format", "json",
                 "--now", "2027-01-01T09:00", cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    planned = json.loads(result.stdout)
    text = json.dumps(planned)
    fairness = planned["fairness"]
    # raj is a member on 30 of the 60 duty days: half the share of the others
    assert "raj" in fairness["counted"]
    assert fairness["expected"]["raj"] * 2 in (fairness["expected"]["aiko"],
                                               fairness["expected"]["aiko"] + 1), text
    above = [fairness["load"][h] - fairness["expected"][h] for h in fairness["counted"]]
    assert max(above) - min(above) == fairness["spread"] <= 1, text
    for shift in planned["shifts"]:
        if "raj" in [person["handle"] for person in shift["primary"]]:
            assert shift["start"] >= "2027-02-15", shift


def test_validate_now_treats_a_leavers_served_days_as_history(cli: Runner, workspace: Path):
    # ken's left date, entered late, falls before days he already served (01-18..01-19)
    set_member(workspace, "ken", "left: 2027-01-18")
    result = cli("validate", "--now", "2027-01-20T09:00", cwd=workspace)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert (
        "  2027-01-20..2027-01-22: ken (primary) is no longer a member: ken left on 2027-01-18"
        " [membership]"
    ) in out
    assert (
        "  warning: 2027-01-18..2027-01-19: ken (primary) is no longer a member: ken left on "
        "2027-01-18 (history: already served before 2027-01-20) [membership]"
    ) in out
    # once the week is over, only history remains: exit 0
    later = cli("validate", "--now", "2027-01-25T09:00", cwd=workspace)
    assert later.returncode == 0, later.stdout
    assert "warning: 2027-01-18..2027-01-22: ken (primary)" in later.stdout


def test_deleting_a_member_who_has_shifts_points_at_left(cli: Runner, workspace: Path):
    path = workspace / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "handle: raj," in ln)
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    schedule = workspace / "rotations" / "app.schedule.yaml"
    schedule.write_text(schedule.read_text().replace("[taro, li]", "[taro, raj]"))
    result = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert result.returncode == 2
    assert "found 'raj', expected a member of the rotation" in result.stderr
    assert "with `left: DATE` instead of deleting them" in result.stderr


def _aiko_events(data: bytes) -> dict[str, tuple[int, str]]:
    """Aiko's personal feed: day -> (SEQUENCE, STATUS)."""
    import icalendar

    return {
        event.decoded("DTSTART").date().isoformat(): (
            int(event["SEQUENCE"]), str(event["STATUS"])
        )
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }


def _delete(workspace: Path, handle: str) -> None:
    path = workspace / "rotations" / "app.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if f"handle: {handle}," in ln)
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")


def test_a_deleted_member_keeps_their_feed_with_the_days_taken_away(
    cli: Runner, workspace: Path, tmp_path: Path
):
    """Deleted from the roster after serving: `export --per-person` and `publish` still
    write their feed, served days confirmed, lost days cancelled one SEQUENCE higher."""
    assert cli("plan", "--now", "2026-12-20T09:00", cwd=workspace).returncode == 0  # people:
    before = _aiko_events(
        cli("export", "--format", "ics", "--person", "aiko", cwd=workspace, text=False).stdout
    )
    served = [day for day in before if day < "2027-01-12"]
    lost = [day for day in before if day >= "2027-01-12"]
    assert served and lost
    _delete(workspace, "aiko")
    assert cli("plan", "--now", "2027-01-12T09:00", cwd=workspace).returncode == 0
    out = tmp_path / "feeds"
    out.mkdir()
    ran = cli("export", "--format", "ics", "-o", str(out), "--per-person", cwd=workspace)
    assert ran.returncode == 0 and "app-aiko.ics" in ran.stdout, ran.stdout + ran.stderr
    exported = (out / "app-aiko.ics").read_bytes()
    after = _aiko_events(exported)
    assert sorted(after) == sorted(before)
    assert all(after[day][1] == "CONFIRMED" for day in served)
    for day in lost:
        assert after[day] == (after[day][0], "CANCELLED") and after[day][0] > before[day][0]
    single = cli("export", "--format", "ics", "--person", "aiko", cwd=workspace, text=False)
    assert single.returncode == 0 and single.stdout == exported
    site = tmp_path / "site"
    ran = cli("publish", str(site), "--now", "2027-01-12T09:00", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    assert (site / "app" / "app-aiko.ics").read_bytes() == exported
    assert not (site / "app" / "people" / "aiko.html").exists()  # no longer on the roster
    assert cli("export", "--person", "nobody", "--format", "ics", cwd=workspace).returncode == 2


def test_validate_stops_warning_once_a_deleted_members_history_is_recorded(
    cli: Runner, workspace: Path
):
    """While a deleted member still holds days from today on, those are errors and the
    served ones a warning; once `plan` has moved them, nothing is left to say, in the
    current term or the kept one after `plan --next-term`."""
    assert cli("plan", "--now", "2026-12-20T09:00", cwd=workspace).returncode == 0
    _delete(workspace, "aiko")
    held = cli("validate", "--now", "2027-01-12T09:00", cwd=workspace)
    assert held.returncode == 1
    assert "warning: 2027-01-04..2027-01-08: aiko is not in the roster (history" in held.stdout
    assert cli("plan", "--now", "2027-01-12T09:00", cwd=workspace).returncode == 0
    moved = cli("validate", "--now", "2027-01-12T09:00", cwd=workspace)
    assert moved.returncode == 0 and "aiko" not in moved.stdout, moved.stdout
    ran = cli("plan", "--next-term", "--now", "2027-01-20T09:00", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    later = cli("validate", "--now", "2027-02-03T09:00", "--format", "json", cwd=workspace)
    assert later.returncode == 0 and "aiko" not in later.stdout, later.stdout


def test_people_who_left_get_no_whole_shift_warning(cli: Runner, workspace: Path):
    """Someone who left before (or during) the term cannot take its shifts because they
    left, which `validate` already says per day: no "can never take a whole shift"."""
    set_member(workspace, "ken", "left: 2027-01-01")
    set_member(workspace, "taro", "left: 2027-01-20")
    result = cli("validate", "--now", "2027-01-01T09:00", cwd=workspace)
    assert "ken left on 2027-01-01" in result.stdout
    assert "can never take a whole shift" not in result.stdout + result.stderr


def _sheet(cli: Runner, workspace: Path, *extra: str) -> list[dict[str, str]]:
    import csv
    import io

    ran = cli("export", "--format", "csv", "--raw", *extra, cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    return list(csv.DictReader(io.StringIO(ran.stdout)))


def test_a_deleted_members_served_days_keep_their_team_in_the_sheet(
    cli: Runner, workspace: Path
):
    """`people:` records each person's team with their name, so the sheet of the days a
    member served before being deleted still shows their team, before and after the
    re-plan that moves their later days."""
    assert cli("plan", "--now", "2026-12-20T09:00", cwd=workspace).returncode == 0
    schedule = workspace / "rotations" / "app.schedule.yaml"
    assert "aiko: {name: Aiko Sato, team: " in schedule.read_text(encoding="utf-8")
    before = [r for r in _sheet(cli, workspace) if r["handle"] == "aiko"]
    team = before[0]["team"]
    assert team
    _delete(workspace, "aiko")
    for now in (None, "2027-01-12T09:00"):
        if now is not None:
            assert cli("plan", "--now", now, cwd=workspace).returncode == 0
        after = [r for r in _sheet(cli, workspace) if r["handle"] == "aiko"]
        served = [r for r in before if r["date"] < "2027-01-12"]
        assert after[: len(served)] == served
        assert all(r["team"] == team and r["name"] == "Aiko Sato" for r in after)


def test_a_schedule_recording_names_alone_still_loads(cli: Runner, workspace: Path):
    """A `people:` entry written before teams were recorded (`aiko: Aiko Sato`) loads; the
    sheet of a deleted member then has their name and no team."""
    assert cli("plan", "--now", "2026-12-20T09:00", cwd=workspace).returncode == 0
    schedule = workspace / "rotations" / "app.schedule.yaml"
    import re

    text = re.sub(r"\{name: ([^,]+), team: [^}]+\}", r"\1", schedule.read_text("utf-8"))
    assert "team:" not in text.split("people:")[1].split("ledger:")[0]
    schedule.write_text(text, encoding="utf-8")
    _delete(workspace, "aiko")
    rows = [r for r in _sheet(cli, workspace) if r["handle"] == "aiko"]
    assert rows and all(r["name"] == "Aiko Sato" and r["team"] == "" for r in rows)
    bad = text.replace("aiko: Aiko Sato", "aiko: {team: red}")
    schedule.write_text(bad, encoding="utf-8")
    ran = cli("export", "--format", "csv", cwd=workspace)
    assert ran.returncode == 2 and "people.aiko" in ran.stderr and "found no name" in ran.stderr


def test_exports_leave_a_leaver_out_after_they_left_as_who_does(cli: Runner, workspace: Path):
    """Once `left:` is set, the sheet and the calendars name the same people as `who`: the
    leaver is not named from that day on (a swap giving them a later day included), their
    own events for those days go out cancelled, and `export` warns as `who` does."""
    import icalendar

    ran = cli("swap", "--dates", "2027-01-13", "--out", "taro", "--in", "ken",
              "--force", "--now", "2027-01-01T09:00", cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    before = _ken_events(cli, workspace)
    assert {"2027-01-13", "2027-01-20"} <= set(before)
    set_member(workspace, "ken", "left: 2027-01-12")
    rows = _sheet(cli, workspace)
    assert [r for r in rows if r["handle"] == "ken" and r["date"] >= "2027-01-12"] == []
    assert any(r["handle"] == "ken" for r in rows if r["date"] < "2027-01-12")
    ran = cli("export", "--format", "csv", cwd=workspace)
    warning = ("warning: app: the schedule names ken on 2027-01-13, but ken left on "
               "2027-01-12: not named as on duty")
    assert warning in ran.stderr and ran.stderr.count("warning:") == 1, ran.stderr
    team = cli("export", "--format", "ics", cwd=workspace, text=False)
    assert team.returncode == 0 and b"warning: app: the schedule names ken" in team.stderr
    for event in icalendar.Calendar.from_ical(team.stdout).walk("VEVENT"):
        day = event.decoded("DTSTART").date().isoformat()
        if day >= "2027-01-12":
            assert "@ken" not in str(event["DESCRIPTION"]), day
    for day in ("2027-01-13", "2027-01-20"):
        who = cli("who", "--at", f"{day}T11:00", "--now", "2027-01-01T09:00", cwd=workspace)
        assert "Ken" not in who.stdout and "ken left on 2027-01-12" in who.stderr
    site = workspace / "site"
    assert cli("publish", str(site), "--now", "2027-01-01T09:00", cwd=workspace).returncode == 0
    data = json.loads((site / "app" / "app.json").read_text(encoding="utf-8"))
    days = {d["date"]: d for d in data["schedule"]["days"] if d["duty"]}
    assert "ken" in days["2027-01-04"]["primary"]
    assert all("ken" not in d["primary"] for day, d in days.items() if day >= "2027-01-12")
    shown = cli("show", "--now", "2027-01-01T09:00", cwd=workspace)
    lines = shown.stdout.splitlines()
    primary = next(line for line in lines if line.startswith("Date")).index("Shadow")
    rows = {line[:10]: line[:primary] for line in lines if line[:4] == "2027"}
    assert "ken" in rows["2027-01-04"] and "ken" not in rows["2027-01-13"] + rows["2027-01-20"]
    after = _ken_events(cli, workspace)
    assert after["2027-01-04"] == before["2027-01-04"]
    for day in ("2027-01-13", "2027-01-20"):
        assert after[day] == (before[day][0] + 1, "CANCELLED")


def _ken_events(cli: Runner, workspace: Path) -> dict[str, tuple[int, str]]:
    ran = cli("export", "--format", "ics", "--person", "ken", cwd=workspace, text=False)
    assert ran.returncode == 0
    import icalendar

    return {
        event.decoded("DTSTART").date().isoformat(): (int(event["SEQUENCE"]), str(event["STATUS"]))
        for event in icalendar.Calendar.from_ical(ran.stdout).walk("VEVENT")
    }
