"""Issue 23 point 6: the relay keeps a durable log of each incident (fired, mentioned,
acknowledged, escalated, resolved), one JSON line per record; a torn last line (kill -9)
is ended at the next start and skipped by readers. Through the real `oncall relay`
process and local chat servers; time moves by restarting with a later --now."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from oncall.io.incident_log import read_incidents
from tests.helpers.relay import chat_server, notification, relay, wait_for
from tests.test_relay_ack import ACK, SECRET, STEP, _links, _open, _post
from tests.test_relay_escalation import _rotation, _timers


def _lines(root: Path) -> list[dict[str, object]]:
    text = (root / "spool" / "incidents.log").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_the_log_records_fired_ack_escalation_and_resolve(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write(ACK)
    with chat_server() as chat, chat_server() as sre:
        env = {"SRE_CHAT_URL": sre.url, "RELAY_ACK_SECRET": SECRET}
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification(labels={"severity": "critical"}))
            wait_for(lambda: chat.count() == 1 and len(_timers(tmp_path)) == 1, "the alert")
            _post(service.base, notification(name="DiskFull"))
            wait_for(lambda: chat.count() == 2 and len(_timers(tmp_path)) == 2, "the second")
            first = _links(next(t for t in chat.texts() if "HighErrorRate" in t))
            assert _open(service.base, first["Aiko Sato"])[0] == 200
            wait_for(lambda: chat.count() == 3, "the acknowledgement")
            assert service.terminate() == 0
        with relay(tmp_path, chat.url, "2027-01-05T11:31", env=env) as service:
            wait_for(lambda: sre.count() == 1, "DiskFull's escalation")
            _post(service.base, notification(name="DiskFull", status="resolved"))
            wait_for(lambda: len(_timers(tmp_path)) == 1, "DiskFull resolved")
            assert service.terminate() == 0
    lines = _lines(tmp_path)
    events = sorted((line["event"], line["incident"]) for line in lines)
    high, disk = "#inc-cbc7a3", next(str(line["incident"]) for line in lines
                                     if line["incident"] != "#inc-cbc7a3")
    assert events == sorted([("fired", high), ("fired", disk), ("acknowledged", high),
                             ("escalated", disk), ("resolved", disk)])
    fired = next(line for line in lines if line["event"] == "fired" and line["incident"] == high)
    assert fired["at"] == "2027-01-05T02:00:00Z"  # 11:00 Asia/Tokyo, the relay's clock
    assert fired["severity"] == "critical" and fired["alerts"] == 1
    assert fired["title"] == "HighErrorRate"
    assert fired["mentioned"] == ["aiko", "ken"]
    escalated = next(line for line in lines if line["event"] == "escalated")
    assert escalated["step"] == 1 and escalated["at"] == "2027-01-05T02:30:00Z"
    read = read_incidents(tmp_path / "spool" / "incidents.log")
    assert read.skipped == []
    by_tag = {incident.tag: incident for incident in read.incidents}
    assert by_tag[high].acked_by == "aiko" and by_tag[high].resolved_at is None
    assert by_tag[disk].escalations == 1
    assert by_tag[disk].resolved_at is not None
    assert by_tag[disk].fired_at == datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


def test_a_torn_last_line_is_ended_at_start_and_skipped_by_readers(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    log = tmp_path / "spool" / "incidents.log"
    with chat_server() as chat, chat_server() as sre:
        env = {"SRE_CHAT_URL": sre.url}
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification())
            wait_for(lambda: log.exists() and log.read_bytes().endswith(b"\n"), "its line")
            service.kill()
        with log.open("ab") as handle:  # as a kill -9 in the middle of a write leaves it
            handle.write(b'{"v": 1, "event": "fired", "at": "2027-01-05T02:0')
        with relay(tmp_path, chat.url, "2027-01-05T11:05", env=env) as service:
            assert service.events("incident_log_torn")
            _post(service.base, notification(status="resolved"))
            wait_for(lambda: log.read_bytes().count(b"\n") == 3, "the resolve's line")
            assert service.terminate() == 0
    read = read_incidents(log)
    assert read.skipped == [(str(log), 2)]
    assert [i.resolved_at is not None for i in read.incidents] == [True]


def test_the_log_is_bounded_by_rotating_to_dot_1(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write("incidents:\n  log: incidents/app.log\n  max_bytes: 4096\n")
    (tmp_path / "incidents").mkdir()
    log = tmp_path / "incidents" / "app.log"
    with chat_server() as chat, chat_server() as sre, relay(
            tmp_path, chat.url, "2027-01-05T11:00", env={"SRE_CHAT_URL": sre.url}) as service:
        for index in range(80):
            _post(service.base, notification(name=f"Alert{index:02d}"))
        wait_for(lambda: chat.count() == 80, "eighty alerts")  # each logged first
        assert service.terminate() == 0
    older = log.with_name("app.log.1")
    assert older.exists() and not log.with_name("app.log.2").exists()
    assert log.stat().st_size <= 4096 and older.stat().st_size <= 4096
    read = read_incidents(log)
    assert read.skipped == []
    assert 20 < len(read.incidents) < 80  # the oldest went with the rotation before .1
    assert sorted(i.title for i in read.incidents)[-1] == "Alert79"
