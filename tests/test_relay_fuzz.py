"""Fuzzing the relay (issue 20, Deliver 8): whatever a sender sends, the relay answers a
status (never a 5xx, never a dropped connection after a whole request), and whatever it
answers 2xx can be spooled and read back at every later start.

The body properties run in-process on the code that decides (``bodies.decode``,
``alerts.parse``, the spool's reader); the header and framing properties run against a
real relay process on 127.0.0.1, which must still accept and post a good alert after
every drawn request.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.core import alerts
from oncall.relay import bodies
from oncall.relay.spool import Spool
from tests.helpers.daily import make_rotation
from tests.helpers.relay import (
    TOKEN,
    chat_server,
    notification,
    relay,
    request,
    wait_for,
    write_config,
)

INSIDE = "2027-01-05T11:00"

texts = st.text(st.characters(codec=None, categories=None), max_size=12) | st.sampled_from(
    ["\ud800", "\udfff x", "firing", "resolved", "4", "", "a" * 5000])
numbers = (st.integers(-(10**40), 10**40) | st.floats(allow_nan=True, allow_infinity=True)
           | st.integers(-5, 5))
scalars = st.none() | st.booleans() | numbers | texts
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(texts, inner, max_size=4), max_leaves=20)


def _serialise(value: Any) -> bytes:
    """JSON text as a sender could write it: lone surrogates escaped, NaN and 1e999 as
    Python writes them (not JSON, but what a careless sender sends)."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def _spoolable(value: Any, tmp: Path) -> None:
    """What ``accept`` does with an accepted body, then what a restart does with it."""
    group = alerts.parse(value, "alertmanager")
    spool = Spool(tmp, 100, 60)
    record = {"v": 1, "key": group.dedupe_key(), "received_at": 1.8e9 - 1e8,
              "source": "alertmanager", "rotation": "app", "group": group.group_key,
              "payload": value}
    spool.accept(record["key"], record)
    waiting = spool.waiting()
    assert spool.set_aside == [] and [r["key"] for r in waiting] == [record["key"]]
    assert spool.load(record["key"]) == json.loads(json.dumps(record))


def _mutate(base: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    """``base`` with the value at ``path`` (as far as it exists) replaced."""
    copy = json.loads(json.dumps(base))
    node: Any = copy
    for step in path[:-1]:
        inside_dict = isinstance(node, dict) and step in node
        inside_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if inside_dict or inside_list:
            node = node[step]
        else:
            break
    last = path[-1]
    if isinstance(node, dict):
        node[str(last)] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    return copy


PATHS = st.sampled_from([
    ["version"], ["status"], ["alerts"], ["alerts", 0], ["alerts", 0, "labels"],
    ["alerts", 0, "labels", "alertname"], ["alerts", 0, "status"], ["commonLabels"],
    ["commonLabels", "team"], ["groupKey"], ["alerts", 0, "annotations", "summary"],
    ["alerts", 0, "fingerprint"], ["alerts", 0, "startsAt"], ["groupLabels"], ["extra"],
])


@settings(max_examples=300)
@given(value=json_values)
def test_any_json_is_refused_with_a_reason_or_can_be_spooled_and_read_back(
    value: Any, tmp_path_factory: Any
) -> None:
    _decide(_serialise(value), tmp_path_factory)


@settings(max_examples=300)
@given(path=PATHS, value=json_values)
def test_any_notification_with_one_field_changed_is_refused_or_read_back(
    path: list[str | int], value: Any, tmp_path_factory: Any
) -> None:
    _decide(_serialise(_mutate(notification(), path, value)), tmp_path_factory)


@settings(max_examples=300)
@given(data=st.binary(max_size=300) | st.builds(
    lambda cut, junk: json.dumps(notification()).encode()[:cut] + junk,
    st.integers(0, 800), st.binary(max_size=20)))
def test_any_bytes_are_refused_with_a_reason_or_read_back(
    data: bytes, tmp_path_factory: Any
) -> None:
    _decide(data, tmp_path_factory)


def _decide(data: bytes, tmp_path_factory: Any) -> None:
    try:
        value = bodies.decode(data)
    except bodies.Refused as exc:
        assert str(exc)
        return
    try:
        alerts.parse(value, "alertmanager")
    except alerts.BadPayload as exc:
        assert str(exc)
        return
    _spoolable(value, tmp_path_factory.mktemp("spool") / "spool")


header_names = st.sampled_from([b"Content-Length", b"Transfer-Encoding", b"Authorization",
                                b"Content-Type", b"Connection", b"Expect", b"Host",
                                b"Content-Encoding", b"X-A"]) | st.binary(min_size=1,
                                                                          max_size=12)
header_values = st.sampled_from([b"0", b"+5", b"-1", b"5, 5", b"chunked", b"gzip",
                                 b"Bearer " + TOKEN.encode(), b"Bearer x", b"close",
                                 b"100-continue", b"99999999999999999999", b"\xff\xfe",
                                 b" 12 "]) | st.binary(max_size=20)
requests = st.builds(
    lambda method, path, headers, body: (
        method + b" " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        + b"\r\n" + body),
    st.sampled_from([b"POST", b"GET", b"PUT", b"HEAD", b"P\x00ST", b"OPTIONS"]),
    st.sampled_from([b"/alertmanager", b"/grafana", b"/healthz", b"/metrics", b"/x",
                     b"/alertmanager?x=1", b"*", b"/%00", b"//alertmanager"]),
    st.lists(st.tuples(header_names, header_values), max_size=6),
    st.binary(max_size=64) | st.just(json.dumps(notification()).encode()),
)


def _answer_status(port: int, data: bytes) -> int | None:
    """The status of the first answer, or None if the server closed without one (only
    acceptable for a request it never saw end)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
            # No half-close: aiohttp (3.14) drops a request whose sender shut its side, as
            # no real sender does. A request still incomplete after a second is one the
            # server is waiting to see end (its header and body deadlines close it later).
            sock.settimeout(1.0)
            answer = sock.recv(65536)
        except TimeoutError:
            return None
        except (ConnectionResetError, BrokenPipeError):
            return None
    if not answer:
        return None
    parts = answer.split(b" ", 2)
    assert parts[0] in (b"HTTP/1.0", b"HTTP/1.1"), answer[:80]
    return int(parts[1])


@pytest.mark.slow  # up to a second a drawn request that never ends
def test_any_request_line_headers_and_framing_get_a_status_never_a_5xx(
    tmp_path: Path,
) -> None:
    make_rotation(tmp_path)
    write_config(tmp_path)
    statuses: list[int | None] = []
    with chat_server() as chat, relay(tmp_path, chat.url, INSIDE) as service:

        @settings(max_examples=120, database=None, deadline=None)
        @given(data=requests)
        def send(data: bytes) -> None:
            status = _answer_status(service.port, data)
            statuses.append(status)
            assert status is None or status < 500 or status in (501, 503), (status, data)

        send()
        good = json.dumps(notification(name="AfterFuzz")).encode()
        assert request(service.base + "/alertmanager", good)[0] in (200, 202)
        wait_for(lambda: any("AfterFuzz" in t for t in chat.texts()), "the alert after")
        assert service.process.poll() is None
        assert service.terminate() == 0
    events = service.events()
    assert not [e for e in events if e["event"] in ("delivery_bug", "worker_died")]
    assert any(s is not None for s in statuses)
