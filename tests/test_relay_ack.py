"""Issue 23 point 2: a person on duty acknowledges an incident from the chat with the
signed, expiring link in its message; the escalation stops and the incident says who.
Forged, cross-incident, replayed and expired links are refused with a page, and nothing
changes. Through the real `oncall relay` process and local chat servers; time moves by
restarting the relay with a later --now."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.relay import chat_server, notification, relay, request, wait_for
from tests.test_relay_escalation import _rotation, _timers

SECRET = "ack-secret-0123456789-0123456789-abcdef"
BASE = "https://oncall.example.com"
ACK = f"ack:\n  base_url: {BASE}\n  secret_env: RELAY_ACK_SECRET\n  valid_seconds: 600\n"
STEP = """escalation:
  text: "Escalate to SRE after 30 minutes"
  after: 30m
  webhook_url_env: SRE_CHAT_URL
"""


def _post(base: str, body: dict[str, object]) -> None:
    assert request(base + "/alertmanager", json.dumps(body).encode())[0] == 202


def _links(text: str) -> dict[str, str]:
    line = next(line for line in text.splitlines() if line.startswith("Acknowledge: "))
    return dict(re.findall(r"(Aiko Sato|Ken &lt;R&amp;D&gt;) (https://\S+)", line))


def _open(base: str, link: str, post: bool = True) -> tuple[int, str]:
    url = base + link.removeprefix(BASE)
    status, body = request(url, b"" if post else None, token=None)
    return status, body.decode()


def test_an_ack_stops_the_escalation_and_bad_links_change_nothing(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write(ACK)
    with chat_server() as chat, chat_server() as sre:
        env = {"SRE_CHAT_URL": sre.url, "RELAY_ACK_SECRET": SECRET}
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification())
            _post(service.base, notification(name="DiskFull"))
            wait_for(lambda: chat.count() == 2, "two alerts")
            wait_for(lambda: len(_timers(tmp_path)) == 2, "their timers")
            texts = sorted(chat.texts(), key=lambda text: "DiskFull" in text)  # two workers
            first, disk = (_links(text) for text in texts)
            assert set(first) == {"Aiko Sato", "Ken &lt;R&amp;D&gt;"}
            aiko = first["Aiko Sato"]
            before = [p.read_bytes() for p in _timers(tmp_path)]
            forged = aiko[:-3] + ("AAA" if not aiko.endswith("AAA") else "BBB")
            other = disk["Aiko Sato"].split("/ack/")[1].split("/")[0]
            crossed = re.sub(r"/ack/[0-9a-f]{32}/", f"/ack/{other}/", aiko)
            for link in (forged, crossed):
                status, page = _open(service.base, link)
                assert status == 403 and "signature does not match" in page
            status, page = _open(service.base, aiko, post=False)  # a preview, not an ack
            assert status == 200 and '<form method="post"' in page
            assert [p.read_bytes() for p in _timers(tmp_path)] == before
            status, page = _open(service.base, aiko)
            assert status == 200 and "acknowledged by Aiko Sato" in page
            wait_for(lambda: chat.count() == 3, "the acknowledgement")
            for link in (aiko, first["Ken &lt;R&amp;D&gt;"]):  # a replay, or too late
                status, page = _open(service.base, link)
                assert status == 409 and "was acknowledged by Aiko Sato" in page
            assert service.terminate() == 0
        assert chat.texts()[2] == (
            "[ACKNOWLEDGED] HighErrorRate #inc-cbc7a3\n"
            "Acknowledged by Aiko Sato: the escalation is stopped.")
        with relay(tmp_path, chat.url, "2027-01-05T11:20", env=env) as service:
            status, page = _open(service.base, disk["Aiko Sato"])  # made at 11:00, 10 min
            assert status == 410 and "expired" in page
            assert service.terminate() == 0
        with relay(tmp_path, chat.url, "2027-01-05T11:31", env=env) as service:
            wait_for(lambda: sre.count() == 1, "DiskFull's escalation")
            open_timers = len(_timers(tmp_path))
            _post(service.base, notification(status="resolved"))
            wait_for(lambda: chat.count() == 5, "the resolve")
            # The timer goes once the resolve is delivered, just after the chat has it.
            wait_for(lambda: len(_timers(tmp_path)) < open_timers, "the timer removed")
            status, page = _open(service.base, aiko)
            assert status == 410 and "resolved" in page
            status, _ = request(service.base + aiko.removeprefix(BASE), b"x" * 2000,
                                token=None)
            assert status == 413
            assert service.terminate() == 0
    assert [t.splitlines()[0] for t in sre.texts()] == ["[ESCALATED] DiskFull #inc-" +
                                                        sre.texts()[0].split("#inc-")[1][:6]]
    assert not any("[ESCALATED] HighErrorRate" in t for t in chat.texts())
    assert SECRET not in "".join(p.read_text() for p in tmp_path.glob("relay-*.log"))


def test_a_short_signing_secret_stops_the_start(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write(ACK)
    result = oncall("relay", "--config", str(tmp_path / "relay.yaml"), "--token-env",
                    "RELAY_TOKEN", env={"RELAY_TOKEN": "x" * 20, "APP_CHAT_URL":
                                        "http://127.0.0.1:9/hook", "SRE_CHAT_URL":
                                        "http://127.0.0.1:9/sre", "RELAY_ACK_SECRET": "short"})
    assert result.returncode == 2
    assert re.match(r"oncall: \S*relay.yaml:\d+:15: ack.secret_env: the environment variable "
                    r"RELAY_ACK_SECRET is 5 bytes, expected at least 32", result.stderr), \
        result.stderr
    assert not (tmp_path / "spool").exists()


SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def _slack(base: str, text: str, user: str, *, stamp: int | None = None,
           secret: str = SLACK_SECRET, body: bytes | None = None) -> tuple[int, dict[str, str]]:
    import hashlib
    import hmac
    import time
    from urllib.parse import urlencode

    data = body if body is not None else urlencode({
        "token": "legacy", "command": "/oncall", "text": text, "user_id": user,
        "team_id": "T0001", "response_url": "https://hooks.slack.com/commands/1/2"}).encode()
    when = str(int(time.time()) if stamp is None else stamp)
    signature = "v0=" + hmac.new(secret.encode(), b"v0:" + when.encode() + b":" + data,
                                 hashlib.sha256).hexdigest()
    status, answer = request(base + "/slack/command", data, token=None, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": when, "X-Slack-Signature": signature})
    return status, json.loads(answer)


def test_the_slack_command_acks_only_when_slack_signed_it_once_and_recently(
    tmp_path: Path,
) -> None:
    import time

    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write(ACK + "  slack_signing_secret_env: SLACK_SIGNING_SECRET\n")
    with chat_server() as chat, chat_server() as sre:
        env = {"SRE_CHAT_URL": sre.url, "RELAY_ACK_SECRET": SECRET,
               "SLACK_SIGNING_SECRET": SLACK_SECRET}
        with relay(tmp_path, chat.url, "2027-01-05T11:00", env=env) as service:
            _post(service.base, notification())
            wait_for(lambda: len(_timers(tmp_path)) == 1, "the incident")
            before = _timers(tmp_path)[0].read_bytes()
            assert _slack(service.base, "ack #inc-cbc7a3", "U0AIKO",
                          secret="x" * 32)[0] == 401
            status, answer = _slack(service.base, "ack #inc-cbc7a3", "U0AIKO",
                                    stamp=int(time.time()) - 400)
            assert status == 401 and "more than 5 minutes" in answer["error"]
            status, answer = _slack(service.base, "ack #inc-cbc7a3", "U0STRANGER")
            assert status == 200 and "not a member" in answer["text"]
            status, answer = _slack(service.base, "ack #inc-000000", "U0AIKO")
            assert status == 200 and "not an open incident" in answer["text"]
            status, answer = _slack(service.base, "page everyone", "U0AIKO")
            assert status == 200 and answer["text"].startswith("Usage: /oncall ack")
            assert _slack(service.base, "", "U0AIKO", body=b"x" * 20_000)[0] == 413
            assert _timers(tmp_path)[0].read_bytes() == before  # nothing changed so far
            stamp = int(time.time())
            status, answer = _slack(service.base, "ack #inc-cbc7a3", "U0AIKO", stamp=stamp)
            assert status == 200 and answer == {
                "response_type": "ephemeral",
                "text": "#inc-cbc7a3 is acknowledged by Aiko Sato; its escalation is stopped."}
            status, answer = _slack(service.base, "ack #inc-cbc7a3", "U0AIKO", stamp=stamp)
            assert status == 401 and "replay" in answer["error"]
            status, answer = _slack(service.base, "ack inc-cbc7a3", "U0TARO")
            assert status == 200 and "was acknowledged by Aiko Sato" in answer["text"]
            wait_for(lambda: chat.count() == 2, "the acknowledgement")
            assert service.terminate() == 0
    assert chat.texts()[1].startswith("[ACKNOWLEDGED] HighErrorRate #inc-cbc7a3")
    log = "".join(p.read_text() for p in tmp_path.glob("relay-*.log"))
    assert SLACK_SECRET not in log and SECRET not in log


def test_a_short_slack_signing_secret_stops_the_start(tmp_path: Path) -> None:
    _rotation(tmp_path, steps=STEP)
    with (tmp_path / "relay.yaml").open("a") as config:
        config.write(ACK + "  slack_signing_secret_env: SLACK_SIGNING_SECRET\n")
    result = oncall("relay", "--config", str(tmp_path / "relay.yaml"), "--token-env",
                    "RELAY_TOKEN", env={"RELAY_TOKEN": "x" * 20, "APP_CHAT_URL":
                                        "http://127.0.0.1:9/hook", "SRE_CHAT_URL":
                                        "http://127.0.0.1:9/sre", "RELAY_ACK_SECRET": SECRET,
                                        "SLACK_SIGNING_SECRET": "0123456789abcdef"})
    assert result.returncode == 2
    assert re.match(r"oncall: \S*relay.yaml:\d+:29: ack.slack_signing_secret_env: the "
                    r"environment variable SLACK_SIGNING_SECRET is 16 bytes, expected at "
                    r"least 32", result.stderr), result.stderr
