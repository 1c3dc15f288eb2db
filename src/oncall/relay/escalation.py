"""Escalation timers: an incident nobody acknowledged or resolved in time is escalated.

When a firing group is posted mentioning the people on duty and its rotation has
``escalation.after`` steps, a timer is armed in ``spool/timers/<incident>.json`` (written
to a temporary file, fsynced, renamed, the directory fsynced: a kill -9 leaves the old
file or the new one) before the message is marked delivered. The timer is due ``after``
seconds from when the alert was accepted, on the relay's clock (the system clock, or
``--now`` moving on from the moment the relay started), so a chat outage does not delay it
and a restart with a later ``--now`` finds it due.

A due timer does not post anything itself: it puts the step's messages into the spool
under keys made from the incident, when it was opened and the step (one note for the
incident's own chat, mentioning ``escalation_group``; one page for the step's target),
then moves the timer on to the next step. A kill -9 between the two finds the timer due
again at the next start, and the spool answers "duplicate" for the same keys: each step
is put in the spool once, and posted once (or, like every message, again after a kill -9
in the instant after its post and before it was marked delivered). A resolve or an
acknowledgement removes the timer; a resolve after a step fired also resolves the step's
target (PagerDuty ``resolve``, or the resolved message in the other chat). Outside the
window no timer is armed: the message names the fallback, as it always did.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oncall.core.errors import InputError, Mark
from oncall.core.model import EscalationStep, Rotation
from oncall.io.webhook import check_url
from oncall.relay.incident_log import IncidentLog
from oncall.relay.logs import Log

TIMERS = "timers"
LONGEST_WAIT_SECONDS = 60.0
FULL_RETRY_SECONDS = 5.0


class StepTarget:
    """A step's target with its secret read: a chat webhook URL, or PagerDuty's URL and
    routing key (never logged)."""

    __slots__ = ("after", "kind", "routing_key", "url")

    def __init__(self, after: int, kind: str, url: str, routing_key: str = "") -> None:
        self.after = after
        self.kind = kind
        self.url = url
        self.routing_key = routing_key


def targets(rotation: Rotation) -> tuple[StepTarget, ...]:
    """Each step's target, its secret read from the environment; an ``InputError`` at
    the step's key when the variable is unset or empty, or the URL is not one."""
    return tuple(_target(step) for step in rotation.escalation_steps)


def _target(step: EscalationStep) -> StepTarget:
    name = step.webhook_url_env or step.pagerduty_routing_key_env or ""
    mark = Mark(*step.where)
    value = os.environ.get(name, "").strip()
    if not value:
        state = "empty" if name in os.environ else "not set"
        raise InputError(f"the environment variable {name} is {state}", mark=mark,
                         path=step.key, hint=f"oncall relay reads the step's secret from "
                         f"{name}; set it in the relay's environment (EnvironmentFile=)")
    if step.webhook_url_env:
        return StepTarget(step.after_seconds, "webhook", check_url(value, f"{step.key} {name}"))
    return StepTarget(step.after_seconds, "pagerduty",
                      check_url(step.pagerduty_url, f"{step.key} pagerduty_url"), value)


def incident_key(rotation: str, group: str) -> str:
    return hashlib.sha256(f"{rotation}\0{group}".encode()).hexdigest()[:32]


