"""The relay with the real sender: Prometheus Alertmanager (Debian package
prometheus-alertmanager) started on 127.0.0.1 with a generated config, alerts fired
through its v2 API, the relay as a real process and a local chat server recording what
arrives. Inside the window the primaries on duty are mentioned; outside, nobody is, and
the fallback is named; a resolved alert is posted as resolved; a swap recorded with
`oncall swap` is used by the next alert without a restart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall.io.incident_log import read_incidents
from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import (
    alertmanager,
    chat_server,
    relay,
    request,
    wait_for,
    write_config,
)
from tests.helpers.system import require_program

# Tuesday 2027-01-05: aiko and ken are the primaries (mei shadows), window 10:00-17:00 JST.
INSIDE = "2027-01-05T11:00"
OUTSIDE = "2027-01-05T20:00"


# Each test waits for Alertmanager's group_wait and group_interval: real waits.
pytestmark = pytest.mark.slow


@pytest.fixture
def program() -> str:
    return require_program("prometheus-alertmanager", "prometheus-alertmanager")


def test_inside_the_window_mentions_the_primaries_then_resolves(
    program: str, tmp_path: Path
) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service, \
            alertmanager(program, tmp_path, service.base) as am:
        am.fire("HighErrorRate", {"team": "app", "severity": "page"})
        wait_for(lambda: chat.count() >= 1, "the firing alert to reach the chat")
        firing = chat.texts()[0]
        assert firing.startswith("[FIRING:1] HighErrorRate")
        assert "<@U0AIKO>" in firing and "Ken &lt;R&amp;D&gt; (@ken)" in firing
        assert "Mei" not in firing and "mei" not in firing  # a shadow is not paged
        assert "Escalation: Escalate to SRE after 30 minutes" in firing
        assert "Outside the window" not in firing

        am.fire("HighErrorRate", {"team": "app", "severity": "page"}, resolved=True)
        wait_for(lambda: chat.count() >= 2, "the resolved alert to reach the chat")
        resolved = chat.texts()[1]
        assert resolved.startswith("[RESOLVED] HighErrorRate")
        assert "<@" not in resolved
        assert service.terminate() == 0
    assert chat.count() == 2
    accepted = service.events("accepted")
    assert [e["status"] for e in accepted] == ["firing", "resolved"]


def test_outside_the_window_nobody_is_mentioned(program: str, tmp_path: Path) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, OUTSIDE) as service, \
            alertmanager(program, tmp_path, service.base) as am:
        am.fire("DiskFull", {"team": "app"})
        wait_for(lambda: chat.count() >= 1, "the alert to reach the chat")
    text = chat.texts()[0]
    assert text.startswith("[FIRING:1] DiskFull")
    assert "<@" not in text and "On call" not in text and "ken" not in text
    assert "Outside the window: @sre-oncall" in text


def test_a_swap_is_used_without_a_restart(program: str, tmp_path: Path) -> None:
    rotation = make_rotation(tmp_path)
    write_config(tmp_path)
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service, \
            alertmanager(program, tmp_path, service.base) as am:
        am.fire("First", {"team": "app"})
        wait_for(lambda: chat.count() >= 1, "the first alert")
        assert "<@U0AIKO>" in chat.texts()[0]

        swapped = oncall("swap", str(rotation), "--dates", "2027-01-05", "--out", "aiko",
                         "--in", "raj", "--now", "2027-01-04T09:00", cwd=tmp_path)
        assert swapped.returncode == 0, swapped.stderr
        am.fire("Second", {"team": "app"})
        wait_for(lambda: chat.count() >= 2, "the second alert")
        second = chat.texts()[1]
        assert "Raj Patel (@raj)" in second and "<@U0AIKO>" not in second
        assert service.process.poll() is None  # the same process all along
    assert len(service.events("listening")) == 1
    assert len(service.events("reloaded")) == 1


def test_the_lifecycle_with_the_real_sender_tag_links_escalation_ack_resolve(
    program: str, tmp_path: Path
) -> None:
    """Issue 23 with the real sender: every message of a group carries its tag and links;
    one incident is acknowledged from its link, the other escalates at its timer (5 s:
    the one real wait), and both resolve in the same incident."""
    path = make_rotation(tmp_path)
    path.write_text(re.sub(
        r"^escalation: .*\n", "escalation:\n  text: Escalate to SRE\n  after: 5s\n"
        "  webhook_url_env: SRE_CHAT_URL\n", path.read_text(), flags=re.M), encoding="utf-8")
    write_config(tmp_path, extra="ack:\n  base_url: https://relay.example\n"
                 "  secret_env: RELAY_ACK_SECRET\n")
    env = {"RELAY_ACK_SECRET": "s" * 40}
    with chat_server() as chat, chat_server() as sre:
        env["SRE_CHAT_URL"] = sre.url
        with relay(tmp_path, chat.url, INSIDE, env=env) as service, \
                alertmanager(program, tmp_path, service.base) as am:
            am.fire("Acked", {"team": "app"}, annotations={"runbook_url": "https://rb.example/a"})
            wait_for(lambda: chat.count() >= 1, "the first alert")
            first = chat.texts()[0]
            tag = first.splitlines()[0].split()[-1]
            assert re.fullmatch(r"#inc-[0-9a-f]{6}", tag)
            assert "Runbook: https://rb.example/a" in first
            assert "Source: http://prometheus.example:9090/graph" in first
            assert re.search(r"Silence: http://\S+/#/silences/new\?filter=%7Balertname%3D%22"
                             r"Acked%22%7D", first)
            link = re.search(r"Aiko Sato (https://relay.example(/ack/\S+))", first)
            assert link is not None
            status, page = request(service.base + link.group(2), b"", token=None)
            assert status == 200 and b"acknowledged by Aiko Sato" in page
            am.fire("Escalates", {"team": "app"})
            wait_for(lambda: sre.count() >= 1, "the escalation at its timer")
            am.fire("Acked", {"team": "app"}, resolved=True)
            am.fire("Escalates", {"team": "app"}, resolved=True)
            wait_for(lambda: sre.count() >= 2 and sum(
                "[RESOLVED]" in t for t in chat.texts()) >= 2, "both resolves")
            assert service.terminate() == 0
    texts = chat.texts()
    acked = [t.splitlines()[0] for t in texts if "Acked" in t.splitlines()[0]]
    assert acked == [f"[FIRING:1] Acked {tag}", f"[ACKNOWLEDGED] Acked {tag}",
                     f"[RESOLVED] Acked {tag}"]
    assert not any("[ESCALATED] Acked" in t for t in texts + sre.texts())
    assert sre.texts()[0].startswith("[ESCALATED] Escalates #inc-")
    assert sre.texts()[1].startswith("[RESOLVED] Escalates #inc-")
    # The incident log (issue 23 point 6) tells the same lifecycle.
    logged = {i.title: i for i in read_incidents(tmp_path / "spool" / "incidents.log").incidents}
    assert sorted(logged) == ["Acked", "Escalates"]
    assert logged["Acked"].tag == tag and logged["Acked"].acked_by == "aiko"
    assert logged["Acked"].mentioned == ("aiko", "ken") and not logged["Acked"].escalations
    assert logged["Escalates"].escalations == 1 and logged["Escalates"].acked_by is None
    assert all(i.resolved_at is not None for i in logged.values())
