"""`oncall import`: other tools' schedules as rotation files, their history as kept terms
with a ledger, and the replay that checks every hour (issue 24)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import Runner

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NOW = "2026-07-06T10:00"


def agreement(output: str) -> list[tuple[int, int]]:
    return [
        (int(a.replace(",", "")), int(b.replace(",", "")))
        for a, b in re.findall(r"Replay: ([\d,]+) of ([\d,]+) hours agree", output)
    ]


def imported(cli: Runner, cwd: Path, fmt: str, *files: str, now: str = NOW) -> str:
    paths = [str(FIXTURES / fmt / name) for name in files]
    ran = cli("import", fmt, *paths, "--check", "--now", now, cwd=cwd)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---- ics ----------------------------------------------------------------------------


def test_ics_history_maps_exactly_into_kept_terms(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "weekly-midnight.ics")
    assert agreement(out) == [(4367, 4367)]
    assert "person named 26 by ATTENDEE" in out
    rotation = tmp_path / "rotations" / "payments-primary.yaml"
    text = rotation.read_text()
    assert "timezone: Europe/Berlin" in text
    assert "# from VEVENT[UID=pay-0].ATTENDEE" in text
    kept = sorted((tmp_path / "rotations" / "payments-primary.terms").iterdir())
    assert [p.name for p in kept] == ["2026-01-05.schedule.yaml"]
    assert "ledger:" in (tmp_path / "rotations" / "payments-primary.schedule.yaml").read_text()
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_least_served_go_first_in_the_first_oncall_term(cli: Runner, tmp_path: Path) -> None:
    imported(cli, tmp_path, "ics", "weekly-midnight.ics")
    ran = cli("plan", "--next-term", "--now", NOW, cwd=tmp_path)  # after the import
    assert ran.returncode == 0, ran.stdout + ran.stderr
    first = re.findall(r"^2026-07-\d\d\.\.2026-\d\d-\d\d\s+(\w+)", ran.stdout, re.MULTILINE)
    # aiko and ben served 7 and 6 weeks... chen and dana 6: they go first.
    assert set(first[:2]) == {"chen", "dana"}
    assert cli("validate", "--now", "2026-07-07T10:00", cwd=tmp_path).returncode == 0


def test_business_hours_calendar_becomes_the_window(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "business-hours.ics")
    assert agreement(out) == [(2119, 2119)]
    text = (tmp_path / "rotations" / "support-desk.yaml").read_text()
    assert "days: [mon, tue, wed, thu, fri]" in text
    assert 'start: "09:00"' in text and 'end: "17:00"' in text


def test_a_handoff_inside_the_day_is_named_not_hidden(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "weekly-0900.ics")
    assert "hand over at 09:00, round the clock" in out
    [(agree, total)] = agreement(out)
    assert total - agree == 11 * 9  # the 9 hours before each Monday handoff
    assert "2026-04-13 00:00 for 9 hour(s): source aiko@example.com, files ben@example.com" in out
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_people_without_email_are_said(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "summary-names.ics")
    assert "Ben Okafor has no email; kept as a member without email" in out
    assert agreement(out) == [(1344, 1344)]


def test_dry_run_prints_the_file_and_writes_nothing(cli: Runner, tmp_path: Path) -> None:
    ran = cli("import", "ics", str(FIXTURES / "ics" / "weekly-midnight.ics"), "--dry-run",
              "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "--- rotations/payments-primary.yaml (not written)" in ran.stdout
    assert "Dry run: nothing was written." in ran.stdout
    assert not (tmp_path / "rotations").exists()


def test_never_overwrites_and_writes_nothing(cli: Runner, tmp_path: Path) -> None:
    imported(cli, tmp_path, "ics", "weekly-midnight.ics")
    before = snapshot(tmp_path)
    ran = cli("import", "ics", str(FIXTURES / "ics" / "weekly-midnight.ics"),
              str(FIXTURES / "ics" / "business-hours.ics"), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2
    assert "already exist" in ran.stderr and "nothing was written" in ran.stderr
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "rotations" / "support-desk.yaml").exists()


def test_one_email_in_two_sources_is_one_person(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "weekly-midnight.ics", "business-hours.ics")
    assert "4 people, matched by email" in out


def test_goalert_and_grafana_feeds_name_their_people(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "ics", "goalert-full.ics")
    assert "2 people, matched by email" in out
    assert "Ann Lee has no email" in out and "Bob Ray has no email" in out
    assert "On-Call (GoAlert" not in (tmp_path / "rotations" / "goalert-full.yaml").read_text()
    (tmp_path / "g").mkdir()
    out = imported(cli, tmp_path / "g", "ics", "grafana-levels.ics")
    assert "2 people, matched by email" in out  # "[L1] alba" is alba
    assert agreement(out) == [(1344, 1344)]


def test_a_personal_goalert_feed_is_refused_with_the_fix(cli: Runner, tmp_path: Path) -> None:
    ran = cli("import", "ics", str(FIXTURES / "ics" / "goalert-mine.ics"), "--now", NOW,
              cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout
    assert "VEVENT[UID=goalert-0]: the event names nobody" in ran.stderr
    assert "subscribe to the full schedule" in ran.stderr
    assert not (tmp_path / "rotations").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Mars/Olympus\r\nEND:VCALENDAR\r\n",
         "unknown time zone 'Mars/Olympus'"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "the calendar has no events"),
        ("not a calendar", "cannot read the calendar"),
    ],
)
def test_bad_calendars_are_refused(cli: Runner, tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text(text, newline="")
    ran = cli("import", "ics", str(bad), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert message in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not (tmp_path / "rotations").exists()


def test_who_answers_as_the_replay_said(cli: Runner, tmp_path: Path) -> None:
    imported(cli, tmp_path, "ics", "weekly-midnight.ics")
    ran = cli("who", "--at", "2026-03-03T10:00", "--now", NOW, cwd=tmp_path)
    assert "Aiko Tanaka" in ran.stdout  # the .ics has aiko the week of 2026-03-02


def test_unknown_format(cli: Runner, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ics" / "weekly-midnight.ics", tmp_path / "x.ics")
    ran = cli("import", "victorops", str(tmp_path / "x.ics"), cwd=tmp_path)
    assert ran.returncode == 2
    assert "unknown format 'victorops'" in ran.stderr


# ---- Opsgenie -----------------------------------------------------------------------

OPSGENIE = ("sre-weekly.json", "sre-weekly.overrides.json", "schedules.json")


def replays(output: str) -> dict[str, tuple[int, int]]:
    found = {}
    for block in output.split("\n\n"):
        name = block.split(" (", 1)[0]
        got = agreement(block)
        if got:
            found[name] = got[0]
    return found


def test_opsgenie_schedules_import_and_replay(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "opsgenie", *OPSGENIE)
    got = replays(out)
    exact = ["SRE weekly", "Support business hours", "Tokyo daily", "Nights",
             "Primary and secondary", "Teams and gaps"]
    for name in exact:
        agree, total = got[name]
        assert agree == total, (name, got[name])
    assert got["Twelve hours"] == (1092, 2184)
    assert "hourly rotation: turns of 12 hour(s)" in out
    assert "hands over at 09:00, round the clock" in out
    assert "per-day windows differ: sat 10:00-14:00" in out
    assert "a participant of type team (db)" in out
    assert "Skipped schedules.json:data[8]: the schedule 'Empty' puts nobody on call" in out
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0
    text = (tmp_path / "rotations" / "support-business-hours.yaml").read_text()
    assert "timezone: America/New_York" in text
    assert "# from schedules.json:data[0].rotations[0].restrictions" in text
    nights = (tmp_path / "rotations" / "nights.yaml").read_text()
    assert 'start: "18:00"' in nights and 'end: "08:00"' in nights
    pair = (tmp_path / "rotations" / "primary-and-secondary.yaml").read_text()
    assert "people: 2" in pair
    plan = cli("plan", "--next-term", "--now", NOW, cwd=tmp_path)
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_opsgenie_override_of_part_of_a_day_is_named(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "opsgenie", "sre-weekly.json",
                   "sre-weekly.partial-override.json")
    assert "an override of 4:00:00 from 2026-07-20 10:00, part of a duty day" in out
    assert replays(out)["SRE weekly"] == (2180, 2184)
    assert "2026-07-20 10:00 for 4 hour(s): source emma@example.com, files dana@example.com" in out


def _bad(cli: Runner, tmp_path: Path, fmt: str, text: str) -> str:
    bad = tmp_path / "export.json"
    bad.write_text(text)
    ran = cli("import", fmt, str(bad), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr
    assert not (tmp_path / "rotations").exists()
    return ran.stderr


def _opsgenie(**rotation: object) -> str:
    import json

    base = {"name": "r", "startDate": "2026-07-06T00:00:00Z", "type": "weekly", "length": 1,
            "participants": [{"type": "user", "username": "a@example.com"}]}
    base.update(rotation)
    return json.dumps({"data": {"name": "S", "timezone": "UTC", "rotations": [base]}})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"data": {"name": "S", "timezone": "UTC", "rotati', "the JSON ends early"),
        ('{"schedule": {"schedule_layers": []}}', "data: missing"),
        ('{"data": {"name": "S", "timezone": "UTC"}}', "data: found no rotations"),
        ('{"data": {"name": "S", "timezone": "Mars/Base", "rotations": []}}',
         "data.timezone: unknown time zone 'Mars/Base'"),
        (_opsgenie(type="monthly"), "data.rotations[0].type: found 'monthly'"),
        (_opsgenie(startDate="next week"), "data.rotations[0].startDate: found 'next week'"),
        (_opsgenie(participants=[{"type": "none"}]), "puts nobody on call"),
        (_opsgenie(length=10**12), "data.rotations[0].length: found 1000000000000, expected a "
         "turn of 1 to 53 weeks"),
        (_opsgenie(startDate="9999-12-31T00:00:00Z"),
         "data.rotations[0].startDate: found 9999-12-31, expected a date from 1970-01-01"),
    ],
)
def test_bad_opsgenie_exports_are_refused(
    cli: Runner, tmp_path: Path, text: str, message: str
) -> None:
    assert message in _bad(cli, tmp_path, "opsgenie", text)


def test_opsgenie_restriction_with_no_duty_time_is_said(cli: Runner, tmp_path: Path) -> None:
    text = _opsgenie(timeRestriction={"type": "weekday-and-time-of-day", "restrictions": [
        {"startDay": "monday", "startHour": 9, "startMin": 0, "endDay": "monday",
         "endHour": 9, "endMin": 0}]})
    assert "puts nobody on call" in _bad(cli, tmp_path, "opsgenie", text)


def test_user_without_email_is_imported_and_said(cli: Runner, tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(_opsgenie(participants=[
        {"type": "user", "id": "u1"}, {"type": "user", "username": "b@example.com"}]))
    ran = cli("import", "opsgenie", str(tmp_path / "s.json"), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "u1 has no email; kept as a member without email" in ran.stdout


def test_opsgenie_users_page_without_the_next_is_refused(cli: Runner, tmp_path: Path) -> None:
    import json

    users = json.loads((FIXTURES / "example" / "opsgenie" / "users.json").read_text())
    users["data"] = users["data"][:20]
    users["paging"]["next"] = ("https://api.opsgenie.com/v2/users?limit=20&sort=username"
                               "&offset=20&order=asc")
    (tmp_path / "users.json").write_text(json.dumps(users))
    ran = cli("import", "opsgenie", str(tmp_path / "users.json"),
              str(FIXTURES / "example" / "opsgenie" / "schedules.json"), "--dry-run",
              "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "users.json: paging.next: found the text" in ran.stderr
    assert "this page holds users 1 to 20 and more follow" in ran.stderr
    assert not (tmp_path / "rotations").exists()


def test_opsgenie_list_without_expand_names_it(cli: Runner, tmp_path: Path) -> None:
    text = ('{"data": [{"id": "s1", "name": "S", "timezone": "UTC", "enabled": true}], '
            '"expandable": ["rotation"], "took": 0.1, "requestId": "r"}')
    message = _bad(cli, tmp_path, "opsgenie", text)
    assert "data[0].rotations: missing, expected the schedule's rotations" in message
    assert "expand=rotation" in message


def test_opsgenie_overrides_go_to_the_schedule_their_parent_names(
    cli: Runner, tmp_path: Path
) -> None:
    ran = cli("import", "opsgenie", str(FIXTURES / "opsgenie" / "sre-weekly.json"),
              str(FIXTURES / "opsgenie" / "schedules.json"),
              str(FIXTURES / "opsgenie" / "sre-weekly.overrides.json"), "--dry-run",
              "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    sre = next(b for b in ran.stdout.split("\n\n") if b.startswith("SRE weekly"))
    assert "sre-weekly.overrides.json: 1 override(s)" in sre


def test_opsgenie_team_periods_use_their_flattened_recipients(
    cli: Runner, tmp_path: Path
) -> None:
    import json

    def period(start: str, end: str, recipient: dict[str, str], **extra: object) -> object:
        return {"startDate": start, "endDate": end, "type": "historical",
                "recipient": recipient, **extra}

    user = {"type": "user", "id": "u-aiko", "name": "aiko@example.com"}
    team = {"type": "team", "id": "t-db", "name": "db"}
    periods = [
        period("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", user),
        period("2026-06-08T00:00:00Z", "2026-06-15T00:00:00Z", team, flattenedRecipients=[
            {"type": "user", "id": "u-ben", "name": "ben@example.com"}]),
        period("2026-06-15T00:00:00Z", "2026-06-22T00:00:00Z", team),
    ]
    timeline = {"data": {"_parent": {"id": "s-SRE weekly", "name": "SRE weekly",
                                     "enabled": True},
                         "startDate": "2026-06-01T00:00:00Z", "endDate": "2026-06-22T00:00:00Z",
                         "finalTimeline": {"rotations": [{"id": "r-weekly", "name": "weekly",
                                                          "order": 1.0, "periods": periods}]}},
                "expandable": ["base", "forwarding", "override"], "took": 0.1,
                "requestId": "r"}
    (tmp_path / "t.json").write_text(json.dumps(timeline))
    ran = cli("import", "opsgenie", str(FIXTURES / "opsgenie" / "sre-weekly.json"),
              str(tmp_path / "t.json"), "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "t.json: 2 timeline period(s) as history" in ran.stdout
    assert ("periods[2].recipient: a period of a team that names no user "
            "(no flattenedRecipients); nobody on call for it") in ran.stdout
    who = cli("who", "--at", "2026-06-10T10:00", "--now", NOW, cwd=tmp_path)
    assert "primary: ben@example.com (@ben" in who.stdout, who.stdout  # through the team


# ---- PagerDuty ----------------------------------------------------------------------


def test_pagerduty_final_schedule_becomes_history(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "pagerduty", "users.json", "engineering.json")
    assert replays(out)["Engineering primary"] == (4367, 4367)
    assert "28 final schedule entries as history" in out
    assert "Emma Stone is named only by overrides or past shifts" in out
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0
    plan = cli("plan", "--next-term", "--now", NOW, cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    first = re.findall(r"^2026-\d\d-\d\d\.\.2026-\d\d-\d\d\s+(\w+)", plan.stdout, re.MULTILINE)
    assert "emma" not in first  # left: she only took overrides
    assert set(first[:2]) == {"chen", "dana"}  # they served least


def test_pagerduty_layers_restrictions_and_priorities(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "pagerduty", "users.json", "schedules.json")
    got = replays(out)
    for name in ["Business hours every day", "Weekdays only", "Weekend layer",
                 "Empty layer beside", "Layer changed", "Restriction with no time"]:
        assert got[name][0] == got[name][1], (name, got[name])
    assert got["Eight hour turns"] == (728, 2184)
    assert got["Evening cover on top"] == (1820, 2184)
    assert "2026-07-06 18:00 for 4 hour(s): source uma@example.com, files tom@example.com" in out
    assert "2 layers, the higher one (listed first) winning; flattened into one rotation" in out
    assert "schedule_layers[1].users: a layer with no users" in out
    assert "schedule_layers[1].restrictions: the restrictions yield no duty time" in out
    assert "Noor Aziz has no email" in out
    weekdays = (tmp_path / "rotations" / "weekdays-only.yaml").read_text()
    assert "days: [mon, tue, wed, thu, fri]" in weekdays and "timezone: Asia/Tokyo" in weekdays
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_pagerduty_overrides_file_follows_its_schedule(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "pagerduty", "users.json", "business.json",
                   "business.overrides.json")
    assert "business.overrides.json: 1 override(s)" in out
    assert "2026-07-08 00:00 for 9 hour(s): source hana@example.com, files nobody" in out


@pytest.mark.slow
def test_a_final_schedule_of_ten_thousand_entries(cli: Runner, tmp_path: Path) -> None:
    import json
    from datetime import UTC, datetime, timedelta

    start = datetime(2020, 1, 6, tzinfo=UTC)
    people = [f"P{n}" for n in range(6)]
    entries = [
        {"start": (start + timedelta(hours=6 * n)).isoformat(),
         "end": (start + timedelta(hours=6 * n + 6)).isoformat(),
         "user": {"id": people[(n // 28) % 6], "type": "user_reference"}}
        for n in range(10_000)
    ]
    users = {"users": [{"id": p, "name": p, "email": f"{p.lower()}@example.com"}
                       for p in people]}
    schedule = {"schedule": {"name": "Big", "time_zone": "UTC", "schedule_layers": [],
                             "final_schedule": {"rendered_schedule_entries": entries}}}
    (tmp_path / "users.json").write_text(json.dumps(users))
    (tmp_path / "big.json").write_text(json.dumps(schedule))
    ran = cli("import", "pagerduty", str(tmp_path / "users.json"), str(tmp_path / "big.json"),
              "--check", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "10000 final schedule entries as history" in ran.stdout
    assert "Replay: 60,000 of 60,000 hours agree" in ran.stdout
    assert "length: 1w" in (tmp_path / "rotations" / "big.yaml").read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schedule": {"name": "S", "time_zone": "UTC", "schedule_la', "the JSON ends early"),
        ('{"data": {"rotations": []}}', "found neither schedule, schedules, users nor overrides"),
        ('{"schedule": {"name": "S", "time_zone": "Nowhere/Land", "schedule_layers": []}}',
         "schedule.time_zone: unknown time zone 'Nowhere/Land'"),
        ('{"schedule": {"name": "S", "time_zone": "UTC", "schedule_layers": [{"start": '
         '"2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-01T00:00:00Z", '
         '"rotation_turn_length_seconds": 5400, "users": []}]}}',
         "schedule.schedule_layers[0].rotation_turn_length_seconds: found 5400"),
        ('{"schedule": {"name": "S", "time_zone": "UTC", "schedule_layers": [{"start": '
         '"2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-01T00:00:00Z", '
         '"rotation_turn_length_seconds": 86400, "users": [{"user": {"id": "P1"}}], '
         '"restrictions": [{"type": "monthly_restriction", "start_time_of_day": "09:00:00", '
         '"duration_seconds": 60}]}]}}',
         "schedule.schedule_layers[0].restrictions[0].type: found 'monthly_restriction'"),
        ('{"schedule": {"name": "S", "time_zone": "UTC", "schedule_layers": [{"start": '
         '"2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-01T00:00:00Z", '
         '"rotation_turn_length_seconds": 86400, "users": [{"user": {"id": "P1"}}], '
         '"restrictions": [{"type": "daily_restriction", "start_time_of_day": "25:00:00", '
         '"duration_seconds": 60}]}]}}',
         "restrictions[0].start_time_of_day: found '25:00:00'"),
        ('{"overrides": []}', "overrides, but no schedule came before them"),
    ],
)
def test_bad_pagerduty_exports_are_refused(
    cli: Runner, tmp_path: Path, text: str, message: str
) -> None:
    assert message in _bad(cli, tmp_path, "pagerduty", text)


def test_pagerduty_users_page_without_the_next_is_refused(cli: Runner, tmp_path: Path) -> None:
    import json

    users = json.loads((FIXTURES / "pagerduty" / "users.json").read_text())
    first, rest = users["users"][:10], users["users"][10:]
    page1 = {"users": first, "limit": 10, "offset": 0, "more": True, "total": None}
    page2 = {"users": rest, "limit": 10, "offset": 10, "more": False, "total": None}
    (tmp_path / "users-1.json").write_text(json.dumps(page1))
    (tmp_path / "users-2.json").write_text(json.dumps(page2))
    schedule = str(FIXTURES / "pagerduty" / "schedules.json")
    ran = cli("import", "pagerduty", str(tmp_path / "users-1.json"), schedule, "--dry-run",
              "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "users-1.json: more: found true: this page holds users 1 to 10 and more follow" \
        in ran.stderr
    assert "&offset=" in ran.stderr and "Traceback" not in ran.stderr
    ran = cli("import", "pagerduty", str(tmp_path / "users-1.json"),
              str(tmp_path / "users-2.json"), schedule, "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "Noor Aziz has no email" in ran.stdout


def test_pagerduty_list_without_layers_names_the_include(cli: Runner, tmp_path: Path) -> None:
    text = ('{"schedules": [{"id": "P1", "type": "schedule", "name": "S", "time_zone": "UTC", '
            '"users": []}], "limit": 25, "offset": 0, "more": false, "total": null}')
    message = _bad(cli, tmp_path, "pagerduty", text)
    assert "schedules[0].schedule_layers: missing, expected the schedule's layers" in message
    assert "include[]=schedule_layers" in message


# ---- Grafana OnCall -----------------------------------------------------------------

GRAFANA = ("users.json", "on_call_shifts.json", "schedules.json")


def test_grafana_oncall_shifts_import_and_replay(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "grafana-oncall", *GRAFANA)
    got = replays(out)
    for name in ["Web weekly", "Business hours", "Daily pairs", "Monthly", "With overrides"]:
        assert got[name][0] == got[name][1], (name, got[name])
    assert got["Two levels"] == (1820, 2184)
    assert got["Six hours"] == (1092, 2184)
    assert "layers at several levels, the highest winning" in out
    assert "turns of 1 month(s); shifts of 4 weeks" in out
    assert "Skipped schedules.json:results[7]: the schedule 'Nobody' puts nobody on call" in out
    assert "people: 2" in (tmp_path / "rotations" / "daily-pairs.yaml").read_text()
    business = (tmp_path / "rotations" / "business-hours.yaml").read_text()
    assert "days: [mon, tue, wed, thu, fri]" in business and 'start: "09:00"' in business
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_grafana_oncall_final_shifts_are_history(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "grafana-oncall", "users.json", "on_call_shifts.json",
                   "history.schedules.json", "history.final_shifts.json")
    assert "12 final shift(s) as history" in out
    assert replays(out)["History"] == (2016, 2016)
    assert cli("plan", "--next-term", "--now", NOW, cwd=tmp_path).returncode == 0
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"results": [{"id": "S1", "name": "S", "time_zone": "UTC"', "the JSON ends early"),
        ('{"schedule": {}}', "results: missing"),
        ('{"results": [{"id": "S1", "name": "S", "time_zone": "Atlantis/Deep"}]}',
         "results[0].time_zone: unknown time zone 'Atlantis/Deep'"),
        ('{"results": [{"id": "S1", "name": "S", "type": "web", "time_zone": "UTC", "shifts": '
         '["O1"]}, {"id": "O1", "type": "rolling_users", "frequency": "yearly", "start": '
         '"2026-07-06T00:00:00", "duration": 60, "rolling_users": [["U1"]]}]}',
         "results[1].frequency: found 'yearly'"),
        ('{"results": [{"foo": 1}]}', "found neither a schedule, a shift, a user"),
    ],
)
def test_bad_grafana_exports_are_refused(
    cli: Runner, tmp_path: Path, text: str, message: str
) -> None:
    assert message in _bad(cli, tmp_path, "grafana-oncall", text)


def test_grafana_turns_start_at_the_first_occurrence_after_rotation_start(
    cli: Runner, tmp_path: Path
) -> None:
    out = imported(cli, tmp_path, "grafana-oncall", *GRAFANA)
    assert replays(out)["Late start"] == (2184, 2184)
    late = (tmp_path / "rotations" / "late-start.yaml").read_text()
    assert "handoff: mon" in late  # the occurrences' weekday, not rotation_start's
    ran = cli("who", "--at", "2026-07-07T10:00", "--now", NOW, cwd=tmp_path)
    assert re.search(r"^late-start: .*\n\s+primary: xan ", ran.stdout, re.MULTILINE)


def _grafana_list(results: list[object], **paging: object) -> str:
    import json

    page = {"count": len(results), "next": None, "previous": None, "results": results,
            "current_page_number": 1, "page_size": 50, "total_pages": 1}
    page.update(paging)
    return json.dumps(page)


def test_grafana_shifts_belong_to_the_schedule_that_lists_them(
    cli: Runner, tmp_path: Path
) -> None:
    (tmp_path / "s.json").write_text(_grafana_list([
        {"id": "S1", "name": "S", "type": "calendar", "time_zone": "UTC", "shifts": ["O2"]}]))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "users.json"),
              str(FIXTURES / "grafana-oncall" / "on_call_shifts.json"), str(tmp_path / "s.json"),
              "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "on_call_shifts.json:results[1].rolling_users[0]" in ran.stdout  # O2: dev, eli
    (tmp_path / "s.json").write_text(_grafana_list([
        {"id": "S1", "name": "S", "type": "calendar", "time_zone": "UTC", "shifts": ["O99"]}]))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "on_call_shifts.json"),
              str(tmp_path / "s.json"), "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout
    assert "s.json: results[0].shifts[0]: names shift O99, but no on_call_shifts FILE" \
        in ran.stderr


def test_grafana_ical_schedule_is_said_and_left_to_ics(cli: Runner, tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(_grafana_list([
        {"id": "S9", "name": "Cal", "type": "ical", "team_id": None,
         "ical_url_primary": "https://example.com/cal.ics", "ical_url_overrides": None,
         "on_call_now": [], "slack": {"channel_id": None, "user_group_id": None}},
        {"id": "SWEB", "name": "Web weekly", "type": "web", "time_zone": "Europe/Berlin",
         "shifts": ["O1"]}]))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "users.json"),
              str(FIXTURES / "grafana-oncall" / "on_call_shifts.json"), str(tmp_path / "s.json"),
              "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ("Skipped s.json:results[0]: an iCal schedule: its shifts are in "
            "https://example.com/cal.ics") in ran.stdout
    assert "oncall import ics" in ran.stdout


def test_grafana_override_without_users_is_said(cli: Runner, tmp_path: Path) -> None:
    import json

    shifts = json.loads((FIXTURES / "grafana-oncall" / "on_call_shifts.json").read_text())
    shifts["results"][8]["users"] = []  # O9, as the API shows an override made in the web UI
    (tmp_path / "shifts.json").write_text(json.dumps(shifts))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "users.json"),
              str(tmp_path / "shifts.json"), str(FIXTURES / "grafana-oncall" / "schedules.json"),
              "--check", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "shifts.json:results[8].users: an override that names no users" in ran.stdout
    assert replays(ran.stdout)["With overrides"] == (2184, 2184)  # nobody taken off


def test_grafana_page_without_the_next_is_refused(cli: Runner, tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(_grafana_list(
        [{"id": "SWEB", "name": "Web weekly", "type": "web", "time_zone": "Europe/Berlin",
          "shifts": ["O1"]}], count=51, total_pages=2,
        next="https://oncall.example.com/api/v1/schedules/?page=2"))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "on_call_shifts.json"),
              str(tmp_path / "s.json"), "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout
    assert "s.json: next: found the text 'https://oncall.example.com/api/v1/sc" in ran.stderr
    assert "this page holds /api/v1/schedules/ 1 to 1 and more follow" in ran.stderr


# ---- GoAlert ------------------------------------------------------------------------

GOALERT = ("rotations.json", "primary.json", "business.json", "halves.json",
           "weekend-user.json", "overrides.json", "overrides.user_overrides.json",
           "hourly.json", "monthly.json", "no-rules.json")


def test_goalert_rotations_rules_and_overrides(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "goalert", *GOALERT)
    got = replays(out)
    for name in ["Primary", "Business", "Weekend user", "Monthly", "Idle target"]:
        assert got[name][0] == got[name][1], (name, got[name])
    assert got["Follow the sun"] == (1092, 2184)
    assert got["Twelve hours"] == (1092, 2184)
    assert got["With overrides"] == (2160, 2184)  # the day wes was added beside leo
    assert "halves.json:data.schedule" in out
    assert "rotations.json:data.rotations.nodes[2].restrictions: per-day windows differ" in out
    assert "nodes[1]: adds a person beside whoever is on call" in out
    assert "targets[1].rules: no rule holds any time" in out
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_goalert_shifts_are_history(cli: Runner, tmp_path: Path) -> None:
    out = imported(cli, tmp_path, "goalert", "rotations.json", "history.json")
    assert "12 shift(s) as history" in out
    [(agree, total)] = agreement(out)
    assert agree == total
    assert cli("plan", "--next-term", "--now", NOW, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"data": {"schedule": {"name": "S", "timeZone": "UTC", "targ', "the JSON ends early"),
        ('{"schedule": {}}', "data: missing"),
        ('{"data": {"schedule": {"name": "S", "timeZone": "Moon/Base", "targets": []}}}',
         "data.schedule.timeZone: unknown time zone 'Moon/Base'"),
        ('{"data": {"schedule": {"name": "S", "timeZone": "UTC", "targets": [{"target": '
         '{"id": "r1", "type": "rotation"}, "rules": [{"start": "00:00", "end": "00:00", '
         '"weekdayFilter": [true, true, true, true, true, true, true]}]}]}}}',
         "data.schedule.targets[0].target.id: names rotation r1, but no rotation file gave it"),
        ('{"data": {"schedule": {"name": "S", "timeZone": "UTC", "targets": [{"target": '
         '{"id": "u1", "type": "user"}, "rules": [{"start": "25:00", "end": "00:00", '
         '"weekdayFilter": [true, true, true, true, true, true, true]}]}]}}}',
         "data.schedule.targets[0].rules[0].start: found '25:00'"),
        ('{"data": {"alerts": []}}', "found neither schedule, rotation(s) nor userOverrides"),
    ],
)
def test_bad_goalert_exports_are_refused(
    cli: Runner, tmp_path: Path, text: str, message: str
) -> None:
    assert message in _bad(cli, tmp_path, "goalert", text)


def test_goalert_rotation_state_decides_who_is_on_call(cli: Runner, tmp_path: Path) -> None:
    imported(cli, tmp_path, "goalert", "rotations.json", "primary.json")
    ran = cli("who", "--at", "2026-07-07T10:00", "--now", NOW, cwd=tmp_path)
    # activeUserIndex 2 (cat) holds the shift ending at nextHandoffTimes[0]; counted from
    # start it would be bob
    assert re.search(r"^primary: .*\n\s+primary: Cat ", ran.stdout, re.MULTILINE), ran.stdout
    ran = cli("who", "--at", "2026-07-14T10:00", "--now", NOW, cwd=tmp_path)
    assert re.search(r"^primary: .*\n\s+primary: Ann ", ran.stdout, re.MULTILINE), ran.stdout


def test_goalert_page_without_the_next_is_refused(cli: Runner, tmp_path: Path) -> None:
    import json

    overrides = json.loads((FIXTURES / "goalert" / "overrides.user_overrides.json").read_text())
    overrides["data"]["userOverrides"]["pageInfo"] = {"endCursor": "abc", "hasNextPage": True}
    (tmp_path / "o.json").write_text(json.dumps(overrides))
    ran = cli("import", "goalert", str(FIXTURES / "goalert" / "rotations.json"),
              str(FIXTURES / "goalert" / "overrides.json"), str(tmp_path / "o.json"),
              "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout
    assert ("o.json: data.userOverrides.pageInfo.hasNextPage: found true: this page holds "
            "2 userOverrides and more follow") in ran.stderr
    assert "first: 150" in ran.stderr


# ---- the worked example of docs/migrate/: 30 people, 3 schedules, a year, every format ----

EXAMPLE = {
    "opsgenie": ["users.json", "schedules.json", "payments-primary.timeline.json",
                 "payments-secondary.timeline.json", "support-desk.timeline.json"],
    "pagerduty": ["users.json", "payments-primary.json", "payments-secondary.json",
                  "support-desk.json"],
    "grafana-oncall": ["users.json", "on_call_shifts.json",
                       *(f"{s}.{kind}.json" for s in ("payments-primary", "payments-secondary",
                                                     "support-desk")
                         for kind in ("schedule", "final_shifts"))],
    "goalert": ["rotations.json", "payments-primary.json", "payments-secondary.json",
                "support-desk.json"],
    "ics": ["payments-primary.ics", "payments-secondary.ics", "support-desk.ics"],
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(EXAMPLE))
def test_the_worked_example_moves_in_with_its_history(
    cli: Runner, tmp_path: Path, fmt: str
) -> None:
    paths = [str(FIXTURES / "example" / fmt / name) for name in EXAMPLE[fmt]]
    ran = cli("import", fmt, *paths, "--check", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "30 people, matched by email" in ran.stdout
    assert agreement(ran.stdout) == [(8736, 8736), (8736, 8736), (8672, 8672)]
    kept = sorted(p.name for p in (tmp_path / "rotations" / "payments-primary.terms").iterdir())
    assert kept == ["2025-07-07.schedule.yaml", "2025-10-13.schedule.yaml",
                    "2026-01-12.schedule.yaml"]
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0
    plan = cli("plan", "--next-term", "--now", NOW, cwd=tmp_path)
    assert plan.returncode == 0, plan.stderr
    firsts = re.findall(r"^(\S+): term .*\n\n.*\n2026-07-06\S*\s+(\w+)", plan.stdout, re.MULTILINE)
    # the one who joined in January served least in each schedule, and goes first
    assert dict(firsts) == {"payments-primary": "jonas", "payments-secondary": "tariq",
                            "support-desk": "dmitri"}
    assert cli("validate", "--now", NOW, cwd=tmp_path).returncode == 0


def test_grafana_one_schedule_object_then_its_final_shifts(cli: Runner, tmp_path: Path) -> None:
    import json

    listed = json.loads((FIXTURES / "grafana-oncall" / "history.schedules.json").read_text())
    (tmp_path / "one.json").write_text(json.dumps(listed["results"][0]))
    files = [str(FIXTURES / "grafana-oncall" / n) for n in ("users.json", "on_call_shifts.json")]
    ran = cli("import", "grafana-oncall", *files, str(tmp_path / "one.json"),
              str(FIXTURES / "grafana-oncall" / "history.final_shifts.json"), "--check",
              "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert agreement(ran.stdout) == [(2016, 2016)]


def test_since_and_until_choose_the_period(cli: Runner, tmp_path: Path) -> None:
    ran = cli("import", "opsgenie", str(FIXTURES / "opsgenie" / "sre-weekly.json"), "--check",
              "--since", "2026-07-06", "--until", "2026-08-02", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "2026-07-06..2026-08-02" in ran.stdout
    assert agreement(ran.stdout) == [(672, 672)]
    bad = cli("import", "opsgenie", str(FIXTURES / "opsgenie" / "sre-weekly.json"),
              "--since", "2026-08-02", "--until", "2026-07-06", "--now", NOW, cwd=tmp_path)
    assert bad.returncode == 2 and "ends before it starts" in bad.stderr


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("goalert", '{"errors": [{"message": "unauthorized", "path": ["schedule"]}], '
         '"data": {"schedule": null}}', "errors[0].message: the API answered an error, "
         "'unauthorized'"),
        ("pagerduty", '{"error": {"message": "Not Found", "code": 2100}}',
         "error.message: the API answered an error, 'Not Found'"),
        ("opsgenie", '{"message": "Could not authenticate", "took": 0.0, "requestId": "r"}',
         "message: the API answered an error, 'Could not authenticate'"),
        ("grafana-oncall", '{"detail": "Invalid token."}',
         "detail: the API answered an error, 'Invalid token.'"),
    ],
)
def test_an_api_error_saved_as_the_export_is_refused(
    cli: Runner, tmp_path: Path, fmt: str, text: str, message: str
) -> None:
    error = _bad(cli, tmp_path, fmt, text)
    assert f"export.json: {message}" in error
    assert "check the token" in error


def test_a_guide_per_source_linked_from_the_readme() -> None:
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text()
    assert "Opsgenie support ends on 2027-04-05" in readme
    for fmt in ("opsgenie", "pagerduty", "grafana-oncall", "goalert", "ics"):
        assert f"docs/migrate/{fmt}.md" in readme
        guide = (root / "docs" / "migrate" / f"{fmt}.md").read_text()
        assert f"oncall import {fmt}" in guide
        assert "## Export" in guide and "## Worked example" in guide
        assert "## What to check after" in guide


def test_grafana_fields_that_do_not_map_are_said(cli: Runner, tmp_path: Path) -> None:
    import json

    shifts = json.loads((FIXTURES / "grafana-oncall" / "on_call_shifts.json").read_text())
    shifts["results"][0]["by_monthday"] = [1, 15]
    (tmp_path / "shifts.json").write_text(json.dumps(shifts))
    ran = cli("import", "grafana-oncall", str(FIXTURES / "grafana-oncall" / "users.json"),
              str(tmp_path / "shifts.json"), str(FIXTURES / "grafana-oncall" / "schedules.json"),
              "--dry-run", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "shifts.json:results[0].by_monthday: occurrences limited by by_monthday" in ran.stdout


@pytest.mark.parametrize("group", ["-5", "[-5]", "[[]]"])
def test_grafana_rolling_users_must_be_user_ids(
    cli: Runner, tmp_path: Path, group: str
) -> None:
    text = ('{"results": [{"id": "S1", "name": "S", "type": "web", "time_zone": "UTC", '
            '"shifts": ["O1"]}, {"id": "O1", "type": "rolling_users", "frequency": "weekly", '
            '"start": '
            f'"2026-07-06T00:00:00", "duration": 60, "rolling_users": [{group}]}}]}}')
    message = _bad(cli, tmp_path, "grafana-oncall", text)
    assert "results[1].rolling_users[0]: expected a list of user ids" in message or (
        "puts nobody on call" in message
    )


def test_opsgenie_override_of_one_rotation_of_several_is_said(
    cli: Runner, tmp_path: Path
) -> None:
    import json

    listed = json.loads((FIXTURES / "opsgenie" / "schedules.json").read_text())
    (tmp_path / "pair.json").write_text(json.dumps({"data": listed["data"][3]}))
    (tmp_path / "o.json").write_text(json.dumps({"data": [
        {"user": {"type": "user", "username": "wes@example.com"},
         "startDate": "2026-07-07T22:00:00Z", "endDate": "2026-07-08T22:00:00Z",
         "rotations": [{"id": "r-primary", "name": "primary"}]}]}))
    ran = cli("import", "opsgenie", str(tmp_path / "pair.json"), str(tmp_path / "o.json"),
              "--check", "--now", NOW, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "o.json:data[0].rotations: an override of some rotations only" in ran.stdout
