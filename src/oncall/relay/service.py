"""`oncall relay`: read the config, open the rotations and the spool, serve until SIGTERM.

Everything a person can get wrong (config, rotation files, token, --listen, --now) is
checked before the port opens, as an ``InputError`` (exit 2). After that the service logs
instead of failing: an alert is accepted into the spool or refused with a status code,
and delivered or moved to ``failed/`` by the workers. The HTTP side runs on an asyncio
loop in the main thread; delivery, the spool writes and the log have threads of their
own. On SIGTERM (or SIGINT) it stops accepting, lets the requests in flight finish for up
to 5 s, closes every connection, posts what is due, and exits 0 within ``DRAIN_SECONDS``;
what is left waits in the spool for the next start.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

from oncall.core.alerts import AlertGroup
from oncall.core.clock import Clock
from oncall.core.errors import InputError
from oncall.io.files import read_text
from oncall.relay import spool as spooling
from oncall.relay.ack import Acks
from oncall.relay.config import RelayConfig, load_config
from oncall.relay.delivery import Delivery
from oncall.relay.escalation import Escalator, Timers
from oncall.relay.http import SHUTDOWN_SECONDS, Answer, RelayHTTPServer
from oncall.relay.incident_log import IncidentLog
from oncall.relay.logs import Log
from oncall.relay.metrics import CONTENT_TYPE, Metrics
from oncall.relay.rotations import RotationBook
from oncall.relay.slack_command import SlackCommands

DEFAULT_LISTEN = "127.0.0.1:9095"
DRAIN_SECONDS = 10.0
FILES_BESIDE_CONNECTIONS = 64


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6); port 0 picks a free one (logged)."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise InputError(
            f"--listen: found {value!r}, expected HOST:PORT such as {DEFAULT_LISTEN}"
        )
    return host, int(port)


def read_token(token_env: str | None, token_file: Path | None) -> bytes:
    """The shared secret senders must present, from exactly one of the two places."""
    if (token_env is None) == (token_file is None):
        raise InputError(
            "give the bearer token with exactly one of --token-env NAME and --token-file PATH",
            hint="senders must prove they are Alertmanager or Grafana; see docs/relay.md",
        )
    if token_env is not None:
        value = os.environ.get(token_env, "").strip()
        if not value:
            state = "empty" if token_env in os.environ else "not set"
            raise InputError(f"--token-env: the environment variable {token_env} is {state}")
    else:
        assert token_file is not None
        value = read_text(token_file, max_bytes=4096).strip()
    if len(value) < 16:
        raise InputError("the bearer token is shorter than 16 characters",
                         hint="generate one: python3 -c 'import secrets; "
                         "print(secrets.token_urlsafe(32))'")
    return value.encode("utf-8")


def _open_files_for(config: RelayConfig) -> None:
    """Raise the open-file limit to what ``max_connections`` needs (a socket each, and
    room for the spool, the pool and the logs), or refuse to start."""
    import resource

    need = config.max_connections + FILES_BESIDE_CONNECTIONS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            raise config.top.error(
                "max_connections", f"found {config.max_connections}, which needs {need} "
                f"open files; this process may open at most {hard}",
                hint="lower max_connections, or raise LimitNOFILE= in the systemd unit",
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


class Relay:
    """The running service's parts, and what the HTTP handler asks of them."""

    def __init__(self, config: RelayConfig, now: Clock | None, log: Log) -> None:
        from oncall.core.calendar import days_off  # the holiday tables: a service can wait

        self.config = config
        self.log = log
        self.metrics = Metrics(lambda: self.spool.depth)
        log.on_error = self.metrics.log_errors.inc
        # The rotations first: a broken one stops the start before the spool's folders
        # are made, so a refused start writes nothing.
        self.book = RotationBook(
            {rotation: target.path for rotation, target in config.targets.items()},
            days_off, self._reloaded,
        )
        self.spool = spooling.Spool(
            config.spool, config.max_messages, config.keep_sent,
            lambda message: config.top["spool"].error("directory", message),
        )
        self.delivery = Delivery(config, self.spool, self.book, self.metrics, log, now)
        self.timers = Timers(config.spool, self.delivery.offset, config.max_messages)
        self.delivery.timers = self.timers
        self.delivery.enqueue = self.enqueue
        self.escalator = Escalator(self.timers, lambda rotation: self.book.get(rotation).steps,
                                   self.enqueue, log)
        self.acks = None if config.ack_secret is None else Acks(
            config.ack_secret, self.timers, self.delivery.offset, self.enqueue, self._name,
            log, time.time)
        self.slack = None if self.acks is None or config.slack_secret is None else \
            SlackCommands(config.slack_secret, self.acks, self._member, log, time.time)
        self.incidents = IncidentLog(config.incident_log, config.incident_log_bytes, log)
        self.delivery.incidents = self.escalator.incidents = self.incidents
        if self.acks is not None:
            self.acks.incidents = self.incidents
        self.accepting = True

    def _member(self, rotation: str, slack_id: str) -> str | None:
        members = self.book.get(rotation).opened.rotation.members
        return next((m.handle for m in members
                     if slack_id and m.chat_id("slack") == slack_id), None)

    def _name(self, rotation: str, handle: str) -> str:
        member = self.book.get(rotation).opened.rotation.by_handle.get(handle)
        return member.name if member is not None else handle

    def enqueue(self, record: dict[str, Any]) -> bool:
        """Put a message of an incident's lifecycle in the spool and queue it (a duplicate
        of one already there is not queued again); False when the spool is full."""
        try:
            result = self.spool.accept(record["key"], record)
        except spooling.SpoolFull:
            return False
        if result == spooling.ACCEPTED:
            self.delivery.submit(record)
        return True

    def _reloaded(self, rotation: str, error: InputError | None) -> None:
        if error is None:
            self.log("reloaded", rotation=rotation)
        else:
            self.metrics.reload_errors.labels(rotation).inc()
            self.log("reload_failed", "error", rotation=rotation, error=str(error),
                     note="the last good version stays in use")

    def accept(self, source: str, payload: Any, group: AlertGroup) -> Answer:
        if not self.accepting:
            self.metrics.rejected.labels("stopping").inc()
            return Answer(503, {"error": "the relay is stopping; send again"}, 5)
        rotation = self.config.route(group.common_labels)
        key = group.dedupe_key()
        record = {
            "v": 1, "key": key, "received_at": time.time(), "source": source,
            "rotation": rotation, "group": group.group_key, "payload": payload,
        }
        try:
            result = self.spool.accept(key, record)
        except spooling.SpoolFull:
            self.metrics.rejected.labels("spool_full").inc()
            self.log("spool_full", "warning", depth=self.spool.depth)
            return Answer(503, {"error": "the spool is full; send again later"}, 30)
        except OSError as exc:
            self.metrics.rejected.labels("spool_error").inc()
            self.log("spool_error", "error", error=exc.strerror or str(exc))
            return Answer(503, {"error": "the spool cannot be written; send again later"}, 30)
        if result == spooling.DUPLICATE:
            self.metrics.duplicates.labels(source).inc()
            self.log("duplicate", id=key, source=source, rotation=rotation)
            return Answer(200, {"status": "duplicate", "id": key})
        self.delivery.submit(record)  # first: whatever happens to the log, it is posted
        self.metrics.received.labels(source).inc()
        self.log("accepted", id=key, source=source, rotation=rotation, status=group.status,
                 alerts=len(group.alerts))
        return Answer(202, {"status": "accepted", "id": key})

    def health(self) -> Answer:
        if not self.accepting:
            return Answer(503, {"status": "stopping", "spool_depth": self.spool.depth})
        problem = self.delivery.problem()
        if problem is not None:
            return Answer(503, {"status": "unhealthy", "spool_depth": self.spool.depth,
                                "problem": problem})
        return Answer(200, {"status": "ok", "spool_depth": self.spool.depth})

    def reject(self, reason: str) -> None:
        self.metrics.rejected.labels(reason).inc()
        self.log("rejected", "warning", reason=reason)


