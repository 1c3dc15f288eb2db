"""The rotation-file key for soft wishes: ``members[].prefers_not`` (weekdays, dates and
date ranges, in the forms ``members[].unavailable`` takes, read by the same reader),
spliced into ``oncall.io.keys``'s table, as the other small key groups are."""

from __future__ import annotations

from oncall.io.readers import unavailable
from oncall.io.schema import Key

WISH_KEYS = (
    Key(
        "members[].prefers_not",
        "list of dates, ranges or weekdays",
        "Days the member would rather not be on duty (primary or shadow), in the forms "
        "`unavailable` takes: `2027-02-10`, `2027-02-10..2027-02-12` or `fri`. A soft "
        "wish: the planner keeps it when this costs no fairness, team mix or hard rule, "
        "and the plan's summary counts the wishes kept and broken.",
        unavailable,
        default=(),
        default_doc="`[]`",
    ),
)
