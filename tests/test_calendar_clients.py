"""Changes reach real calendar clients: a Radicale CalDAV server fed by the caldav client,
and vdirsyncer subscribed to the published feeds over HTTP.

Each test plans, exports every personal feed (v1), loads it into the client, makes one
change (a re-plan with someone away for a week and a new closure, a swap, a departure),
exports again (v2) and loads that the way the client does. The client must then show each
person exactly their duty as `oncall show --person` gives it: nothing stale, nothing twice.

The CalDAV upload is an import, as Thunderbird or Apple Calendar do it: the feed is split
into one object per UID; an object is replaced only when the new copy's SEQUENCE is
higher, and nothing is ever deleted, so a day someone lost disappears only because the
export sends it again as cancelled. vdirsyncer is a subscription: its `http` storage
reads the feed and mirrors it into a folder of .ics files (it names each item by a hash
of its content, so a subscription follows every change even without SEQUENCE; the test
proves the mirrored files show the new duty, each event once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import caldav
import icalendar
import pytest

from tests.helpers.calendars import add_closure, confirmed_days, events_of, set_member
from tests.helpers.cli import Runner
from tests.helpers.servers import radicale, static_site

pytestmark = pytest.mark.slow

CHANGES = ("replan", "swap", "left")


def _plan(cli: Runner, root: Path, now: str) -> None:
    result = cli("plan", "--seed", "1", "--now", now, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr


def _export(cli: Runner, root: Path, folder: Path) -> dict[str, bytes]:
    """Every personal feed, by handle (written by `export --per-person`)."""
    folder.mkdir()
    result = cli("export", "--format", "ics", "-o", str(folder), "--per-person", cwd=root)
    assert result.returncode == 0, result.stderr
    return {path.stem.removeprefix("app-"): path.read_bytes() for path in folder.glob("*.ics")}


def _shown(cli: Runner, root: Path, handle: str) -> list[date]:
    """The person's duty days as `oncall show --person` says."""
    result = cli("show", "--person", handle, "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr
    days = json.loads(result.stdout)["days"]
    return sorted(date.fromisoformat(day["date"]) for day in days if day["duty"])


def _change(cli: Runner, root: Path, change: str) -> None:
    path = root / "rotations" / "app.yaml"
    if change == "replan":
        set_member(path, "aiko", "unavailable: [2027-01-18..2027-01-22]")
        add_closure(path, "2027-01-27")
        _plan(cli, root, "2026-12-10T10:00")
    elif change == "left":
        set_member(path, "ken", "left: 2027-01-18")
        _plan(cli, root, "2026-12-10T10:00")
    else:
        shown = _shown(cli, root, "aiko")
        day = shown[0].isoformat()
        cover = next(h for h in ("raj", "li", "taro") if shown[0] not in _shown(cli, root, h))
        result = cli("swap", "--dates", day, "--out", "aiko", "--in", cover, "--force",
                     "--now", "2026-12-10T10:00", cwd=root)
        assert result.returncode == 0, result.stderr


FIELDS = ("SUMMARY", "DESCRIPTION", "STATUS", "SEQUENCE")


def _content(event: icalendar.Event) -> tuple[str, ...]:
    return (str(event.decoded("DTSTART")), *(str(event[key]) for key in FIELDS))


def _check(
    cli: Runner,
    root: Path,
    seen: dict[str, list[icalendar.Event]],
    latest: dict[str, bytes],
    *,
    by_uid: bool = True,
) -> None:
    """Each person's client shows their duty days as `show` does, each event once, and
    each event as the latest export says it (who they serve with, the swap noted).
    ``by_uid=False`` for a client that keeps no UIDs (vdirsyncer's http storage names
    each item by a hash of its content): then the events must match as a whole."""
    for handle, events in seen.items():
        assert confirmed_days(events) == _shown(cli, root, handle), handle
        uids = [str(event["UID"]) for event in events]
        assert len(uids) == len(set(uids)), handle
        exported = events_of([latest[handle]])
        if not by_uid:
            assert sorted(map(_content, events)) == sorted(map(_content, exported)), handle
            continue
        wanted = {str(e["UID"]): _content(e) for e in exported}
        for event in events:
            assert _content(event) == wanted[str(event["UID"])], (handle, str(event["UID"]))


# ---- CalDAV: Radicale and the caldav client ---------------------------------------------


def _upload(calendar: caldav.Calendar, feed: bytes) -> int:
    """Import a feed as a syncing client does; returns how many objects it PUT."""
    source = icalendar.Calendar.from_ical(feed)
    stored = {
        str(obj.icalendar_component["UID"]): int(obj.icalendar_component.get("SEQUENCE", 0))
        for obj in calendar.events()
    }
    put = 0
    for event in source.walk("VEVENT"):
        uid = str(event["UID"])
        if uid in stored and stored[uid] >= int(event["SEQUENCE"]):
            continue  # not newer: a client keeps what it has
        one = icalendar.Calendar()
        one.add("prodid", str(source["PRODID"]))
        one.add("version", "2.0")
        for zone in source.walk("VTIMEZONE"):
            one.add_component(zone)
        one.add_component(event)
        calendar.add_event(one.to_ical().decode("utf-8"), increase_seqno=False)
        put += 1
    return put


@pytest.mark.parametrize("change", CHANGES)
def test_radicale_shows_exactly_the_new_duty(
    cli: Runner, workspace: Path, tmp_path: Path, change: str
):
    _plan(cli, workspace, "2026-12-01T10:00")
    v1 = _export(cli, workspace, tmp_path / "v1")
    with radicale(tmp_path / "dav") as url:
        client = caldav.DAVClient(
            url=url, username="oncall", password="-", require_tls=False, enable_rfc6764=False
        )
        principal = client.principal()
        calendars = {
            handle: principal.make_calendar(name=handle, cal_id=handle) for handle in v1
        }
        for handle, feed in v1.items():
            assert _upload(calendars[handle], feed) == len(events_of([feed]))
        first = {h: [o.icalendar_component for o in c.events()] for h, c in calendars.items()}
        _check(cli, workspace, first, v1)
        _change(cli, workspace, change)
        v2 = _export(cli, workspace, tmp_path / "v2")
        assert set(v1) <= set(v2)  # nobody who had events loses their feed
        for handle, feed in v2.items():
            if handle not in calendars:
                calendars[handle] = principal.make_calendar(name=handle, cal_id=handle)
            _upload(calendars[handle], feed)
        seen = {h: [o.icalendar_component for o in c.events()] for h, c in calendars.items()}
    _check(cli, workspace, seen, v2)
    assert any(str(e["STATUS"]) == "CANCELLED" for events in seen.values() for e in events)


# ---- subscription: vdirsyncer over HTTP --------------------------------------------------


def _vdirsyncer_config(folder: Path, base: str, handles: list[str]) -> Path:
    lines = ["[general]", f'status_path = "{folder / "status"}/"', ""]
    for handle in handles:
        lines += [
            f"[pair feed_{handle}]", f'a = "web_{handle}"', f'b = "disk_{handle}"',
            "collections = null", 'conflict_resolution = "a wins"', "",
            f"[storage web_{handle}]", 'type = "http"', f'url = "{base}app-{handle}.ics"', "",
            f"[storage disk_{handle}]", 'type = "filesystem"',
            f'path = "{folder / "disk" / handle}/"', 'fileext = ".ics"', "",
        ]
    config = folder / "config"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def _vdirsyncer(config: Path, *args: str) -> None:
    command = [sys.executable, "-c", "from vdirsyncer.cli import app; app()", "-c", str(config)]
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, input="y\n" * 50, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _synced(folder: Path, handles: list[str]) -> dict[str, list[icalendar.Event]]:
    return {
        handle: events_of(p.read_bytes() for p in (folder / "disk" / handle).glob("*.ics"))
        for handle in handles
    }


@pytest.mark.parametrize("change", CHANGES)
def test_vdirsyncer_subscription_follows_each_change(
    cli: Runner, workspace: Path, tmp_path: Path, change: str
):
    _plan(cli, workspace, "2026-12-01T10:00")
    site = tmp_path / "site"
    site.mkdir()
    sync = tmp_path / "sync"
    sync.mkdir()
    with static_site(site) as base:
        v1 = _export(cli, workspace, site / "v1")
        handles = sorted(v1)
        for handle, feed in v1.items():
            (site / f"app-{handle}.ics").write_bytes(feed)
        config = _vdirsyncer_config(sync, base, handles)
        _vdirsyncer(config, "discover")
        _vdirsyncer(config, "sync")
        _check(cli, workspace, _synced(sync, handles), v1, by_uid=False)
        _change(cli, workspace, change)
        v2 = _export(cli, workspace, site / "v2")
        assert set(v2) == set(v1)  # the same people subscribe
        for handle, feed in v2.items():
            (site / f"app-{handle}.ics").write_bytes(feed)
        _vdirsyncer(config, "sync")
    _check(cli, workspace, _synced(sync, handles), v2, by_uid=False)
