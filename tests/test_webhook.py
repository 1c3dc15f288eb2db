"""Posting to a real local HTTP server: redirects are never followed, one deadline bounds
a post however slowly a server answers, bad URLs are input errors that never show the
secret path, credentials in the URL work, and server text is made safe for a terminal."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oncall.core.errors import DeliveryError, InputError
from oncall.io import webhook
from tests.helpers.cli import run_in_process as oncall

Answer = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def server(answer: Answer) -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A webhook on 127.0.0.1 that records each POST and lets ``answer`` reply."""
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append({"body": json.loads(self.rfile.read(length)),
                             "headers": dict(self.headers)})
            answer(self)

        def do_GET(self) -> None:
            received.append({"method": "GET"})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/services/T0/B0/SECRET", received
    finally:
        httpd.shutdown()
        httpd.server_close()


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def no_sleep(seconds: float) -> None:
    pass


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_says_where_to(status: int):
    with server(reply(status, headers={"Location": "http://elsewhere.example:8080/x/KEY"})) as (
        url, received
    ), pytest.raises(DeliveryError) as caught:
        webhook.post(url, {"text": "hello"}, sleep=no_sleep)
    message = str(caught.value)
    assert f"HTTP {status}" in message and "http://elsewhere.example:8080/…" in message
    assert "nothing was delivered" in message
    assert "SECRET" not in message and "KEY" not in message
    assert len(received) == 1 and "method" not in received[0]  # no GET was sent after it
    assert caught.value.exit_code == 4


@pytest.mark.slow  # waits for the real deadline
def test_a_server_that_drips_bytes_is_cut_off_by_the_one_deadline():
    def drip(handler: BaseHTTPRequestHandler) -> None:
        stop = threading.Event()
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                if stop.wait(0.4):
                    return
        except OSError:
            return

    with server(drip) as (url, received), pytest.raises(DeliveryError) as caught:
        # Each byte comes well within the per-read timeout; only the deadline can stop it.
        webhook.post(url, {"text": "hello"}, timeout=5, deadline=1.5, sleep=no_sleep)
    assert "no complete answer within 1.5 s" in str(caught.value)
    assert len(received) == 1


def test_the_deadline_leaves_no_retry_when_it_has_run_out():
    with server(reply(503, headers={"Retry-After": "10"})) as (url, received), \
            pytest.raises(DeliveryError) as caught:
        webhook.post(url, {"text": "hello"}, deadline=5, sleep=no_sleep)
    assert "no time left to retry" in str(caught.value)
    assert len(received) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/services/T0/B0/SE CRET",
        "https://hooks.example.com/services/T0/B0/SE\nCRET",
        "https://hooks.example.com:99999/services/SECRET",
        "https://hooks.example.com:abc/services/SECRET",
        "http://[::1/services/SECRET",
        "https://hooks.example.com:0/services/SECRET",
        "ftp://hooks.example.com/services/SECRET",
        "hooks.example.com/services/SECRET",
    ],
)
def test_a_malformed_url_is_an_input_error_that_hides_the_path(url: str):
    with pytest.raises(InputError) as caught:
        webhook.check_url(url)
    assert "SECRET" not in str(caught.value) and "CRET" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_credentials_in_the_url_are_sent_as_basic_auth_and_never_shown():
    with server(reply(200, b"ok")) as (url, received):
        webhook.post(url.replace("http://", "http://bot:p%40ss@"), {"text": "hello"})
    assert received[0]["headers"]["Authorization"] == "Basic Ym90OnBAc3M="  # bot:p@ss
    assert received[0]["body"] == {"text": "hello"}
    assert webhook.redact("https://bot:pw@hooks.example.com/x/SECRET") == (
        "https://hooks.example.com/…"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "Wed, 21 Oct 2015 07:28:00 GMT", "x"])
