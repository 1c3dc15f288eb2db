"""The published site has no accessibility violation of moderate impact or above, as
axe-core finds them in headless Chromium, on every page of a site of every example (four
rotations on one index, English and Japanese, a swap).

One such violation was axe's ``landmark-unique``: each rotation's "On duty now" region on
the index had the same accessible name; now each is named after its rotation too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import axe
from tests.helpers.cli import Runner

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "rotations" / "app-daytime.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
SERIOUS = {"moderate", "serious", "critical"}


@pytest.fixture(scope="module")
def site(cli: Runner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("axe")
    (root / "rotations").mkdir()
    for rotation in EXAMPLES:
        shutil.copy(rotation, root / "rotations" / rotation.name)
    planned = cli("plan", "--now", "2026-11-23T10:00", cwd=root)
    assert planned.returncode == 0, planned.stderr
    swap = cli("swap", "rotations/app-daytime.yaml", "--dates", "2027-01-13", "--out", "hana",
               "--in", "aiko", "--reason", "dentist", "--force", "--now", "2027-01-05T10:00",
               cwd=root)
    assert swap.returncode == 0, swap.stderr
    ran = cli("publish", "site", "--now", "2027-01-12T11:00",
              "--base-url", "https://oncall.example.com/", cwd=root)
    assert ran.returncode == 0, ran.stderr
    return root / "site"


def test_no_page_has_a_moderate_or_worse_violation(
    site: Path, cache: pytest.Cache, tmp_path: Path
):
    found = axe.violations(cache, site, tmp_path)
    assert "index.html" in found and "app-daytime/index.html" in found
    assert any(page.startswith("morning-watch/people/") for page in found)
    bad = {
        page: [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:3]}" for v in found_]
        for page, found_ in found.items()
        for v in found_
        if v["impact"] in SERIOUS
    }
    assert not bad, bad


def test_each_on_duty_region_of_the_index_has_its_own_name(site: Path):
    index = (site / "index.html").read_text(encoding="utf-8")
    for rotation in ("app-daytime", "us-nights"):
        assert f'aria-labelledby="now-title-{rotation} rot-{rotation}"' in index


def test_the_standalone_report_page_has_no_serious_violation(
    site: Path, cli: Runner, cache: pytest.Cache, tmp_path: Path
):
    """`report --format html` (a page of its own, the style inlined, two charts per
    rotation) in Chromium: no console error, and axe finds nothing moderate or worse."""
    from tests.helpers.browser import load, serve

    pages = tmp_path / "pages"
    pages.mkdir()
    ran = cli("report", "--format", "html", "--now", "2027-01-12T11:00", cwd=site.parent)
    assert ran.returncode == 0, ran.stderr
    (pages / "report.html").write_text(ran.stdout, encoding="utf-8")
    with serve(pages) as served:
        assert load(served.url + "report.html").console == []
    found = axe.violations(cache, pages, tmp_path / "scratch")
    bad = [f"{v['id']} ({v['impact']})" for v in found["report.html"] if v["impact"] in SERIOUS]
    assert not bad, bad
