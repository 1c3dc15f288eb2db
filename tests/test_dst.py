"""One definition of a window's real instants across DST changes, used by who, remind,
show, the calendar and the spreadsheet alike: a 02:30-03:30 window on the night New York
skips 02:00-03:00 runs 03:00-03:30, everywhere."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from oncall.core.model import Window, instant_within, wall_instant
from tests.helpers.cli import run_in_process as oncall

NEW_YORK = ZoneInfo("America/New_York")
ROTATION = """\
rotation: nights
timezone: America/New_York
window: {days: [mon, tue, wed, thu, fri, sat, sun], start: "02:30", end: "03:30"}
shift: {length: 1w, handoff: mon, people: 1}
term: {start: 2026-03-02, end: 2026-03-15}
members:
  - {handle: ann, name: Ann Lee, team: core}
"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dst")
    (root / "rotations").mkdir()
    (root / "rotations" / "nights.yaml").write_text(ROTATION, encoding="utf-8")
    result = oncall("plan", "--now", "2026-02-01T09:00", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_a_skipped_start_is_the_moment_the_clock_jumps():
    start = wall_instant(date(2026, 3, 8), 150, NEW_YORK)
    assert start.astimezone(UTC) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    window = Window(frozenset(range(7)), 150, 210)
    assert window.wall_times(date(2026, 3, 8), NEW_YORK) == ("03:00", "03:30")
    assert window.wall_times(date(2026, 3, 9), NEW_YORK) == ("02:30", "03:30")


def test_a_repeated_reading_is_its_first_occurrence():
    moment = wall_instant(date(2026, 11, 1), 90, NEW_YORK)
    assert moment.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    later = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, the second time
    start = wall_instant(date(2026, 11, 1), 60, NEW_YORK)
    end = wall_instant(date(2026, 11, 1), 120, NEW_YORK)
    # 01:00-02:00 on that night lasts two hours of real time: both 01:30s are inside.
    assert instant_within(start, end, moment) and instant_within(start, end, later)


def test_who_inside_the_shortened_window_names_the_member(workdir: Path):
    result = oncall("who", "--at", "2026-03-08T03:15", "--format", "json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert '"on_duty": true' in result.stdout and '"handle": "ann"' in result.stdout
    assert '"start": "2026-03-08T03:00:00-04:00"' in result.stdout
    after = oncall("who", "--at", "2026-03-08T03:45", "--format", "json", cwd=workdir)
    assert '"on_duty": false' in after.stdout


def test_the_calendar_names_a_time_that_exists_and_every_reader_agrees(workdir: Path):
    result = oncall("export", "--format", "ics", cwd=workdir, text=False)
    assert result.returncode == 0
    assert b"DTSTART;TZID=America/New_York:20260308T030000" in result.stdout
    assert b"T023000" in result.stdout  # the other nights keep their 02:30
    event = next(
        e for e in icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")
        if e.decoded("DTSTART").date() == date(2026, 3, 8)
    )
    expected = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert event.decoded("DTSTART").astimezone(UTC) == expected
    # vobject keeps the first VTIMEZONE it saw for a TZID for the life of the process, so
    # a New York calendar of other years parsed by an earlier test would be used instead
    # of this file's: forget it, as a fresh calendar client would not know it.
    getattr(vobject.icalendar, "__tzidMap").pop("America/New_York", None)
    parsed = vobject.readOne(result.stdout.decode("utf-8"))
    starts = [e.dtstart.value.astimezone(UTC) for e in parsed.vevent_list]
    assert expected in starts


def test_the_spreadsheet_shows_the_clock_times_of_that_night(workdir: Path):
    result = oncall("export", "--format", "csv", cwd=workdir)
    rows = {row["date"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["2026-03-08"]["start"], rows["2026-03-08"]["end"]) == ("03:00", "03:30")
    assert (rows["2026-03-09"]["start"], rows["2026-03-09"]["end"]) == ("02:30", "03:30")


def test_remind_and_show_name_the_same_member_that_night(workdir: Path):
    remind = oncall("remind", "--today", "--now", "2026-03-08T03:00", cwd=workdir)
    assert "Ann Lee" in remind.stdout
    show = oncall("show", "--month", "2026-03", "--format", "json", cwd=workdir)
    assert show.returncode == 0 and '"ann"' in show.stdout