def test_an_unusable_retry_after_falls_back_to_the_usual_delay(value: str):
    slept: list[float] = []
    with server(reply(429, headers={"Retry-After": value})) as (url, received), \
            pytest.raises(DeliveryError) as caught:
        webhook.post(url, {"text": "hello"}, retry_delay=0.25, sleep=slept.append)
    assert slept == [0.25] and len(received) == 2
    assert "tried twice" in str(caught.value)


def test_a_server_error_body_reaches_the_message_without_escapes():
    body = b"\x1b]0;owned\x07\x1b[31minvalid\x1b[0m\r\nOn call today: mallory" + b"x" * 500
    with server(reply(400, body)) as (url, _), pytest.raises(DeliveryError) as caught:
        webhook.post(url, {"text": "hello"})
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert "invalid" in message and message.endswith("…")


def test_a_refused_connection_is_tried_twice():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError) as caught:
        webhook.post(f"http://127.0.0.1:{port}/hook/SECRET", {"text": "hello"}, sleep=no_sleep)
    assert "connection refused" in str(caught.value) and "tried twice" in str(caught.value)


def test_the_url_comes_from_a_file_or_a_variable_as_well(tmp_path, monkeypatch):
    secret = tmp_path / "webhook"
    secret.write_text("\nhttps://hooks.example.com/services/T0/B0/SECRET\n", encoding="utf-8")
    assert webhook.webhook_url(None, secret, None).endswith("/SECRET")
    monkeypatch.setenv("ONCALL_WEBHOOK_URL", "https://hooks.example.com/x/SECRET")
    assert webhook.webhook_url(None, None, "ONCALL_WEBHOOK_URL").endswith("/x/SECRET")
    assert webhook.webhook_url("https://h.example/y", None, None) == "https://h.example/y"


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("two", "--post and --post-url-env each name a webhook"),
        ("unset", "ONCALL_WEBHOOK_URL is not set"),
        ("empty", "ONCALL_WEBHOOK_URL is empty"),
        ("bad-file", "--post-url-file"),
        ("missing-file", "file not found"),
    ],
)
def test_a_missing_or_doubled_url_source_is_an_input_error(tmp_path, monkeypatch, setup, expected):
    monkeypatch.delenv("ONCALL_WEBHOOK_URL", raising=False)
    url, file, env = None, None, "ONCALL_WEBHOOK_URL"
    if setup == "two":
        url = "https://h.example/SECRET"
    elif setup == "empty":
        monkeypatch.setenv("ONCALL_WEBHOOK_URL", " ")
    elif setup in ("bad-file", "missing-file"):
        env, file = None, tmp_path / "webhook"
        if setup == "bad-file":
            file.write_text("not a url SECRET\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        webhook.webhook_url(url, file, env)
    assert expected in str(caught.value) and "SECRET" not in str(caught.value)


ROTATION = """\
rotation: pairs
timezone: Asia/Tokyo
window: {start: "10:00", end: "17:00"}
shift: {length: 1w, people: 1}
term: {start: 2027-01-04, end: 2027-01-29}
members:
  - {handle: aiko, name: Aiko Sato, team: payments}
"""


@pytest.mark.parametrize("source", ["env", "file"])
def test_remind_posts_to_the_url_from_a_variable_or_a_file(tmp_path, source):
    (tmp_path / "rotations").mkdir()
    (tmp_path / "rotations" / "pairs.yaml").write_text(ROTATION, encoding="utf-8")
    assert oncall("plan", "--now", "2026-12-01T09:00", cwd=tmp_path).returncode == 0
    with server(reply(200, b"ok")) as (url, received):
        if source == "env":
            args, env = ("--post-url-env", "ONCALL_WEBHOOK_URL"), {"ONCALL_WEBHOOK_URL": url}
        else:
            (tmp_path / "webhook").write_text(url + "\n", encoding="utf-8")
            args, env = ("--post-url-file", "webhook"), {}
        result = oncall("remind", *args, "--now", "2027-01-05T10:00", cwd=tmp_path, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert "Aiko Sato" in received[0]["body"]["text"]
