"""A safe YAML layer: compose nodes, check the graph, read values from the raw text.

PyYAML follows YAML 1.1: ``10:00`` becomes 600, ``no`` becomes False, ``007`` becomes 7.
Constructing Python objects loses the text the user wrote, and expanding aliases first
lets a few hundred bytes ("billion laughs") take all memory. So we stop at the node
graph, refuse bombs, deep nesting, duplicate keys and odd tags there, and build every
value from ``node.value`` with the node's own position for errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from oncall.core.errors import InputError, Mark
from oncall.core.model import EARLIEST_DAY, LATEST_DAY, day_in_range

# Aliases may expand a document to MAX_NODES values, or to EXPANSION times the values
# actually written, whichever is more: bombs are refused, long files are not, and reading
# the expanded tree stays linear in the file's size.
MAX_NODES = 10_000
EXPANSION = 4
MAX_DEPTH = 32
# One bound on every whole number any file holds (rotation, schedule, relay config): the
# range of a calendar's INTEGER (RFC 5545), checked on the digits before Python converts
# them, so 5,000 digits is an error at its place rather than a ValueError. A key whose
# values mean less (a ledger's days, the relay's workers) bounds itself further.
MAX_INTEGER = 2**31 - 1
MIN_INTEGER = -(2**31)

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "false": False}
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
_INT = re.compile(r"[-+]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


class At:
    """Where a value sits: the file and its key path (``members[3].team``), for errors.

    One per value read, on every cron run: a plain class, which is cheaper to create (at
    import and per value) than a frozen dataclass."""

    __slots__ = ("file", "path")

    def __init__(self, file: str, path: str = "") -> None:
        self.file = file
        self.path = path

    def key(self, name: str) -> At:
        return At(self.file, f"{self.path}.{name}" if self.path else name)

    def item(self, index: int) -> At:
        return At(self.file, f"{self.path}[{index}]")

    def error(self, node: Node | None, message: str, hint: str | None = None) -> InputError:
        return InputError(message, mark=mark_of(node, self.file), path=self.path or None, hint=hint)


def mark_of(node: Node | Event | None, file: str) -> Mark:
    """The node's position as editors count it (1-based line and column)."""
    if node is None or node.start_mark is None:
        return Mark(file)
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Unusual(Exception):
    """A file the quick composer leaves to PyYAML's own parser (see ``document``)."""


class _Composer(Composer, Resolver):
    """Composes nodes from any event source, refusing deep nesting before Python's stack
    runs out and counting the nodes written in the text (alias repeats not counted)."""

    # Supplied by the parser each loader mixes in (PyYAML's Parser or libyaml's CParser).
    peek_event: Callable[[], Event]
    check_event: Callable[..., bool]

    def _start(self, file: str) -> None:
        Composer.__init__(self)
        Resolver.__init__(self)
        self.depth = 0
        self.file = file
        self.written = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise InputError(
                    f"found more than {MAX_DEPTH} levels of nesting, expected a flatter file",
                    mark=mark_of(self.peek_event(), self.file),
                )
            if not self.check_event(yaml.AliasEvent):
                self.written += 1
            # PyYAML passes a mapping's key node as the index; the stubs say int only.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


