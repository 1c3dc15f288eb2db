"""Whole-process start-up of the cron path (`who`, `remind`) against `python -c "import yaml"`.

`who` answers alert hooks and `remind` runs from cron, so the time a fresh interpreter needs
to answer is what users feel. The goal is a median at most 2x `import yaml` measured in the
same run. Every command runs in a fresh process, interleaved round-robin so drift in the
machine's load hits all of them alike; bytecode is cached first (as after `pip install`)
in a private PYTHONPYCACHEPREFIX, so no file is written into the repository. Each run's
wall time and CPU time (user + sys, the kernel's accounting of the finished child) are
kept: on a shared machine the CPU time and its ratio are the steadier figures.

    python bench/cron_startup.py [--runs 40] [--max-ratio 2] [--compare OTHER/src]

`oncall who` and `oncall remind` take the fast entry (``oncall.cli.entry``: no typer); the
"forced through typer" rows run the same calls through the typer CLI (``oncall.cli.app.main``)
to show what the fast entry saves, and "library only" runs the same `who` work with no
command line parsing at all. ``--compare`` adds the fast-entry rows once more with
``PYTHONPATH`` set to another tree's ``src/`` (e.g. ``git archive`` of an earlier commit),
interleaved in the same rounds: a before/after on one machine at one time.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.daily import make_rotation  # noqa: E402 - the tests' fixture rotation

LIBRARY_WHO = """
from pathlib import Path
from oncall.core.duty import duty_at
from oncall.core.clock import Clock
from oncall.io.store import FileStore
opened = FileStore().open(Path("rotations/app.yaml"), require_schedule=True)
found = duty_at(opened.rotation, opened.calendar(), opened.schedule,
                Clock.parse("2027-01-04T12:00").now(opened.rotation.tz))
print("\\n".join(p.handle for p in found.people))
"""


# The same `who`/`remind` calls forced through the typer CLI (oncall.cli.app.main), the way
# every call ran before the fast entry (oncall.cli.entry) existed.
TYPER_PATH = "import sys; from oncall.cli.app import main; sys.argv[0] = 'oncall'; main()"
FORCED = "forced through typer"  # rows for comparison, not held to --max-ratio


def commands(compare: str | None = None) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each row's command line and the environment variables it sets."""
    python = sys.executable
    cli = [python, "-m", "oncall"]
    who = ["who", "--now", "2027-01-04T12:00"]
    remind = ["remind", "--today", "--now", "2027-01-04T10:00"]
    todo = {
        'python -c "import yaml" (baseline)': [python, "-c", "import yaml"],
        "oncall who": [*cli, *who],
        "oncall who --format json": [*cli, *who, "--format", "json"],
        "oncall remind --today": [*cli, *remind],
        "oncall remind --next --format slack": [
            *cli, "remind", "--next", "--now", "2027-01-08T17:00", "--format", "slack",
        ],
    }
    script = Path(python).with_name("oncall")  # the console script cron runs
    if script.exists():
        todo["oncall who (installed `oncall` script)"] = [str(script), *who]
    todo.update(
        {
            f"oncall who, {FORCED}": [python, "-c", TYPER_PATH, *who],
            f"oncall remind --today, {FORCED}": [python, "-c", TYPER_PATH, *remind],
            'python -c "import typer" (the CLI framework alone)': [python, "-c", "import typer"],
            "who, library only (no CLI)": [python, "-c", LIBRARY_WHO],
        }
    )
    rows = {name: (command, {}) for name, command in todo.items()}
    if compare is not None:
        for name in [n for n in todo if _fast_entry(n) and "installed" not in n]:
            rows[f"{name} ({COMPARED})"] = (todo[name], {"PYTHONPATH": compare})
    return rows


COMPARED = "--compare tree"


def _fast_entry(name: str) -> bool:
    """The rows held to --max-ratio: the `oncall` commands through the fast entry."""
    return name.startswith("oncall ") and FORCED not in name and COMPARED not in name


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    runs: int, compare: str | None = None
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each row's wall times and CPU times, run by run."""
    with tempfile.TemporaryDirectory(prefix="oncall-bench-") as tmp:
        root = Path(tmp)
        make_rotation(root, language="ja")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        env.pop("NO_COLOR", None)
        todo = {
            name: (command, env | extra) for name, (command, extra) in commands(compare).items()
        }
        times: dict[str, list[float]] = {name: [] for name in todo}
        cpu: dict[str, list[float]] = {name: [] for name in todo}
        for command, each_env in todo.values():  # warm up: compile, fill the OS file cache
            for _ in range(2):
                done = subprocess.run(command, cwd=root, env=each_env, capture_output=True)
                if done.returncode != 0:
                    raise SystemExit(f"{command} failed:\n{done.stderr.decode()}")
        for _ in range(runs):
            for name, (command, each_env) in todo.items():
                start, used = time.perf_counter(), _children_cpu()
                subprocess.run(command, cwd=root, env=each_env, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(_children_cpu() - used)
        return times, cpu


def report(times: dict[str, list[float]], cpu: dict[str, list[float]], runs: int) -> str:
    names = list(times)
    baseline = statistics.median(times[names[0]])
    cpu_baseline = statistics.median(cpu[names[0]])
    lines = [
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{runs} runs each, interleaved; median and 90th percentile whole-process wall time, "
        "median CPU time (user + sys).",
        "",
        "| command | median ms | p90 ms | x baseline | CPU ms | CPU x baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in names:
        ordered = sorted(times[name])
        median = statistics.median(ordered)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        ratio = median / baseline
        used = statistics.median(cpu[name])
        lines.append(
            f"| {name} | {median * 1000:.1f} | {p90 * 1000:.1f} | {ratio:.2f} "
            f"| {used * 1000:.1f} | {used / cpu_baseline:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--max-ratio",
        type=float,
        default=None,
        help="exit 1 when an `oncall` command's median (fast entry) exceeds this multiple "
        "of the baseline",
    )
    parser.add_argument(
        "--compare",
        metavar="SRC",
        help="also run the fast-entry rows with PYTHONPATH=SRC, another tree's src/ "
        "(e.g. an earlier commit), interleaved in the same rounds",
    )
    args = parser.parse_args()
    compare = str(Path(args.compare).resolve()) if args.compare else None
    times, cpu = measure(args.runs, compare)
    print(report(times, cpu, args.runs))
    if compare is not None:
        print(f"\n({COMPARED}: PYTHONPATH={compare})")
    if args.max_ratio is not None:
        baseline = statistics.median(next(iter(times.values())))
        slow = [
            name
            for name, runs in times.items()
            if _fast_entry(name) and statistics.median(runs) > args.max_ratio * baseline
        ]
        if slow:
            print(f"over {args.max_ratio}x the baseline: {', '.join(slow)}", file=sys.stderr)
            raise SystemExit(1)


if __name__ == "__main__":
    main()
