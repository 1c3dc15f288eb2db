"""/healthz tells the truth about delivery (issue 20, Deliver 2): a worker that died, or
one stuck on a message past STUCK_SECONDS, makes it 503 "unhealthy" with the reason.
In-process, with the delivery's own clock injected: stuck is decided on that clock, so
the test waits for nothing but the worker to reach the hang."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest

from oncall.core import alerts
from oncall.relay.config import load_config
from oncall.relay.delivery import STUCK_SECONDS, Delivery
from oncall.relay.logs import Log
from oncall.relay.metrics import Metrics
from oncall.relay.service import Relay
from oncall.relay.spool import Spool
from tests.helpers.daily import make_rotation
from tests.helpers.relay import notification, wait_for, write_config


class Clock:
    """Seconds as the delivery reads them; ``broken`` makes the workers' reads raise."""

    def __init__(self) -> None:
        self.now = time.time()
        self.broken = False

    def __call__(self) -> float:
        if self.broken and threading.current_thread().name.startswith("delivery"):
            raise RuntimeError("a bug in the worker")
        return self.now


class Hanging:
    """A rotation book whose read never returns until released (as a FIFO once did)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def get(self, rotation: str) -> object:
        self.entered.set()
        self.release.wait(120)
        raise RuntimeError("released")


def _relay(root: Path, monkeypatch: pytest.MonkeyPatch, book: object,
           clock: Clock) -> tuple[Relay, Delivery]:
    make_rotation(root)
    write_config(root)
    monkeypatch.setenv("APP_CHAT_URL", "http://127.0.0.1:9/hooks/secret")
    config = load_config(root / "relay.yaml")
    log = Log(io.StringIO())
    relay = Relay(config, None, log)
    spool = Spool(config.spool, config.max_messages, config.keep_sent)
    delivery = Delivery(config, spool, book, Metrics(lambda: spool.depth), log,  # type: ignore[arg-type]
                        None, clock)
    relay.delivery = delivery
    payload = notification()
    group = alerts.parse(payload, "alertmanager")
    record = {"v": 1, "key": group.dedupe_key(), "received_at": clock.now,
              "source": "alertmanager", "rotation": "app", "group": group.group_key,
              "payload": payload}
    spool.accept(record["key"], record)
    delivery.submit(record)
    return relay, delivery


def test_a_worker_stuck_past_the_deadline_makes_healthz_unhealthy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock, book = Clock(), Hanging()
    relay, delivery = _relay(tmp_path, monkeypatch, book, clock)
    delivery.start()
    try:
        assert book.entered.wait(60)
        assert relay.health().status == 200
        clock.now += STUCK_SECONDS + 1
        answer = relay.health()
    finally:
        book.release.set()
        delivery.stop(0)
    assert answer.status == 503 and answer.body["status"] == "unhealthy"
    assert "has been on message" in answer.body["problem"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_worker_makes_healthz_unhealthy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    relay, delivery = _relay(tmp_path, monkeypatch, Hanging(), clock)
    clock.now += 3600 * 24  # nothing is due before the clock breaks
    clock.broken = True
    delivery.start()
    with delivery._cond:
        delivery.wake()
    wait_for(lambda: not any(t.is_alive() for t in delivery._threads), "the workers to die")
    answer = relay.health()
    assert answer.status == 503 and "has died" in answer.body["problem"]
