"""The relay's Prometheus metrics, served at ``/metrics`` in the text format.

prometheus_client writes the exposition format (HELP/TYPE lines, label escaping,
histogram buckets and ``+Inf``) the way Prometheus reads it; a registry of our own keeps
the process and platform collectors out, so the page lists only the relay's numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# `*_created` series (one timestamp per counter) only double the page for no use here.
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)


class Metrics:
    """Counters for what came in and went out, the spool depth, delivery latency."""

    def __init__(self, spool_depth: Callable[[], float]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter(
            "oncall_relay_received", "Alert groups accepted (2xx), by sender.", ["source"],
            registry=r,
        )
        self.duplicates = Counter(
            "oncall_relay_duplicates", "Notifications already accepted, answered 2xx and "
            "not posted again.", ["source"], registry=r,
        )
        self.rejected = Counter(
            "oncall_relay_rejected", "Requests refused, by reason.", ["reason"], registry=r
        )
        self.delivered = Counter(
            "oncall_relay_delivered", "Messages posted to a chat.", ["rotation"], registry=r
        )
        self.failed = Counter(
            "oncall_relay_failed", "Messages moved to failed/ after their deadline.",
            ["rotation"], registry=r,
        )
        self.retried = Counter(
            "oncall_relay_retried", "Delivery attempts that failed and will be retried.",
            ["rotation"], registry=r,
        )
        self.reload_errors = Counter(
            "oncall_relay_reload_errors", "Changed rotation or schedule files that could not "
            "be read (the last good version stays in use).", ["rotation"], registry=r,
        )
        self.unreadable = Counter(
            "oncall_relay_unreadable", "Files in the spool's pending/ that were not records "
            "the relay wrote, moved to failed/.", registry=r,
        )
        self.log_errors = Counter(
            "oncall_relay_log_errors", "Log lines that could not be written (stderr gone or "
            "full); the alerts themselves are unaffected.", registry=r,
        )
        depth = Gauge(
            "oncall_relay_spool_depth", "Messages waiting in the spool.", registry=r
        )
        depth.set_function(spool_depth)
        self.latency = Histogram(
            "oncall_relay_delivery_latency_seconds",
            "From accepting an alert group to its message being posted.",
            buckets=LATENCY_BUCKETS, registry=r,
        )

    def page(self) -> bytes:
        return generate_latest(self.registry)
