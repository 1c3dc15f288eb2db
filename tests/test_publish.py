"""`oncall publish`: the site's files, its bytes, its languages, and how it replaces a
folder (only one it made, all at once). The browser checks are in test_publish_browser.py."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
import vobject

from oncall.core.calendar import days_off
from oncall.core.clock import Clock
from oncall.core.duty_load import duty_load
from oncall.core.model import DateRange
from oncall.core.schedule import Override
from oncall.io import folder
from oncall.io.store import FileStore
from oncall.render.site import fairness_svg
from oncall.usecases.publish import FairnessBar, fairness_bars, publish
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

NOW = "2027-01-05T12:00"
SWAP = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "dentist")


def site_tree(root: Path) -> dict[str, bytes]:
    found = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in found}


def add_rotation(root: Path, name: str) -> None:
    """A second rotation beside rotations/app.yaml: the same roster under another id."""
    folder_ = root / "rotations"
    for suffix in (".yaml", ".schedule.yaml"):
        text = (folder_ / f"app{suffix}").read_text(encoding="utf-8")
        (folder_ / f"{name}{suffix}").write_text(
            text.replace("rotation: app", f"rotation: {name}"), encoding="utf-8"
        )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    make_rotation(tmp_path / "ws", overrides=(SWAP,))
    return tmp_path / "ws"


def published(
    cli: Runner, workspace: Path, out: Path, *args: str, now: str = NOW
) -> dict[str, bytes]:
    ran = cli("publish", str(out), *args, "--now", now, cwd=workspace)
    assert ran.returncode == 0, ran.stderr
    assert f"{out}/index.html" in ran.stdout
    return site_tree(out)


def test_site_files_and_pages(cli: Runner, workspace: Path, tmp_path: Path):
    files = published(cli, workspace, tmp_path / "site")
    handles = ["aiko", "ken", "taro", "li", "raj", "mei"]
    assert set(files) == {
        ".oncall-publish", "index.html", "style.css", "all.ics",
        "app/index.html", "app/app.ics", "app/app.csv", "app/app.json", "app/fairness.svg",
        "app/report.html", *(f"app/app-{h}.ics" for h in handles),
        *(f"app/people/{h}.html" for h in handles),
        *(f"people/{h}.html" for h in handles), *(f"people/{h}.ics" for h in handles),
    }
    page = files["app/index.html"].decode()
    assert '<html lang="en">' in page and 'name="viewport"' in page
    assert "Ken &lt;R&amp;D&gt;" in page and "<R&D>" not in page  # autoescaped
    assert page.count('<th scope="col"><abbr title="Monday">Mon</abbr></th>') == 1
    assert re.search(r'data-date="2027-01-05" aria-current="date"', page)
    assert 'class="changed"' in page and "Coming of Age Day" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    now = page[page.index('<section class="now"') : page.index("</section>")]
    assert "Aiko Sato" in now and "Tue 2027-01-05 12:00 (Asia/Tokyo)" in now
    assert "until Tue 2027-01-05 17:00" in now and "from Wed 2027-01-06 10:00" in now
    assert "Only volunteers serve." in page and "@sre-oncall" in page


def test_feeds_are_what_export_writes(cli: Runner, workspace: Path, tmp_path: Path):
    files = published(cli, workspace, tmp_path / "site")
    for args, name in (
        (("--format", "ics"), "app/app.ics"),
        (("--format", "ics", "--person", "aiko"), "app/app-aiko.ics"),
        (("--format", "csv"), "app/app.csv"),
    ):
        exported = cli("export", *args, cwd=workspace, text=False)
        assert exported.stdout == files[name], name
    assert b"UID:20270104@app.oncall" in files["all.ics"]


def test_json_for_scripts(cli: Runner, workspace: Path, tmp_path: Path):
    data = json.loads(published(cli, workspace, tmp_path / "site")["app/app.json"])
    assert data["version"] == 1 and data["generated_at"] == "2027-01-05T12:00:00+09:00"
    assert [p["handle"] for p in data["now"]["primary"]] == ["aiko", "ken"]
    assert data["now"]["on_duty"] is True and data["now"]["version"] == 1
    assert [p["handle"] for p in data["next"]["primary"]] == ["raj", "ken"]
    day = next(d for d in data["schedule"]["days"] if d["date"] == "2027-01-06")
    assert day["primary"] == ["raj", "ken"] and day["overrides"][0]["reason"] == "dentist"


def test_person_pages_subscribe_links(cli: Runner, workspace: Path, tmp_path: Path):
    plain = published(cli, workspace, tmp_path / "plain")["app/people/raj.html"].decode()
    assert 'href="../app-raj.ics"' in plain and "webcal://" not in plain
    assert "2027-01-06: aiko → raj (dentist)" in plain
    base = "https://oncall.example.com/team"
    files = published(cli, workspace, tmp_path / "hosted", "--base-url", base)
    page = files["app/people/raj.html"].decode()
    assert 'href="webcal://oncall.example.com/team/app/app-raj.ics"' in page
    assert 'href="https://oncall.example.com/team/app/app-raj.ics"' in page
    upcoming = page[page.index("Upcoming duties") : page.index("Past duties")]
    assert "Wed 2027-01-06" in upcoming


def test_same_state_same_bytes(cli: Runner, workspace: Path, tmp_path: Path):
    first = published(cli, workspace, tmp_path / "one")
    second = published(cli, workspace, tmp_path / "two")
    assert first == second
    moved = published(cli, workspace, tmp_path / "three", now="2027-01-20T12:00")
    assert moved["app/app.ics"] == first["app/app.ics"]  # the feeds never depend on --now
    assert moved["app/index.html"] != first["app/index.html"]  # the "now" box does


def test_japanese_site(cli: Runner, tmp_path: Path):
    make_rotation(tmp_path / "ws", language="ja")
    files = published(cli, tmp_path / "ws", tmp_path / "site")
    page = files["app/index.html"].decode()
    assert '<html lang="ja">' in page and files["index.html"].decode().count('lang="ja"') == 1
    assert '<abbr title="月曜">月</abbr>' in page and "成人の日" in page
    assert "2027年1月" in page and "現在の担当" in page and "担当は希望者のみ。" in page
    assert "1月5日(火) 12:00" in page
    assert '<html lang="ja">' in files["app/people/aiko.html"].decode()


def test_several_rotations_share_a_landing_page(cli: Runner, workspace: Path, tmp_path: Path):
    add_rotation(workspace, "web")
    files = published(cli, workspace, tmp_path / "site")
    landing = files["index.html"].decode()
    assert 'href="app/index.html"' in landing and 'href="web/index.html"' in landing
    assert "web/web-aiko.ics" in files and "web/people/aiko.html" in files
    assert b"@web.oncall" in files["all.ics"] and b"@app.oncall" in files["all.ics"]


def test_the_combined_feed_escapes_its_name(cli: Runner, workspace: Path, tmp_path: Path):
    """NAME is TEXT (RFC 7986): the commas between rotation names are escaped, as in
    X-WR-CALNAME, and a reader gets the title back whole."""
    add_rotation(workspace, "web")
    data = published(cli, workspace, tmp_path / "site")["all.ics"]
    lines = data.decode().splitlines()
    assert "NAME:On call: app\\, web" in lines and "X-WR-CALNAME:On call: app\\, web" in lines
    calendar = vobject.readOne(data.decode()).contents  # icalendar keeps NAME unparsed
    assert [p.value for p in calendar["name"] + calendar["x-wr-calname"]] == [
        "On call: app, web", "On call: app, web"
    ]


def test_a_member_never_on_duty_gets_no_feed_and_no_page(
    cli: Runner, workspace: Path, tmp_path: Path
):
    """As `export --per-person`: no empty calendar, no page nothing links to."""
    rotation = workspace / "rotations" / "app.yaml"
    with rotation.open("a", encoding="utf-8") as out:
        out.write("  - {handle: zoe, name: Zoe Park, team: payments, volunteer: false}\n")
    files = published(cli, workspace, tmp_path / "site")
    assert "app/app-zoe.ics" not in files and "app/people/zoe.html" not in files
    pages = {n: d for n, d in files.items() if n.endswith(".html") and n != "app/report.html"}
    assert not any(b"zoe" in data for data in pages.values())
    # The review page lists the whole roster, her 0 duty days included (a count, not a link).
    review = files["app/report.html"].decode()
    assert '<th scope="row">zoe</th><td>Zoe Park</td><td>0</td>' in review
    (tmp_path / "feeds").mkdir()
    export = cli("export", "--format", "ics", "-o", str(tmp_path / "feeds"), "--per-person",
                 cwd=workspace)
    assert export.returncode == 0, export.stderr
    assert "no duty in app for zoe: no file written for them" in export.stderr + export.stdout
    exported = {f"app/{p.name}" for p in (tmp_path / "feeds").glob("app-*.ics")}
    assert exported == {name for name in files if name.startswith("app/app-")}
    for path in exported:  # the same bytes, as the team feeds are
        assert files[path] == (tmp_path / "feeds" / path.removeprefix("app/")).read_bytes()


def test_refuses_a_folder_it_did_not_make(cli: Runner, workspace: Path, tmp_path: Path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    ran = cli("publish", str(precious), "--now", NOW, cwd=workspace)
    assert ran.returncode == 2 and "not made by `oncall publish`" in ran.stderr
    assert site_tree(precious) == {"thesis.txt": b"years of work"}
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert cli("publish", str(file), "--now", NOW, cwd=workspace).returncode == 2
    missing = cli("publish", str(tmp_path / "no" / "such"), "--now", NOW, cwd=workspace)
    assert missing.returncode == 2 and "mkdir -p" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "index.html" in published(cli, workspace, empty)


def test_replaces_an_earlier_publish_whole(cli: Runner, workspace: Path, tmp_path: Path):
    out = tmp_path / "site"
    first = published(cli, workspace, out)
    (out / "app" / "stale.html").write_text("from an older publish")
    assert published(cli, workspace, out) == first  # the stale file is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]  # no temporary trees


def test_a_failed_swap_leaves_the_old_site(
    cli: Runner, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "site"
    first = published(cli, workspace, out)

    def broken(built: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder, "_swap_in", broken)
    ran = cli("publish", str(out), "--now", "2027-01-20T12:00", cwd=workspace)
    assert ran.returncode == 2 and "No space left on device" in ran.stderr
    assert site_tree(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]


def test_bad_base_url(cli: Runner, workspace: Path, tmp_path: Path):
    ran = cli("publish", str(tmp_path / "s"), "--base-url", "oncall.example.com", cwd=workspace)
    assert ran.returncode == 2 and "--base-url" in ran.stderr and "Traceback" not in ran.stderr


def test_fairness_chart_takes_earlier_terms(workspace: Path):
    store = FileStore([workspace / "rotations" / "app.yaml"], holiday_tables=days_off)
    site = publish(store, Clock.parse(NOW), base_url=None)
    (rotation,) = site.rotations
    feed = rotation.feed
    duty = duty_load(feed.rotation, feed.calendar, feed.schedule)
    bars = fairness_bars(rotation.view, duty)
    assert {b.person.handle: (b.this_term, b.earlier) for b in bars}["aiko"] == (9, 0)
    assert bars == rotation.fairness
    ledger = fairness_bars(rotation.view, duty, {"aiko": 9})
    svg = fairness_svg(list(ledger), "en").decode()
    widths = re.findall(r'<rect x="\d+" y="\d+" width="(\d+)" height="20"', svg)
    # aiko: earlier 9 + this 9 is the longest bar, split in two equal halves
    assert widths[:2] == ["190", "190"]
    assert "Ken &lt;R&amp;D&gt;" in svg and "<R&D>" not in svg
    assert isinstance(ledger[0], FairnessBar)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_style_sheet_colours_meet_wcag_aa(cli: Runner, workspace: Path, tmp_path: Path):
    """Every text colour on every light background of the style sheet: 4.5:1 at least;
    the one dark background (the "today" label) carries white text."""
    css = published(cli, workspace, tmp_path / "site")["style.css"].decode()
    texts = set(re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", css)) - {"#ffffff"}
    backgrounds = set(re.findall(r"background: (#[0-9a-f]{6})", css))
    dark = {b for b in backgrounds if _luminance(b) < 0.3}
    assert dark == {"#c2410c"} and len(texts) >= 5 and len(backgrounds) >= 6
    for text in texts:
        for background in backgrounds - dark:
            assert _contrast(text, background) >= 4.5, (text, background)
    assert _contrast("#ffffff", "#c2410c") >= 4.5


def test_folder_swap_with_and_without_an_atomic_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "site"
    folder.replace_folder(target, {"a/b.html": b"one"}, ".marker")
    assert site_tree(target) == {".marker": b"oncall publish\n", "a/b.html": b"one"}
    exchanged: list[bool] = []
    real = folder._exchange
    monkeypatch.setattr(folder, "_exchange", lambda a, b: exchanged.append(real(a, b)) or True)
    folder.replace_folder(target, {"c.html": b"two"}, ".marker")
    assert exchanged == [True]  # Linux: one renameat2(RENAME_EXCHANGE)
    assert site_tree(target) == {".marker": b"oncall publish\n", "c.html": b"two"}
    monkeypatch.setattr(folder, "_exchange", lambda a, b: False)  # elsewhere: two renames
    folder.replace_folder(target, {"d.html": b"three"}, ".marker")
    assert site_tree(target) == {".marker": b"oncall publish\n", "d.html": b"three"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700: servable


def test_kept_terms_and_the_ledger(cli: Runner, tmp_path: Path):
    """After `plan --next-term` the site shows every kept term's months, the feeds hold
    every term (as export writes them) and the chart takes the ledger carried in."""
    ws = tmp_path / "ws"
    make_rotation(ws)
    assert cli("plan", "--next-term", "--now", "2027-01-20T12:00", cwd=ws).returncode == 0
    files = published(cli, ws, tmp_path / "site", now="2027-02-03T12:00")
    page = files["app/index.html"].decode()
    assert 'id="month-2027-01"' in page and 'id="month-2027-02"' in page
    assert 'data-date="2027-01-05"' in page and 'aria-current="date"' in page
    for args, name in (
        (("--format", "ics"), "app/app.ics"), (("--format", "csv"), "app/app.csv")
    ):
        assert cli("export", *args, cwd=ws, text=False).stdout == files[name], name
    assert b"UID:20270104@app.oncall" in files["app/app.ics"]  # the kept term's first day
    aiko = files["app/people/aiko.html"].decode()
    assert "Mon 2027-01-04" in aiko[aiko.index("Past duties") :]
    ran = cli("report", "--format", "json", "--now", "2027-02-03T12:00", cwd=ws)
    first_term, this_term = json.loads(ran.stdout)["rotations"][0]["terms"]
    row = re.search(r"@aiko</span></th><td>payments</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row is not None  # this term's duty days, then the earlier terms' (the ledger)
    people = (this_term["people"]["aiko"], first_term["people"]["aiko"])
    assert (int(row[1]), int(row[2])) == (people[0]["duty_days"], people[1]["load"]) == (5, 10)


def _who(cli: Runner, ws: Path, *args: str) -> dict:
    ran = cli("who", *args, "--format", "json", cwd=ws)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def _handles(found: dict | None) -> list[str]:
    return [p["handle"] for p in found["primary"] + found["shadow"]] if found else []


def test_planned_early_the_site_answers_as_who_does(cli: Runner, tmp_path: Path):
    """`plan --next-term` while the term still runs (the usual practice): "now", "next",
    the JSON, the feeds and the heading cover the running term and the next one, and
    every answer is `who`'s."""
    ws = tmp_path / "ws"
    make_rotation(ws)
    assert cli("plan", "--next-term", "--now", "2027-01-20T12:00", cwd=ws).returncode == 0
    for now, later in (
        ("2027-01-20T12:00", "2027-01-25"),  # the running (kept) term: the next hand-off
        ("2027-01-27T12:00", "2027-02-01"),  # its last shift: next is the new term's first
        ("2027-01-30T12:00", "2027-02-01"),  # the weekend between: nobody, then Monday
        ("2027-02-03T12:00", "2027-02-08"),  # the new term
    ):
        data = json.loads(published(cli, ws, tmp_path / now, now=now)["app/app.json"])
        assert data["now"] == _who(cli, ws, "--now", now), now
        assert data["next"]["date"] == later, now
        assert _handles(data["next"]) == _handles(_who(cli, ws, "--date", later)), now
    files = published(cli, ws, tmp_path / "site", now="2027-01-20T12:00")
    schedule = json.loads(files["app/app.json"])["schedule"]
    assert (schedule["from"], schedule["to"]) == ("2027-01-04", "2027-02-24")
    assert schedule["terms"] == [
        {"from": "2027-01-04", "to": "2027-01-29"}, {"from": "2027-01-30", "to": "2027-02-24"}
    ]
    csv_days: dict[str, list[str]] = {}
    for line in files["app/app.csv"].decode().splitlines()[1:]:
        cells = line.split(",")
        csv_days.setdefault(cells[0], []).append(cells[6])
    ics = files["app/app.ics"].decode()
    for day in schedule["days"]:
        asked = _who(cli, ws, "--date", day["date"], "--now", "2027-01-20T12:00")
        assert day["primary"] + day["shadow"] == _handles(asked), day["date"]
        if not day["duty"]:
            continue
        assert sorted(csv_days.pop(day["date"])) == sorted(_handles(asked)), day["date"]
        assert f"UID:{day['date'].replace('-', '')}@app.oncall" in ics, day["date"]
    assert csv_days == {}
    aiko = sum(d["primary"].count("aiko") for d in schedule["days"])
    assert next(x for x in schedule["load"] if x["handle"] == "aiko")["primary_days"] == aiko
    heading = files["app/index.html"].decode()
    assert "Terms 2027-01-04..2027-01-29, 2027-01-30..2027-02-24</span>" in heading


