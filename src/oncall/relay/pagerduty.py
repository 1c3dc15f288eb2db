"""PagerDuty's Events API v2, as the relay's escalation target: one ``trigger`` when a
step escalates an incident, one ``resolve`` when the group is resolved, both with the
incident tag as ``dedup_key`` (so a trigger posted twice after a kill -9 is one incident
in PagerDuty). Pure: the bodies only; posting is the delivery's.
https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
"""

from __future__ import annotations

from typing import Any

from oncall.core.alerts import AlertGroup

SEVERITIES = ("critical", "error", "warning", "info")
MAX_SUMMARY = 1024  # PagerDuty's limit on payload.summary


def dedup_key(tag: str) -> str:
    """``inc-7f3a2c`` for ``#inc-7f3a2c``."""
    return tag.lstrip("#")


def trigger(routing_key: str, group: AlertGroup, rotation: str, tag: str,
            title: str) -> dict[str, Any]:
    severity = group.common_labels.get("severity", "").lower()
    first = group.alerts[0]
    body: dict[str, Any] = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key(tag),
        "client": "oncall relay",
        "payload": {
            "summary": f"{title} {tag}"[:MAX_SUMMARY],
            "source": group.common_labels.get("instance") or rotation,
            "severity": severity if severity in SEVERITIES else "critical",
            "component": group.common_labels.get("job") or None,
            "group": rotation,
            "class": group.common_labels.get("alertname") or None,
            "custom_details": {
                "rotation": rotation,
                "alerts": len(group.alerts),
                "labels": group.common_labels,
            },
        },
    }
    body["payload"] = {k: v for k, v in body["payload"].items() if v is not None}
    links = [{"href": url, "text": text} for url, text in (
        (first.url, "Source"), (first.annotations.get("runbook_url", ""), "Runbook"))
        if url.startswith(("http://", "https://"))]
    if links:
        body["links"] = links
    return body


def resolve(routing_key: str, tag: str) -> dict[str, Any]:
    return {"routing_key": routing_key, "event_action": "resolve",
            "dedup_key": dedup_key(tag)}
