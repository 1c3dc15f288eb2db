"""What every chat module shares: the shape of an id (``IdShape``) and what a message
said while it was worded (``Said``). Plain classes: the cron path creates them on every run,
and a dataclass costs ~0.5 ms to create."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# A sign-in address: what Teams (UPN) mentions people by.
EMAIL = r"[^@\s<>,;:\"]+@[^@\s<>,;:\"]+\.[^@\s<>,;:\"]+"


class IdShape:
    """The shape of one kind of id (a member's or a group's) on one chat, and the words of
    the error and of the rotation-file reference about it.

    ``read(value)`` is the id as mentioned (trimmed, and for some chats without a leading
    ``@``) or None when ``value`` does not have the shape; ``expected`` and ``hint`` word
    the error, ``doc`` the key's line in docs/rotation-file.md."""

    __slots__ = ("doc", "expected", "hint", "normalize", "pattern", "refused")
    # ``pattern`` is compiled on first use (``re``'s cache): a cron run reads the ids of
    # the chats its rotation uses, and every chat module is imported to list them.

    def __init__(
        self,
        pattern: str,
        expected: str,
        doc: str,
        hint: str | None = None,
        *,
        normalize: Callable[[str], str] = str.strip,
        refused: tuple[str, ...] = (),
    ) -> None:
        self.pattern = pattern
        self.expected = expected
        self.doc = doc
        self.hint = hint
        self.normalize = normalize
        self.refused = refused  # words of the right shape that ping a whole channel

    def read(self, value: str) -> str | None:
        found = self.normalize(value)
        if re.fullmatch(self.pattern, found) and found not in self.refused:
            return found
        return None


class Said:
    """What one message mentions, collected while it is worded, for the payloads that
    declare them (Teams' mention entities, Discord's allowed users and roles): each
    person as ``(id, token)`` in the order first mentioned, and each group's id."""

    __slots__ = ("groups", "people")

    def __init__(self) -> None:
        self.people: list[tuple[str, str]] = []
        self.groups: list[str] = []

    def person(self, chat_id: str, token: str) -> None:
        if (chat_id, token) not in self.people:
            self.people.append((chat_id, token))

    def group(self, chat_id: str) -> None:
        if chat_id not in self.groups:
            self.groups.append(chat_id)