class _PyLoader(Reader, Scanner, Parser, _Composer):
    """PyYAML's own parser: the reference for what we accept and for every error."""

    def __init__(self, stream: str, file: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._start(file)


_CLoader: type | None = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibyamlLoader(_Composer, CParser):
        """libyaml's parser (~10x faster) feeding the same composer and checks. It marks
        plain scalars with style '' where PyYAML says None; we keep PyYAML's None."""

        def __init__(self, stream: str, file: str) -> None:
            CParser.__init__(self, stream)
            self._start(file)

        # PyYAML passes the event's anchor (a name or None); the stubs say a dict of nodes.
        def compose_scalar_node(self, anchor: str | None) -> ScalarNode:  # type: ignore[override]
            node = super().compose_scalar_node(anchor)  # type: ignore[arg-type]  # as above
            if node.style == "":
                node.style = None
            return node

        def document(self) -> Node | None:
            """The document's node graph, built as ``_Composer`` builds it (the same
            nodes, tags, marks and count of written nodes) in one loop over libyaml's
            events, several times faster on a roster of thousands. Anything the composer
            would refuse or word (nesting, aliases, anchors, a second document) raises
            ``_Unusual``: PyYAML's own parser then reads the file and says what is wrong."""
            if self.yaml_path_resolvers:
                raise _Unusual
            anchors: dict[str, Node]
            get, resolve, anchors = self.get_event, self.resolve, {}
            get()  # the stream's start
            if isinstance(get(), StreamEndEvent):  # else the document's start
                return None
            open_: list[list[Any]] = []  # per open collection: node, key waiting for value
            root: Node | None = None
            node: Node
            while root is None:
                event = get()
                kind = type(event)
                if len(open_) >= MAX_DEPTH and kind is not SequenceEndEvent and (
                    kind is not MappingEndEvent
                ):  # a node deeper than MAX_DEPTH, alias or not: PyYAML words the error
                    raise _Unusual
                if isinstance(event, ScalarEvent):
                    tag = event.tag
                    if tag is None or tag == "!":
                        # types-PyYAML leaves Resolver.resolve unannotated.
                        tag = resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
                    # libyaml's marks are yaml._yaml.Mark; the stubs' nodes take only yaml.error's.
                    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark,  # type: ignore[arg-type]
                                      style=event.style or None)
                elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                    shape = SequenceNode if kind is SequenceStartEvent else MappingNode
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = resolve(shape, None, event.implicit)  # type: ignore[no-untyped-call]
                    node = shape(tag, [], event.start_mark, None, flow_style=event.flow_style)  # type: ignore[arg-type]  # as above
                elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                    node = open_.pop()[0]
                    node.end_mark = event.end_mark
                    self._attach(open_, node)
                    root = None if open_ else node
                    continue
                elif isinstance(event, AliasEvent) and event.anchor in anchors:
                    root = self._attach(open_, anchors[event.anchor])
                    continue
                else:
                    raise _Unusual
                self.written += 1
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise _Unusual
                    anchors[event.anchor] = node
                if kind is ScalarEvent:
                    root = self._attach(open_, node)
                else:
                    open_.append([node, None])
            get()  # the document's end
            if not isinstance(get(), StreamEndEvent):
                raise _Unusual
            return root

        @staticmethod
        def _attach(open_: list[list[Any]], node: Node) -> Node | None:
            """Put ``node`` in the innermost open collection; the node itself when there is
            none (it is the document's root)."""
            if not open_:
                return node
            frame = open_[-1]
            parent = frame[0]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif frame[1] is None:
                frame[1] = node
            else:
                parent.value.append((frame[1], node))
                frame[1] = None
            return None

    _CLoader = _LibyamlLoader


def compose(text: str, file: str, *, max_nodes: int = MAX_NODES) -> Node | None:
    """The single document's node graph, checked; None when the file holds only comments.

    Read with libyaml when PyYAML has it; a file libyaml or our checks find fault with is
    read again by PyYAML's own parser, so every error (wording, line, column) is PyYAML's,
    exactly as without libyaml.
    """
    if _CLoader is not None:
        try:
            return _compose(_CLoader, text, file, max_nodes)
        except (InputError, _Unusual):
            pass
    return _compose(_PyLoader, text, file, max_nodes)


def _compose(loader_type: type, text: str, file: str, max_nodes: int) -> Node | None:
    loader = None
    try:
        loader = loader_type(text, file)  # PyYAML's reader checks the characters here
        if loader_type is _CLoader:
            node: Node | None = loader.document()
        elif not loader.check_node():
            return None
        else:
            node = loader.get_node()
        if loader_type is not _CLoader and loader.check_node():
            extra = loader.peek_event()
            raise InputError(
                "found a second document, expected one",
                mark=Mark(file, extra.start_mark.line + 1, extra.start_mark.column + 1),
                hint="remove the `---` line or split the file",
            )
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise InputError(
            f"found character {character!r} that YAML does not allow, expected text",
            mark=Mark(file, line, column),
        ) from None
    except RecursionError:
        raise InputError("found too much nesting", mark=Mark(file)) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is not None:
        _GraphCheck(file, max(max_nodes, EXPANSION * loader.written)).size(node, 1)
    return node


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    where = Mark(file, mark.line + 1, mark.column + 1) if mark else Mark(file)
    problem = exc.problem or "invalid YAML"
    if exc.context:
        context = exc.context
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            context += f" on line {exc.context_mark.line + 1}"
        problem = f"{problem} ({context})"
    return InputError(
        f"YAML syntax error: {problem}",
        mark=where,
        hint="check the indentation and quoting on this line and the one before it",
    )


