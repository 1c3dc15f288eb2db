"""Issue 23 point 1: `escalation.after` escalates an incident nobody acknowledged or
resolved, to another chat and then PagerDuty, once, across restarts and a kill -9 while
a timer is due. The relay runs as a real process with local chat servers and a local
stand-in for PagerDuty's Events API; time moves by restarting it with a later --now (the
relay's clock starts at --now), never by waiting."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import (
    ChatServer,
    chat_server,
    notification,
    relay,
    request,
    wait_for,
    write_config,
)

STEPS = """escalation:
  text: "Escalate to SRE after 30 minutes"
  after: 30m
  webhook_url_env: SRE_CHAT_URL
  then:
    after: 15m
    pagerduty_routing_key_env: PD_ROUTING_KEY
    pagerduty_url: {pd_url}
escalation_group:
  slack: S0SRE123
"""
KEY = "R0UTINGKEY0123456789abcdef012345"


def _rotation(root: Path, pd_url: str = "http://127.0.0.1:9/v2/enqueue",
              steps: str = STEPS) -> Path:
    path = make_rotation(root)
    text = re.sub(r"^escalation: .*\n", steps.format(pd_url=pd_url), path.read_text(),
                  flags=re.M)
    path.write_text(text.replace("reminders:\n", "reminders:\n  chat: slack\n"),
                    encoding="utf-8")
    write_config(root)
    return path


def _post(base: str, body: dict[str, object]) -> None:
    assert request(base + "/alertmanager", json.dumps(body).encode())[0] == 202


def _env(sre: ChatServer) -> dict[str, str]:
    return {"SRE_CHAT_URL": sre.url, "PD_ROUTING_KEY": KEY}


def _timers(root: Path) -> list[Path]:
    return sorted((root / "spool" / "timers").glob("*.json"))


def test_an_unanswered_alert_escalates_at_each_step_once_across_restarts_and_kill_9(
    tmp_path: Path,
) -> None:
    with chat_server() as chat, chat_server() as sre, chat_server() as pd:
        pd_url = pd.url.replace("/hooks/SECRET-PATH", "/v2/enqueue")
        _rotation(tmp_path, pd_url)
        env = _env(sre)
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification())
            wait_for(lambda: chat.count() == 1, "the alert")
            wait_for(lambda: len(_timers(tmp_path)) == 1, "its timer")
            assert service.terminate() == 0
        with relay(tmp_path, chat.url, "2027-01-05T11:29", env=env) as service:
            assert service.events("listening")[0]["timers"] == 1
            _post(service.base, notification(name="Other", status="resolved"))  # a marker
            wait_for(lambda: chat.count() == 2, "the marker")
            assert service.terminate() == 0
        assert sre.count() == 0 and not any("ESCALATED" in t for t in chat.texts())
        with relay(tmp_path, chat.url, "2027-01-05T11:31", env=env) as service:
            wait_for(lambda: sre.count() == 1 and chat.count() == 3, "the first step")
            assert service.terminate() == 0
        note = chat.texts()[2]
        assert note.splitlines()[:3] == [
            "[ESCALATED] HighErrorRate #inc-cbc7a3",
            "Escalation: <!subteam^S0SRE123> Escalate to SRE after 30 minutes",
            "Neither acknowledged nor resolved within 30 min: escalated.",
        ]
        assert sre.texts()[0] == note
        pd.down()  # the second step comes due while PagerDuty is unreachable: kill -9
        with relay(tmp_path, chat.url, "2027-01-05T11:50", env=env) as service:
            wait_for(lambda: bool(service.events("post_failed")), "a failed page")
            service.kill()
        pd.up()
        with relay(tmp_path, chat.url, "2027-01-05T11:51", env=env) as service:
            wait_for(lambda: pd.count() == 1, "the page after the restart")
            _post(service.base, notification(status="resolved"))
            wait_for(lambda: pd.count() == 2 and chat.count() == 5, "the resolve")
            assert service.terminate() == 0
        with relay(tmp_path, chat.url, "2027-01-05T13:00", env=env) as service:
            _post(service.base, notification(name="Later", status="resolved"))
            wait_for(lambda: chat.count() == 6, "a later marker")
            assert service.terminate() == 0
    trigger, resolve = pd.received
    assert trigger["event_action"] == "trigger" and trigger["routing_key"] == KEY
    assert trigger["dedup_key"] == "inc-cbc7a3"
    assert trigger["payload"]["summary"] == "[FIRING:1] HighErrorRate #inc-cbc7a3"
    assert trigger["payload"]["severity"] == "critical"
    assert resolve == {"routing_key": KEY, "event_action": "resolve", "dedup_key": "inc-cbc7a3"}
    assert pd.paths == ["/v2/enqueue", "/v2/enqueue"]
    notes = [t.splitlines()[0] for t in chat.texts() if "ESCALATED" in t]
    assert notes == ["[ESCALATED] HighErrorRate #inc-cbc7a3"] * 2  # step 1, step 2: once each
    assert "within 45 min" in [t for t in chat.texts() if "ESCALATED" in t][1]
    assert [t.splitlines()[0] for t in sre.texts()] == [
        "[ESCALATED] HighErrorRate #inc-cbc7a3", "[RESOLVED] HighErrorRate #inc-cbc7a3"]
    assert _timers(tmp_path) == []
    assert KEY not in "".join(p.read_text() for p in tmp_path.glob("relay-*.log"))


def test_a_resolve_in_time_stops_the_timer_and_outside_the_window_none_is_set(
    tmp_path: Path,
) -> None:
    _rotation(tmp_path)
    with chat_server() as chat, chat_server() as sre:
        env = _env(sre)
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification())
            _post(service.base, notification(status="resolved"))
            wait_for(lambda: chat.count() == 2, "the alert and its resolve")
            assert service.terminate() == 0
        assert _timers(tmp_path) == []
        with relay(tmp_path, chat.url, "2027-01-05T18:00", env=env) as service:
            _post(service.base, notification(name="Night"))
            wait_for(lambda: chat.count() == 3, "the night alert")
            assert service.terminate() == 0
        assert _timers(tmp_path) == []  # outside the window: straight to the fallback
        assert chat.texts()[2].endswith("Outside the window: @sre-oncall")
        with relay(tmp_path, chat.url, "2027-01-06T12:00", env=env) as service:
            _post(service.base, notification(name="Marker", status="resolved"))
            wait_for(lambda: chat.count() == 4, "a marker")
            assert service.terminate() == 0
    assert sre.count() == 0 and not any("ESCALATED" in t for t in chat.texts())


def test_a_missing_secret_stops_the_start_at_the_step(tmp_path: Path) -> None:
    path = _rotation(tmp_path)
    result = oncall("relay", "--config", str(tmp_path / "relay.yaml"), "--token-env",
                    "RELAY_TOKEN", env={"RELAY_TOKEN": "x" * 20, "APP_CHAT_URL":
                                        "http://127.0.0.1:9/hook", "SRE_CHAT_URL":
                                        "http://127.0.0.1:9/sre"}, unset=("PD_ROUTING_KEY",))
    assert result.returncode == 2
    assert f"{path}:" in result.stderr
    assert "escalation.then.pagerduty_routing_key_env" in result.stderr
    assert "PD_ROUTING_KEY is not set" in result.stderr
    assert not (tmp_path / "spool").exists()


def test_bad_timers_and_steps_are_refused_with_their_place(tmp_path: Path) -> None:
    cases = {
        "escalation:\n  after: 0m\n  webhook_url_env: X\n":
            ("2:10", "escalation.after", "found 0m, expected a time above zero"),
        "escalation:\n  after: -5m\n  webhook_url_env: X\n":
            ("2:10", "escalation.after", "found -5m, expected a time above zero"),
        "escalation:\n  after: 25h\n  webhook_url_env: X\n":
            ("2:10", "escalation.after", "found 25h, expected at most a day"),
        "escalation:\n  after: soon\n  webhook_url_env: X\n":
            ("2:10", "escalation.after", "found 'soon', expected a time such as 30m"),
        "escalation:\n  text: ask SRE\n  after: 30m\n":
            ("2:3", "escalation", "found neither of webhook_url_env and pagerduty_routing"),
        "escalation:\n  after: 30m\n  webhook_url_env: X\n  then:\n    after: 10m\n":
            ("5:5", "escalation.then", "found neither of webhook_url_env"),
        "escalation:\n  after: 30m\n  webhook_url_env: X\n  then:\n"
        "    pagerduty_routing_key_env: K\n":
            ("5:5", "escalation.then", "found a second step without after"),
    }
    for index, (steps, (place, key, message)) in enumerate(cases.items()):
        root = tmp_path / str(index)
        path = make_rotation(root)
        lines = path.read_text().splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith("escalation:"))
        text = "".join(lines[:at]) + steps + "".join(lines[at + 1:])
        path.write_text(text, encoding="utf-8")
        result = oncall("validate", str(path), cwd=root)
        assert result.returncode == 2, (steps, result.stdout)
        line, column = place.split(":")
        assert f"oncall: {path}:{at + int(line)}:{column}: {key}: {message}" in result.stderr, \
            result.stderr
        assert "Traceback" not in result.stderr


def test_open_incidents_are_bounded_like_the_spool(tmp_path: Path) -> None:
    _rotation(tmp_path)
    config = tmp_path / "relay.yaml"
    config.write_text(config.read_text().replace("  directory: spool\n",
                                                 "  directory: spool\n  max_messages: 3\n"))
    with chat_server() as chat, chat_server() as sre, \
            relay(tmp_path, chat.url, "2027-01-05T11:00", env=_env(sre)) as service:
        for index in range(4):
            _post(service.base, notification(name=f"Alert{index}"))
            wait_for(lambda: chat.count() == index + 1, "each alert")  # noqa: B023
        wait_for(lambda: bool(service.events("timers_full")), "the refused timer")
        assert service.terminate() == 0
    assert len(_timers(tmp_path)) == 3
    assert chat.count() == 4  # every alert is still posted
