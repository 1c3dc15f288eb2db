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
            first, disk = (_links(text) for text in chat.texts())
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
            _post(service.base, notification(status="resolved"))
            wait_for(lambda: chat.count() == 5, "the resolve")
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
