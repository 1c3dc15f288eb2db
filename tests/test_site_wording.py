"""The site says what is true at the moment it was published: outside the window it says
"outside on-call hours" in a neutral style (a real gap stays red), "Upcoming" starts
after now, and a page without --base-url offers the download without telling readers to
run a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation


def page(cli: Runner, root: Path, now: str, name: str, language: str = "en") -> str:
    make_rotation(root, language=language)
    out = root / "site"
    ran = cli("publish", str(out), "--now", now, cwd=root)
    assert ran.returncode == 0, ran.stderr
    return (out / name).read_text(encoding="utf-8")


def now_box(html: str) -> str:
    start = html.index('<section class="now"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("language, words", [
    ("en", "Outside on-call hours (duty runs"),
    ("ja", "オンコール時間外です"),
])
def test_outside_the_window_is_neutral_not_an_outage(cli: Runner, tmp_path: Path,
                                                     language: str, words: str):
    box = now_box(page(cli, tmp_path, "2027-01-05T18:00", "app/index.html", language))
    assert words in box and 'class="off-hours"' in box
    assert 'class="nobody"' not in box and "担当者はいません" not in box


def test_a_day_without_duty_says_so_with_its_name(cli: Runner, tmp_path: Path):
    box = now_box(page(cli, tmp_path, "2027-01-11T12:00", "app/index.html"))
    assert "No on-call duty today (Coming of Age Day)." in box


def test_upcoming_starts_after_now(cli: Runner, tmp_path: Path):
    html = page(cli, tmp_path, "2027-01-05T18:00", "app/people/aiko.html")
    upcoming = html[html.index("Upcoming duties") : html.index("Past duties")]
    past = html[html.index("Past duties"):]
    assert "2027-01-05" not in upcoming and "2027-01-05" in past  # its watch ended at 17:00
    assert "2027-01-06" in upcoming


def test_a_person_page_without_base_url_names_no_command(cli: Runner, tmp_path: Path):
    html = page(cli, tmp_path, "2027-01-05T12:00", "app/people/aiko.html")
    assert "--base-url" not in html and "import it into your calendar app" in html


def test_the_grid_names_people_and_adds_the_handle_only_to_a_shared_name(
    cli: Runner, tmp_path: Path
):
    html = page(cli, tmp_path, "2027-01-05T12:00", "app/index.html")
    grid = html[html.index('<table class="month"'):]
    assert '<a href="people/aiko.html" title="@aiko">Aiko Sato</a>' in grid
    other = tmp_path / "shared"
    make_rotation(other)
    path = other / "rotations" / "app.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Raj Patel", "name: Ken <R&D>"),
                    encoding="utf-8")
    ran = cli("publish", str(other / "site"), "--now", "2027-01-05T12:00", cwd=other)
    assert ran.returncode == 0, ran.stderr
    grid = (other / "site" / "app" / "index.html").read_text(encoding="utf-8")
    assert ">Ken &lt;R&amp;D&gt; (@ken)</a>" in grid


def test_one_page_and_one_feed_per_person_across_rotations(cli: Runner, tmp_path: Path):
    from tests.test_remind_due import two_rotations

    two_rotations(tmp_path)
    out = tmp_path / "site"
    ran = cli("publish", str(out), "--now", "2027-01-05T12:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="people/aiko.html">Aiko Sato</a>' in landing and "(app, watch)" in landing
    html = (out / "people" / "aiko.html").read_text(encoding="utf-8")
    assert 'href="../app/people/aiko.html"' in html and 'href="../watch/people/aiko.html"' in html
    feed = (out / "people" / "aiko.ics").read_text(encoding="utf-8")
    uids = [line for line in feed.splitlines() if line.startswith("UID:")]
    mine = {
        rot: [line for line in (out / rot / f"{rot}-aiko.ics").read_text(encoding="utf-8")
              .splitlines() if line.startswith("UID:")]
        for rot in ("app", "watch")
    }
    assert sorted(uids) == sorted(mine["app"] + mine["watch"]) and mine["watch"]
