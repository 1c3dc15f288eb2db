"""The one check of a ``--format`` value (and of other options with a fixed set of values).

Every command words the error alike, so scripts and people read one shape. Imported by the
cron fast path too: standard library and the errors only.
"""

from __future__ import annotations

from oncall.core.errors import InputError


def choice(
    option: str,
    value: str,
    allowed: tuple[str, ...],
    *,
    fold: bool = False,
    expected: str | None = None,
) -> str:
    """``value`` when it is one of ``allowed`` (compared without case and surrounding blanks
    when ``fold``), else an input error naming what is allowed (``expected`` words it)."""
    key = value.strip().lower() if fold else value
    if key in allowed:
        return key
    raise InputError(f"{option}: found {value!r}, expected {expected or _one_of(allowed)}")


def _one_of(allowed: tuple[str, ...]) -> str:
    return f"one of: {', '.join(allowed)}"