class _GraphCheck:
    """One memoised pass over the graph: expanded size, expanded depth, cycles, tags and
    duplicate keys, so a shared node is examined once however often it is aliased."""

    def __init__(self, file: str, max_nodes: int) -> None:
        self.file = file
        self.max_nodes = max_nodes
        self.done: dict[int, tuple[int, int]] = {}  # id -> (expanded size, height)
        self.active: set[int] = set()

    def fail(self, node: Node, message: str, hint: str | None = None) -> InputError:
        return InputError(message, mark=mark_of(node, self.file), hint=hint)

    def size(self, node: Node, level: int) -> tuple[int, int]:
        key = id(node)
        if key in self.active:
            raise self.fail(node, "found an alias that contains itself, expected a tree")
        known = self.done.get(key)
        if known is None:
            self.active.add(key)
            known = self._measure(node, level)
            self.active.discard(key)
            self.done[key] = known
        _, height = known
        if level + height - 1 > MAX_DEPTH:
            raise self.fail(node, f"found more than {MAX_DEPTH} levels of nesting via aliases")
        return known

    def _measure(self, node: Node, level: int) -> tuple[int, int]:
        if node.tag == _TAG + "merge":
            raise self.fail(node, "found a merge key (<<), expected plain keys", "write them out")
        if node.tag not in _ALLOWED_TAGS:
            tag = "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
            raise self.fail(node, f"found tag {tag}, expected plain YAML", "remove the tag")
        children: list[Node] = []
        if isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, "found a list or mapping as a key, expected text")
                first = seen.get(key_node.value)
                if first is not None:
                    raise self.fail(
                        key_node,
                        f"found key {key_node.value!r} twice (first on line "
                        f"{first.start_mark.line + 1}), expected each key once",
                        hint="YAML would silently keep only the last one; remove one",
                    )
                seen[key_node.value] = key_node
                children += (key_node, value_node)
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        total, height = 1, 1
        for child in children:
            if type(child) is ScalarNode and child.tag in _ALLOWED_TAGS and level < MAX_DEPTH:
                child_total, child_height = 1, 1  # what size() finds for it, in short
            else:
                child_total, child_height = self.size(child, level + 1)
            total += child_total
            height = max(height, child_height + 1)
            if total > self.max_nodes:
                raise self.fail(
                    node,
                    f"found more than {self.max_nodes} values once aliases are expanded, "
                    "expected a small file",
                    hint="aliases (*name) that repeat aliases multiply; write values out",
                )
        return total, height


# ---- reading values from nodes ------------------------------------------------------


def is_null(node: Node) -> bool:
    """``~``, ``null`` or nothing, unquoted: the key counts as absent."""
    return isinstance(node, ScalarNode) and node.style is None and node.value in _NULLS


