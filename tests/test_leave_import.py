"""`oncall leave import`: leave from an .ics lands in the member's `unavailable` list:
all-day and timed events, recurring ones expanded over the term, free and cancelled ones
skipped, in the rotation's zone; the rest of the file stays byte for byte; a bad calendar
names the file, line and UID and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.io.loading import load_rotation
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

# Term 2027-01-04..2027-01-29 (tests/helpers/daily.py), window 10:00-17:00 Asia/Tokyo.
LEAVE = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//oncall tests//EN
BEGIN:VEVENT
UID:vacation
DTSTART;VALUE=DATE:20270118
DTEND;VALUE=DATE:20270123
SUMMARY:Vacation (Mon-Fri; the weekend after is no duty day)
END:VEVENT
BEGIN:VEVENT
UID:dentist
DTSTART;TZID=Asia/Tokyo:20270105T090000
DTEND;TZID=Asia/Tokyo:20270105T103000
END:VEVENT
BEGIN:VEVENT
UID:evening-utc
DTSTART:20270106T100000Z
DTEND:20270106T110000Z
SUMMARY:19:00-20:00 in Tokyo: after the window
END:VEVENT
BEGIN:VEVENT
UID:weekly-1on1
DTSTART;TZID=Asia/Tokyo:20270107T130000
DTEND;TZID=Asia/Tokyo:20270107T140000
RRULE:FREQ=WEEKLY;UNTIL=20270131T000000Z
EXDATE;TZID=Asia/Tokyo:20270114T130000
END:VEVENT
BEGIN:VEVENT
UID:free-focus
DTSTART;VALUE=DATE:20270112
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTART;VALUE=DATE:20270113
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:floating-lunch
DTSTART:20270126T120000
DTEND:20270126T130000
END:VEVENT
BEGIN:VEVENT
UID:outside-term
DTSTART;VALUE=DATE:20270301
END:VEVENT
END:VCALENDAR
"""
EXPECTED = [
    "2027-01-05",  # dentist 09:00-10:30 overlaps 10:00-17:00
    "2027-01-07",  # weekly 1:1, the 14th excluded
    "2027-01-18..2027-01-22",  # vacation
    "2027-01-26",  # floating time, read in Asia/Tokyo
    "2027-01-28",  # weekly 1:1 (the 21st is inside the vacation)
]


def setup(root: Path, cli: Runner, ics: str = LEAVE) -> tuple[Path, Path]:
    path = make_rotation(root)
    return path, write_ics(root, ics)


def write_ics(root: Path, ics: str) -> Path:
    (root / "leave.ics").write_text(ics.replace("\n", "\r\n"), encoding="utf-8")
    return root / "leave.ics"


def test_leave_lands_in_the_member_list_and_nothing_else_changes(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    before = path.read_text(encoding="utf-8")
    result = cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "added 5 unavailable entries" in result.stdout
    after = path.read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1 and "handle: raj" in changed[0][0]
    raj = load_rotation(path).by_handle["raj"]
    assert [str(entry) for entry in raj.unavailable] == EXPECTED


def test_importing_again_adds_nothing(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    assert cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path).returncode == 0
    once = path.read_bytes()
    again = cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path)
    assert again.returncode == 0 and "nothing to add" in again.stdout
    assert path.read_bytes() == once