def message_key(timer: dict[str, Any], kind: str, step: int) -> str:
    """The same for the same step of the same incident, so putting it twice is a duplicate."""
    blob = json.dumps([timer["key"], timer["opened"], kind, step])
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class Timers:
    """The timer files in ``spool/timers/`` and a heap of when each is due (wall clock)."""

    def __init__(self, directory: Path, offset: Callable[[str], float],
                 max_timers: int = 10_000) -> None:
        self.directory = directory / TIMERS
        self.max_timers = max_timers  # as many open incidents as messages may wait
        self.directory.mkdir(exist_ok=True)
        self.offset = offset  # the relay's clock minus the wall clock, by rotation
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        # Held across a timer's read, change and write (arm, fire, acknowledge, resolve),
        # so an acknowledgement and a step coming due cannot both win.
        self.edit = threading.RLock()
        self._heap: list[tuple[float, str]] = []
        self.unreadable: list[tuple[str, str]] = []
        self._count = 0
        for name in sorted(os.listdir(self.directory)):
            if name.endswith(".json") and len(name) == 37:
                self._count += 1
                timer = self.read(name[:-5])
                if timer is None:
                    self.unreadable.append((name, "not a timer the relay wrote"))
                elif timer["due"] is not None:
                    self._push(timer)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def read(self, key: str) -> dict[str, Any] | None:
        try:
            fd = os.open(self._path(key), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(16 * 1024 * 1024)
            timer = json.loads(data)
        except (OSError, ValueError):
            return None
        if not isinstance(timer, dict) or timer.get("v") != 1 or timer.get("key") != key:
            return None
        return timer

    def full(self) -> bool:
        return self._count >= self.max_timers

    def write(self, timer: dict[str, Any]) -> None:
        new = not self._path(timer["key"]).exists()
        data = json.dumps(timer, ensure_ascii=False, sort_keys=True).encode("utf-8")
        temp = self.directory / f".{timer['key']}.{uuid.uuid4().hex}.tmp"
        try:
            with open(temp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._path(timer["key"]))
            self._count += new
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        _fsync(self.directory)
        if timer["due"] is not None:
            with self.changed:
                self._push(timer)
                self.changed.notify_all()

    def remove(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(key))
            self._count -= 1
            _fsync(self.directory)

    def find(self, tag: str) -> dict[str, Any] | None:
        """The open incident with this tag (one file read per open incident)."""
        for name in sorted(os.listdir(self.directory)):
            if name.endswith(".json") and len(name) == 37:
                timer = self.read(name[:-5])
                if timer is not None and timer.get("tag") == tag:
                    return timer
        return None

    def _push(self, timer: dict[str, Any]) -> None:
        heapq.heappush(self._heap, (timer["due"] - self.offset(timer["rotation"]), timer["key"]))

    def next_due(self) -> tuple[float, str] | None:
        return self._heap[0] if self._heap else None

    def pop(self) -> None:
        heapq.heappop(self._heap)

    @property
    def count(self) -> int:
        return self._count


def after_alert(timers: Timers, enqueue: Callable[[dict[str, Any]], bool],
                record: dict[str, Any], status: str, tag: str, mentioned: bool,
                steps: tuple[StepTarget, ...], judged_at: float, log: Log,
                keep: bool = False) -> None:
    """After an alert message is posted (before it is marked delivered): a firing group
    mentioned to the people on duty arms its incident's timer (once: new alerts in the
    group keep it); a resolve removes it, resolving each step's target that fired.
    ``keep``: acknowledgement is on, so the incident is kept even without steps (its
    links are checked against it)."""
    with timers.edit:
        _after_alert(timers, enqueue, record, status, tag, mentioned, steps, judged_at, log,
                     keep)


def _after_alert(timers: Timers, enqueue: Callable[[dict[str, Any]], bool],
                 record: dict[str, Any], status: str, tag: str, mentioned: bool,
                 steps: tuple[StepTarget, ...], judged_at: float, log: Log,
                 keep: bool) -> None:
    key = incident_key(record["rotation"], record["group"])
    timer = timers.read(key)
    if status == "resolved":
        if timer is None:
            return
        for step in timer["fired"]:
            closing = {**_step_record(timer, "page_resolve", step, 0),
                       "source": record["source"], "payload": record["payload"]}
            if not enqueue(closing):
                log("spool_full", "warning", note=f"the resolve of {tag}'s escalation "
                    "target was not queued")
        timers.remove(key)
        return
    if timer is not None or not mentioned or not (steps or keep):
        return
    if timers.full():  # bounded like the spool: the message is posted, not escalated
        log("timers_full", "error", incident=tag, open=timers.count,
            note="no escalation timer was set: too many open incidents")
        return
    timers.write({
        "v": 1, "key": key, "rotation": record["rotation"], "group": record["group"],
        "tag": tag, "opened": judged_at, "due": judged_at + steps[0].after if steps else None,
        "step": 0,
        "fired": [], "source": record["source"], "payload": record["payload"],
    })


def _step_record(timer: dict[str, Any], kind: str, step: int, after: int) -> dict[str, Any]:
    return {
        "v": 1, "key": message_key(timer, kind, step), "received_at": time.time(),
        "source": timer["source"], "rotation": timer["rotation"], "group": timer["group"],
        "payload": timer["payload"], "kind": kind, "step": step, "after": after,
    }


class Escalator:
    """The thread that fires due timers by putting the step's messages in the spool."""

    def __init__(self, timers: Timers, steps: Callable[[str], tuple[StepTarget, ...]],
                 enqueue: Callable[[dict[str, Any]], bool], log: Log,
                 clock: Callable[[], float] = time.time) -> None:
        self.timers = timers
        self.steps = steps
        self.enqueue = enqueue  # False: the spool is full, try again shortly
        self.log = log
        self.clock = clock
        self.incidents: IncidentLog | None = None  # set by the service
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="escalation", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self.timers.changed:
            self._stopping = True
            self.timers.changed.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self.timers.changed:
                if self._stopping:
                    return
                head = self.timers.next_due()
                now = self.clock()
                if head is None or head[0] > now:
                    wait = LONGEST_WAIT_SECONDS if head is None else head[0] - now
                    self.timers.changed.wait(timeout=min(wait, LONGEST_WAIT_SECONDS))
                    continue
                self.timers.pop()
            try:
                if not self.fire(head[1], head[0]):
                    with self.timers.changed:  # the spool is full: again in a moment
                        heapq.heappush(self.timers._heap, head)
                        self.timers.changed.wait(timeout=FULL_RETRY_SECONDS)
            except Exception as exc:  # a bug must not stop every other timer
                self.log("escalation_bug", "error", incident=head[1], error=repr(exc))

    def fire(self, key: str, wall_due: float) -> bool:
        """Put the due step's messages in the spool and move the timer on; False when the
        spool is full. A timer gone (resolved, acknowledged) or moved on is left alone."""
        with self.timers.edit:
            return self._fire(key, wall_due)

    def _fire(self, key: str, wall_due: float) -> bool:
        timer = self.timers.read(key)
        if timer is None or timer["due"] is None:
            return True
        if abs(timer["due"] - self.timers.offset(timer["rotation"]) - wall_due) > 1e-3:
            return True  # an older heap entry of a timer re-armed since
        steps = self.steps(timer["rotation"])
        step = timer["step"]
        if step >= len(steps):  # the rotation file lost the step since: nothing to do
            timer["due"] = None
            self.timers.write(timer)
            return True
        after = sum(target.after for target in steps[: step + 1])
        for kind in ("escalated", "page"):
            if not self.enqueue(_step_record(timer, kind, step, after)):
                return False
        timer["fired"] = [*timer["fired"], step]
        timer["step"] = step + 1
        timer["due"] = timer["due"] + steps[step + 1].after if step + 1 < len(steps) else None
        self.timers.write(timer)
        if self.incidents is not None:
            self.incidents.write("escalated", wall_due + self.timers.offset(timer["rotation"]),
                                 rotation=timer["rotation"], incident=timer["tag"],
                                 step=step + 1, target=steps[step].kind)
        self.log("escalated", incident=timer["tag"], rotation=timer["rotation"], step=step + 1,
                 target=steps[step].kind)
        return True


def _fsync(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