def test_a_night_window_runs_into_the_next_term(cli: Runner, tmp_path: Path):
    """22:00-06:00: at 02:00 on the new term's first day the running term's last window
    still runs; `who` and the site both name its people."""
    ws = tmp_path / "ws"
    make_rotation(ws, start="22:00", end="06:00")
    assert cli("plan", "--next-term", "--now", "2027-01-20T12:00", cwd=ws).returncode == 0
    now = "2027-01-30T02:00"
    asked = _who(cli, ws, "--now", now)
    assert asked["on_duty"] is True and asked["date"] == "2027-01-29"
    assert _handles(asked) == ["taro", "mei"]
    data = json.loads(published(cli, ws, tmp_path / "site", now=now)["app/app.json"])
    assert data["now"] == asked


def test_the_review_page_is_the_report_of_the_last_term_and_the_year(
    cli: Runner, workspace: Path, tmp_path: Path
):
    files = published(cli, workspace, tmp_path / "site")
    assert 'href="app/report.html"' in files["index.html"].decode()
    page = files["app/report.html"].decode()
    assert '<link rel="stylesheet" href="../style.css">' in page and "<style>" not in page
    assert '<a href="../index.html">' in page
    assert "<script" not in page and "Ken &lt;R&amp;D&gt;" in page
    term = json.loads(cli("report", "--term", "2027-01-04", "--format", "json", "--now", NOW,
                          cwd=workspace).stdout)["rotations"][0]
    (only,) = term["terms"]
    assert f"The last term ({only['start']}..{only['end']})" in page
    assert f"plan quality: {only['quality']['score']}/100" in page
    for handle, person in only["people"].items():
        assert f'<th scope="row">{handle}</th><td>' in page
        assert f"<td>{person['duty_days']}</td>" in page
    year = cli("report", "--year", "2027", "--now", NOW, cwd=workspace)
    assert "The year 2027" in page
    if year.returncode == 6:  # days of the year no term holds: named on the page too
        assert "no term holds" in page and "no term holds" in year.stderr
