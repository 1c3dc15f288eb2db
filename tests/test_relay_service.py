"""The relay as a real process, with requests sent straight to it: who gets in, what is
refused and why, what is posted once, what survives a kill -9, and what the operator sees
(/healthz, /metrics, JSON logs that never hold the chat URL or the token)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import (
    TOKEN,
    chat_server,
    notification,
    relay,
    request,
    wait_for,
    write_config,
)

INSIDE = "2027-01-05T11:00"


def _body(**kwargs: object) -> bytes:
    return json.dumps(notification(**kwargs)).encode()  # type: ignore[arg-type]


def test_only_the_sender_with_the_token_gets_in(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        url = service.base + "/alertmanager"
        assert request(url, _body(), token=None)[0] == 401
        assert request(url, _body(), token="wrong-token-0123456789")[0] == 401
        assert request(url, _body(), token=TOKEN + "x")[0] == 401
        status, answer = request(url, _body(), headers={"Authorization": f"Basic {TOKEN}"},
                                 token=None)
        assert status == 401 and b"bearer token" in answer
        assert request(url, _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the one authorised alert")
        assert service.terminate() == 0
    assert chat.count() == 1
    log = service.log_path.read_text()
    assert TOKEN not in log and "SECRET-PATH" not in log
    assert [e["reason"] for e in service.events("rejected")] == ["unauthorized"] * 4


def test_malformed_bodies_get_400_with_the_reason_and_nothing_is_posted(
    tmp_path: Path,
) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path, extra="max_body_bytes: 4096\n")
    wrong_version = notification()
    wrong_version["version"] = "3"
    no_alerts = notification()
    no_alerts["alerts"] = []
    bad_label = notification()
    bad_label["alerts"][0]["labels"]["severity"] = 3
    cases = {
        b"{not json": b"not valid JSON: Expecting property name",
        b"\xff\xfe": b"not UTF-8",
        b"[]": b"body: expected a JSON object, found an empty list",
        json.dumps(wrong_version).encode(): b"not an alertmanager notification: version: "
        b"expected '4'",
        json.dumps(no_alerts).encode(): b"alerts: expected a non-empty list",
        json.dumps(bad_label).encode(): b"alerts[0].labels.severity: expected a string",
    }
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        url = service.base + "/alertmanager"
        for body, reason in cases.items():
            status, answer = request(url, body)
            assert status == 400, body
            assert reason in answer, answer
        status, answer = request(url, b"{" + b" " * 5000 + b"}")
        assert status == 413 and b"at most 4096" in answer
        assert request(service.base + "/nowhere", _body())[0] == 404
        assert request(url, _body())[0] == 202  # still serving after all that
        wait_for(lambda: chat.count() == 1, "the good alert")
        assert service.terminate() == 0
    assert chat.count() == 1
    assert not list((tmp_path / "spool" / "pending").iterdir())


def test_duplicates_are_posted_once_and_a_new_state_again(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        url = service.base + "/alertmanager"
        answers = [request(url, _body())[0] for _ in range(5)]
        assert answers[0] == 202 and answers[1:] == [200] * 4
        wait_for(lambda: chat.count() == 1, "the firing message")
        assert request(url, _body())[0] == 200  # a re-send after delivery: still once
        assert request(url, _body(status="resolved"))[0] == 202
        wait_for(lambda: chat.count() == 2, "the resolved message")
        assert request(url, _body(status="resolved"))[0] == 200
        # The same alert firing again later is a new alert: posted again.
        assert request(url, _body(starts_at="2027-01-05T03:00:00Z"))[0] == 202
        wait_for(lambda: chat.count() == 3, "the second firing")
        wait_for(lambda: len(service.events("delivered")) == 3, "the relay to count it")
        metrics = request(service.base + "/metrics", token=None)[1].decode()
        assert service.terminate() == 0
    assert [t.split(" ", 1)[0] for t in chat.texts()] == ["[FIRING:1]", "[RESOLVED]",
                                                          "[FIRING:1]"]
    assert 'oncall_relay_duplicates_total{source="alertmanager"} 6.0' in metrics
    assert 'oncall_relay_received_total{source="alertmanager"} 3.0' in metrics
    assert 'oncall_relay_delivered_total{rotation="app"} 3.0' in metrics
    assert "oncall_relay_delivery_latency_seconds_count 3.0" in metrics
    assert "oncall_relay_spool_depth 0.0" in metrics


def test_grafana_webhook_payload(tmp_path: Path) -> None:
    """The body Grafana's webhook contact point sends (its documented shape)."""
    make_rotation(tmp_path)
    write_config(tmp_path)
    grafana = {
        "receiver": "oncall-relay",
        "status": "firing",
        "orgId": 1,
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": "CPU high", "grafana_folder": "App", "team": "app"},
            "annotations": {"summary": "CPU above 90% for 5m"},
            "startsAt": "2027-01-05T01:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://grafana.example/alerting/grafana/abc/view",
            "fingerprint": "57c6d9296de2ad39",
            "silenceURL": "https://grafana.example/alerting/silence/new",
            "dashboardURL": "", "panelURL": "", "values": {"B": 91.5, "C": 1},
            "valueString": "[ var='B' labels={} value=91.5 ]",
        }],
        "groupLabels": {"alertname": "CPU high", "grafana_folder": "App"},
        "commonLabels": {"alertname": "CPU high", "grafana_folder": "App", "team": "app"},
        "commonAnnotations": {"summary": "CPU above 90% for 5m"},
        "externalURL": "https://grafana.example/",
        "version": "1",
        "groupKey": '{}/{alertname="CPU high"}:{alertname="CPU high"}',
        "truncatedAlerts": 0,
        "title": "[FIRING:1] CPU high App",
        "state": "alerting",
        "message": "**Firing**\n\nValue: B=91.5",
    }
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        status, _ = request(service.base + "/grafana", json.dumps(grafana).encode())
        assert status == 202
        wait_for(lambda: chat.count() == 1, "the Grafana alert")
    text = chat.texts()[0]
    assert text.startswith("[FIRING:1] [FIRING:1] CPU high App")
    assert "CPU high: CPU above 90% for 5m" in text and "<@U0AIKO>" in text


