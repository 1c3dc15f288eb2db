"""The alert relay with 2,000 open incidents: accept latency, delivery throughput with
an escalation timer and an incident-log line per incident, and the escalation of all of
them at once (issue 23 point 7).

Starts `oncall relay` as a real process (``--listen 127.0.0.1:0``) with two local chat
servers (the rotation's and SRE's, the escalation step's target) and sends ``--alerts``
Alertmanager bodies, each its own alert group, from ``--senders`` concurrent senders.
Two scenarios side by side in one run, on the same machine at the same moment:

- plain: the rotation has no escalation timer and acknowledgement is off (no timers).
- timers: ``escalation.after: 30m`` to SRE's chat, acknowledgement links on: each posted
  alert arms a timer (fsynced) and writes its incident-log line (fsynced). The relay is
  then restarted 31 minutes later on its clock (``--now``): every timer is due at once,
  and "escalated" is from the start until all 2 x alerts step messages are posted.

Accept latency is from sending a request to the relay's 2xx (spool write and fsync
included). Prints a Markdown table for docs/benchmarks.md; exits 1 if a message is lost
or posted twice. ``--against OTHER/src`` runs the plain scenario with another checkout's
relay as well.

    python bench/relay_incidents.py [--alerts 2000] [--senders 8] [--against OTHER/src]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
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

NOW, LATER = "2027-01-05T11:00", "2027-01-05T11:31"
SECRET = "bench-ack-secret-0123456789-0123456789"
STEP = ('escalation:\n  text: "Escalate to SRE after 30 minutes"\n  after: 30m\n'
        "  webhook_url_env: SRE_CHAT_URL\n")
ACK = "ack:\n  base_url: https://oncall.example.com\n  secret_env: RELAY_ACK_SECRET\n"


def _send(url: str, names: list[str], latencies: list[float]) -> None:
    for name in names:
        body = json.dumps(notification(name=name)).encode()
        sent = time.perf_counter()
        status, _ = request(url, body)
        latencies.append(time.perf_counter() - sent)
        if not 200 <= status < 300:
            raise SystemExit(f"{name}: HTTP {status}")


def _setup(root: Path, timers: bool) -> None:
    path = make_rotation(root)
    if timers:
        text = re.sub(r"^escalation: .*\n", STEP, path.read_text(), flags=re.M)
        path.write_text(text, encoding="utf-8")
    write_config(root, extra=ACK if timers else "")


def scenario(alerts: int, senders: int, timers: bool, src: str | None) -> dict[str, object]:
    names = [f"inc{index:05d}" for index in range(alerts)]
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder, chat_server() as chat, \
            chat_server() as sre:
        root = Path(folder)
        _setup(root, timers)
        env = {"SRE_CHAT_URL": sre.url, "RELAY_ACK_SECRET": SECRET}
        with relay(root, chat.url, NOW, src=src, env=env) as service:
            url = service.base + "/alertmanager"
            threads = [threading.Thread(target=_send, args=(url, names[i::senders], latencies))
                       for i in range(senders)]
            began = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            accepted_in = time.monotonic() - began
            timer_dir = root / "spool" / "timers"
            wait_for(lambda: chat.count() >= alerts and (not timers or len(
                list(timer_dir.glob("*.json"))) >= alerts), "every alert posted", 1800)
            posted_in = time.monotonic() - began
            service.terminate()
        escalated_in = None
        if timers:
            with relay(root, chat.url, LATER, src=src, env=env) as service:
                started = time.monotonic()
                wait_for(lambda: sre.count() >= alerts and chat.count() >= 2 * alerts,
                         "every incident escalated", 1800)
                escalated_in = time.monotonic() - started
                service.terminate()
            log = root / "spool" / "incidents.log"
            lines = [json.loads(line) for line in log.read_text().splitlines()]
            events = sorted(line["event"] for line in lines)
            if events != ["escalated"] * alerts + ["fired"] * alerts:
                raise SystemExit(f"incident log: {len(lines)} lines, expected {2 * alerts}")
        firsts = [t.split("\n")[0].split(" ")[1] for t in chat.texts()]
        expected = sorted(names * (2 if timers else 1))
        if sorted(firsts) != expected:
            raise SystemExit(f"{len(firsts)} posted, expected {len(expected)} exactly once")
    ordered = sorted(latencies)
    return {
        "scenario": "timers" if timers else "plain", "accepted/s": alerts / accepted_in,
        "median ms": statistics.median(ordered) * 1000,
        "p99 ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        "posted/s": alerts / posted_in, "posted in": posted_in,
        "escalated in": escalated_in,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--against", metavar="SRC", default=None,
                        help="also run the plain scenario with the relay from this src/")
    args = parser.parse_args()
    runs: list[tuple[str, bool, str | None]] = [("this", False, None), ("this", True, None)]
    if args.against:
        runs.insert(1, ("against", False, args.against))
    rows = []
    for server, timers, src in runs:
        row = scenario(args.alerts, args.senders, timers, src)
        row["server"] = server
        rows.append(row)
    print(f"Python {platform.python_version()}, {platform.machine()}; {args.alerts} "
          f"incidents per scenario, {args.senders} senders; each posted exactly once\n")
    print("| scenario | server | accepted/s | accept median | accept p99 | posted/s "
          "| all posted after | all escalated after |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        escalated = row["escalated in"]
        print(f"| {row['scenario']} | {row['server']} | {row['accepted/s']:.0f} | "
              f"{row['median ms']:.1f} ms | {row['p99 ms']:.1f} ms | {row['posted/s']:.0f} | "
              f"{row['posted in']:.1f} s | "
              f"{f'{escalated:.1f} s' if escalated is not None else '-'} |")


if __name__ == "__main__":
    main()
