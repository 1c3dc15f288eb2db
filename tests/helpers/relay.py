"""The alert relay's test bench: a chat server that records, the relay as a real process,
a real Alertmanager, and requests to them.

Everything listens on 127.0.0.1 on a port the OS picks; the relay is started with
``--listen 127.0.0.1:0`` and says its port in its first JSON log line. Waiting is by
polling for a count of work done (messages received, lines logged), never by timing.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOKEN = "relay-test-token-0123456789"
WAIT_SECONDS = 120.0
# Run the relay process from another checkout's src/ (bench/relay_load.py --against, and
# checking that a regression test fails on the code before its fix); None: this one.
RELAY_SOURCE = os.environ.get("ONCALL_RELAY_SOURCE")


def wait_for(check: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Poll ``check`` until true; fail saying ``what`` did not happen (a generous limit
    for a busy machine: a test fails on a count, not on speed)."""
    ends = time.monotonic() + timeout
    while not check():
        if time.monotonic() > ends:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.05)


class ChatServer:
    """A chat webhook on 127.0.0.1 recording each JSON body it is sent; ``down()`` stops
    listening (connection refused, as a dead chat service), ``up()`` listens again."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []  # each post's path and query, in the same order
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/SECRET-PATH"

    def texts(self) -> list[str]:
        with self._lock:
            return [_text_of(body) for body in self.received]

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def up(self) -> None:
        received, paths, lock = self.received, self.paths, self._lock

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    received.append(body)
                    paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        httpd.daemon_threads = True
        self.port = httpd.server_port
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
        self._httpd = httpd

    def down(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


def _text_of(body: dict[str, Any]) -> str:
    if "text" in body:
        return str(body["text"])
    if "content" in body:
        return str(body["content"])
    blocks = body["attachments"][0]["content"]["body"]
    return "\n".join(block["text"] for block in blocks)


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    try:
        yield server
    finally:
        server.down()


def write_config(root: Path, *, extra: str = "", routes: str = "") -> Path:
    """``root/relay.yaml`` sending everything to rotation ``app`` (rotations/app.yaml)."""
    path = root / "relay.yaml"
    path.write_text(
        "rotations:\n"
        "  - file: rotations/app.yaml\n"
        "    webhook_url_env: APP_CHAT_URL\n"
        f"{routes}"
        "default: app\n"
        "spool:\n"
        "  directory: spool\n"
        "delivery:\n"
        "  first_retry_seconds: 1\n"
        "  max_retry_seconds: 2\n"
        f"{extra}",
        encoding="utf-8",
    )
    return path


class Relay:
    """`oncall relay` as a real process; its stderr (JSON lines) goes to a file."""

    def __init__(self, root: Path, chat_url: str, now: str | None, args: tuple[str, ...],
                 src: str | None = None, env: dict[str, str] | None = None):
        self.root = root
        self.log_path = root / f"relay-{time.monotonic_ns()}.log"
        env = {**os.environ, "APP_CHAT_URL": chat_url, "RELAY_TOKEN": TOKEN, **(env or {})}
        source = src or RELAY_SOURCE
        if source is not None:
            env["PYTHONPATH"] = str(source)
        command = [sys.executable, "-m", "oncall", "relay", "--config", "relay.yaml",
                   "--listen", "127.0.0.1:0", "--token-env", "RELAY_TOKEN", *args]
        if now is not None:
            command += ["--now", now]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=self._log
        )
        try:
            wait_for(lambda: self.events("listening") or self.process.poll() is not None,
                     "the relay to listen")
        except AssertionError:
            self.kill()  # never leave a relay behind a failed start
            raise
        started = self.events("listening")
        if not started:
            self.kill()
            raise AssertionError(f"the relay did not start:\n{self.log_path.read_text()}")
        self.port = int(started[0]["port"])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        found = [json.loads(line) for line in lines if line.startswith("{")]
        return [e for e in found if name is None or e["event"] == name]

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self._log.close()
        return code

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=60)
        self._log.close()


@contextmanager
def relay(root: Path, chat_url: str, now: str | None = None,
          *args: str, src: str | None = None,
          env: dict[str, str] | None = None) -> Iterator[Relay]:
    started = Relay(root, chat_url, now, args, src, env)
    try:
        yield started
    finally:
        if started.process.poll() is None:
            started.kill()


def request(url: str, body: bytes | None = None, token: str | None = TOKEN,
            headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request; (status, body) whatever the status."""
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        sent.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=body, headers=sent,
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def notification(
    name: str = "HighErrorRate",
    status: str = "firing",
    *,
    labels: dict[str, str] | None = None,
    fingerprint: str | None = None,
    starts_at: str = "2027-01-05T01:00:00Z",
    summary: str = "Error rate above 5%",
) -> dict[str, Any]:
    """An Alertmanager webhook body (version 4) with one alert."""
    alert_labels = {"alertname": name, "team": "app", **(labels or {})}
    return {
        "version": "4",
        "groupKey": '{}:{alertname="' + name + '"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "relay",
        "groupLabels": {"alertname": name},
        "commonLabels": alert_labels,
        "commonAnnotations": {"summary": summary},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [
            {
                "status": status,
                "labels": alert_labels,
                "annotations": {"summary": summary},
                "startsAt": starts_at,
                "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else starts_at,
                "generatorURL": "http://prometheus.example:9090/graph",
                "fingerprint": fingerprint or hashlib.sha256(name.encode()).hexdigest()[:16],
            }
        ],
    }