def serve(
    listen: str,
    config_path: Path,
    *,
    token_env: str | None,
    token_file: Path | None,
    now: str | None = None,
) -> None:
    """Run the relay until SIGTERM or SIGINT."""
    address = parse_listen(listen)
    token = read_token(token_env, token_file)
    log = Log()
    config = load_config(config_path)
    _open_files_for(config)  # before the spool is created: a refusal leaves no trace
    relay = Relay(config, Clock.parse(now) if now is not None else None, log)
    server = RelayHTTPServer(
        address, token, relay.config.max_body, relay.accept, relay.health,
        lambda: (relay.metrics.page(), CONTENT_TYPE), relay.reject, config.max_connections,
        relay.acks.handle if relay.acks is not None else None,
        relay.slack.run if relay.slack is not None else None,
    )
    asyncio.run(_run(relay, server, listen, now))


async def _run(relay: Relay, server: RelayHTTPServer, listen: str, now: str | None) -> None:
    """Listen, deliver, and on SIGTERM drain within ``DRAIN_SECONDS`` (the requests in
    flight first, then what is due), then return."""
    try:
        await server.start()
    except OSError as exc:
        raise InputError(f"--listen {listen}: cannot listen: {exc.strerror or exc}") from None
    log = relay.log
    waiting = relay.spool.waiting()
    for name, reason in relay.spool.set_aside:
        relay.metrics.unreadable.inc()
        log("unreadable", "error", file=name, reason=reason, note="moved to failed/")
    for name, reason in relay.timers.unreadable:
        relay.metrics.unreadable.inc()
        log("unreadable", "error", file=f"timers/{name}", reason=reason, note="left in place")
    for record in waiting:
        relay.delivery.submit(record)
    relay.delivery.start()
    relay.escalator.start()
    stopped = asyncio.Event()
    signals: list[str] = []

    def stop(signum: int) -> None:
        if not signals:
            relay.accepting = False
            signals.append(signal.Signals(signum).name)
            stopped.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)
    host, port = server.server_address
    log("listening", host=host, port=port, rotations=sorted(relay.config.targets),
        spool=str(relay.config.spool), waiting=len(waiting), timers=relay.timers.count,
        now=now)
    await stopped.wait()
    log("stopping", signal=signals[0])
    ends = time.monotonic() + DRAIN_SECONDS
    await server.stop(min(SHUTDOWN_SECONDS, DRAIN_SECONDS / 2))
    await loop.run_in_executor(None, relay.escalator.stop)
    await loop.run_in_executor(
        None, relay.delivery.stop, max(0.0, ends - time.monotonic())
    )
    log("stopped", waiting=relay.spool.depth)
    log.close()
