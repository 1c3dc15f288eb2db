"""What a plan's calendars must now say: the schedule's ``published`` record raised from
what the previous schedule told them, and which feeds (team, personal) that changes."""

from __future__ import annotations

from oncall.core.duty_calendar import DutyCalendar, calendar_from
from oncall.core.model import Rotation
from oncall.core.published import FeedChanges, Record, changes, effective, latest, recorded
from oncall.core.schedule import Schedule


def with_record(
    rotation: Rotation, previous: Schedule | None, schedule: Schedule, calendar: DutyCalendar
) -> tuple[Schedule, FeedChanges]:
    """``schedule`` with what its calendars must now say (``published``), raised from
    what the previous schedule's told them, and which feeds that changes."""
    before: Record = {}
    if previous is not None:
        told = calendar
        if previous.days_off is not None:  # the days the previous export showed
            told = calendar_from(
                rotation, previous.term.start, previous.term.end, previous.days_off,
                previous.term,
            )
        before = effective(rotation, previous, told)
    moment = schedule.planned_at or latest(schedule)
    written, feeds = recorded(rotation, before, schedule, calendar, moment)
    if previous is not None and previous.published is not None:
        # An edit of the roster (``left:``) already withdraws days in ``before``; the
        # feeds still changed since the file last recorded them.
        stored = changes(previous.published, written.published or {})
        feeds = FeedChanges(
            feeds.team or stored.team, tuple(sorted({*feeds.people, *stored.people}))
        )
    return written, feeds
