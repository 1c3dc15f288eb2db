"""The layers hold: `lint-imports` checks the contracts in pyproject.toml (cli > render >
usecases > planner | io > core, the shell without cycles, the cron fast path without
typer, click, rich, holidays or icalendar, the shell without io, and no import circles),
counting imports inside functions too. A second check finds every circle among oncall's
modules one by one, package ``__init__`` modules included, with grimp (the graph library
import-linter is built on)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    script = Path(sys.executable).with_name("lint-imports")  # from the `test` extra
    assert script.exists(), f"{script} is missing: pip install '.[test]'"
    done = subprocess.run(
        [str(script), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing
    itself): each a circle of imports, sorted. Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            step = next(pending, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(imports[step]))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in imports[module]:
                    found.append(sorted(component))
    return sorted(found)


def test_cycle_finder_names_each_circle():
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}, "f": set()}
    assert _cycles(imports) == [["a", "b", "c"], ["d"]]


def test_no_module_imports_a_module_that_imports_it():
    import grimp

    graph = grimp.build_graph("oncall", cache_dir=None)  # function-level imports too
    modules = {m for m in graph.modules if m == "oncall" or m.startswith("oncall.")}
    imports = {
        m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules}
        for m in modules
    }
    circles = _cycles(imports)
    assert not circles, "import circles: " + "; ".join(" <-> ".join(c) for c in circles)
