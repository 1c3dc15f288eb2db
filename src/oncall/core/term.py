"""Which term a command works on: a pure choice from the rotation's term rule, the term
the store holds as current, and what the command line says.

The rotation file's ``term:`` is a template (``TermRule``): it says when the first term
starts and how long terms last. Once a term is planned, the store is the record of which
term is current: it wins over the template when they start on different days (a later
term from ``plan --next-term``, or one from ``plan --start``); on the same day the
template's end or length still rules, so editing it re-plans. ``--start``/``--end`` win
over both. Errors carry the key they are about (``path``), for the store to point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from oncall.core.dates import in_range, term_last_day
from oncall.core.errors import InputError
from oncall.core.model import MAX_TERM_DAYS, Term, TermRule

DEFAULT_LENGTH = (3, "mo")


def choose_term(
    rule: TermRule,
    *,
    current: Term | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Term:
    """The term to work on: ``start``/``end`` (the command line) over the stored
    ``current`` term over the rule."""
    if start is None and current is not None and (not rule.written or rule.start != current.start):
        return checked(current.start, end, "--end") if end is not None else current
    if rule.end is not None and rule.length is not None:
        raise InputError(
            "found both end and length, expected one of them",
            path="term.end",
            hint="remove `length` to keep the end date, or `end` to keep the length",
        )
    for option, day in (("--start", start), ("--end", end)):
        if day is not None:
            in_range(day, option)
    first = start or rule.start
    if first is None:
        raise InputError(
            "found no term start, expected term.start in the file or --start",
            path="term.start" if rule.written else "term",
        )
    if end is not None:
        return checked(first, end, "--end")
    if rule.end is not None:
        return checked(first, rule.end, "term.end")
    count, unit = rule.length or DEFAULT_LENGTH
    return Term(first, term_last_day(first, count, unit, rule.handoff))


def checked(start: date, end: date, source: str) -> Term:
    """``start..end``, if it is a term: not ending before it starts, at most ten years."""
    where = "term.end" if source == "term.end" else "term"
    if end < start:
        raise InputError(
            f"found {source} {end} before the term start {start}, expected a later date",
            path=where,
            hint="pass --end, or fix term.end" if source == "term.end" else None,
        )
    if (end - start).days + 1 > MAX_TERM_DAYS:
        raise InputError(
            f"found {source} {end}, {(end - start).days + 1} days after the term start "
            f"{start}, expected a term of at most {MAX_TERM_DAYS} days (ten years)",
            path=where,
            hint="plan one term at a time; terms follow each other",
        )
    return Term(start, end)


def term_holding(terms: Sequence[Term], day: date) -> Term | None:
    """The term of ``terms`` (oldest first, not overlapping) that holds ``day``."""
    for term in reversed(terms):
        if term.start <= day:
            return term if day <= term.end else None
    return None
