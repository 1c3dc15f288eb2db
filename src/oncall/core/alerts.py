"""Alert notifications as the relay reads them: one group of alerts from a sender.

Pure: a decoded JSON body in, an ``AlertGroup`` out, or ``BadPayload`` naming the field
that is wrong (the relay answers 400 with it, so the sender's log says what to fix).
Prometheus Alertmanager's webhook payload (version 4) and Grafana's webhook contact point
(which extends the same shape with ``title``, ``state`` and ``orgId``) are read by one
parser. ``dedupe_key`` is what makes a re-sent notification the same message: the group,
its status, and each alert's fingerprint, start and status.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

SOURCES = ("alertmanager", "grafana")
# A label is matched against every route (regexes included) and shown in the message:
# bounded, so neither the matching nor the text can be made to grow with the body.
MAX_LABEL_NAME = 256
MAX_LABEL_VALUE = 4096
STATUSES = ("firing", "resolved")
ALERTMANAGER_VERSION = "4"


class BadPayload(ValueError):
    """The body is not a notification we can read; ``str()`` says where and why."""


class Alert:
    """One alert of a group, with the labels and annotations its sender gave it."""

    __slots__ = ("annotations", "fingerprint", "labels", "starts_at", "status", "url")

    def __init__(
        self,
        status: str,
        labels: Mapping[str, str],
        annotations: Mapping[str, str],
        starts_at: str,
        fingerprint: str,
        url: str,
    ) -> None:
        self.status = status
        self.labels = dict(labels)
        self.annotations = dict(annotations)
        self.starts_at = starts_at
        self.fingerprint = fingerprint
        self.url = url

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "")

    @property
    def summary(self) -> str:
        for key in ("summary", "description", "message"):
            if self.annotations.get(key):
                return self.annotations[key]
        return ""


class AlertGroup:
    """One notification: a group of alerts that share ``common_labels``."""

    __slots__ = (
        "alerts", "common_labels", "external_url", "group_key", "group_labels", "source",
        "status", "title",
    )

    def __init__(
        self,
        source: str,
        group_key: str,
        status: str,
        group_labels: Mapping[str, str],
        common_labels: Mapping[str, str],
        external_url: str,
        title: str,
        alerts: tuple[Alert, ...],
    ) -> None:
        self.source = source
        self.group_key = group_key
        self.status = status
        self.group_labels = dict(group_labels)
        self.common_labels = dict(common_labels)
        self.external_url = external_url
        self.title = title
        self.alerts = alerts

    @property
    def firing(self) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if a.status == "firing")

    def dedupe_key(self) -> str:
        """The same for a re-sent notification, different for a new state of the group."""
        parts = sorted([a.fingerprint, a.starts_at, a.status] for a in self.alerts)
        blob = json.dumps([self.source, self.group_key, self.status, parts], ensure_ascii=True)
        return hashlib.sha256(blob.encode("ascii")).hexdigest()[:32]


def parse(body: object, source: str) -> AlertGroup:
    """The group in a decoded webhook body from ``source`` (``alertmanager``/``grafana``)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    top = _object(body, "body")
    version = _text(top, "version", "body", required=False)
    if source == "alertmanager" and version != ALERTMANAGER_VERSION:
        raise BadPayload(
            f"version: expected {ALERTMANAGER_VERSION!r} (the Alertmanager webhook payload, "
            f"version 4), found {version!r}"
        )
    status = _status(top, "body")
    raw_alerts = top.get("alerts")
    if not isinstance(raw_alerts, list) or not raw_alerts:
        raise BadPayload(f"alerts: expected a non-empty list, found {_kind(raw_alerts)}")
    alerts = tuple(_alert(item, f"alerts[{index}]") for index, item in enumerate(raw_alerts))
    common = _labels(top, "commonLabels", "body")
    if not common and "commonLabels" not in top:
        common = _shared(alerts)
    group_key = _text(top, "groupKey", "body", required=False) or json.dumps(
        sorted(_labels(top, "groupLabels", "body").items())
    )
    return AlertGroup(
        source,
        group_key,
        status,
        _labels(top, "groupLabels", "body"),
        common,
        _text(top, "externalURL", "body", required=False),
        _text(top, "title", "body", required=False) if source == "grafana" else "",
        alerts,
    )


def _alert(item: object, where: str) -> Alert:
    alert = _object(item, where)
    labels = _labels(alert, "labels", where)
    fingerprint = _text(alert, "fingerprint", where, required=False)
    if not fingerprint:
        blob = json.dumps(sorted(labels.items()), ensure_ascii=True).encode("ascii")
        fingerprint = hashlib.sha256(blob).hexdigest()[:16]
    return Alert(
        _status(alert, where),
        labels,
        _labels(alert, "annotations", where),
        _text(alert, "startsAt", where, required=False),
        fingerprint,
        _text(alert, "generatorURL", where, required=False),
    )


def _shared(alerts: tuple[Alert, ...]) -> dict[str, str]:
    """The labels every alert has with the same value (when a sender sends no commonLabels)."""
    first = alerts[0].labels
    return {k: v for k, v in first.items() if all(a.labels.get(k) == v for a in alerts[1:])}


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadPayload(f"{where}: expected a JSON object, found {_kind(value)}")
    return value


def _status(obj: Mapping[str, Any], where: str) -> str:
    status = obj.get("status")
    if status not in STATUSES:
        raise BadPayload(
            f"{_path(where, 'status')}: expected \"firing\" or \"resolved\", "
            f"found {_kind(status)}"
        )
    return str(status)


def _text(obj: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise BadPayload(f"{_path(where, key)}: expected a string, found {_kind(value)}")
    return value


def _labels(obj: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
    value = obj.get(key)
    if value is None:
        return {}
    mapping = _object(value, _path(where, key))
    for name, item in mapping.items():
        if len(name) > MAX_LABEL_NAME:
            raise BadPayload(
                f"{_path(where, key)}: found a name of {len(name)} characters, at most "
                f"{MAX_LABEL_NAME} are accepted"
            )
        if not isinstance(item, str):
            raise BadPayload(
                f"{_path(where, key)}.{name}: expected a string, found {_kind(item)}"
            )
        if len(item) > MAX_LABEL_VALUE and key != "annotations":
            raise BadPayload(
                f"{_path(where, key)}.{name}: found {len(item)} characters, at most "
                f"{MAX_LABEL_VALUE} are accepted in a label"
            )
    return dict(mapping)


def _path(where: str, key: str) -> str:
    return key if where == "body" else f"{where}.{key}"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return "an object"
