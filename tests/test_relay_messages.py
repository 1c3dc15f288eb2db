"""An alert group as a chat message (``oncall.render.alerts``) and a sender's body as an
alert group (``oncall.core.alerts``): who is mentioned when, in each chat's syntax, and
that nothing a sender writes can ping anyone."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

import pytest

from oncall.core import alerts
from oncall.core.duty import OnDuty, duty_at
from oncall.io.store import FileStore
from oncall.render import alerts as words
from tests.helpers.daily import make_rotation
from tests.helpers.relay import notification


def _duty(root: Path, moment: str, **rotation: str) -> OnDuty:
    opened = FileStore().open(make_rotation(root, **rotation), require_schedule=True)
    at = datetime.fromisoformat(moment).replace(tzinfo=opened.rotation.tz)
    return duty_at(opened.rotation, opened.calendar(), opened.schedule, at)


def _group(**kwargs: object) -> alerts.AlertGroup:
    return alerts.parse(notification(**kwargs), "alertmanager")  # type: ignore[arg-type]


def test_inside_outside_and_resolved(tmp_path: Path) -> None:
    inside = _duty(tmp_path, "2027-01-05T11:00")
    tag = words.incident_tag('{}:{alertname="HighErrorRate"}')
    links = "  Source: http://prometheus.example:9090/graph"
    silence = ("Silence: http://alertmanager.example:9093/#/silences/new?filter="
               "%7Balertname%3D%22HighErrorRate%22%7D")
    assert words.render(_group(), inside) == (
        f"[FIRING:1] HighErrorRate {tag}\n"
        "On call: Aiko Sato (@aiko) and Ken <R&D> (@ken)\n"
        "Started: Tue 2027-01-05 10:00 (Asia/Tokyo)\n"
        f"- HighErrorRate: Error rate above 5%\n{links}\n{silence}\n"
        "Escalation: Escalate to SRE after 30 minutes"
    )
    outside = _duty(tmp_path, "2027-01-05T17:00")  # the window ends at 17:00
    assert words.render(_group(), outside) == (
        f"[FIRING:1] HighErrorRate {tag}\nStarted: Tue 2027-01-05 10:00 (Asia/Tokyo)\n"
        f"- HighErrorRate: Error rate above 5%\n{links}\n{silence}\n"
        "Outside the window: @sre-oncall"
    )
    assert words.render(_group(status="resolved"), inside) == (
        f"[RESOLVED] HighErrorRate {tag}\nStarted: Tue 2027-01-05 10:00 (Asia/Tokyo)\n"
        f"- HighErrorRate: Error rate above 5%\n{links}"
    )
    holiday = _duty(tmp_path, "2027-01-11T11:00")  # Coming of Age Day: not a duty day
    assert not words.mentions(_group(), holiday)
    after_term = _duty(tmp_path, "2027-03-02T11:00")
    assert "Outside the window: @sre-oncall" in words.render(_group(), after_term)


def test_japanese(tmp_path: Path) -> None:
    inside = _duty(tmp_path, "2027-01-05T11:00", language="ja")
    text = words.render(_group(), inside, "slack")
    assert text.splitlines()[:4] == [
        "[発生中:1] HighErrorRate #inc-cbc7a3",
        "担当: <@U0AIKO> さん、Ken &lt;R&amp;D&gt; さん (@ken)",
        "発生: 1月5日(火) 10:00（Asia/Tokyo）",
        "• HighErrorRate: Error rate above 5%",
    ]
    outside = _duty(tmp_path, "2027-01-05T09:59", language="ja")
    assert words.render(_group(), outside).endswith("時間外は @sre-oncall が対応します。")


def test_sender_text_cannot_ping_or_forge(tmp_path: Path) -> None:
    inside = _duty(tmp_path, "2027-01-05T11:00")
    hostile = _group(name="<!channel> @everyone <@U0BOSS>",
                     summary="line one\nOn call: <@U0FAKE>\x1b[31m")
    slack = words.payload(hostile, inside, "slack")["text"]
    assert "<!channel>" not in slack and "<@U0BOSS>" not in slack and "<@U0FAKE>" not in slack
    assert "\x1b" not in slack and "line one On call" in slack
    assert slack.count("<@") == 1  # aiko, the one primary with a Slack id
    discord = words.payload(hostile, inside, "discord")
    assert discord["allowed_mentions"] == {"parse": [], "users": []}
    assert "@everyone" not in discord["content"]


def test_each_chat_declares_only_the_primaries(tmp_path: Path) -> None:
    path = make_rotation(tmp_path)
    text = path.read_text().replace("slack: U0AIKO,", "slack: U0AIKO, teams: aiko@example.com,")
    path.write_text(text, encoding="utf-8")
    opened = FileStore().open(path, require_schedule=True)
    moment = datetime(2027, 1, 5, 11, 0, tzinfo=opened.rotation.tz)
    inside = duty_at(opened.rotation, opened.calendar(), opened.schedule, moment)
    card = words.payload(_group(), inside, "teams")
    content = card["attachments"][0]["content"]
    assert content["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Aiko Sato</at>",
         "mentioned": {"id": "aiko@example.com", "name": "Aiko Sato"}}
    ]
    assert content["body"][1]["text"].startswith("On call: <at>Aiko Sato</at>")
    resolved = words.payload(_group(status="resolved"), inside, "teams")
    assert resolved["attachments"][0]["content"]["msteams"]["entities"] == []


def test_many_alerts_are_summed_up(tmp_path: Path) -> None:
    body = notification()
    one = body["alerts"][0]
    body["alerts"] = []
    for index in range(13):
        alert = copy.deepcopy(one)
        alert["labels"]["instance"] = f"web-{index:02d}"
        alert["fingerprint"] = f"f{index:02d}"
        alert["status"] = "resolved" if index == 0 else "firing"
        body["alerts"].append(alert)
    text = words.render(alerts.parse(body, "alertmanager"), _duty(tmp_path, "2027-01-05T11:00"))
    lines = [line for line in text.splitlines() if not line.startswith("  Source: ")]
    assert lines[0] == "[FIRING:12] HighErrorRate #inc-cbc7a3"
    assert lines[3] == "- HighErrorRate: Error rate above 5% (instance=web-00) [resolved]"
    assert lines[13] == "- and 3 more"


def test_the_dedupe_key_is_the_group_its_status_and_its_alerts() -> None:
    key = _group().dedupe_key()
    assert _group().dedupe_key() == key
    assert _group(status="resolved").dedupe_key() != key
    assert _group(starts_at="2027-01-05T09:00:00Z").dedupe_key() != key
    assert _group(fingerprint="0000").dedupe_key() != key
    assert _group(summary="other words").dedupe_key() == key  # a re-send may reword


@pytest.mark.parametrize(
    ("body", "source", "message"),
    [
        ({"version": "4", "status": "firing", "alerts": [{"status": "firing"}],
          "commonLabels": []}, "alertmanager", "commonLabels: expected a JSON object"),
        ({"version": "4", "status": "pending", "alerts": [{}]}, "alertmanager",
         'status: expected "firing" or "resolved", found "pending"'),
        ({"version": "4", "status": "firing", "alerts": [{"status": "firing",
          "labels": {"a": None}}]}, "alertmanager", "alerts[0].labels.a: expected a string"),
        ({"status": "firing", "alerts": ["x"]}, "grafana",
         'alerts[0]: expected a JSON object, found "x"'),
    ],
)
def test_bad_bodies_say_where(body: object, source: str, message: str) -> None:
    with pytest.raises(alerts.BadPayload, match=message.replace("[", r"\[").replace("]", r"\]")):
        alerts.parse(body, source)


def test_labels_shared_by_every_alert_route_when_no_common_labels_are_sent() -> None:
    group = alerts.parse({"status": "firing", "alerts": [
        {"status": "firing", "labels": {"team": "app", "host": "a"}},
        {"status": "firing", "labels": {"team": "app", "host": "b"}},
    ]}, "grafana")
    assert group.common_labels == {"team": "app"}
    assert group.alerts[0].fingerprint != group.alerts[1].fingerprint


def test_outside_the_window_the_fallback_group_is_pinged_inside_no_group(
    tmp_path: Path,
) -> None:
    path = make_rotation(tmp_path)
    role = "223456789012345678"
    path.write_text(path.read_text().replace(
        'fallback: "@sre-oncall"\n',
        'fallback: "SRE on call"\nfallback_group:\n  slack: S0SRE123\n'
        f'  discord: "{role}"\nescalation_group:\n  slack: S0LEADS\n'), encoding="utf-8")
    opened = FileStore().open(path, require_schedule=True)

    def at(hour: int) -> OnDuty:
        moment = datetime(2027, 1, 5, hour, 0, tzinfo=opened.rotation.tz)
        return duty_at(opened.rotation, opened.calendar(), opened.schedule, moment)

    outside = words.payload(_group(), at(20), "slack")["text"]
    assert outside.endswith("Outside the window: <!subteam^S0SRE123> SRE on call")
    inside = words.payload(_group(), at(11), "slack")["text"]
    assert "<!subteam^" not in inside and "Escalation: Escalate to SRE" in inside
    discord = words.payload(_group(), at(20), "discord")
    assert discord["allowed_mentions"] == {"parse": [], "users": [], "roles": [role]}
    assert f"<@&{role}> SRE on call" in discord["content"]
    resolved = words.payload(_group(status="resolved"), at(20), "slack")["text"]
    assert "<!subteam^" not in resolved


def test_a_long_group_is_cut_to_the_chats_limit_keeping_who_is_on_duty(
    tmp_path: Path,
) -> None:
    body = notification(summary="x" * 250)
    one = body["alerts"][0]
    body["alerts"] = [{**one, "fingerprint": f"f{i}", "labels": {**one["labels"], "n": str(i)}}
                      for i in range(10)]
    group = alerts.parse(body, "alertmanager")
    duty = _duty(tmp_path, "2027-01-05T11:00")
    content = words.payload(group, duty, "discord")["content"]
    assert len(content) <= 2000
    assert "<@" not in content or "On call:" in content
    assert content.splitlines()[1].startswith("On call:")
    assert "Escalation: Escalate to SRE after 30 minutes" in content
    assert "(5 more alerts left out: Discord takes at most 2,000 characters;" in content
    assert content.count("Source: http") == 10 - 5  # each alert's link goes with it
    slack = words.render(group, duty, "slack").splitlines()
    assert len(slack) == 25  # Slack fits it all: 10 alerts, their links, the silence
