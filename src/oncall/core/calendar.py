"""The duty calendar with the holiday tables: national holidays and closures as days off.

``days_off`` is the one place that reads the ``holidays`` package (slow to import, so only
inside it). Everything else about the calendar is pure and lives in
``oncall.core.duty_calendar``, re-exported here; the cron path imports only that module and
passes the days off ``oncall plan`` stored in the schedule file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from oncall import words
from oncall.core.duty_calendar import (
    DutyCalendar,
    ShiftSlot,
    blocks,
    calendar_basis,
    calendar_from,
    duty_days,
    is_duty_weekday,
)
from oncall.core.errors import InputError
from oncall.core.model import Rotation, Term
from oncall.core.term import choose_term

__all__ = [
    "DutyCalendar",
    "ShiftSlot",
    "blocks",
    "build_calendar",
    "calendar_basis",
    "calendar_from",
    "days_off",
    "duty_days",
    "is_duty_weekday",
]



def days_off(rotation: Rotation, first: date, last: date) -> dict[date, str]:
    """National holidays and closures between ``first`` and ``last``, named in the
    rotation's language (never the environment's locale, which differs under cron)."""
    off: dict[date, str] = {}
    cfg = rotation.holidays
    if cfg.country:
        import holidays as holidays_lib  # slow import: only when a table is needed

        probe = None
        for key, subdivision in (("country", None), ("subdivision", cfg.subdivision)):
            try:
                probe = holidays_lib.country_holidays(cfg.country, subdiv=subdivision, years=[])
            except NotImplementedError as exc:
                raise InputError(
                    f"found {key} {getattr(cfg, key)!r}, expected a code the holidays package "
                    f"knows ({exc})",
                    path=f"holidays.{key}",
                    hint="use an ISO 3166-1 code such as JP, US or DE, or omit holidays.country"
                    if key == "country"
                    else "use a subdivision code of that country, or omit holidays.subdivision",
                ) from None
        supported = tuple(getattr(probe, "supported_languages", ()) or ())
        language = next(
            (code for code in words.holiday_locales(rotation.language) if code in supported),
            None,
        )
        table = holidays_lib.country_holidays(
            cfg.country,
            subdiv=cfg.subdivision,
            years=range(first.year, last.year + 1),
            language=language,
        )
        for day, name in sorted(table.items()):
            if first <= day <= last:
                off[day] = name
    closure = words.say(rotation.language, "calendar.closure")
    for span in cfg.closed_spans(first, last):
        for day in span.days():
            if first <= day <= last:
                off.setdefault(day, closure)
    return dict(sorted(off.items()))


def build_calendar(
    rotation: Rotation,
    first: date | None = None,
    last: date | None = None,
    off: Mapping[date, str] | None = None,
    term: Term | None = None,
) -> DutyCalendar:
    """The duty calendar of ``first..last`` (default: ``term``) for ``term`` (default: the
    first term of the rotation's term rule, as ``choose_term`` picks it with nothing
    stored and nothing on the command line).

    ``off`` may carry days off computed earlier (from the schedule file); without it the
    holiday table is consulted.
    """
    term = term or choose_term(rotation.term_rule)
    first = first or term.start
    last = last or term.end
    if off is None:
        off = days_off(rotation, first, last)
    return calendar_from(rotation, first, last, off, term)
