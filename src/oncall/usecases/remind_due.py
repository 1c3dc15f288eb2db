"""`oncall remind --due`: every reminder slot that has come, for every rotation, once.

A slot is a day and one of the rotation's ``reminders.times`` (a time of day in its zone
and a kind of reminder). Run every few minutes from one cron line, this finds each
rotation's slots between what its state file says was handled and now, and hands each
slot's reminder (as `remind` words it at that moment) to ``send``; a slot with no duty
needs no message. After each slot the state records it as handled, so a slot is sent
once, two crons at once take turns, and a missed cron run is caught up: slots up to
``catch_up`` old are sent late, older ones are reported as missed and skipped. A first
run (no state yet) sends only the slots within ``catch_up`` of now. A ``next`` slot
goes out on duty days only (Friday announces Monday; weekends and holidays say nothing).

A send that fails stops that rotation's slots (the next run tries again, within the
catch-up period); the other rotations still go out. A crash between a post and the state
write can post that one slot again on the next run: the only case that repeats a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from functools import partial
from typing import Protocol

from oncall.core.clock import Clock
from oncall.core.errors import DeliveryError, InputError
from oncall.core.model import ReminderTime, Rotation
from oncall.core.store import ScheduleStore, StoredTerm
from oncall.core.term_end import TermEnding
from oncall.usecases.remind import Reminder, TermOver, Unnamed, reminders_for


class ReminderLog(Protocol):
    """Where `remind --due` keeps what it handled (``io.reminder_log``)."""

    def held(self, rotations: Sequence[StoredTerm]) -> AbstractContextManager[None]: ...
    def handled_through(self, current: StoredTerm) -> datetime | None: ...
    def record(self, current: StoredTerm, through: datetime) -> None: ...


MAX_CATCH_UP = timedelta(days=1)


class Slot:
    """One reminder time on one day, at its real instant in the rotation's zone."""

    __slots__ = ("moment", "time")

    def __init__(self, moment: datetime, when: ReminderTime) -> None:
        self.moment = moment
        self.time = when

    def describe(self) -> str:
        return f"{self.moment:%Y-%m-%d %H:%M} {self.time.kind}"


class Handled:
    """One rotation's run: the slots sent (with what they said), quiet and missed, and
    the failure that stopped it, if any."""

    __slots__ = ("failure", "missed", "notes", "quiet", "rotation", "sent")

    def __init__(self, rotation: str) -> None:
        self.rotation = rotation
        self.sent: list[tuple[Slot, Reminder]] = []
        self.quiet: list[Slot] = []  # no duty at that slot: nothing to say
        self.missed: list[Slot] = []  # older than the catch-up period: skipped
        self.notes: list[TermOver | TermEnding | Unnamed] = []
        self.failure: DeliveryError | None = None


def slots(
    times: Sequence[ReminderTime], after: datetime | None, now: datetime, catch_up: timedelta
) -> tuple[list[Slot], list[Slot]]:
    """(due, missed): the slots after ``after`` up to ``now`` in ``now``'s zone, the due
    ones within ``catch_up``; with no ``after`` (a first run), only those within it."""
    zone = now.tzinfo
    oldest = now - catch_up
    first = (after if after is not None else oldest).astimezone(zone).date()
    due: list[Slot] = []
    missed: list[Slot] = []
    day = first
    while day <= now.date():
        for when in times:
            moment = datetime.combine(day, time(when.at // 60, when.at % 60), zone)
            if moment > now or (after is not None and moment <= after):
                continue
            if moment >= oldest:
                due.append(Slot(moment, when))
            elif after is not None:
                missed.append(Slot(moment, when))
        day += timedelta(days=1)
    return due, missed


def due_reminders(
    store: ScheduleStore,
    log: ReminderLog,
    now: Clock,
    *,
    catch_up: timedelta,
    target: Callable[[Rotation], str],
    send: Callable[[Reminder, str], None],
) -> list[Handled]:
    """Send every due slot of every rotation that names ``reminders.times``: ``target``
    gives each rotation's webhook (asked of every rotation before anything is sent, so a
    rotation without one stops the run with nothing posted), ``send`` posts a reminder
    there and raises ``DeliveryError`` when the post fails."""
    if not timedelta(0) < catch_up <= MAX_CATCH_UP:
        raise InputError(
            f"--catch-up: found {catch_up}, expected more than 0 and at most one day"
        )
    planned = [current for current in store.planned() if current.rotation.reminders.times]
    if not planned:
        raise InputError(
            "remind --due: no rotation names reminders.times, so nothing is ever due",
            hint='add e.g. reminders: {times: ["09:45 today", "17:05 next"]} to the rotation '
            "file (see docs/rotation-file.md)",
        )
    urls = {current.rotation.id: target(current.rotation) for current in planned}
    handled: list[Handled] = []
    with log.held(planned):
        for current in planned:
            to = partial(_to, send, urls[current.rotation.id])
            handled.append(_run(current, log, now.now(current.rotation.tz), catch_up, to))
    return handled


def _to(send: Callable[[Reminder, str], None], url: str, reminder: Reminder) -> None:
    send(reminder, url)


def _run(
    current: StoredTerm,
    log: ReminderLog,
    now: datetime,
    catch_up: timedelta,
    send: Callable[[Reminder], None],
) -> Handled:
    done = Handled(current.rotation.id)
    due, done.missed = slots(current.rotation.reminders.times, log.handled_through(current),
                             now, catch_up)
    if done.missed:
        log.record(current, done.missed[-1].moment)
    for slot in due:
        for found in _found(current, slot):
            if isinstance(found, Reminder):
                try:
                    send(found)
                except DeliveryError as error:
                    done.failure = error
                    return done
                done.sent.append((slot, found))
            else:
                done.notes.append(found)
        if not any(s is slot for s, _ in done.sent):
            done.quiet.append(slot)
        log.record(current, slot.moment)
    log.record(current, now)
    return done


def _found(current: StoredTerm, slot: Slot) -> Iterator[Reminder | TermOver | TermEnding | Unnamed]:
    """The slot's reminder. A ``next`` reminder goes out on duty days only, as a weekday
    cron line would send it: Friday announces Monday, and the weekend says nothing."""
    day = slot.moment.date()
    if slot.time.kind == "next" and not current.on(day).calendar().is_duty_day(day):
        return iter(())
    return reminders_for(current, day, slot.time.kind)
