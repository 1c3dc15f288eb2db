"""Issue 23 point 6: `remind --handoff` lists the alerts of the duty that ends (its
window of that day), from the relay's incident log the rotation names
(`reminders.incidents_log`), with counts by severity, acknowledged and escalated; a torn
line is skipped and said on stderr. The log is written by the relay's own writer."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.relay.incident_log import IncidentLog
from oncall.relay.logs import Log
from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation

TOKYO = ZoneInfo("Asia/Tokyo")


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO).timestamp()


def _workspace(root: Path, language: str = "en", torn: bool = False) -> Path:
    path = make_rotation(root, language=language)
    path.write_text(path.read_text().replace(
        "reminders:\n", "reminders:\n  incidents_log: ../spool/incidents.log\n"),
        encoding="utf-8")
    (root / "spool").mkdir()
    log = IncidentLog(root / "spool" / "incidents.log", 1 << 20, Log())
    high, disk, night = "#inc-cbc7a3", "#inc-0d1e2f", "#inc-999999"
    log.write("fired", _at("2027-01-04T19:00"), rotation="app", incident=night, alerts=1,
              severity="critical", title="Yesterday", mentioned=[])  # outside: not listed
    log.write("fired", _at("2027-01-05T11:00"), rotation="app", incident=high, alerts=2,
              severity="critical", title="HighErrorRate", mentioned=["aiko", "ken"])
    log.write("acknowledged", _at("2027-01-05T11:05"), rotation="app", incident=high,
              by="aiko")
    log.write("fired", _at("2027-01-05T12:00"), rotation="app", incident=disk, alerts=1,
              severity="warning", title="DiskFull", mentioned=["aiko", "ken"])
    log.write("escalated", _at("2027-01-05T12:30"), rotation="app", incident=disk, step=1,
              target="webhook")
    log.write("resolved", _at("2027-01-05T12:40"), rotation="app", incident=disk)
    log.write("fired", _at("2027-01-05T13:00"), rotation="other", incident="#inc-aaaaaa",
              alerts=1, severity="critical", title="NotOurs", mentioned=[])
    if torn:
        with (root / "spool" / "incidents.log").open("ab") as handle:
            handle.write(b'{"v": 1, "event": "fi')
    return root


def test_the_handoff_lists_the_duty_s_alerts_with_counts(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = oncall("remind", "--handoff", "--now", "2027-01-05T17:00", cwd=root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("Alerts during this duty: 2 (critical 1 and warning 1); "
                        "acknowledged 1, escalated 1.")
    assert lines[start + 1:start + 3] == [
        "- 11:00 HighErrorRate #inc-cbc7a3: acknowledged by Aiko Sato and still open",
        "- 12:00 DiskFull #inc-0d1e2f: escalated and resolved 12:40",
    ]
    assert "Yesterday" not in result.stdout and "NotOurs" not in result.stdout
    assert result.stderr == ""
    out = json.loads(oncall("remind", "--handoff", "--now", "2027-01-05T17:00", "--format",
                            "json", cwd=root).stdout)
    alerts = out["alerts"]
    assert (alerts["count"], alerts["by_severity"], alerts["acknowledged"],
            alerts["escalated"]) == (2, {"critical": 1, "warning": 1}, 1, 1)
    assert alerts["incidents"][0]["acknowledged_by"] == "aiko"


def test_without_a_log_named_the_handoff_lists_no_alerts(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    out = json.loads(oncall("remind", "--handoff", "--now", "2027-01-05T17:00", "--format",
                            "json", cwd=tmp_path).stdout)
    assert out["alerts"] is None and "Alerts" not in out["text"]


def test_a_torn_line_is_skipped_and_said_in_japanese_too(tmp_path: Path) -> None:
    root = _workspace(tmp_path, language="ja", torn=True)
    result = oncall("remind", "--handoff", "--now", "2027-01-05T17:00", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "この当番中のアラート：2件" in result.stdout
    assert "12:00 DiskFull #inc-0d1e2f：エスカレーション済み" in result.stdout
    assert result.stderr.startswith("oncall: warning: インシデントログ ")
    assert "読めない行 1 行" in result.stderr


def test_report_adds_alerts_per_person_time_to_acknowledge_and_escalations(
    tmp_path: Path,
) -> None:
    root = _workspace(tmp_path)
    result = oncall("report", "--now", "2027-01-05T17:00", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr
    (term,) = json.loads(result.stdout)["rotations"][0]["alerts"]["terms"]
    assert term == {
        "start": "2027-01-04", "end": "2027-01-29", "incidents": 3,
        "alerts_by_person": {"aiko": 2, "ken": 2}, "acknowledged": 1,
        "ack_median_seconds": 300.0, "ack_worst_seconds": 300.0, "escalated": 1,
        "escalations": 1,
    }
    text = oncall("report", "--now", "2027-01-05T17:00", cwd=root).stdout
    assert text.endswith(
        "app: alerts (from the relay's incident log)\n"
        "  term 2027-01-04..2027-01-29: 3 incidents, 1 acknowledged (time to acknowledge: "
        "median 5.0 min, worst 5.0 min), 1 escalated; alerts per person: Aiko Sato 2, "
        "Ken <R&D> 2\n")
    plain = oncall("report", "--now", "2027-01-05T17:00", "--format", "json",
                   cwd=make_rotation(tmp_path / "plain").parent.parent).stdout
    assert "alerts" not in json.loads(plain)["rotations"][0]
