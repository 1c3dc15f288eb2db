"""`oncall leave import` on hostile calendars (issue 20, finding 11 and its Low items):
each is refused with exit 2 and its place, fast because a bound is reached (the work is
counted, never timed), with the file's own text shown without terminal escapes, and the
rotation file left byte-identical. An import that succeeds keeps the file's BOM and its
CRLF line endings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oncall.io import leave_calendar
from oncall.io.loading import load_rotation
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

EVENT = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//oncall tests//EN
BEGIN:VEVENT
UID:{uid}
DTSTART:20270105T010000Z
DTEND:20270105T020000Z
{extra}END:VEVENT
END:VCALENDAR
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def calendar(root: Path, uid: str = "leave", extra: str = "", text: str | None = None) -> Path:
    path = root / "leave.ics"
    body = text if text is not None else EVENT.format(uid=uid, extra=extra)
    path.write_bytes(body.replace("\n", "\r\n").encode("utf-8"))
    return path


def refused(root: Path, cli: Runner, *extra: str) -> str:
    before = snapshot(root)
    result = cli("leave", "import", "leave.ics", "--member", "raj", *extra, cwd=root)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(root) == before
    return result.stderr


class Steps:
    """Counts the RRULE steps the import takes (dateutil's iteration), so a test can
    show the work stopped at the bound rather than ran through the term."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = leave_calendar._steps

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            for moment in original(*args, **kwargs):
                self.count += 1
                yield moment

        monkeypatch.setattr(leave_calendar, "_steps", counted)


def test_freq_secondly_is_refused_at_the_bound(tmp_path: Path, cli: Runner, monkeypatch):
    """FREQ=SECONDLY over a term is 2.3 million occurrences: it ran past 60 s."""
    make_rotation(tmp_path)
    calendar(tmp_path, "every-second", "RRULE:FREQ=SECONDLY\n")
    steps = Steps(monkeypatch)
    message = refused(tmp_path, cli)
    assert message.startswith("oncall: leave.ics:8: event UID every-second: found more than "
                              "20000 occurrences from 2027-01-04 to 2027-01-31"), message
    assert steps.count <= leave_calendar.MAX_OCCURRENCES + 2


def test_a_rule_from_long_ago_is_bounded_by_its_steps(tmp_path: Path, cli: Runner, monkeypatch):
    """A MINUTELY rule that started in 2000 would step through 27 years of minutes before
    the term: refused after MAX_REPEATS steps."""
    make_rotation(tmp_path)
    calendar(tmp_path, text=EVENT.format(uid="old", extra="RRULE:FREQ=MINUTELY\n").replace(
        "20270105T01", "20000105T01"))
    steps = Steps(monkeypatch)
    message = refused(tmp_path, cli)
    assert "event UID old: found a repeating rule that runs past 100000 occurrences" in message
    assert steps.count <= leave_calendar.MAX_REPEATS + 2


def test_a_daily_rule_from_years_ago_still_imports(tmp_path: Path, cli: Runner):
    path = make_rotation(tmp_path)
    calendar(tmp_path, text=EVENT.format(uid="gym", extra="RRULE:FREQ=DAILY\n").replace(
        "20270105T01", "20100105T01").replace("20270105T02", "20100105T02"))
    result = cli("leave", "import", "leave.ics", "--member", "raj", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.exists()


def test_too_many_events_are_refused(tmp_path: Path, cli: Runner, monkeypatch):
    monkeypatch.setattr(leave_calendar, "MAX_EVENTS", 3)
    make_rotation(tmp_path)
    events = "".join(
        f"BEGIN:VEVENT\nUID:e{n}\nDTSTART;VALUE=DATE:2027010{n + 4}\nEND:VEVENT\n"
        for n in range(4)
    )
    calendar(tmp_path, text=f"BEGIN:VCALENDAR\nVERSION:2.0\n{events}END:VCALENDAR\n")
    assert refused(tmp_path, cli).startswith("oncall: leave.ics: found 4 events, expected at "
                                             "most 3")


def test_a_large_calendar_is_refused_before_it_is_read(tmp_path: Path, cli: Runner):
    make_rotation(tmp_path)
    path = calendar(tmp_path)
    with path.open("ab") as handle:
        handle.truncate(leave_calendar.MAX_ICS_BYTES + 1)
    assert f"expected at most {leave_calendar.MAX_ICS_BYTES}" in refused(tmp_path, cli)


def test_dev_zero_is_refused_not_read(tmp_path: Path, cli: Runner):
    """/dev/zero ended in a MemoryError."""
    make_rotation(tmp_path)
    before = snapshot(tmp_path)
    result = cli("leave", "import", "/dev/zero", "--member", "raj", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "/dev/zero: found a character device, expected a regular file" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_fifo_calendar_is_refused_not_read(tmp_path: Path, cli: Runner):
    make_rotation(tmp_path)
    os.mkfifo(tmp_path / "leave.ics")
    assert "leave.ics: found a FIFO (named pipe)" in refused(tmp_path, cli)


@pytest.mark.parametrize(
    ("uid", "extra"),
    [("e\x1b]0;owned\x07x", "DTEND:20270104T000000Z\n"),  # DTEND twice: UID in the error
     ("x", "\x1b[2J\x1b]0;owned\x07 not a property\n")],  # a line icalendar quotes
)
def test_terminal_escapes_from_the_calendar_never_reach_the_terminal(
    tmp_path: Path, cli: Runner, uid: str, extra: str
):
    make_rotation(tmp_path)
    calendar(tmp_path, uid, extra)
    message = refused(tmp_path, cli)
    assert "\x1b" not in message and "\x07" not in message, repr(message)
    assert "\\x1b]0;owned\\x07" in message


def test_a_duplicated_dtend_is_named_not_a_traceback(tmp_path: Path, cli: Runner):
    make_rotation(tmp_path)
    calendar(tmp_path, "twice", "DTEND:20270105T030000Z\n")
    assert "event UID twice: found DTEND twice, expected it once" in refused(tmp_path, cli)


def test_the_edit_keeps_a_bom_and_crlf_line_endings(tmp_path: Path, cli: Runner):
    """Low: the import dropped the BOM and added LF lines to a CRLF file."""
    path = make_rotation(tmp_path)
    original = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))
    calendar(tmp_path)
    result = cli("leave", "import", "leave.ics", "--member", "raj", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") and data != b"\xef\xbb\xbf" + (
        original.encode("utf-8"))
    assert [str(r) for r in load_rotation(path).by_handle["raj"].unavailable] == ["2027-01-05"]
