"""Posting the "your duty moved" notices of `plan --notify` and `swap --notify`, and
saying who was told."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from oncall.core.errors import DeliveryError

if TYPE_CHECKING:
    from oncall.usecases.notify import Notice


def tell(
    notices: Sequence[Notice],
    targets: Mapping[Path, str],
    paths: Mapping[str, Path],
    *,
    to_stderr: bool = False,
) -> None:
    """Post the notices and say who was told; a failed post is exit 4 (the change itself
    was written, and the message says so)."""
    from oncall.render.notice import payload
    from oncall.usecases.notify import post_notices

    failures = dict(post_notices(notices, targets, paths, payload))
    out = sys.stderr if to_stderr else sys.stdout
    for notice in notices:
        if notice.rotation.id not in failures:
            names = ", ".join(change.handle for change in notice.moved)
            print(f"told {names} in {notice.rotation.id}'s chat", file=out)
    if not notices:
        print("nobody's duty changed: no notice posted", file=out)
    if failures:
        raise DeliveryError(
            "the change was written, but its notice could not be posted:\n"
            + "\n".join(f"{rotation}: {error}" for rotation, error in failures.items())
        )
