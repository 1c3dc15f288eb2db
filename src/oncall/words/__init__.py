"""Every word `oncall` writes for people, one catalogue per language: ``en.py``, ``ja.py``.

A catalogue is a plain module: ``TEXT`` (dotted key -> a ``str.format`` template), the
weekday and month names, and the holiday package's locales for that language. The key's
first part says where the text appears (``duty.`` who/remind/the relay, ``site.``,
``ics.``, ``month.``, ``rules.`` the site's rules paragraph, ``plan.`` the planner's
explanations, ``format.`` and ``list.`` how dates, hours and lists are written).

There is no fallback between languages: a key missing from a catalogue is a ``KeyError``
here and a failure of ``tests/test_words.py`` (which checks every catalogue holds every key
of the English one, with no placeholder English does not offer), never English text in a
Japanese message. The language comes from the rotation file, never from the locale.

A catalogue is imported only when a rotation of its language asks (the cron path loads
one), so adding a language costs the others nothing. See docs/translating.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

# Every language a rotation file may name (`language:`); each is a module of this package.
LANGUAGES: tuple[str, ...] = ("en", "ja")

_loaded: dict[str, ModuleType] = {}


def catalogue(language: str) -> ModuleType:
    """The module of ``language``'s words (``oncall.words.<language>``)."""
    found = _loaded.get(language)
    if found is None:
        if language not in LANGUAGES:
            raise KeyError(f"no catalogue for language {language!r}")
        found = _loaded[language] = import_module(f"{__name__}.{language}")
    return found


def say(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language`` with ``values`` filled in."""
    template: str = catalogue(language).TEXT[key]
    return template.format(**values)


def section(language: str, prefix: str) -> dict[str, str]:
    """Every template under ``prefix.`` keyed without it (the site's templates read these)."""
    start = prefix + "."
    return {
        key[len(start):]: template
        for key, template in catalogue(language).TEXT.items()
        if key.startswith(start)
    }


def weekday(language: str, weekday: int) -> str:
    """A weekday's short name, Monday = 0: Mon, 月."""
    names: tuple[str, ...] = catalogue(language).WEEKDAYS
    return names[weekday]


def weekday_name(language: str, weekday: int) -> str:
    """A weekday's full name, Monday = 0: Monday, 月曜."""
    names: tuple[str, ...] = catalogue(language).WEEKDAY_NAMES
    return names[weekday]


def month_name(language: str, month: int) -> str:
    """A month's name, January = 1: January, 1月."""
    names: tuple[str, ...] = catalogue(language).MONTHS
    return names[month - 1]


def holiday_locales(language: str) -> tuple[str, ...]:
    """The holidays package's languages for names, best first."""
    locales: tuple[str, ...] = catalogue(language).HOLIDAY_LOCALES
    return locales


def join(language: str, items: Sequence[str]) -> str:
    """Items as a list in a sentence: a and b, a, b and c; a、b、c."""
    if len(items) <= 1:
        return "".join(items)
    last = say(language, "list.last_separator")
    return say(language, "list.separator").join(items[:-1]) + last + items[-1]
