"""One catalogue of words per language (``oncall.words``): every catalogue holds every key
of the English one and no other, its templates fill with the values the English one is
given, and a missing key or language is an error, never English in its place."""

from __future__ import annotations

import string
from types import ModuleType

import pytest

from oncall import words
from oncall.core.model import LANGUAGES

REFERENCE = "en"
OTHERS = [language for language in words.LANGUAGES if language != REFERENCE]
# How a date, a month or window hours are written: each language picks the parts it shows
# from the same offer (a Japanese date shows the month and day, an English one the ISO date).
FORMAT_VALUES = {
    "format.day": {"weekday", "iso", "year", "month", "day"},
    "format.month": {"name", "year", "month"},
}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def catalogues() -> dict[str, ModuleType]:
    return {language: words.catalogue(language) for language in words.LANGUAGES}


def test_the_rotation_file_offers_exactly_the_languages_with_a_catalogue():
    assert LANGUAGES == words.LANGUAGES
    assert REFERENCE in words.LANGUAGES


@pytest.mark.parametrize("language", OTHERS)
def test_every_key_exists_in_every_language(language: str):
    reference = set(words.catalogue(REFERENCE).TEXT)
    keys = set(words.catalogue(language).TEXT)
    assert sorted(reference - keys) == [], f"{language} lacks these keys"
    assert sorted(keys - reference) == [], f"{language} has keys English does not"


@pytest.mark.parametrize("language", OTHERS)
def test_a_translation_fills_only_values_the_english_is_given(language: str):
    """The callers pass what the English template names; a translation that asks for
    anything else would fail at the moment it is printed."""
    reference = words.catalogue(REFERENCE).TEXT
    for key, template in words.catalogue(language).TEXT.items():
        offered = FORMAT_VALUES.get(key, fields(reference[key]))
        assert fields(template) <= offered, key
        assert fields(reference[key]) <= offered, key


@pytest.mark.parametrize("language", words.LANGUAGES)
def test_names_of_days_and_months_are_complete(language: str):
    catalogue = words.catalogue(language)
    assert len(catalogue.WEEKDAYS) == len(set(catalogue.WEEKDAYS)) == 7
    assert len(catalogue.WEEKDAY_NAMES) == len(set(catalogue.WEEKDAY_NAMES)) == 7
    assert len(catalogue.MONTHS) == len(set(catalogue.MONTHS)) == 12
    assert catalogue.HOLIDAY_LOCALES


def test_a_missing_key_is_an_error_not_english():
    with pytest.raises(KeyError):
        words.say("ja", "duty.no_such_key")
    with pytest.raises(KeyError):
        words.say("fr", "duty.today")


def test_lists_are_written_as_each_language_writes_them():
    assert words.join("en", ["aiko", "ken", "mei"]) == "aiko, ken and mei"
    assert words.join("en", ["aiko", "ken"]) == "aiko and ken"
    assert words.join("ja", ["aiko", "ken", "mei"]) == "aiko、ken、mei"
    assert words.join("ja", ["aiko"]) == words.join("en", ["aiko"]) == "aiko"


def test_no_module_outside_the_catalogues_branches_on_a_language():
    """How a language writes a date, a list or a sentence is its catalogue's business: a
    module that tests ``language == "ja"`` would need editing for every new language."""
    import re
    from pathlib import Path

    src = Path(words.__file__).resolve().parent.parent
    branch = re.compile(r"""\b\w*lang\w*\s*(==|!=|in)\s*\(?["']""", re.IGNORECASE)
    found = [
        f"{path.relative_to(src)}:{number}"
        for path in sorted(src.rglob("*.py"))
        if path.parent.name != "words"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert found == []
