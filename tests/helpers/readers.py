"""Four iCalendar readers, each asked when every event of a file starts and ends, in UTC:
ical.js (Thunderbird, Nextcloud; under node), khal (its own command, `khal printics`),
icalendar and vobject (Python libraries that calendar servers and scripts use).

Each returns ``{UID: (start, end)}`` with the instants as ``YYYY-MM-DDTHH:MM:SSZ``, so a
test compares what the readers say with each other and with `oncall`'s own instants.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from tests.helpers.npm import node, npm_package
from tests.helpers.system import unavailable

Instants = dict[str, tuple[str, str]]

ICALJS = """
const [library, ...files] = process.argv.slice(1);
const ICAL = require(library);
const fs = require("fs");
const utc = (time) => time.toJSDate().toISOString().replace(".000Z", "Z");
const found = files.map((file) => {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return [event.uid, utc(event.startDate), utc(event.endDate)];
  });
  return events;
});
console.log(JSON.stringify(found));
"""

# khal prints in its local_timezone: UTC here, so its times are the instants.
KHAL_CONFIG = """\
[calendars]
[[unused]]
path = {folder}
[locale]
local_timezone = UTC
default_timezone = UTC
timeformat = %H:%M:%S
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%dT%H:%M:%SZ
longdatetimeformat = %Y-%m-%dT%H:%M:%SZ
"""


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def icaljs(cache: pytest.Cache, files: list[Path]) -> list[Instants]:
    """What ical.js reads, a fresh time zone service per file (as a client loading one)."""
    library = npm_package(cache, "ical.js") / "dist" / "ical.es5.cjs"
    found = json.loads(node(ICALJS, str(library), *map(str, files)))
    return [{uid: (start, end) for uid, start, end in events} for events in found]


def khal_program() -> str:
    """The khal of this environment (the test extra installs it beside python)."""
    beside = Path(sys.executable).with_name("khal")
    found = str(beside) if beside.is_file() else shutil.which("khal")
    if found is None:
        unavailable("khal is not installed (pip install '.[test]', see pyproject.toml)")
        raise AssertionError("unreachable")
    return found


def khal(files: list[Path], scratch: Path) -> list[Instants]:
    """What `khal printics` prints for each file."""
    program = khal_program()
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "calendar").mkdir(exist_ok=True)
    config = scratch / "config"
    config.write_text(KHAL_CONFIG.format(folder=scratch / "calendar"), encoding="utf-8")
    out = []
    for path in files:
        ran = subprocess.run(
            [program, "-c", str(config), "printics", "-f", "{uid}|{start-long}|{end-long}",
             str(path)],
            capture_output=True, text=True, timeout=300, check=False,
            env={"HOME": str(scratch), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        )
        assert ran.returncode == 0, ran.stderr[-2000:]
        lines = [line.split("|") for line in ran.stdout.splitlines() if line.count("|") == 2]
        out.append({uid: (start, end) for uid, start, end in lines})
    return out


def python_icalendar(files: list[Path]) -> list[Instants]:
    out = []
    for path in files:
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        out.append(
            {
                str(e["UID"]): (_utc(e.decoded("DTSTART")), _utc(e.decoded("DTEND")))
                for e in events
            }
        )
    return out


def python_vobject(files: list[Path]) -> list[Instants]:
    out = []
    for path in files:
        # vobject keeps the first VTIMEZONE it saw for a TZID for the life of the process:
        # forget them, as a fresh client would not know them.
        getattr(vobject.icalendar, "__tzidMap").clear()
        parsed = vobject.readOne(path.read_text(encoding="utf-8"))
        out.append(
            {
                e.uid.value: (_utc(e.dtstart.value), _utc(e.dtend.value))
                for e in parsed.vevent_list
            }
        )
    return out
