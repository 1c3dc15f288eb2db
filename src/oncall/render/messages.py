"""How `who`, `remind`, the alert relay and the site write a date, hours, a person and a
list, and their sentences (the ``duty.`` keys), in the rotation's language.

The words themselves live in one catalogue per language (``oncall.words``: ``en.py``,
``ja.py``), so a translator reads one file, and a Japanese team gets Japanese written the
way it is written in Slack, not a word-for-word copy of the English. The language comes
from the rotation file, never from the environment's locale (cron's differs from a shell's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from oncall import words
from oncall.core.model import Window


def text(language: str, key: str, **values: str) -> str:
    return words.say(language, f"duty.{key}", **values)


def weekday(language: str, when: date) -> str:
    return words.weekday(language, when.weekday())


def day(language: str, when: date) -> str:
    """A date as people of that language write it in chat: Mon 2027-01-04, 1月4日(月)."""
    return words.say(
        language,
        "format.day",
        weekday=weekday(language, when),
        iso=when.isoformat(),
        year=when.year,
        month=when.month,
        day=when.day,
    )


def window(language: str, hours: Window) -> str:
    """Window hours, saying so when they end the next day: 22:00-06:00 next day, 22:00〜翌06:00."""
    start = Window.format_minutes(hours.start)
    end = Window.format_minutes(hours.end)
    key = "format.window_overnight" if hours.end <= hours.start else "format.window"
    return words.say(language, key, start=start, end=end)


def honorific(language: str, who: str) -> str:
    """How a person is addressed: Japanese chat adds さん after a name or mention."""
    return words.say(language, "format.honorific", who=who)


def join(language: str, items: Sequence[str]) -> str:
    return words.join(language, items)