def test_a_kill_minus_9_loses_nothing_that_got_a_2xx(tmp_path: Path) -> None:
    """Accepted while the chat is down, the relay killed, restarted: all delivered."""
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat:
        chat.down()
        with relay(tmp_path, chat.url, INSIDE) as service:
            for index in range(20):
                body = _body(name=f"Alert{index}")
                assert request(service.base + "/alertmanager", body)[0] == 202
            wait_for(lambda: len(service.events("post_failed")) >= 1, "a failed post")
            service.kill()
        assert len(list((tmp_path / "spool" / "pending").iterdir())) == 20
        chat.up()
        with relay(tmp_path, chat.url, INSIDE) as again:
            assert again.events("listening")[0]["waiting"] == 20
            wait_for(lambda: chat.count() == 20, "every accepted alert")
            assert again.terminate() == 0
    names = sorted(text.split("\n")[0].rsplit(" #inc-", 1)[0] for text in chat.texts())
    assert names == sorted(f"[FIRING:1] Alert{index}" for index in range(20))


def test_sigterm_drains_and_the_rest_waits_in_the_spool(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        assert request(service.base + "/healthz", token=None) == (
            200, b'{"status": "ok", "spool_depth": 0}\n')
        assert request(service.base + "/alertmanager", _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the alert")
        chat.down()
        assert request(service.base + "/alertmanager", _body(name="Later"))[0] == 202
        wait_for(lambda: len(service.events("post_failed")) >= 1, "a failed post")
        assert service.terminate() == 0
        assert service.events("stopped")[0]["waiting"] == 1
        chat.up()
        with relay(tmp_path, chat.url, INSIDE) as again:
            wait_for(lambda: chat.count() == 2, "the waiting alert")
            again.terminate()
    assert chat.texts()[1].startswith("[FIRING:1] Later")


def test_a_full_spool_answers_503(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    config = (tmp_path / "relay.yaml").read_text()
    (tmp_path / "relay.yaml").write_text(
        config.replace("spool:\n  directory: spool\n",
                       "spool:\n  directory: spool\n  max_messages: 3\n"), encoding="utf-8")
    with chat_server() as chat:
        chat.down()
        with relay(tmp_path, chat.url, INSIDE) as service:
            answers = [request(service.base + "/alertmanager", _body(name=f"A{i}"))[0]
                       for i in range(5)]
            service.terminate()
    assert answers == [202, 202, 202, 503, 503]
    assert len(list((tmp_path / "spool" / "pending").iterdir())) == 3


def test_past_its_deadline_a_message_moves_to_failed(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    config = tmp_path / "relay.yaml"
    config.write_text(config.read_text().replace(
        "delivery:\n", "delivery:\n  deadline_seconds: 1\n"), encoding="utf-8")
    with chat_server() as chat:
        chat.down()
        with relay(tmp_path, chat.url, INSIDE) as service:
            assert request(service.base + "/alertmanager", _body())[0] == 202
            wait_for(lambda: len(service.events("failed")) == 1, "the message to fail")
            metrics = request(service.base + "/metrics", token=None)[1].decode()
            service.terminate()
    assert len(list((tmp_path / "spool" / "failed").iterdir())) == 1
    assert not list((tmp_path / "spool" / "pending").iterdir())
    assert 'oncall_relay_failed_total{rotation="app"} 1.0' in metrics
    assert "oncall_relay_spool_depth 0.0" in metrics


def test_a_spool_file_broken_by_hand_is_set_aside_at_start(tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    pending = tmp_path / "spool" / "pending"
    pending.mkdir(parents=True)
    (pending / "0123.json").write_text("{half a rec", encoding="utf-8")
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        assert service.events("listening")[0]["waiting"] == 0
        assert request(service.base + "/alertmanager", _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the alert")
        service.terminate()
    assert [p.name for p in (tmp_path / "spool" / "failed").iterdir()] == ["0123.json"]


def test_a_schedule_broken_mid_edit_keeps_the_last_good_version(tmp_path: Path) -> None:
    rotation = make_rotation(tmp_path)
    write_config(tmp_path)
    schedule = rotation.with_name("app.schedule.yaml")
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        schedule.write_text(schedule.read_text() + "shifts: [oops\n", encoding="utf-8")
        assert request(service.base + "/alertmanager", _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the alert")
        wait_for(lambda: len(service.events("delivered")) == 1, "the relay to count it")
        metrics = request(service.base + "/metrics", token=None)[1].decode()
        service.terminate()
    assert "<@U0AIKO>" in chat.texts()[0]  # the last good schedule's people
    failed = service.events("reload_failed")
    assert len(failed) == 1 and "app.schedule.yaml" in failed[0]["error"]
    assert 'oncall_relay_reload_errors_total{rotation="app"} 1.0' in metrics


def test_a_replay_in_a_kept_term_mentions_who_was_on_duty_then(tmp_path: Path) -> None:
    """After `plan --next-term` the first term is kept beside the new one; --now in it
    finds its people, as `oncall who --at` does."""
    make_rotation(tmp_path)
    write_config(tmp_path)
    planned = oncall("plan", "--next-term", "--now", "2027-01-20T09:00", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    assert (tmp_path / "rotations" / "app.terms" / "2027-01-04.schedule.yaml").exists()
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        assert request(service.base + "/alertmanager", _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the alert")
        service.terminate()
    assert "On call: <@U0AIKO> and Ken &lt;R&amp;D&gt; (@ken)" in chat.texts()[0]


def test_a_night_window_from_the_kept_term_still_mentions_its_people(tmp_path: Path) -> None:
    """22:00-06:00, the next term planned early: at 02:00 on its first day the running
    term's last window still runs, and the relay mentions its people as `who` does."""
    make_rotation(tmp_path, start="22:00", end="06:00")
    write_config(tmp_path)
    planned = oncall("plan", "--next-term", "--now", "2027-01-20T09:00", cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    with chat_server() as chat, relay(tmp_path, chat.url, "2027-01-30T02:00") as service:
        assert request(service.base + "/alertmanager", _body())[0] == 202
        wait_for(lambda: chat.count() == 1, "the alert")
        service.terminate()
    assert "On call: <@U0TARO> and Mei Ito (@mei)" in chat.texts()[0]
