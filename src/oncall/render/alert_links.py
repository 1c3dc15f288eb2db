"""What makes an alert message worth reading: when it started, in the rotation's zone and
language, and the links a sender gave (its source, its runbook) or that the relay can
make (a silence in Alertmanager, with the group's matchers filled in).

Pure. Every URL here comes from a sender we do not control, so it is taken only when it
is an ``http``/``https`` URL with a host and no user name, at most ``MAX_URL`` characters
(a silence link, always shown, ``MAX_SILENCE_URL``), and every character that any chat
reads as markup or a mention (``<>[]()*`@|\\"'`` and spaces) is percent-encoded, which
leaves the link pointing at the same place. The chat's own link escaping (``url_text``)
is applied after that by the caller.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from urllib.parse import quote, urlsplit

from oncall.core.alerts import Alert, AlertGroup
from oncall.render import messages

MAX_URL = 1000
MAX_SILENCE_URL = 500  # always shown, so short enough for Discord's 2,000 characters
# RFC 3986 characters that no chat reads as markup or a mention; anything else is encoded.
_KEPT = "-._~:/?#&=%+,;$!"
_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)")


def safe_url(value: str) -> str | None:
    """``value`` as a link no chat can read as markup, or None when it is not one."""
    if not value or len(value) > MAX_URL or any(ch.isspace() for ch in value):
        return None
    if not value.isascii() or not value.isprintable():
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:  # http://trusted.example@evil.example/ is a lie
        return None
    encoded = quote(value, safe=_KEPT + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789")
    return encoded if len(encoded) <= MAX_URL else None


def started(group: AlertGroup, zone: tzinfo, language: str) -> str | None:
    """"Started: Tue 2027-01-05 10:00 (Asia/Tokyo)": the group's first firing start."""
    moments = [m for m in (_moment(a.starts_at) for a in group.firing or group.alerts) if m]
    if not moments:
        return None
    local = min(moments).astimezone(zone)
    return messages.text(language, "alert_started", date=messages.day(language, local.date()),
                         time=local.strftime("%H:%M"), zone=str(zone))


def _moment(value: str) -> datetime | None:
    """An RFC 3339 stamp as Alertmanager writes it (nanoseconds, ``Z``), or None."""
    match = _STAMP.fullmatch(value)
    if match is None or match.group(1).startswith("0001-"):  # Go's zero time: not given
        return None
    zone = "+00:00" if match.group(2) == "Z" else match.group(2)
    try:
        moment = datetime.fromisoformat(match.group(1) + zone)
    except ValueError:
        return None
    return moment.astimezone(UTC)


def source(alert: Alert) -> str | None:
    return safe_url(alert.url)


def runbook(alert: Alert) -> str | None:
    return safe_url(alert.annotations.get("runbook_url", ""))


def silence(group: AlertGroup) -> str | None:
    """A new silence in the sender's UI for the group's matchers (its group labels, or the
    common labels when it has none), or None without a usable ``externalURL``."""
    base = safe_url(group.external_url)
    labels = group.group_labels or group.common_labels
    if base is None or not labels:
        return None
    base = base.rstrip("/")
    if group.source == "grafana":
        matchers = "&".join("matcher=" + quote(f"{k}={v}", safe="")
                            for k, v in sorted(labels.items()))
        return _short(safe_url(f"{base}/alerting/silence/new?alertmanager=grafana&{matchers}"))
    inner = ",".join(f'{k}="{_quoted(v)}"' for k, v in sorted(labels.items()))
    return _short(safe_url(f"{base}/#/silences/new?filter=" + quote("{" + inner + "}",
                                                                     safe="")))


def _short(url: str | None) -> str | None:
    return url if url is not None and len(url) <= MAX_SILENCE_URL else None


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
