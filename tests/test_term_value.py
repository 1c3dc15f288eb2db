"""A rotation is the roster and the rules; a term is a value of its own, chosen in one
place (``oncall.core.term.choose_term``) and carried beside the rotation by the store's
``StoredTerm`` and the duty calendar (issue 19, point 1)."""

from __future__ import annotations

import shutil
import typing
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

import oncall.io.loading
from oncall.core import term as term_module
from oncall.core.calendar import days_off
from oncall.core.model import Rotation, Term, TermRule
from oncall.io.store import FileStore

ROOT = Path(__file__).resolve().parent.parent
ROTATION = ROOT / "rotations" / "app-daytime.yaml"


def test_a_rotation_has_no_term() -> None:
    hints = typing.get_type_hints(Rotation)
    assert "term" not in {f.name for f in fields(Rotation)}
    assert Term not in hints.values() and Term | None not in hints.values()
    assert hints["term_rule"] is TermRule  # the file's template, not a chosen term
    rotation = oncall.io.loading.load_rotation(ROTATION)
    assert not hasattr(rotation, "term")


def test_the_store_binds_the_term_that_choose_term_picks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every term the store hands out is one ``choose_term`` returned; the rotation beside
    it is the same value whatever the term."""
    (tmp_path / "rotations").mkdir()
    source = tmp_path / "rotations" / "app-daytime.yaml"
    shutil.copy(ROTATION, source)
    chosen: list[Term] = []
    picked = Term(date(2031, 1, 6), date(2031, 2, 2))

    def choose(rule: TermRule, **given: typing.Any) -> Term:
        term_module.choose_term(rule, **given)  # still checked as it would be
        chosen.append(picked)
        return picked

    monkeypatch.setattr(oncall.io.loading, "choose_term", choose)
    store = FileStore([source], holiday_tables=days_off)
    opened = store.open(source, unplanned=True)
    assert chosen == [picked]
    assert opened.term == picked
    assert opened.calendar().term == picked
    assert (opened.calendar().first, opened.calendar().last) == (picked.start, picked.end)
    monkeypatch.undo()
    other = FileStore([source]).open(source, term_start=date(2027, 4, 5), unplanned=True)
    assert other.term.start == date(2027, 4, 5)
    assert other.rotation == opened.rotation