def describe(node: Node) -> str:
    """What the user wrote, for "found X, expected Y"."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing (null)"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    if isinstance(node, ScalarNode) and node.style in ("'", '"'):
        return f"quoted text {text!r}"
    return repr(text)


def scalar(node: Node, at: At, expected: str) -> str:
    """The raw text of a scalar; a list or mapping where a scalar belongs is an error."""
    if not isinstance(node, ScalarNode):
        raise at.error(node, f"found {describe(node)}, expected {expected}")
    return str(node.value)


def text(node: Node, at: At) -> str:
    """Text exactly as written, so ``007`` stays "007" and ``yes`` stays "yes"."""
    return scalar(node, at, "text")


def boolean(node: Node, at: At) -> bool:
    raw = scalar(node, at, "true or false")
    if isinstance(node, ScalarNode) and node.style is None and raw.lower() in _BOOLS:
        return _BOOLS[raw.lower()]
    hint = None
    if raw.lower() in _YAML11_BOOLS:
        hint = "YAML 1.1 reads yes/no/on/off as booleans by accident; write true or false"
    elif isinstance(node, ScalarNode) and node.style is not None and raw.lower() in _BOOLS:
        hint = "remove the quotes"
    raise at.error(node, f"found {describe(node)}, expected true or false", hint)


def integer(node: Node, at: At, low: int = MIN_INTEGER, high: int = MAX_INTEGER) -> int:
    """A whole number from ``low`` to ``high``, written without quotes."""
    raw = scalar(node, at, "a whole number")
    if isinstance(node, ScalarNode) and node.style is None and _INT.fullmatch(raw):
        return bounded_integer(raw, node, at, low, high)
    hint = "remove the quotes" if _INT.fullmatch(raw) else None
    raise at.error(node, f"found {describe(node)}, expected a whole number", hint)


def bounded_integer(
    digits: str, node: Node, at: At, low: int = MIN_INTEGER, high: int = MAX_INTEGER
) -> int:
    """``digits`` (an optional sign, then 0-9) as a number from ``low`` to ``high``; else
    the error at the node. Too many digits are refused before they are converted."""
    significant = digits.lstrip("+-").lstrip("0")
    value = int(digits) if len(significant) <= len(str(MAX_INTEGER)) else None
    if value is not None and low <= value <= high:
        return value
    shown = digits if len(digits) <= 20 else f"{digits[:12]}... ({len(significant)} digits)"
    if value is not None and value < low:
        raise at.error(node, f"found {shown}, expected a whole number >= {low}")
    raise at.error(node, f"found {shown}, expected a whole number from {low} to {high}")


def iso_date(node: Node, at: At) -> date:
    """A date written ``YYYY-MM-DD``, quoted or not; impossible dates say so."""
    raw = scalar(node, at, "a date (YYYY-MM-DD)").strip()
    return parse_date(raw, node, at)


@functools.lru_cache(maxsize=4096)
def _good_date(raw: str) -> date | None:
    """``raw`` as a date when ``parse_date`` accepts it, else None: a roster of thousands
    writes the same few hundred days again and again."""
    if not _DATE.fullmatch(raw):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if day_in_range(day) else None


def parse_date(raw: str, node: Node, at: At) -> date:
    day = _good_date(raw)
    if day is not None:
        return day
    if not _DATE.fullmatch(raw):
        raise at.error(node, f"found {raw!r}, expected a date (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise at.error(
            node, f"found {raw!r}, which is not a real date ({exc}), expected a date (YYYY-MM-DD)"
        ) from None
    if not day_in_range(day):
        raise at.error(
            node, f"found {raw}, expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
        )
    return day


def clock(node: Node, at: At, *, allow_24: bool = False) -> int:
    """Minutes after midnight from ``HH:MM``, read from the raw text: YAML 1.1 turns an
    unquoted 10:00 into 600, but the user wrote 10:00 and means it."""
    latest = "24:00" if allow_24 else "23:59"
    expected = f"a time HH:MM from 00:00 to {latest}"
    raw = scalar(node, at, expected).strip()
    match = _CLOCK.fullmatch(raw)
    if not match:
        raise at.error(node, f"found {describe(node)}, expected {expected}")
    hours, minutes = int(match[1]), int(match[2])
    if allow_24 and (hours, minutes) == (24, 0):
        return 24 * 60
    if hours > 23 or minutes > 59:
        raise at.error(node, f"found {raw!r}, which is not a time of day, expected {expected}")
    return hours * 60 + minutes


def aware_datetime(node: Node, at: At) -> datetime:
    """An ISO date-time with a UTC offset, so it means one instant wherever it is read."""
    expected = "an ISO date-time with offset, e.g. 2026-11-22T10:00:00+09:00"
    raw = scalar(node, at, expected).strip()
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise at.error(node, f"found {describe(node)}, expected {expected}") from None
    if value.tzinfo is None or not _DATE.match(raw):
        raise at.error(node, f"found {describe(node)} without an offset, expected {expected}")
    return value


def sequence(node: Node, at: At, expected: str = "a list") -> list[Node]:
    if not isinstance(node, SequenceNode):
        raise at.error(node, f"found {describe(node)}, expected {expected}")
    return list(node.value)


def mapping(node: Node, at: At, expected: str = "a mapping") -> Iterator[tuple[str, Node, Node]]:
    """(key text, key node, value node) pairs; keys are already unique and scalar."""
    if not isinstance(node, MappingNode):
        raise at.error(node, f"found {describe(node)}, expected {expected}")
    for key_node, value_node in node.value:
        yield str(key_node.value), key_node, value_node
