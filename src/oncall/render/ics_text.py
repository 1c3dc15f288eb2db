"""Every text an exported calendar shows, keyed by the rotation's language.

Titles and descriptions are what people read in their calendar, so a `language: ja`
rotation gets them in Japanese; UIDs, categories' rotation id and the file's structure
stay the same in every language. The words are the ``ics.`` keys of ``oncall.words``.
"""

from __future__ import annotations

from oncall import words


def say(language: str, key: str, **values: str) -> str:
    """The text ``key`` in ``language`` (a language without it is an error, not English)."""
    return words.say(language, f"ics.{key}", **values)
