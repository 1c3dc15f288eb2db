"""The relay with the real sender: Prometheus Alertmanager (Debian package
prometheus-alertmanager) started on 127.0.0.1 with a generated config, alerts fired
through its v2 API, the relay as a real process and a local chat server recording what
arrives. Inside the window the primaries on duty are mentioned; outside, nobody is, and
the fallback is named; a resolved alert is posted as resolved; a swap recorded with
`oncall swap` is used by the next alert without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import alertmanager, chat_server, relay, wait_for, write_config
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