class Alertmanager:
    """A real Prometheus Alertmanager on 127.0.0.1 with clustering off, sending every
    alert group to the relay's webhook with the bearer token, resolved ones too."""

    def __init__(self, program: str, root: Path, relay_url: str) -> None:
        folder = root / "alertmanager"
        folder.mkdir()
        (folder / "token").write_text(TOKEN + "\n", encoding="utf-8")
        (folder / "alertmanager.yml").write_text(
            "route:\n"
            "  receiver: relay\n"
            "  group_by: [alertname]\n"
            "  group_wait: 1s\n"
            "  group_interval: 1s\n"
            "  repeat_interval: 1h\n"
            "receivers:\n"
            "  - name: relay\n"
            "    webhook_configs:\n"
            f"      - url: {relay_url}/alertmanager\n"
            "        send_resolved: true\n"
            "        http_config:\n"
            "          authorization:\n"
            "            type: Bearer\n"
            f"            credentials_file: {folder / 'token'}\n",
            encoding="utf-8",
        )
        self.port = free_port()
        self.log_path = folder / "alertmanager.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [program, f"--config.file={folder / 'alertmanager.yml'}",
             f"--storage.path={folder / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}",
             "--cluster.listen-address=", "--log.level=debug"],
            stdout=subprocess.DEVNULL, stderr=self._log,
        )
        wait_for(self._ready, "Alertmanager to be ready")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Alertmanager exited:\n{self.log_path.read_text()}")
        try:
            return request(self.base + "/-/ready", token=None)[0] == 200
        except OSError:
            return False

    def fire(self, name: str, labels: dict[str, str], *, resolved: bool = False,
             annotations: dict[str, str] | None = None) -> None:
        """Post one alert to the v2 API (its start is the clock's); ``resolved`` posts it
        again with its end a second ago."""
        alert: dict[str, Any] = {
            "labels": {"alertname": name, **labels},
            "annotations": {"summary": f"{name} is firing", **(annotations or {})},
            "generatorURL": "http://prometheus.example:9090/graph",
        }
        if resolved:
            ended = datetime.now(UTC) - timedelta(seconds=1)
            alert["endsAt"] = ended.isoformat().replace("+00:00", "Z")
        status, body = request(self.base + "/api/v2/alerts", json.dumps([alert]).encode(),
                               token=None)
        assert status == 200, body

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextmanager
def alertmanager(program: str, root: Path, relay_url: str) -> Iterator[Alertmanager]:
    started = Alertmanager(program, root, relay_url)
    try:
        yield started
    finally:
        started.stop()
