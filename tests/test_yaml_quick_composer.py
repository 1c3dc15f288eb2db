"""libyaml's quick composer (``yamlsafe._LibyamlLoader.document``) must build exactly the
graph PyYAML's composer builds from the same events (nodes, tags, styles, marks, shared
alias targets, the count of nodes written), and leave every file it does not handle
plainly (deep nesting, anchors reused, unknown aliases, a second document) to PyYAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from oncall.io import yamlsafe

pytestmark = pytest.mark.skipif(yamlsafe._CLoader is None, reason="PyYAML without libyaml")

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "anchors": "a: &x {b: 1, c: [1, 2, &y 3]}\nd: *x\ne: *y\nf: [*x, *y]\n",
    "self": "a: &x [1, *x]\n",
    "tags": "a: !!str 10\nb: !custom x\nc: ! 12\nd: !!map {x: 1}\n",
    "merge": "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "styles": "a: |\n  l1\n  l2\nb: >-\n  f\nc: 'q'\nd: \"d\\n\"\ne:\nf: ~\n",
    "keys": "? [a, b]\n: v\n? {x: 1}\n: w\n'q': 1\n",
    "yaml11": "start: 10:00\nno: yes\nn: 007\nd: 2027-01-04\n",
    "nested": "a:\n- b:\n  - c:\n    - d: [e, {f: g}]\n",
    "root": "- 1\n- [2]\n",
    "scalar": "just text\n",
    "markers": "---\na: 1\n...\n",
    "deep": "a: " + "[" * 31 + "]" * 31 + "\n",  # 32 levels: the most allowed
}
LEFT_TO_PYYAML = {
    "too deep": "a: " + "[" * 32 + "]" * 32 + "\n",
    "alias too deep": "x: &x 1\na: " + "[" * 31 + "*x" + "]" * 31 + "\n",
    "anchor reused": "a: &x 1\nb: &x 2\n",
    "unknown alias": "a: *nope\n",
    "two documents": "a: 1\n---\nb: 2\n",
}


def shape(node: Any, seen: dict[int, int]) -> Any:
    if id(node) in seen:
        return ("same node", seen[id(node)])
    seen[id(node)] = len(seen)
    start, end = node.start_mark, node.end_mark
    marks = (start.index, start.line, start.column, end.index, end.line, end.column)
    if isinstance(node, yamlsafe.ScalarNode):
        return (node.tag, node.value, node.style, marks)
    if isinstance(node, yamlsafe.SequenceNode):
        return (node.tag, node.flow_style, marks, [shape(n, seen) for n in node.value])
    pairs = [(shape(k, seen), shape(v, seen)) for k, v in node.value]
    return (node.tag, node.flow_style, marks, pairs)


def both(text: str) -> tuple[Any, Any]:
    composed = []
    for quick in (False, True):
        loader = yamlsafe._CLoader(text, "f.yaml")
        try:
            if quick:
                node = loader.document()
            else:
                node = loader.get_node() if loader.check_node() else None
            composed.append((shape(node, {}) if node is not None else None, loader.written))
        finally:
            loader.dispose()
    return composed[0], composed[1]


def repo_files() -> list[Path]:
    return sorted(
        p for folder in ("rotations", "examples", "tests")
        for p in (ROOT / folder).rglob("*.yaml")
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_graph_as_pyyaml_composer(name: str) -> None:
    slow, quick = both(CASES[name])
    assert quick == slow


def test_same_graph_on_every_yaml_file_of_the_repository() -> None:
    compared = 0
    for path in repo_files():
        try:
            slow, quick = both(path.read_text(encoding="utf-8"))
        except (yamlsafe._Unusual, yamlsafe.InputError, yaml.YAMLError, UnicodeError):
            continue  # bad files: test_bad_input checks their errors
        assert quick == slow, path
        compared += 1
    assert compared > 20


@pytest.mark.parametrize("name", sorted(LEFT_TO_PYYAML))
def test_unusual_files_are_left_to_pyyaml(name: str) -> None:
    loader = yamlsafe._CLoader(LEFT_TO_PYYAML[name], "f.yaml")
    try:
        with pytest.raises(yamlsafe._Unusual):
            loader.document()
    finally:
        loader.dispose()
    with pytest.raises(yamlsafe.InputError):  # and PyYAML's reading words the error
        yamlsafe.compose(LEFT_TO_PYYAML[name], "f.yaml")
