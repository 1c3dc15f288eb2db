"""How a file's keys are declared, read and documented.

A ``Table`` of ``Key``s drives three things that must never disagree: what the loader
accepts (types, defaults, required keys), the "unknown key, did you mean" error, and the
reference in docs/rotation-file.md. The two tables themselves (rotation file, schedule file)
are in ``oncall.io.keys``; ``oncall.io.key_reference`` renders the reference from them
(``python -m oncall.io.key_reference > docs/rotation-file.md``); the reader of each kind of
value is in ``oncall.io.readers``.

Every cron run reads both files, so these are plain ``__slots__`` classes: creating a
dataclass costs ~0.5 ms at import, and nothing compares or hashes keys and sections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from yaml.nodes import Node

from oncall.core.errors import InputError
from oncall.io import yamlsafe as ys
from oncall.io.yamlsafe import At

if TYPE_CHECKING:
    from typing import Any

    Reader = Callable[[Node, At], Any]


class Key:
    """One key: ``path`` is dotted, ``[]`` marks the items of a list (``members[].team``).

    ``read`` is None for a section (a mapping of further keys), or for a list of sections
    when ``many`` is set. ``default`` is what an absent or null key means.
    """

    __slots__ = ("default", "default_doc", "doc", "kind", "many", "path", "read", "required")

    def __init__(
        self,
        path: str,
        kind: str,
        doc: str,
        read: Reader | None = None,
        *,
        required: bool = False,
        default: Any = None,
        default_doc: str | None = None,
        many: bool = False,
    ) -> None:
        self.path = path
        self.kind = kind
        self.doc = doc
        self.read = read
        self.required = required
        self.default = default
        self.default_doc = default_doc
        self.many = many

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""


class Table:
    """A file's keys, in the order the docs present them; ``children`` are the keys of
    each section by name, under the section's path (``""`` for the top)."""

    __slots__ = ("children", "keys", "title")

    def __init__(self, title: str, keys: tuple[Key, ...]) -> None:
        self.title = title
        self.keys = keys
        self.children: dict[str, dict[str, Key]] = {}
        for key in keys:
            self.children.setdefault(key.parent, {})[key.name] = key

    def read(self, node: Node | None, at: At, prefix: str = "") -> Section:
        """Check ``node`` against the keys under ``prefix`` and read each one."""
        known = self.children.get(prefix, {})
        present: dict[str, tuple[Node, Node]] = {}
        value_node: Node | None
        if node is not None:
            for name, key_node, value_node in ys.mapping(node, at):
                if name not in known:
                    raise unknown_key(name, key_node, known, at.key(name))
                present[name] = (key_node, value_node)
        section = Section(node, at)
        for name, key in known.items():
            sub = at.key(name)
            _, value_node = present.get(name, (None, None))
            if value_node is None or ys.is_null(value_node):
                if key.required:
                    where = value_node if value_node is not None else node
                    found = "nothing" if value_node is not None else f"no {name!r} key"
                    raise sub.error(where, f"found {found}, expected {key.kind} (required)")
                if key.read is None and not key.many:
                    section.values[name] = self.read(None, sub, key.path)
                else:
                    section.values[name] = key.default
                continue
            section.nodes[name] = value_node
            if key.read is not None:
                section.values[name] = key.read(value_node, sub)
            elif key.many:
                items = ys.sequence(value_node, sub, f"a list of {key.kind}")
                section.values[name] = [
                    self.read(item, sub.item(index), key.path + "[]")
                    for index, item in enumerate(items)
                ]
            else:
                section.values[name] = self.read(value_node, sub, key.path)
        return section


class Section:
    """The values of one mapping, with the nodes they came from for later cross-checks."""

    __slots__ = ("at", "node", "nodes", "values")

    def __init__(self, node: Node | None, at: At) -> None:
        self.node = node
        self.at = at
        self.values: dict[str, Any] = {}
        self.nodes: dict[str, Node] = {}

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def error(self, name: str | None, message: str, hint: str | None = None) -> InputError:
        """An error at the key's value, or at the section itself when the key is absent."""
        node = self.nodes.get(name, self.node) if name else self.node
        at = self.at.key(name) if name else self.at
        return at.error(node, message, hint)


def unknown_key(name: str, node: Node, known: dict[str, Key], at: At) -> InputError:
    """Typos are errors, because a key silently ignored makes a wrong schedule."""
    import difflib

    names = list(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else None
    expected = ", ".join(names) if names else "no keys here"
    return at.error(node, f"found unknown key {name!r}, expected one of: {expected}", hint)


def reference_table(table: Table) -> list[str]:
    """The Markdown table of ``table``'s keys (also used for the relay's config file)."""
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for key in table.keys:
        if key.required:
            default = "**required**"
        elif key.default_doc is not None:
            default = key.default_doc
        else:
            default = "see below" if key.read is None else "none"
        cells = (f"`{key.path}`", key.kind, default, key.doc)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return lines
