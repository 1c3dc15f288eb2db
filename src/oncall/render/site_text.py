"""The words of the published site and its rules paragraph, in the rotation's language.

The words are in ``oncall.words`` (one catalogue per language, the ``site.`` and ``rules.``
keys), kept apart from the templates so a translator reads one file; the language comes
from the rotation file, like every other text `oncall` writes for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from oncall import words
from oncall.core.model import DistinctTeams, Rotation, ShiftUnit, Term
from oncall.render import messages
from oncall.words import LANGUAGES

# The site's words (the ``site.`` keys of ``oncall.words``), as the templates read them.
WORDS: dict[str, dict[str, str]] = {lang: words.section(lang, "site") for lang in LANGUAGES}


def terms_heading(language: str, terms: Sequence[Term]) -> str:
    """The terms the calendars show, oldest first: "Term A..B", or "Terms A..B, C..D"."""
    if len(terms) == 1:
        return words.say(language, "site.term", term=terms[0])
    comma = words.say(language, "list.separator")
    return words.say(language, "site.terms", terms=comma.join(str(term) for term in terms))


def day_name(language: str, weekday: int) -> str:
    return words.weekday_name(language, weekday)


def rules_paragraph(rotation: Rotation) -> str:
    """The rotation's rules in one paragraph, as a team lead would explain them."""
    lang = rotation.language

    def say(key: str, **values: object) -> str:
        return words.say(lang, f"rules.{key}", **values)

    weekdays = say("weekday_separator").join(
        messages.weekday(lang, _monday(n)) for n in sorted(rotation.window.days)
    )
    hours = messages.window(lang, rotation.window)
    shift, rules = rotation.shift, rotation.rules
    weeks = shift.unit == ShiftUnit.WEEKS
    length = say(
        ("length_week" if weeks else "length_day") + ("" if shift.length == 1 else "s"),
        count=shift.length,
    )
    handoff = say("handoff", day=day_name(lang, shift.handoff)) if weeks else ""
    parts = [
        say("on_duty", weekdays=weekdays, hours=hours, timezone=rotation.timezone),
        say("shifts", length=length, handoff=handoff, people=shift.people),
        _days_off(rotation),
    ]
    if rules.volunteers_only:
        parts.append(say("volunteers_only"))
    if rules.distinct_teams == DistinctTeams.REQUIRED:
        parts.append(say("teams_required"))
    elif rules.distinct_teams == DistinctTeams.PREFERRED:
        parts.append(say("teams_preferred"))
    if rules.min_gap:
        parts.append(say("min_gap", count=rules.min_gap))
    if rules.max_shifts is not None:
        parts.append(say("max_shifts", count=rules.max_shifts))
    if rotation.onboarding.shadow_shifts:
        parts.append(say("shadows", count=rotation.onboarding.shadow_shifts))
    if rotation.fallback:
        parts.append(say("fallback", fallback=rotation.fallback))
    if rotation.escalation:
        parts.append(say("escalation", text=rotation.escalation.rstrip(say("full_stop"))))
    return say("separator").join(p for p in parts if p)


def _monday(offset: int) -> date:
    """A day of the week ``offset`` days after Monday, for its name."""
    return date(2024, 1, 1) + timedelta(days=offset)  # 2024-01-01 was a Monday


def _days_off(rotation: Rotation) -> str:
    """The public holidays and closures that are days off, or nothing."""
    lang, holidays = rotation.language, rotation.holidays
    found = []
    if holidays.country:
        key = "rules.region" if holidays.subdivision else "rules.region_country"
        region = words.say(
            lang, key, country=holidays.country, subdivision=holidays.subdivision
        )
        found.append(words.say(lang, "rules.holidays", region=region))
    if holidays.closures:
        found.append(words.say(lang, "rules.closures", count=len(holidays.closures)))
    if not found:
        return ""
    days = words.say(lang, "rules.days_off_separator").join(found)
    return words.say(lang, "rules.days_off", days=days)
