"""`oncall remind --post`: where the reminders go (a checked webhook URL) and posting
each one, as data. Imported only when ``--post`` (or its file/variable form) is given:
``oncall.io.webhook`` loads urllib and http.client, which the cron path does without.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from oncall.core.errors import DeliveryError


@dataclass(frozen=True)
class Posted:
    """One message posted for ``rotation`` (its id), or the ``failure`` that stopped it."""

    rotation: str
    failure: DeliveryError | None = None


def webhook_target(url: str | None, url_file: Path | None, url_env: str | None) -> str:
    """The checked webhook URL from exactly one of --post, --post-url-file and
    --post-url-env (a file or a variable keeps the secret out of ``ps``)."""
    from oncall.io.webhook import webhook_url

    return webhook_url(url, url_file, url_env)


def post_message(url: str, rotation: str, message: Mapping[str, object]) -> Posted:
    """Post ``message`` (a chat payload) for ``rotation``: a lasting failure comes back in
    ``Posted.failure`` so the other rotations' reminders still go out."""
    from oncall.io.webhook import post

    try:
        post(url, message)
    except DeliveryError as error:
        return Posted(rotation, error)
    return Posted(rotation)
