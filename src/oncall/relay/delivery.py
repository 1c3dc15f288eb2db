"""The delivery workers: post each spooled message, retry with backoff, give up at the
deadline.

Each rotation has workers of its own (``delivery.workers`` each), so a chat that is slow,
down or dripping its answer a byte at a time holds only its own rotation's messages; the
others are posted as if it were not there. Messages of one alert group (same rotation and
group key) are posted in the order they arrived: only the oldest waiting message of a
group is ever handed to a worker, so a "resolved" cannot overtake its "firing" while the
chat is down. Memory holds one small entry per waiting message, and the spool's limit
bounds how many wait. Who is on duty is
asked at the moment the alert was accepted (or ``--now``, for tests and replays), so a
message delayed by a chat outage still mentions the people who were on duty when it fired.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from oncall.core import alerts
from oncall.core.clock import Clock
from oncall.core.duty import OnDuty, TermDuty, duty_at_terms
from oncall.core.errors import OncallError
from oncall.io import webhook
from oncall.relay import ack, escalation, pagerduty
from oncall.relay.config import RelayConfig
from oncall.relay.incident_log import IncidentLog
from oncall.relay.logs import Log
from oncall.relay.metrics import Metrics
from oncall.relay.rotations import Loaded, RotationBook
from oncall.relay.spool import Spool, Unreadable
from oncall.render import alerts as alert_text
from oncall.usecases.who import term_of

POST_DEADLINE_SECONDS = 25.0
# A worker busy with one message longer than this is stuck (the post's own deadline is
# 25 s; reading the rotation and wording the message take milliseconds): /healthz says so.
STUCK_SECONDS = 60.0
LONGEST_WAIT_SECONDS = 60.0  # a worker looks at the queue at least this often


class Item:
    """One waiting message: its spool key, group, arrival and attempts so far."""

    __slots__ = ("attempts", "group", "key", "received_at", "rotation")

    def __init__(self, key: str, group: str, rotation: str, received_at: float) -> None:
        self.key = key
        self.group = group
        self.rotation = rotation
        self.received_at = received_at
        self.attempts = 0


class Delivery:
    """The queue of waiting messages (heads of groups, by due time) and its workers."""

    def __init__(
        self,
        config: RelayConfig,
        spool: Spool,
        book: RotationBook,
        metrics: Metrics,
        log: Log,
        now: Clock | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.spool = spool
        self.book = book
        self.metrics = metrics
        self.log = log
        self.now = now
        self.clock = clock
        self._cond = threading.Condition()
        # Per rotation, under the one lock: (due, received_at, key) of groups' heads, and
        # the condition its own workers wait on.
        self._due: dict[str, list[tuple[float, float, str]]] = {
            rotation: [] for rotation in config.targets
        }
        # A Condition is lock enough for another Condition; typeshed admits only real locks.
        self._lanes = {rotation: threading.Condition(self._cond) for rotation in config.targets}  # type: ignore[arg-type]
        self._groups: dict[str, deque[Item]] = {}
        self._items: dict[str, Item] = {}
        self._stopping = False
        self._drain_until = 0.0
        self._threads: list[threading.Thread] = []
        # A chat that failed is left alone until its failed message's retry is due: one
        # message probes it, not every waiting one (thousands during an outage).
        self._paused: dict[str, float] = {}
        self._stopped = threading.Event()  # the pruner's own: notify() must wake a worker
        self._busy: dict[str, tuple[float, str]] = {}  # worker name: (since, message key)
        self.started = time.time()
        # Per rotation: when its chat began failing (cleared when it answers), and when
        # the next message may probe it while messages go to the backup.
        self._down_since: dict[str, float] = {}
        self._probe_at: dict[str, float] = {}
        # Set by the service when escalation timers are kept (oncall.relay.escalation).
        self.timers: escalation.Timers | None = None
        self.enqueue: Callable[[dict[str, Any]], bool] = lambda record: False
        self.incidents: IncidentLog | None = None  # set by the service

    def submit(self, record: dict[str, Any]) -> None:
        """Queue a spooled record; it waits behind earlier messages of its group."""
        group = f"{record['rotation']}\0{record['group']}"
        item = Item(record["key"], group, record["rotation"], record["received_at"])
        if item.rotation not in self._lanes:  # spooled before the config dropped it
            self.spool.failed(item.key)
            self.metrics.failed.labels(item.rotation).inc()
            self.log("failed", "error", id=item.key, rotation=item.rotation, attempts=0,
                     reason="its rotation is not in the config; moved to failed/")
            return
        with self._cond:
            if item.key in self._items:
                return
            self._items[item.key] = item
            queue = self._groups.setdefault(group, deque())
            queue.append(item)
            if len(queue) == 1:
                heapq.heappush(self._due[item.rotation],
                               (self.clock(), item.received_at, item.key))
                self._lanes[item.rotation].notify()

    def start(self) -> None:
        for rotation in self._lanes:
            for index in range(self.config.workers):
                thread = threading.Thread(target=self._work, args=(rotation,),
                                          name=f"delivery-{rotation}-{index}", daemon=True)
                thread.start()
                self._threads.append(thread)
        pruner = threading.Thread(target=self._prune, name="prune", daemon=True)
        pruner.start()

    def stop(self, drain_seconds: float) -> None:
        """Post what is due for up to ``drain_seconds``, then return; what is left stays
        in the spool for the next start."""
        with self._cond:
            self._stopping = True
            self._drain_until = self.clock() + drain_seconds
            self.wake()
        self._stopped.set()
        ends = self._drain_until + 1  # one deadline for all: a worker mid-post is a daemon
        for thread in self._threads:
            thread.join(timeout=max(0.0, ends - self.clock()))

    def wake(self) -> None:
        """Every worker looks at its queue again (called with ``_cond`` held)."""
        for lane in self._lanes.values():
            lane.notify_all()

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._items)

    def _next(self, rotation: str) -> Item | None:
        due, lane = self._due[rotation], self._lanes[rotation]
        with self._cond:
            while True:
                now = self.clock()
                if self._stopping and (now >= self._drain_until or not due
                                       or due[0][0] > now):
                    return None
                if due and due[0][0] <= now:
                    _, received_at, key = heapq.heappop(due)
                    item = self._items[key]
                    paused = self._paused.get(item.rotation, 0.0)
                    if paused > now:  # its chat is failing: wait for the probe's verdict
                        heapq.heappush(due, (paused, received_at, key))
                        continue
                    return item
                wait = due[0][0] - now if due else LONGEST_WAIT_SECONDS
                if self._stopping:
                    wait = min(wait, self._drain_until - now)
                lane.wait(timeout=max(0.0, min(wait, LONGEST_WAIT_SECONDS)))

    def _work(self, rotation: str) -> None:
        try:
            self._work_until_stopped(rotation)
        except BaseException as exc:  # /healthz reports the dead worker; say why here
            self.log("worker_died", "error", worker=threading.current_thread().name,
                     error=repr(exc))
            raise

    def _work_until_stopped(self, rotation: str) -> None:
        name = threading.current_thread().name
        while True:
            item = self._next(rotation)
            if item is None:
                return
            self._busy[name] = (self.clock(), item.key)
            try:
                done = self._attempt(item)
            except Exception as exc:  # a bug must not kill the worker and strand the group
                self.log("delivery_bug", "error", id=item.key, error=repr(exc))
                done = False
            finally:
                self._busy.pop(name, None)
            self._after(item, done)

    def problem(self) -> str | None:
        """Why delivery is not working (a worker dead, or stuck on one message), or None."""
        if self._stopping:
            return None
        for thread in self._threads:
            if not thread.is_alive():
                return f"the delivery worker {thread.name} has died"
        now = self.clock()
        for thread in self._threads:
            busy = self._busy.get(thread.name)
            if busy is not None and now - busy[0] > STUCK_SECONDS:
                return (f"the delivery worker {thread.name} has been on message {busy[1]} "
                        f"for {now - busy[0]:.0f} s")
        return None

    def _attempt(self, item: Item) -> bool:
        """Post the message; True when it is delivered (or already gone)."""
        try:
            record = self.spool.load(item.key)
        except Unreadable as exc:  # changed by hand since it was accepted
            self.spool.failed(item.key)
            self.metrics.failed.labels(item.rotation).inc()
            self.log("failed", "error", id=item.key, rotation=item.rotation,
                     attempts=item.attempts, reason=f"unreadable ({exc}); moved to failed/")
            return True
        if record is None:
            return True
        group = alerts.parse(record["payload"], record["source"])
        loaded = self.book.get(item.rotation)
        duty = self._duty(loaded, record["received_at"])
        kind = record.get("kind", "alert")
        message = self._message(kind, record, group, loaded, duty)
        if message is None:  # a step the rotation file no longer has
            self.log("dropped", "warning", id=item.key, rotation=item.rotation, kind=kind,
                     reason="its escalation step is no longer in the rotation file")
            self.spool.delivered(item.key)
            return True
        if not self._post(item, message, lambda since: self._message(
                kind, record, group, loaded, duty, since)):
            return False
        if kind == "alert" and self.timers is not None:
            escalation.after_alert(
                self.timers, self.enqueue, record, group.status,
                alert_text.incident_tag(group.group_key), alert_text.mentions(group, duty),
                loaded.steps, record["received_at"] + self.offset(item.rotation), self.log,
                keep=self.config.ack_secret is not None,
            )
        if kind == "alert" and self.incidents is not None:
            self._record(record, group, duty)
        latency = max(0.0, self.clock() - item.received_at)
        self.spool.delivered(item.key)
        self.metrics.delivered.labels(item.rotation).inc()
        self.metrics.latency.observe(latency)
        self.log("delivered", id=item.key, rotation=item.rotation, status=group.status,
                 alerts=len(group.alerts), mentioned=alert_text.mentions(group, duty),
                 attempts=item.attempts + 1, latency_s=round(latency, 3),
                 **({} if kind == "alert" else {"kind": kind}))
        return True

    def _record(self, record: dict[str, Any], group: alerts.AlertGroup, duty: OnDuty) -> None:
        """The incident log's line for a posted alert message: fired (who was mentioned,
        how many alerts, their severity) or resolved, at the moment it was accepted."""
        assert self.incidents is not None
        at = record["received_at"] + self.offset(record["rotation"])
        tag = alert_text.incident_tag(group.group_key)
        if group.status != "firing":
            self.incidents.write("resolved", at, rotation=record["rotation"], incident=tag)
            return
        firing = [alert for alert in group.alerts if alert.status == "firing"]
        severity = group.common_labels.get("severity") or next(
            (alert.labels["severity"] for alert in firing if "severity" in alert.labels), None)
        mentioned = alert_text.mentions(group, duty)
        self.incidents.write(
            "fired", at, rotation=record["rotation"], incident=tag,
            alerts=len(firing) or len(group.alerts), severity=severity,
            title=alert_text.title(group),
            mentioned=[person.handle for person in duty.primary] if mentioned else [],
        )

    def _post(self, item: Item, message: tuple[str, dict[str, Any], bool],
              to_backup: Callable[[str], Any]) -> bool:
        """Post to the rotation's chat, or to its backup while the chat has failed for
        ``failover_after_seconds`` (then one message at the retry pace probes the chat
        first, and new messages return to it once it answers). True when posted."""
        target = self.config.targets[item.rotation]
        own = message[2] and target.backup is not None
        now = self.clock()
        down = self._down_since.get(item.rotation)
        failing_over = own and down is not None and now - down >= target.failover_after
        if failing_over and now < self._probe_at.get(item.rotation, 0.0):
            return self._to_backup(item, to_backup, down, False)  # type: ignore[arg-type]
        if failing_over:
            self._probe_at[item.rotation] = now + self.config.max_retry
        try:
            self._send(item, message[0], message[1])
        except OncallError as error:  # DeliveryError; its text names only scheme and host
            self.log("post_failed", "warning", id=item.key, rotation=item.rotation,
                     attempt=item.attempts + 1, error=str(error))
            if not message[2]:
                return False
            down = self._down_since.setdefault(item.rotation, now)
            if not own or self.clock() - down < target.failover_after:
                return False
            return self._to_backup(item, to_backup, down,
                                   bool(getattr(error, "outcome_unknown", False)))
        if message[2] and self._down_since.pop(item.rotation, None) is not None:
            self.log("primary_back", rotation=item.rotation)
        return True

    def _to_backup(self, item: Item, to_backup: Callable[[str], Any], down: float,
                   unknown: bool) -> bool:
        """Post the message, marked, to the backup chat. ``unknown``: the chat's post may
        have been posted after all (sent, no answer): the one case posted to both."""
        zone = self.book.get(item.rotation).opened.rotation.tz
        since = datetime.fromtimestamp(down + self.offset(item.rotation), zone)
        message = to_backup(since.strftime("%H:%M"))
        if message is None:
            return True
        try:
            self._send(item, message[0], message[1])
        except OncallError as error:
            self.log("post_failed", "warning", id=item.key, rotation=item.rotation,
                     attempt=item.attempts + 1, error=str(error), backup=True)
            return False
        self.log("failover", id=item.key, rotation=item.rotation, outcome_unknown=unknown,
                 **({"note": "the main chat may have posted it too"} if unknown else {}))
        return True

    def _send(self, item: Item, url: str, body: dict[str, Any]) -> None:
        left = item.received_at + self.config.deadline - self.clock()
        webhook.post(url, body, deadline=max(1.0, min(POST_DEADLINE_SECONDS, left)),
                     retry=False)  # the backoff in _after is the retry

    def _message(self, kind: str, record: dict[str, Any], group: alerts.AlertGroup,
                 loaded: Loaded, duty: OnDuty, backup: str | None = None,
                 ) -> tuple[str, dict[str, Any], bool] | None:
        """Where a record is posted, the body, and whether that is the rotation's own chat
        (else the target of the escalation step it names: another chat, or PagerDuty).
        ``backup``: to the rotation's backup chat, marked (the main one failing since)."""
        rotation = loaded.opened.rotation
        chat = rotation.reminders.chat
        target = self.config.targets[rotation.id]
        own = alert_text.thread_url(target.backup if backup and target.backup else target.url,
                                    chat)
        if kind == "alert":
            return own, alert_text.payload(group, duty, chat, self._acks(record, duty),
                                           backup), True
        if kind == "acknowledged":
            member = rotation.by_handle.get(record["by"])
            name = member.name if member is not None else record["by"]
            return own, alert_text.acknowledged(group, duty, chat, name, backup), True
        if kind == "escalated":
            return own, alert_text.escalated(group, duty, chat, record["after"], backup), True
        if record["step"] >= len(loaded.steps):
            return None
        tag = alert_text.incident_tag(group.group_key)
        step = loaded.steps[record["step"]]
        if step.kind == "pagerduty":
            if kind == "page_resolve":
                return step.url, pagerduty.resolve(step.routing_key, tag), False
            title = alert_text.render(group, duty).splitlines()[0].rsplit(" #inc-", 1)[0]
            return step.url, pagerduty.trigger(step.routing_key, group, rotation.id,
                                               tag, title), False
        url = alert_text.thread_url(step.url, chat)
        if kind == "page_resolve":
            return url, alert_text.payload(group, duty, chat), False
        return url, alert_text.escalated(group, duty, chat, record["after"]), False

    def _acks(self, record: dict[str, Any], duty: OnDuty) -> tuple[tuple[str, str], ...]:
        """Each primary on duty's name and signed acknowledgement link, when acks are on:
        for the incident as its timer file knows it (or as this message opens it)."""
        secret = self.config.ack_secret
        if secret is None or self.timers is None or not duty.primary:
            return ()
        key = escalation.incident_key(record["rotation"], record["group"])
        judged = record["received_at"] + self.offset(record["rotation"])
        timer = self.timers.read(key)
        opened = timer["opened"] if timer is not None else judged
        expires = judged + self.config.ack_valid
        return tuple((person.name, ack.link(self.config.ack_base, secret, key, opened,
                                            person.handle, expires))
                     for person in duty.primary)

    def offset(self, rotation: str) -> float:
        """The relay's clock minus the system clock for ``rotation``: 0, or under --now
        how far --now (in the rotation's zone) is from the moment the relay started."""
        if self.now is None:
            return 0.0
        zone = self.book.get(rotation).opened.rotation.tz
        return self.now.now(zone).timestamp() - self.started

    def _duty(self, loaded: Loaded, received_at: float) -> OnDuty:
        """Who was on duty when the alert was accepted, in the term that holds that day
        (a replay with --now may fall in a kept term), as `oncall who --at` answers."""
        current = loaded.opened
        if self.now is not None:
            moment = self.now.now(current.rotation.tz)
        else:
            moment = datetime.fromtimestamp(received_at, current.rotation.tz)
        kept = term_of(current)
        this: TermDuty = (current.rotation, loaded.calendar, current.schedule)

        def lookup(day: date) -> TermDuty:
            return this if day >= current.term.start else kept(day)

        return duty_at_terms(lookup, moment)

    def _after(self, item: Item, done: bool) -> None:
        """Retry later, give up at the deadline, or hand the group's next message out."""
        now = self.clock()
        if not done:
            item.attempts += 1
            delay = min(self.config.first_retry * 2 ** min(item.attempts - 1, 40),
                        self.config.max_retry)
            if now + delay <= item.received_at + self.config.deadline:
                self.metrics.retried.labels(item.rotation).inc()
                with self._cond:
                    self._paused[item.rotation] = max(
                        self._paused.get(item.rotation, 0.0), now + delay
                    )
                    heapq.heappush(self._due[item.rotation],
                                   (now + delay, item.received_at, item.key))
                    self._lanes[item.rotation].notify()
                return
            self.spool.failed(item.key)
            self.metrics.failed.labels(item.rotation).inc()
            self.log("failed", "error", id=item.key, rotation=item.rotation,
                     attempts=item.attempts, reason="deadline passed; moved to failed/")
        with self._cond:
            if done:
                self._paused.pop(item.rotation, None)
            del self._items[item.key]
            queue = self._groups[item.group]
            queue.popleft()
            if queue:
                head = queue[0]
                heapq.heappush(self._due[head.rotation], (now, head.received_at, head.key))
                self._lanes[head.rotation].notify()
            else:
                del self._groups[item.group]

    def _prune(self) -> None:
        while not self._stopped.wait(timeout=60):
            try:
                self.spool.prune()
            except Exception as exc:  # the next round tries again
                self.log("prune_failed", "error", error=repr(exc))
