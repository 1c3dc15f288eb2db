"""Every event of every example's calendar reads at the same UTC instants in four real
readers (ical.js under node, khal, icalendar, vobject) as in `oncall` itself (``Window.bounds``,
which `who`, `remind` and the spreadsheet use), DST changes included.

The autumn hour is the one readers disagree on: a start at 02:30 on the night Berlin's
clock goes from 03:00 back to 02:00 happens twice. RFC 5545 (3.3.5) and `oncall` mean the
first, ical.js and khal read ``DTSTART;TZID=Europe/Berlin:20271031T023000`` as the second,
so the calendar writes that moment in UTC (``render/ics.py: unambiguous``).
"""

from __future__ import annotations

import shutil
from datetime import UTC, date
from pathlib import Path

import icalendar
import pytest

from oncall.io.loading import load_rotation
from tests.helpers import readers
from tests.helpers.cli import Runner

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "rotations" / "app-daytime.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
NOW = "2026-11-23T10:00"
# Both DST changes of 2027 in one term: Sunday 03-28 skips 02:00-03:00, Sunday 10-31
# repeats it. One window starts in that hour, one ends in it.
BERLIN = """\
rotation: berlin-{name}
timezone: Europe/Berlin
window: {{days: [{days}], start: "{start}", end: "{end}"}}
shift: {{length: 1w, handoff: mon, people: 1}}
term: {{start: 2027-03-22, end: 2027-11-07}}
members:
  - {{handle: ann, name: Ann Lee, team: core}}
"""
BERLIN_WINDOWS = {
    "nights": ("sat, sun", "02:30", "07:00"),
    "evenings": ("fri, sat", "22:00", "02:30"),
}


@pytest.fixture(scope="module")
def exported(cli: Runner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The team calendar of every example and of the Berlin rotation, and all of them in one
    (``all.ics``), as `export` and `publish` write them."""
    root = tmp_path_factory.mktemp("readers")
    (root / "rotations").mkdir()
    for rotation in EXAMPLES:
        shutil.copy(rotation, root / "rotations" / rotation.name)
    for name, (days, start, end) in BERLIN_WINDOWS.items():
        text = BERLIN.format(name=name, days=days, start=start, end=end)
        (root / "rotations" / f"berlin-{name}.yaml").write_text(text, encoding="utf-8")
    planned = cli("plan", "--now", NOW, cwd=root)
    assert planned.returncode == 0, planned.stderr
    (root / "out").mkdir()
    ran = cli("export", "--format", "ics", "-o", "out", cwd=root)
    assert ran.returncode == 0, ran.stderr
    site = cli("publish", "site", "--now", NOW, cwd=root)
    assert site.returncode == 0, site.stderr
    shutil.copy(root / "site" / "all.ics", root / "out" / "all.ics")
    return root


def expected(root: Path, path: Path) -> dict[str, tuple[str, str]]:
    """`oncall`'s instants of each event of ``path``: its rotation's window on its day."""
    rotations = {}
    for file in (root / "rotations").glob("*.yaml"):
        if not file.name.endswith(".schedule.yaml"):
            rotation = load_rotation(file)
            rotations[rotation.id] = rotation
    found = {}
    for uid in readers.python_icalendar([path])[0]:
        stem, _, domain = uid.partition("@")
        rotation = rotations[domain.removesuffix(".oncall")]
        day = date(int(stem[:4]), int(stem[4:6]), int(stem[6:8]))
        start, end = rotation.window.bounds(day, rotation.tz)
        found[uid] = (
            start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    return found


def test_every_reader_reads_every_event_at_oncalls_instants(exported: Path, cache: pytest.Cache):
    files = sorted((exported / "out").glob("*.ics"))
    assert len(files) == len(EXAMPLES) + len(BERLIN_WINDOWS) + 1  # each rotation, all.ics
    read = {
        "ical.js": readers.icaljs(cache, files),
        "khal": readers.khal(files, exported / "khal"),
        "icalendar": readers.python_icalendar(files),
        "vobject": readers.python_vobject(files),
    }
    for index, path in enumerate(files):
        want = expected(exported, path)
        assert want, path.name
        for reader, instants in read.items():
            wrong = {
                uid: (instants[index].get(uid), moments)
                for uid, moments in want.items()
                if instants[index].get(uid) != moments
            }
            assert not wrong, f"{reader} reads {path.name} differently: {wrong}"


def test_the_repeated_autumn_hour_is_its_first_occurrence(exported: Path):
    nights = (exported / "out" / "berlin-nights.ics").read_text(encoding="utf-8")
    # The first 02:30 (CEST) is 00:30 UTC; the second would be 01:30.
    assert "DTSTART:20271031T003000Z" in nights
    assert "DTEND;TZID=Europe/Berlin:20271031T070000" in nights  # 07:00 happens once
    assert "DTSTART;TZID=Europe/Berlin:20271030T023000" in nights  # every other night: local
    evenings = (exported / "out" / "berlin-evenings.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Europe/Berlin:20271030T220000" in evenings
    assert "DTEND:20271031T003000Z" in evenings
    assert "20271031T023000" not in nights + evenings


def test_the_description_gives_the_clock_hours_of_the_day(exported: Path):
    data = (exported / "out" / "berlin-nights.ics").read_bytes()
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    spring = events["20270328@berlin-nights.oncall"]
    assert spring.decoded("DTSTART").strftime("%H:%M %Z") == "03:00 CEST"
    assert "Hours: 03:00-07:00 Europe/Berlin" in str(spring["DESCRIPTION"])
    ordinary = events["20270327@berlin-nights.oncall"]
    assert "Hours: 02:30-07:00 Europe/Berlin" in str(ordinary["DESCRIPTION"])
