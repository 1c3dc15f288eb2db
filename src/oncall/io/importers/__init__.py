"""Readers of other tools' schedules for `oncall import`, one module per format, each
turning its JSON (or .ics) into ``oncall.core.imported.Source`` values; what they share
(people matched by email, JSON paths in errors) is ``export_json``. ``FORMATS`` lists
them for the command line, ``reader`` finds one.
"""

from __future__ import annotations

from oncall.core.errors import InputError
from oncall.io.importers.export_json import Reader

FORMATS: tuple[str, ...] = ("opsgenie", "pagerduty", "grafana-oncall", "goalert", "ics")


def reader(fmt: str) -> Reader:
    """The reader of ``fmt`` (one of FORMATS)."""
    if fmt == "ics":
        from oncall.io.importers.ics import read
    elif fmt == "opsgenie":
        from oncall.io.importers.opsgenie import read
    elif fmt == "pagerduty":
        from oncall.io.importers.pagerduty import read
    elif fmt == "grafana-oncall":
        from oncall.io.importers.grafana_oncall import read
    elif fmt == "goalert":
        from oncall.io.importers.goalert import read
    else:
        raise InputError(f"unknown format {fmt!r}, expected one of {', '.join(FORMATS)}")
    return read
