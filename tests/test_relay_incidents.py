"""Issue 23: every message of one alert group carries the same incident tag, and says
when it started and where to look (source, runbook, silence), escaped per chat. Through
the real `oncall relay` process and a local chat server, and on the renderer for the
hostile cases."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from oncall.core import alerts
from oncall.core.duty import OnDuty, duty_at
from oncall.io.store import FileStore
from oncall.render import alerts as words
from tests.helpers.daily import make_rotation
from tests.helpers.relay import chat_server, notification, relay, request, wait_for, write_config

INSIDE = "2027-01-05T11:00"


def _post(url: str, body: dict[str, object]) -> int:
    return request(url + "/alertmanager", json.dumps(body).encode())[0]


def test_every_message_of_a_group_carries_its_tag_and_google_chat_threads_by_it(
    tmp_path: Path,
) -> None:
    path = make_rotation(tmp_path)
    path.write_text(path.read_text().replace("reminders:\n", "reminders:\n  chat: google-chat\n"),
                    encoding="utf-8")
    write_config(tmp_path)
    first = notification()
    grown = notification()
    second = dict(grown["alerts"][0], fingerprint="f2",  # type: ignore[arg-type]
                  labels={"alertname": "HighErrorRate", "team": "app", "instance": "web-2"})
    grown["alerts"] = [*grown["alerts"], second]  # type: ignore[misc]
    resolved = notification(status="resolved")
    other = notification(name="DiskFull")
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        for body in (first, grown, resolved, other):
            assert _post(service.base, body) == 202
        wait_for(lambda: chat.count() == 4, "four messages")
        assert service.terminate() == 0
    tag = words.incident_tag('{}:{alertname="HighErrorRate"}')
    assert tag.startswith("#inc-") and len(tag) == 11
    by_group = [body for body in chat.received if "HighErrorRate" in body["text"]]
    assert [body["text"].splitlines()[0] for body in by_group] == [
        f"[FIRING:1] HighErrorRate {tag}", f"[FIRING:2] HighErrorRate {tag}",
        f"[RESOLVED] HighErrorRate {tag}",
    ]
    assert {body["thread"]["threadKey"] for body in by_group} == {tag[1:]}
    disk = next(body for body in chat.received if "DiskFull" in body["text"])
    assert disk["thread"]["threadKey"] != tag[1:]
    assert all(p.endswith("?messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD")
               for p in chat.paths)


def test_messages_say_when_and_where_to_look_through_the_relay(tmp_path: Path) -> None:
    make_rotation(tmp_path, language="ja")
    write_config(tmp_path)
    body = notification(starts_at="2027-01-05T01:02:03.123456789Z")
    body["alerts"][0]["annotations"]["runbook_url"] = "https://wiki.example/rb/high_error"
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:
        assert _post(service.base, body) == 202
        wait_for(lambda: chat.count() == 1, "the message")
        assert service.terminate() == 0
    lines = chat.texts()[0].splitlines()
    assert "発生: 1月5日(火) 10:02（Asia/Tokyo）" in lines
    assert ("  発生元: http://prometheus.example:9090/graph · "
            "手順書: https://wiki.example/rb/high_error") in lines
    assert ("ミュート: http://alertmanager.example:9093/#/silences/new?filter="
            "%7Balertname%3D%22HighErrorRate%22%7D") in lines


def _duty(root: Path) -> OnDuty:
    opened = FileStore().open(make_rotation(root), require_schedule=True)
    at = datetime(2027, 1, 5, 11, 0, tzinfo=opened.rotation.tz)
    return duty_at(opened.rotation, opened.calendar(), opened.schedule, at)


def test_a_senders_links_cannot_ping_forge_or_lie(tmp_path: Path) -> None:
    duty = _duty(tmp_path)
    body = notification()
    alert = body["alerts"][0]
    alert["generatorURL"] = "http://prom.example/graph?g0.expr=up<1&x=<!channel>"
    alert["annotations"]["runbook_url"] = "javascript:alert(1)"
    body["groupLabels"] = {"alertname": 'a"b\\c'}
    body["externalURL"] = "http://trusted.example@evil.example/"
    group = alerts.parse(body, "alertmanager")
    slack = words.payload(group, duty, "slack")["text"]
    assert "<!channel>" not in slack and "javascript" not in slack
    assert "Source: http://prom.example/graph?g0.expr=up%3C1&amp;x=%3C!channel%3E" in slack
    assert "Runbook" not in slack and "Silence" not in slack and "evil" not in slack
    alert["generatorURL"] = "http://prom.example/[click](http://evil.example)_@everyone"
    alert["annotations"]["runbook_url"] = "http://wiki.example/run book"  # a space: not one
    body["externalURL"] = "http://am.example:9093/"
    group = alerts.parse(body, "alertmanager")
    discord = words.payload(group, duty, "discord")["content"]
    assert "[click](" not in discord and "@everyone" not in discord
    assert "Source: http://prom.example/%5Bclick%5D%28http://evil.example%29_%40everyone" \
        in discord
    assert "Runbook" not in discord
    assert ("Silence: http://am.example:9093/#/silences/new?filter="
            "%7Balertname%3D%22a%5C%22b%5C%5Cc%22%7D") in discord


def test_the_lifecycle_messages_in_japanese(tmp_path: Path) -> None:
    opened = FileStore().open(make_rotation(tmp_path, language="ja"), require_schedule=True)
    at = datetime(2027, 1, 5, 11, 0, tzinfo=opened.rotation.tz)
    duty = duty_at(opened.rotation, opened.calendar(), opened.schedule, at)
    group = alerts.parse(notification(), "alertmanager")
    text = words.escalated(group, duty, "slack", 5400)["text"].splitlines()
    assert text[:3] == ["[エスカレーション] HighErrorRate #inc-cbc7a3",
                        "エスカレーション: 30分以内に解決しない場合はSREにエスカレーション",
                        "1時間30分以内に確認・解決されなかったため、エスカレーションしました。"]
    assert words.acknowledged(group, duty, "slack", "佐藤 愛子")["text"] == (
        "[確認済み] HighErrorRate #inc-cbc7a3\n佐藤 愛子 さんが確認しました。"
        "エスカレーションは止まりました。")
    body = words.payload(group, duty, "slack", (("佐藤 愛子", "https://r.example/ack/x"),))
    assert "確認ボタン: 佐藤 愛子 さん https://r.example/ack/x" in body["text"].splitlines()
    assert words.duration("en", 5400) == "1 h 30 min"
