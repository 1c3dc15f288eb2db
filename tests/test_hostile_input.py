"""Hostile or careless values in a rotation file and in options: each is refused with
exit 2 and its place (file:line:col or the option), never a traceback, never a ping to a
whole channel, never a fake line in a terminal or a chat."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from oncall.core.errors import InputError
from oncall.io.loading import load_rotation, load_rotation_and_term
from tests.helpers.cli import run_in_process as oncall

ROTATION = """\
rotation: demo
timezone: Asia/Tokyo
description: Daytime duty
window: {start: "10:00", end: "17:00"}
shift: {length: 1w, people: 1}
term: {start: 2027-01-04, end: 2027-01-29}
fallback: "@sre-oncall"
escalation: Escalate after 30 minutes
reminders:
  manual: https://wiki.example.com/oncall
  checklist: [Mentions reach you]
holidays:
  closures: [2027-01-11]
members:
  - {handle: aiko, name: Aiko Sato, team: payments, slack: U012AB3CD, email: a@example.com}
  - {handle: ken, name: Ken Suzuki, team: search}
"""


def write(folder: Path, old: str = "", new: str = "") -> Path:
    assert old in ROTATION
    path = folder / "demo.yaml"
    path.write_text(textwrap.dedent(ROTATION.replace(old, new, 1)), encoding="utf-8")
    return path


def refused(folder: Path, old: str, new: str) -> str:
    with pytest.raises(InputError) as caught:
        load_rotation(write(folder, old, new))
    message = str(caught.value)
    assert message.startswith(f"{folder / 'demo.yaml'}:"), message
    return message


def test_the_sample_loads(tmp_path: Path):
    assert load_rotation(write(tmp_path)).members[0].chat_id("slack") == "U012AB3CD"


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ("name: Aiko Sato", 'name: "Aiko\\nOn call today: mallory"', "a line break"),
        ("name: Aiko Sato", 'name: "Aiko\\e]0;owned\\a"', "an escape character"),
        ("name: Aiko Sato", 'name: "Aiko\\0"', "a NUL"),
        ("team: search", 'team: "se\\rarch"', "a carriage return"),
        ("team: search", 'team: "se\\u202earch"', "U+202E"),
        ('fallback: "@sre-oncall"', 'fallback: "@sre\\e[2J"', "an escape character"),
        ("escalation: Escalate after 30 minutes", 'escalation: "a\\u2028b"', "U+2028"),
        ("description: Daytime duty", "description: |\n  two\n  lines", "a line break"),
        ("manual: https://wiki.example.com/oncall", 'manual: "https://x\\r\\nX: y"', "carriage"),
        ("[Mentions reach you]", '["ok", "bad\\tcell"]', "a tab"),
    ],
)
def test_control_characters_in_text_are_refused_where_they_stand(tmp_path, old, new, found):
    message = refused(tmp_path, old, new)
    assert found in message and "expected printable text on one line" in message


def test_the_calendar_docs_say_a_line_break_in_a_name_is_refused(tmp_path: Path):
    """docs/calendars.md once said names may hold line breaks: the loader refuses them."""
    message = refused(tmp_path, "name: Aiko Sato", 'name: "Aiko\\nSato"')
    assert "found a line break in the text" in message
    docs = Path(__file__).resolve().parent.parent / "docs" / "calendars.md"
    text = " ".join(docs.read_text(encoding="utf-8").split())
    assert "line breaks, emoji" not in text
    assert "holding a line break or another control character is refused when the rotation" \
        " is loaded" in text


@pytest.mark.parametrize("slack", ['"U1>|x <!channel"', "u012ab3cd", '"<@U012AB3CD>"', "C012AB3CD"])
def test_a_slack_id_must_have_the_shape_of_a_member_id(tmp_path: Path, slack: str):
    message = refused(tmp_path, "slack: U012AB3CD", f"slack: {slack}")
    assert "expected a Slack member id" in message


def test_an_email_must_look_like_one(tmp_path: Path):
    assert "expected an email address" in refused(
        tmp_path, "email: a@example.com", 'email: "a@example.com, b@example.com"'
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("start: 2027-01-04, end: 2027-01-29", "start: 9999-12-20", "from 1970-01-01 to 2199"),
        ("closures: [2027-01-11]", "closures: [0001-01-01..9999-12-31]", "from 1970-01-01"),
        ("length: 1w, people: 1", "length: 999999999w, people: 1", "at most 366 days"),
        ("end: 2027-01-29", "length: 999999999mo", "at most ten years"),
        ("end: 2027-01-29", "length: 3661d", "at most ten years"),
        ("end: 2027-01-29", "end: 2199-12-31", "at most 3660 days"),
    ],
)
def test_dates_and_lengths_stay_in_a_sane_range(tmp_path, old, new, expected):
    assert expected in refused(tmp_path, old, new)


def test_ten_years_is_still_a_term(tmp_path: Path):
    _, term = load_rotation_and_term(write(tmp_path, "end: 2027-01-29", "length: 120mo"))
    assert term.end.year == 2037


@pytest.mark.parametrize(
    "args",
    [("plan", "--start", "9999-12-01"), ("plan", "--end", "9999-12-31"),
     ("plan", "--start", "0001-01-01")],
)
def test_far_dates_on_the_command_line_are_exit_2(tmp_path: Path, args: tuple[str, ...]):
    folder = tmp_path / "rotations"
    folder.mkdir()
    write(folder)
    result = oncall(*args, "--now", "2026-12-01T09:00", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{args[1]}: found " in result.stderr and "expected a date from 1970-01-01" in (
        result.stderr
    )


def planned_workspace(tmp_path: Path, old: str = "", new: str = "") -> Path:
    folder = tmp_path / "rotations"
    folder.mkdir()
    write(folder, old, new)
    return tmp_path


def test_an_unknown_holiday_country_is_named_at_its_place_by_plan(tmp_path: Path):
    workdir = planned_workspace(tmp_path, "holidays:\n", "holidays:\n  country: ZZ\n")
    result = oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("oncall: rotations/demo.yaml:13:12: holidays.country:")


def test_plan_from_before_today_does_not_rewrite_served_shifts(tmp_path: Path):
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    schedule = workdir / "rotations" / "demo.schedule.yaml"
    before = schedule.read_bytes()
    result = oncall("plan", "--from", "2027-01-04", "--now", "2027-01-20T09:00", cwd=workdir)
    assert result.returncode == 2 and schedule.read_bytes() == before
    assert "--from 2027-01-04 is before today (2027-01-20): 3 shift(s)" in result.stderr
    assert "--rewrite-history" in result.stderr
    # From today on (the default) is fine, and so is the explicit correction.
    assert oncall("plan", "--now", "2027-01-20T09:00", cwd=workdir).returncode == 0
    forced = oncall("plan", "--from", "2027-01-04", "--rewrite-history",
                    "--now", "2027-01-20T09:00", cwd=workdir)
    assert forced.returncode == 0, forced.stderr


def test_swap_reason_with_a_control_character_is_refused(tmp_path: Path):
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    schedule = workdir / "rotations" / "demo.schedule.yaml"
    before = schedule.read_bytes()
    result = oncall("swap", "--dates", "2027-01-05", "--out", "aiko", "--in", "ken",
                    "--reason", "dentist\nOn call today: mallory", "--force",
                    "--now", "2026-12-01T09:00", cwd=workdir)
    assert result.returncode == 2 and "--reason: found a line break" in result.stderr
    assert schedule.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("who", "--at", "0001-01-01T00:00"),
        ("who", "--date", "9999-12-31"),
        ("show", "--month", "9999-12"),
        ("show", "--month", "0001-01"),
        ("swap", "--dates", "2027-01-13..9999-12-31", "--out", "aiko", "--in", "ken"),
        ("remind", "--now", "9999-12-31T10:00"),
    ],
)
def test_far_dates_in_daily_options_are_exit_2(tmp_path: Path, args: tuple[str, ...]):
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    result = oncall(*args, cwd=workdir)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "expected a date from 1970-01-01 to 2199-12-31" in result.stderr


# ---- issue 20: bounded inputs -------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` and its bytes: a failed run leaves them all."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()
    }


def refused_cleanly(result, folder: Path, before: dict[str, bytes]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(folder) == before
    return result.stderr


class _Unblock:
    """Opens the FIFO's writing end if a reader is still waiting on it after a while, so
    a command that (wrongly) reads the FIFO gets an empty file and the test fails on its
    message instead of hanging the suite. It never decides a result."""

    def __init__(self, fifo: Path) -> None:
        import threading

        self.fifo = fifo
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import os

        while not self.done.wait(0.5):
            try:
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue  # no reader waiting: nothing to unblock

    def __enter__(self) -> _Unblock:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()


@pytest.mark.parametrize(
    "args",
    [("plan", "--now", "2026-12-01T09:00"), ("validate",), ("who", "--at", "2027-01-05T11:00"),
     ("export", "--format", "ics"), ("swap", "--dates", "2027-01-05", "--out", "aiko",
                                     "--in", "ken", "--now", "2026-12-01T09:00")],
)
def test_a_fifo_at_the_schedule_path_is_refused_without_reading_it(tmp_path: Path, args):
    """Finding 10: plan, validate, who and export hung on a FIFO at the schedule path."""
    import os

    workdir = planned_workspace(tmp_path)
    fifo = workdir / "rotations" / "demo.schedule.yaml"
    os.mkfifo(fifo)
    before = snapshot(workdir)
    with _Unblock(fifo):
        result = oncall(*args, cwd=workdir)
    message = refused_cleanly(result, workdir, before)
    assert "rotations/demo.schedule.yaml: found a FIFO (named pipe), expected a regular file" in (
        message
    )
    assert fifo.exists() and not fifo.is_file()


def test_a_device_as_the_rotation_file_is_refused_without_reading_it(tmp_path: Path):
    """/dev/zero never ends: refused on what it is, not after reading 16 MB of it."""
    result = oncall("validate", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "/dev/zero: found a character device, expected a regular file" in result.stderr


HUGE = "9" * 5000  # past Python's 4,300-digit limit for int("...")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("length: 1w, people: 1", f"length: 1w, people: {HUGE}",
         ":5:29: shift.people: found 999999999999... (5000 digits), expected a whole number "
         "from 1 to 2147483647"),
        ("length: 1w, people: 1", f"length: {HUGE}w, people: 1",
         ":5:17: shift.length: found 9999999999999999999999999999999999999..., expected a "
         "shift of at most 366 days"),
        ("end: 2027-01-29", f"length: {HUGE}mo",
         ":6:35: term.length: found 9999999999999999999999999999999999999..., expected a "
         "term of at most ten years"),
        ("holidays:\n", f"rules: {{min_gap: {2**31}}}\nholidays:\n",
         ":12:18: rules.min_gap: found 2147483648, expected a whole number from 0 to "
         "2147483647"),
    ],
)
def test_huge_integers_in_a_rotation_file_are_exit_2_at_their_place(tmp_path, old, new, expected):
    """Finding 12: 4,300 digits and more gave a ValueError traceback."""
    workdir = planned_workspace(tmp_path)
    write(workdir / "rotations", old, new)
    before = snapshot(workdir)
    for args in (("validate",), ("plan", "--now", "2026-12-01T09:00")):
        message = refused_cleanly(oncall(*args, cwd=workdir), workdir, before)
        assert message.startswith("oncall: rotations/demo.yaml" + expected), message


def test_a_huge_next_term_length_option_is_exit_2(tmp_path: Path):
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    before = snapshot(workdir)
    result = oncall("plan", "--next-term", "--length", f"{HUGE}mo", "--now", "2026-12-01T09:00",
                    cwd=workdir)
    assert "--length" in refused_cleanly(result, workdir, before)


def edited_schedule(tmp_path: Path, old: str, new: str) -> Path:
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    schedule = workdir / "rotations" / "demo.schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    assert old in text
    schedule.write_text(text.replace(old, new, 1), encoding="utf-8")
    return workdir


TERM_LINE = "term: {start: 2027-01-04, end: 2027-01-29}\n"
FIRST_EVENT = "'20270104': 0 "


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (TERM_LINE, TERM_LINE + f"ledger:\n  aiko: {{days: {HUGE}}}\n",
         ":6:16: ledger.aiko.days: found 999999999999... (5000 digits), expected a whole "
         "number from 0 to 84006"),
        # A hundred million days made plan walk every one of them for minutes.
        (TERM_LINE, TERM_LINE + "ledger:\n  aiko: {days: 100000000}\n",
         ":6:16: ledger.aiko.days: found 100000000, expected a whole number from 0 to 84006"),
        (TERM_LINE, TERM_LINE + "ledger:\n  aiko: {minutes: 120968641}\n",
         ":6:19: ledger.aiko.minutes: found 120968641, expected a whole number from 0 to "
         "120968640"),
        (FIRST_EVENT, f"'20270104': 1{'0' * 26} ",
         "published.20270104: found 100000000000... (27 digits), expected a whole number "
         "from 0 to 1000000000"),
        (FIRST_EVENT, f"'20270104': {HUGE} ",
         "published.20270104: found 999999999999... (5000 digits), expected a whole number "
         "from 0 to 1000000000"),
    ],
)
def test_huge_integers_in_a_schedule_are_exit_2_at_their_place(tmp_path, old, new, expected):
    """Finding 12: SEQUENCE 10^26 crashed the calendar export, 5,000 digits every reader."""
    workdir = edited_schedule(tmp_path, old, new)
    before = snapshot(workdir)
    for args in (("plan", "--now", "2026-12-01T09:00"), ("validate",), ("export", "--format",
                                                                          "ics")):
        message = refused_cleanly(oncall(*args, cwd=workdir), workdir, before)
        first = message.splitlines()[0]
        assert first.startswith("oncall: rotations/demo.schedule.yaml:"), message
        if expected.startswith(":"):
            assert first.startswith("oncall: rotations/demo.schedule.yaml" + expected), message
        else:  # the line moves with the ledger the plan wrote; the column does not
            assert re.match(r"oncall: rotations/demo\.schedule\.yaml:[0-9]+:15: ", first), first
            assert first.endswith(expected), first


def test_the_largest_ledger_still_plans(tmp_path: Path):
    """Every day from 1970 to 2199 on record is a ledger, not a typo: it loads and plans."""
    workdir = edited_schedule(tmp_path, TERM_LINE, TERM_LINE + "ledger:\n  aiko: {days: 84006}\n")
    result = oncall("plan", "--dry-run", "--now", "2026-12-01T09:00", cwd=workdir)
    assert result.returncode == 0, result.stderr


def csv_refused(tmp_path: Path, rows: str) -> str:
    (tmp_path / "team.csv").write_text(rows, encoding="utf-8")
    before = snapshot(tmp_path)
    result = oncall("init", "rotations/team.yaml", "--from-csv", "team.csv", cwd=tmp_path)
    message = refused_cleanly(result, tmp_path, before)
    assert not (tmp_path / "rotations" / "team.yaml").exists()
    return message


def test_a_csv_cell_past_the_csv_modules_limit_is_exit_2(tmp_path: Path):
    """Finding 14: a cell over 131,072 characters was a csv.Error traceback."""
    message = csv_refused(tmp_path, "handle,team\naiko," + "x" * 140_000 + "\nken,b\n")
    assert message.startswith("oncall: team.csv:2: cannot read this row: field larger than "
                              "field limit (131072), expected cells of at most 4096"), message


def test_a_long_csv_cell_is_exit_2_at_its_cell(tmp_path: Path):
    message = csv_refused(tmp_path, "handle,name,team\naiko," + "x" * 5000 + ",a\nken,Ken,b\n")
    assert message.startswith("oncall: team.csv:2:2: found a cell of 5000 characters, "
                              "expected at most 4096"), message


def test_csv_handles_that_differ_only_in_case_are_refused(tmp_path: Path):
    """Low: aiko and Aiko collide as people/aiko.ics on macOS and Windows."""
    message = csv_refused(tmp_path, "handle,team\naiko,a\nAiko,b\n")
    assert "team.csv:3:1: row 3, column handle (A): found handle 'Aiko', which differs from " \
        "'aiko' (row 2) only in letter case" in message


def test_a_long_csv_handle_is_refused(tmp_path: Path):
    message = csv_refused(tmp_path, f"handle,team\n{'h' * 300},a\nken,b\n")
    assert "found a handle of 300 characters" in message and "expected at most 64" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("rotation: demo", "rotation: " + "a" * 242,
         ":1:11: rotation: found an id of 242 characters"),
        ("{handle: ken,", "{handle: " + "k" * 65 + ",",
         ":16:14: members[1].handle: found a handle of 65 characters"),
        ("{handle: ken,", "{handle: AIKO,",
         ":16:14: members[1].handle: found handle 'AIKO', which differs from 'aiko' (line 15) "
         "only in letter case"),
    ],
)
def test_ids_and_handles_that_name_files_are_bounded(tmp_path: Path, old, new, expected):
    """Finding 14 and a Low: a rotation id of 242+ characters made file names too long for
    the file system, and handles differing only in case one file on macOS and Windows."""
    workdir = planned_workspace(tmp_path, old, new)
    before = snapshot(workdir)
    for args in (("validate",), ("plan", "--now", "2026-12-01T09:00"),
                 ("publish", "site", "--now", "2026-12-01T09:00")):
        message = refused_cleanly(oncall(*args, cwd=workdir), workdir, before)
        assert message.startswith("oncall: rotations/demo.yaml" + expected), message
    assert not (workdir / "site").exists()


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "posix/Asia/Tokyo"])
def test_a_machine_dependent_time_zone_is_refused(tmp_path: Path, zone: str):
    """Low: `timezone: localtime` was accepted, so a rotation meant other hours on a
    laptop and on a CI runner."""
    message = refused(tmp_path, "timezone: Asia/Tokyo", f"timezone: {zone}")
    assert f"timezone: found {zone!r}, which is not a place's time zone" in message


def test_a_symlinked_publish_marker_does_not_make_a_folder_ours(tmp_path: Path):
    """Low: a symlink named .oncall-publish (to any file) marked a foreign folder as the
    tool's own, and publish replaced its documents."""
    workdir = planned_workspace(tmp_path)
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=workdir).returncode == 0
    foreign = workdir / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("years of work", encoding="utf-8")
    (foreign / ".oncall-publish").symlink_to(workdir / "rotations" / "demo.yaml")
    before = snapshot(workdir)
    result = oncall("publish", "documents", "--now", "2026-12-01T09:00", cwd=workdir)
    message = refused_cleanly(result, workdir, before)
    assert "refusing to replace a folder that is not empty and has no .oncall-publish" in message
    assert (foreign / ".oncall-publish").is_symlink()
