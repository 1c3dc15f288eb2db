"""Issue 23 point 4: while the rotation's chat fails, messages go to the backup chat,
marked, and return once the chat answers again; a message is posted to both only when
the chat's answer never came (the request was sent: it may have posted it), and the log
says so. The relay is a real process; the chats are local servers."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

from tests.helpers.cli import run_in_process as oncall
from tests.helpers.daily import make_rotation
from tests.helpers.relay import (
    chat_server,
    notification,
    relay,
    request,
    wait_for,
    write_config,
)

INSIDE = "2027-01-05T11:00"
BACKUP = "    backup_webhook_url_env: BACKUP_CHAT_URL\n    failover_after_seconds: 1\n"


def _setup(root: Path, extra: str = "") -> None:
    make_rotation(root)
    path = write_config(root, extra=extra)
    path.write_text(path.read_text().replace("    webhook_url_env: APP_CHAT_URL\n",
                                             "    webhook_url_env: APP_CHAT_URL\n" + BACKUP))


def _post(base: str, name: str) -> None:
    body = json.dumps(notification(name=name, status="resolved")).encode()
    assert request(base + "/alertmanager", body)[0] == 202


def _names(texts: list[str]) -> list[str]:
    return [text.split()[1] for text in texts]


def test_failover_to_the_backup_and_back(tmp_path: Path) -> None:
    _setup(tmp_path)
    with chat_server() as chat, chat_server() as backup:
        chat.down()
        with relay(tmp_path, chat.url, INSIDE, env={"BACKUP_CHAT_URL": backup.url}) as service:
            _post(service.base, "First")
            wait_for(lambda: backup.count() == 1, "the first message, on the backup")
            _post(service.base, "Second")
            wait_for(lambda: backup.count() == 2, "the next one, straight to the backup")
            chat.up()
            for index in range(300):  # until the probe's turn comes (every 2 s)
                _post(service.base, f"Probe{index}")
                wait_for(lambda: chat.count() + backup.count() == 3 + index,  # noqa: B023
                         "the probe")
                if chat.count():
                    break
                time.sleep(0.1)  # a pace, not a wait for anything
            _post(service.base, "After")
            wait_for(lambda: chat.count() == 2, "the one after, on the chat again")
            assert service.terminate() == 0
    assert backup.texts()[0].endswith(
        "(Posted to the backup chat: the main chat has failed since 11:00.)")
    assert _names(backup.texts())[:2] == ["First", "Second"]
    assert _names(chat.texts())[-1] == "After"
    assert "Posted to the backup" not in "".join(chat.texts())
    assert not set(_names(chat.texts())) & set(_names(backup.texts()))  # never both
    assert service.events("primary_back")
    assert all(not e["outcome_unknown"] for e in service.events("failover"))


class _Silent:
    """A chat that reads the whole request, keeps it, and never answers."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._held.append(conn)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            while len(body) < length:
                body += conn.recv(65536)
            self.received.append(body)

    def close(self) -> None:
        self._sock.close()
        for conn in self._held:
            conn.close()


def test_a_post_whose_answer_never_came_is_the_one_posted_to_both(tmp_path: Path) -> None:
    _setup(tmp_path, extra="  deadline_seconds: 5\n")
    silent = _Silent()
    try:
        with chat_server() as backup, relay(tmp_path, f"http://127.0.0.1:{silent.port}/hook",
                                            INSIDE, env={"BACKUP_CHAT_URL": backup.url}) as service:
            _post(service.base, "Maybe")
            wait_for(lambda: backup.count() == 1, "the message on the backup")
            assert service.terminate() == 0
    finally:
        silent.close()
    assert len(silent.received) == 1 and b"Maybe" in silent.received[0]  # it has it too
    assert _names(backup.texts()) == ["Maybe"]
    failover, = service.events("failover")
    assert failover["outcome_unknown"] is True
    assert "may have posted it too" in failover["note"]


def test_a_backup_equal_to_the_chat_stops_the_start(tmp_path: Path) -> None:
    _setup(tmp_path)
    url = "https://hooks.slack.com/services/T0/B0/SECRET"
    result = oncall("relay", "--config", str(tmp_path / "relay.yaml"), "--token-env",
                    "RELAY_TOKEN", env={"RELAY_TOKEN": "x" * 20, "APP_CHAT_URL": url,
                                        "BACKUP_CHAT_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"oncall: {tmp_path / 'relay.yaml'}:4:29: rotations[0].backup_webhook_url_env: found "
        "the same webhook URL as the first chat, expected another chat's"), result.stderr
    assert "SECRET" not in result.stderr
