"""Reading the relay's incident log (``oncall.relay.incident_log`` writes it): each line a
JSON record, the older file (``<log>.1``) first. A line that is not a whole record (the
torn last line of a kill -9, or one edited by hand) is skipped and counted, never a crash.
Records fold into incidents: a ``fired`` opens one for its tag (or adds to the one still
open), ``acknowledged`` and ``escalated`` mark it, ``resolved`` closes it.
On the cron path (`remind --handoff`): standard library only.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024


class Incident:
    """One incident as the log tells it; times are aware datetimes (UTC)."""

    __slots__ = ("acked_at", "acked_by", "alerts", "escalations", "fired_at", "mentioned",
                 "resolved_at", "rotation", "severity", "tag", "title")

    def __init__(self, rotation: str, tag: str, fired_at: datetime) -> None:
        self.rotation = rotation
        self.tag = tag
        self.fired_at = fired_at
        self.title = ""
        self.alerts = 0
        self.severity: str | None = None
        self.mentioned: tuple[str, ...] = ()
        self.acked_by: str | None = None
        self.acked_at: datetime | None = None
        self.escalations = 0
        self.resolved_at: datetime | None = None


class IncidentLines:
    """The incidents read, and the lines skipped as ``(file, line number)``."""

    __slots__ = ("incidents", "skipped")

    def __init__(self, incidents: list[Incident], skipped: list[tuple[str, int]]) -> None:
        self.incidents = incidents
        self.skipped = skipped


def read_incidents(path: Path) -> IncidentLines:
    """The incidents in ``path`` (and ``path.1``); a missing file holds none."""
    skipped: list[tuple[str, int]] = []
    records: list[dict[str, object]] = []
    for file in (path.with_name(path.name + ".1"), path):
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES)
        except FileNotFoundError:
            continue
        for number, line in enumerate(data.split(b"\n"), 1):
            if not line.strip():
                continue
            record = _record(line)
            if record is None:
                skipped.append((str(file), number))
            else:
                records.append(record)
    return IncidentLines(_fold(records), skipped)


def _record(line: bytes) -> dict[str, object] | None:
    try:
        record = json.loads(line)
        record["at"] = datetime.fromisoformat(record["at"])
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(record, dict) or record.get("v") != 1 or record["at"].tzinfo is None:
        return None
    if not isinstance(record.get("rotation"), str) or not isinstance(record.get("incident"),
                                                                     str):
        return None
    return record


def _fold(records: list[dict[str, object]]) -> list[Incident]:
    found: list[Incident] = []
    open_now: dict[tuple[str, str], Incident] = {}
    for record in records:
        key = (str(record["rotation"]), str(record["incident"]))
        at = record["at"]
        assert isinstance(at, datetime)
        event = record.get("event")
        incident = open_now.get(key)
        if event == "fired":
            if incident is None:
                incident = open_now[key] = Incident(key[0], key[1], at)
                found.append(incident)
            alerts = record.get("alerts")
            if isinstance(alerts, int):
                incident.alerts = max(incident.alerts, alerts)
            severity, title = record.get("severity"), record.get("title")
            incident.severity = severity if isinstance(severity, str) else incident.severity
            incident.title = title if isinstance(title, str) and title else incident.title
            mentioned = record.get("mentioned")
            if isinstance(mentioned, list):
                incident.mentioned = tuple(dict.fromkeys(
                    [*incident.mentioned, *(m for m in mentioned if isinstance(m, str))]))
        elif incident is None:
            continue  # its fired line was rotated away, or it is a re-post after a close
        elif event == "acknowledged" and incident.acked_by is None:
            by = record.get("by")
            incident.acked_by = by if isinstance(by, str) else None
            incident.acked_at = at
        elif event == "escalated":
            step = record.get("step")
            if isinstance(step, int):
                incident.escalations = max(incident.escalations, step)
        elif event == "resolved":
            incident.resolved_at = at
            del open_now[key]
    return found