def test_days_already_unavailable_are_not_repeated(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    # li is already away on 2027-01-06 in the fixture; a calendar saying so adds nothing.
    ics = LEAVE.replace("DTSTART;VALUE=DATE:20270118", "DTSTART;VALUE=DATE:20270106").replace(
        "DTEND;VALUE=DATE:20270123", "DTEND;VALUE=DATE:20270107"
    )
    write_ics(tmp_path, ics)
    assert cli("leave", "import", "leave.ics", "--member", "li", cwd=tmp_path).returncode == 0
    li = load_rotation(path).by_handle["li"]
    assert [str(entry) for entry in li.unavailable] == [
        "2027-01-06", "2027-01-05", "2027-01-07", "2027-01-21", "2027-01-26", "2027-01-28",
    ]


def test_block_lists_keep_their_comments(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    text = path.read_text(encoding="utf-8").replace(
        "  - {handle: raj, name: Raj Patel, team: platform, volunteer: true}\n",
        "  - handle: raj   # Raj\n    name: Raj Patel\n    team: platform\n"
        "    volunteer: true\n    unavailable:\n      - wed   # school run\n",
    )
    path.write_text(text, encoding="utf-8")
    assert cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path).returncode == 0
    after = path.read_text(encoding="utf-8")
    assert "      - wed   # school run\n      - 2027-01-05\n" in after
    assert after.startswith(text.split("      - wed")[0])
    first = load_rotation(path).by_handle["raj"].unavailable[0]
    assert str(first) == "every Wednesday"


def test_a_timed_event_takes_the_night_window_it_overlaps(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    text = path.read_text(encoding="utf-8")
    text = text.replace('start: "10:00"', 'start: "22:00"').replace('end: "17:00"', 'end: "06:00"')
    path.write_text(text, encoding="utf-8")
    ics = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:flight\n"
        "DTSTART;TZID=Asia/Tokyo:20270113T020000\nDTEND;TZID=Asia/Tokyo:20270113T040000\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    write_ics(tmp_path, ics)
    assert cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path).returncode == 0
    # 02:00 on Wednesday is inside Tuesday's 22:00-06:00 window.
    assert [str(e) for e in load_rotation(path).by_handle["raj"].unavailable] == ["2027-01-12"]


def test_dry_run_writes_nothing(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    before = path.read_bytes()
    result = cli("leave", "import", "leave.ics", "--member", "raj", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0 and "would add 5" in result.stdout
    assert "2027-01-18..2027-01-22" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("DTSTART;TZID=Asia/Tokyo:20270105T090000", "DTSTART;TZID=Asia/Tokyo:2027XX05T090000"),
         ":12: event UID dentist: DTSTART"),
        (("RRULE:FREQ=WEEKLY;UNTIL=20270131T000000Z", "RRULE:FREQ=SOMETIMES"),
         ":25: event UID weekly-1on1: RRULE"),
        (("DTEND;TZID=Asia/Tokyo:20270105T103000", "DTEND;TZID=Asia/Tokyo:20270104T103000"),
         ":13: event UID dentist: found DTEND"),
        (("UID:dentist\n", "UID:dentist\nthis is not a content line\n"),
         ":12: event UID dentist: Content line could not be parsed"),
        (("BEGIN:VCALENDAR", "BEGIN:VCARD"), "found VCARD, expected a VCALENDAR"),
    ],
)
def test_a_bad_calendar_names_file_line_and_uid_and_writes_nothing(
    tmp_path: Path, cli: Runner, change: tuple[str, str], expected: str
):
    path, _ = setup(tmp_path, cli, LEAVE.replace(*change))
    before = path.read_bytes()
    result = cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "leave.ics" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_a_missing_calendar_or_member_is_an_input_error(tmp_path: Path, cli: Runner):
    setup(tmp_path, cli)
    missing = cli("leave", "import", "nope.ics", "--member", "raj", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.ics" in missing.stderr
    typo = cli("leave", "import", "leave.ics", "--member", "rj", cwd=tmp_path)
    assert typo.returncode == 2 and "did you mean 'raj'?" in typo.stderr


def test_the_plan_keeps_the_imported_days_free(tmp_path: Path, cli: Runner):
    setup(tmp_path, cli)
    assert cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path).returncode == 0
    planned = cli("plan", "--seed", "1", "--now", "2027-01-01T09:00", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert cli("validate", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0


# ---- events outside the term, --now ---------------------------------------------------

AFTER_TERM = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//oncall tests//EN
BEGIN:VEVENT
UID:spring-trip
DTSTART;VALUE=DATE:20270301
DTEND;VALUE=DATE:20270306
END:VEVENT
BEGIN:VEVENT
UID:long-weekend
DTSTART;VALUE=DATE:20270129
DTEND;VALUE=DATE:20270202
END:VEVENT
END:VCALENDAR
"""


def test_events_outside_the_term_are_named_not_nothing_to_add(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli, AFTER_TERM)
    ran = cli("leave", "import", "leave.ics", "--member", "raj", "--now", "2027-01-04T09:00",
              cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert "added 1 unavailable entry" in lines[0] and lines[1] == "  - 2027-01-29"
    assert lines[2:] == [
        "2 events (partly) outside the term 2027-01-04..2027-01-29, not imported:",
        "  - long-weekend: its days 2027-01-30..2027-02-01",
        "  - spring-trip: 2027-03-01..2027-03-05",
        "  to import the days after the term now: oncall leave import leave.ics --member raj "
        "rotations/app.yaml --start 2027-01-30 --end 2027-03-05",
    ]
    # The command it names imports them.
    again = cli("leave", "import", "leave.ics", "--member", "raj", "rotations/app.yaml",
                "--start", "2027-01-30", "--end", "2027-03-05", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert [str(e) for e in load_rotation(path).by_handle["raj"].unavailable] == [
        "2027-01-29", "2027-02-01", "2027-03-01..2027-03-05",
    ]


def test_only_events_outside_the_term_says_so(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli, AFTER_TERM.replace("DTSTART;VALUE=DATE:20270129", "DTSTART;"
                                                      "VALUE=DATE:20270130"))
    before = path.read_bytes()
    ran = cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path)
    assert ran.returncode == 0
    assert "0 busy events in the term 2027-01-04..2027-01-29; none of its events falls in " \
        "the term" in ran.stdout
    assert "spring-trip: 2027-03-01..2027-03-05" in ran.stdout
    assert path.read_bytes() == before


def test_now_sets_today_for_day_words(tmp_path: Path, cli: Runner):
    path, _ = setup(tmp_path, cli)
    ran = cli("leave", "import", "leave.ics", "--member", "raj", "--start", "today", "--end",
              "tomorrow", "--now", "2027-01-05T08:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "in the term 2027-01-05..2027-01-06" in ran.stdout
    assert [str(e) for e in load_rotation(path).by_handle["raj"].unavailable] == ["2027-01-05"]


# ---- leave on a day someone already holds ------------------------------------------------

SICK = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//oncall tests//EN
BEGIN:VEVENT
UID:sick
DTSTART;VALUE=DATE:20270120
END:VEVENT
END:VCALENDAR
"""
TUESDAY = ("--now", "2027-01-19T09:00")  # inside the shift 2027-01-18..2027-01-24


def _held(tmp_path: Path, cli: Runner, cover: bool) -> tuple[Path, str]:
    """The daily workspace (weekly pairs) planned; who holds Wednesday 2027-01-20."""
    import json

    path = make_rotation(tmp_path)
    if cover:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  people: 2\n", "  people: 2\n  cover: day\n"), "utf-8")
    assert cli("plan", "--now", "2027-01-01T09:00", cwd=tmp_path).returncode == 0
    write_ics(tmp_path, SICK)
    who = json.loads(cli("who", "--date", "2027-01-20", "--format", "json", *TUESDAY,
                         cwd=tmp_path).stdout)
    return path, who["primary"][0]["handle"]


def _named(cli: Runner, tmp_path: Path, day: str) -> set[str]:
    import json

    who = json.loads(cli("who", "--date", day, "--format", "json", *TUESDAY, cwd=tmp_path).stdout)
    return {p["handle"] for p in who["primary"] + who["shadow"]}


def test_leave_inside_a_running_shift_gets_a_cover(tmp_path: Path, cli: Runner):
    """It was "nothing changed" and who still named the person on leave."""
    _, sick = _held(tmp_path, cli, cover=True)
    ran = cli("leave", "import", "leave.ics", "--member", sick, *TUESDAY, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert f"days {sick} held, covered" in ran.stdout
    into = ran.stdout.split("  - 2027-01-20: ", 1)[1].split(" for ")[0]
    assert _named(cli, tmp_path, "2027-01-20") & {sick, into} == {into}
    assert cli("validate", *TUESDAY, cwd=tmp_path).returncode == 0
    replanned = cli("plan", *TUESDAY, cwd=tmp_path)  # the cover stays
    assert replanned.returncode == 0, replanned.stderr
    assert sick not in _named(cli, tmp_path, "2027-01-20")


def test_without_covers_the_import_names_the_swap_to_record_first(tmp_path: Path, cli: Runner):
    path, sick = _held(tmp_path, cli, cover=False)
    schedule = tmp_path / "rotations" / "app.schedule.yaml"
    before = (path.read_bytes(), schedule.read_bytes())
    ran = cli("leave", "import", "leave.ics", "--member", sick, *TUESDAY, cwd=tmp_path)
    assert ran.returncode == 3
    assert (path.read_bytes(), schedule.read_bytes()) == before
    assert f"{sick} holds 2027-01-20 in the shift 2027-01-18..2027-01-24" in ran.stderr
    command = ran.stderr.split("record who takes the day first: ", 1)[1].split(", then")[0]
    assert command.startswith(f"oncall swap rotations/app.yaml --dates 2027-01-20 --out {sick} ")
    swapped = cli(*command.split()[1:], *TUESDAY, cwd=tmp_path)  # exactly as named
    assert swapped.returncode == 0, swapped.stderr
    again = cli("leave", "import", "leave.ics", "--member", sick, *TUESDAY, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sick not in _named(cli, tmp_path, "2027-01-20")
    assert cli("validate", *TUESDAY, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("cover", [True, False])
def test_plan_settles_leave_typed_into_a_running_shift(tmp_path: Path, cli: Runner, cover):
    """Leave typed by hand: plan kept the running shift and said nobody's shifts changed."""
    path, sick = _held(tmp_path, cli, cover=cover)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"{{handle: {sick}, ", f"{{handle: {sick}, unavailable: "
                                 "[2027-01-20], "), encoding="utf-8")
    assert load_rotation(path).by_handle[sick].unavailable
    schedule = tmp_path / "rotations" / "app.schedule.yaml"
    before = schedule.read_bytes()
    ran = cli("plan", *TUESDAY, cwd=tmp_path)
    if cover:
        assert ran.returncode == 0, ran.stderr
        assert f"covers {sick} (on leave) in a running shift" in ran.stdout
        assert sick not in _named(cli, tmp_path, "2027-01-20")
        assert cli("validate", *TUESDAY, cwd=tmp_path).returncode == 0
    else:
        assert ran.returncode == 3 and schedule.read_bytes() == before
        assert f"--dates 2027-01-20 --out {sick} --in " in ran.stderr
        assert "then oncall plan rotations/app.yaml again" in ran.stderr
