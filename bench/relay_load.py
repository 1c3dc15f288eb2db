"""The alert relay's accept latency and throughput, and its recovery from a chat outage.

Each scenario starts `oncall relay` as a real process (``--listen 127.0.0.1:0``) with a
local chat server, sends Alertmanager webhook bodies over HTTP and times each request
from send to the relay's 2xx (the spool write, fsync included). Prints a Markdown table
for docs/benchmarks.md; exits 1 if any alert is lost or posted twice.

    python bench/relay_load.py [--alerts 2000] [--rate 100] [--outage 30] [--senders 8]
                               [--against OTHER/src]

``--against`` runs every scenario a second time with the relay from another checkout's
``src/`` (e.g. a ``git worktree`` of the commit before a change), one after the other in
the same run, so the two servers are compared on the same machine at the same moment.

- paced: ``--alerts`` at ``--rate`` a second from one sender, chat up.
- flat out: the same number from ``--senders`` concurrent senders, unpaced: the most the
  relay accepts a second on this machine.
- outage: paced, with the chat down for the first ``--outage`` seconds; "drained" is the
  time from the chat coming back to the last message posted.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.daily import make_rotation  # noqa: E402 - the tests' fixture rotation
from tests.helpers.relay import (  # noqa: E402 - the tests' relay bench
    chat_server,
    notification,
    relay,
    request,
    wait_for,
    write_config,
)

NOW = "2027-01-05T11:00"


def _sender(url: str, names: list[str], rate: float | None, latencies: list[float]) -> None:
    start = time.monotonic()
    for index, name in enumerate(names):
        body = json.dumps(notification(name=name)).encode()
        sent = time.perf_counter()
        status, _ = request(url, body)
        latencies.append(time.perf_counter() - sent)
        if not 200 <= status < 300:
            raise SystemExit(f"{name}: HTTP {status}")
        if rate:
            ahead = start + (index + 1) / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)


def scenario(label: str, alerts: int, rate: float | None, senders: int,
             outage: float, src: str | None = None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_rotation(root)
        write_config(root)
        names = [f"{label}{index:05d}" for index in range(alerts)]
        latencies: list[float] = []
        with chat_server() as chat:
            if outage:
                chat.down()
            with relay(root, chat.url, NOW, src=src) as service:
                url = service.base + "/alertmanager"
                came_back: list[float] = []
                if outage:
                    def back() -> None:
                        chat.up()
                        came_back.append(time.monotonic())
                    threading.Timer(outage, back).start()
                shares = [names[i::senders] for i in range(senders)]
                threads = [threading.Thread(target=_sender, args=(url, share, rate, latencies))
                           for share in shares]
                began = time.monotonic()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                sent_in = time.monotonic() - began
                wait_for(lambda: chat.count() >= alerts, "every alert posted", 1800)
                done = time.monotonic()
                service.terminate()
            texts = [t.split("\n")[0].split(" ")[-1] for t in chat.texts()]
    if sorted(texts) != names:
        raise SystemExit(f"{label}: {len(texts)} posted, {len(set(texts))} distinct, "
                         f"expected {alerts} exactly once")
    ordered = sorted(latencies)
    return {
        "scenario": label,
        "alerts": alerts,
        "senders": senders,
        "accepted/s": alerts / sent_in,
        "median ms": statistics.median(ordered) * 1000,
        "p99 ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        "all posted after": (done - began),
        "drained after outage": (done - came_back[0]) if outage and came_back else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--outage", type=float, default=30)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--against", metavar="SRC", default=None,
                        help="also run each scenario with the relay from this src/ folder")
    args = parser.parse_args()
    servers = [("this", None)] + ([("against", args.against)] if args.against else [])
    rows = []
    for label, rate, senders, outage in (("paced", args.rate, 1, 0),
                                         ("flatout", None, args.senders, 0),
                                         ("outage", args.rate, 1, args.outage)):
        for server, src in servers:
            row = scenario(label, args.alerts, rate, senders, outage, src)
            row["server"] = server if src is None else f"{server} ({src})"
            rows.append(row)
    print(f"Python {platform.python_version()}, {platform.machine()}; "
          f"{args.alerts} alerts per scenario; each posted exactly once\n")
    print("| scenario | server | senders | accepted/s | accept median | accept p99 "
          "| all posted after | drained after the chat came back |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        drained = row["drained after outage"]
        print(f"| {row['scenario']} | {row['server']} | {row['senders']} | "
              f"{row['accepted/s']:.0f} | "
              f"{row['median ms']:.1f} ms | {row['p99 ms']:.1f} ms | "
              f"{row['all posted after']:.1f} s | "
              f"{f'{drained:.1f} s' if drained is not None else '-'} |")

if __name__ == "__main__":
    main()
