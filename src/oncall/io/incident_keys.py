"""The rotation-file key that tells `remind --handoff` where the relay's incident log is
(``incidents.log`` in the relay config; by default ``incidents.log`` in its spool), so
the hand-off lists the alerts of the duty that ends. Kept apart from ``oncall.io.keys``
(which splices it into the rotation table), as ``oncall.io.reminder_keys`` is."""

from __future__ import annotations

from oncall.io.readers import text
from oncall.io.schema import Key

INCIDENT_KEYS = (
    Key(
        "reminders.incidents_log",
        "path",
        "The relay's incident log (its config's `incidents.log`, by default "
        "`incidents.log` in its spool directory), relative to the rotation file: "
        "`remind --handoff` then lists the alerts of the duty that ends, with counts by "
        "severity, acknowledged and escalated.",
        text,
        default_doc="none: the hand-off lists no alerts",
    ),
)
