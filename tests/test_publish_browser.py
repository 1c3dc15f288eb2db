"""The published site in a real browser: headless Chromium (Debian's `chromium`) loads the
pages from a local HTTP server on 127.0.0.1.

Why no driver: the pages need no script, so what a test needs is the DOM Chromium built
(``--dump-dom``), the console (``--enable-logging=stderr`` prints every console message)
and what the browser fetched (the test server logs it); Selenium and chromedriver would add
a dependency for nothing more. ``ONCALL_REGEN_DOCS=1`` rewrites the README's screenshot.
"""

from __future__ import annotations

import os
import urllib.request
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from oncall.core.model import DateRange
from oncall.core.schedule import Override
from tests.helpers.browser import Served, links, load, serve
from tests.helpers.cli import Runner
from tests.helpers.daily import make_rotation

pytestmark = pytest.mark.slow

NOW = "2027-01-05T12:00"
BASE = "https://oncall.example.com/team/"
SCREENSHOT = Path(__file__).parent.parent / "docs" / "images" / "publish-index.png"
SWAP = Override(DateRange.single(date(2027, 1, 6)), "aiko", "raj", "dentist")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cli: Runner) -> Path:
    root = tmp_path_factory.mktemp("browser")
    make_rotation(root / "ws", overrides=(SWAP,))
    ran = cli("publish", str(root / "site"), "--now", NOW, "--base-url", BASE, cwd=root / "ws")
    assert ran.returncode == 0, ran.stderr
    return root / "site"


class Cells(HTMLParser):
    """The text of each month-grid cell by its date, the classes of each, and the text of
    the "now" box, as the browser's DOM has them."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, list[str]] = {}
        self.classes: dict[str, str] = {}
        self.current: list[str] | None = None
        self.now: list[str] = []
        self.in_now = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "td" and values.get("data-date"):
            day = values["data-date"] or ""
            self.current = self.cells.setdefault(day, [])
            self.classes[day] = values.get("class") or ""
            if values.get("aria-current") == "date":
                self.classes[day] += " aria-today"
        opens_now = "now" in (values.get("class") or "").split()
        if tag == "section" and (opens_now or self.in_now):
            self.in_now += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.current = None
        if tag == "section" and self.in_now:
            self.in_now -= 1

    def handle_data(self, data: str) -> None:
        if data.strip() and self.current is not None:
            self.current.append(data.strip())
        if data.strip() and self.in_now:
            self.now.append(data.strip())


def cells_of(dom: str) -> Cells:
    parser = Cells()
    parser.feed(dom)
    return parser


def test_month_grid_and_now_box_in_chromium(site: Path):
    with serve(site) as served:
        page = load(served.url + "app/index.html")
    assert page.console == []
    cells = cells_of(page.dom)
    # Names, as people know each other; the handle shows on hover (title).
    assert cells.cells["2027-01-04"] == ["4", "Aiko Sato", "Ken <R&D>", "(", "Mei Ito", ")"]
    assert cells.cells["2027-01-06"] == ["6", "Raj Patel", "*", "Ken <R&D>", "(", "Mei Ito", ")"]
    assert "changed" in cells.classes["2027-01-06"]
    assert cells.cells["2027-01-11"] == ["11", "Coming of Age Day"]
    assert cells.classes["2027-01-05"].split()[-2:] == ["today", "aria-today"]
    assert [d for d, c in cells.classes.items() if "today" in c] == ["2027-01-05"]
    assert "2027-01-09" not in cells.cells or cells.cells["2027-01-09"] == ["9"]  # Saturday
    now = " ".join(cells.now)
    assert "On duty now" in now and "Aiko Sato" in now and "Ken <R&D>" in now
    assert "until Tue 2027-01-05 17:00" in now and "Raj Patel" in now
    _all_fetched(served)


def _all_fetched(served: Served) -> None:
    """Every file the browser asked for was there (style sheet, chart; no favicon probe)."""
    assert served.requests, "the browser fetched nothing"
    assert [(path, code) for path, code in served.requests if code != 200] == []


def test_every_link_of_every_page_resolves(site: Path):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    # landing, rotation, its review page, six people in it and six across rotations
    assert len(pages) == 15
    assert "app/report.html" in pages
    with serve(site) as served:
        for name in pages:
            page = load(served.url + name)
            assert page.console == [], name
            found = links(page.dom)
            assert found, name
            for link in found:
                target = _local(served.url, urljoin(served.url + name, link))
                if target is None:
                    continue  # the data: favicon that stops the browser's /favicon.ico probe
                with urllib.request.urlopen(target, timeout=30) as answer:
                    assert answer.status == 200, (name, link)
        _all_fetched(served)


def _local(server: str, url: str) -> str | None:
    """The address on the test server of a link: relative links as they are, the published
    https:// and webcal:// links mapped from --base-url to the server."""
    if url.startswith("data:"):
        return None
    for prefix in (BASE, "webcal://" + BASE.split("://", 1)[1]):
        if url.startswith(prefix):
            return server + url[len(prefix):]
    assert url.startswith(server), f"a link leaves the site: {url}"
    return url.split("#", 1)[0]


def test_console_errors_are_seen(tmp_path: Path):
    """The console check can fail: a page that logs an error is caught."""
    (tmp_path / "broken.html").write_text(
        "<!DOCTYPE html><html lang=en><title>x</title><script>console.error('boom')</script>"
    )
    with serve(tmp_path) as served:
        page = load(served.url + "broken.html")
    assert any("boom" in line for line in page.console)


def test_screenshot_of_the_rotation_page(site: Path, tmp_path: Path):
    shot = SCREENSHOT if os.environ.get("ONCALL_REGEN_DOCS") else tmp_path / "index.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with serve(site) as served:
        page = load(served.url + "app/index.html", screenshot=shot, size="1000,1450")
    assert page.console == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert urlsplit(served.url).hostname == "127.0.0.1"


def test_next_term_planned_early_in_chromium(tmp_path: Path, cli: Runner):
    """`plan --next-term` while the term runs: the page the browser shows still names the
    running term's people now, the next hand-off, and both terms in the heading."""
    ws = tmp_path / "ws"
    make_rotation(ws)
    assert cli("plan", "--next-term", "--now", "2027-01-20T12:00", cwd=ws).returncode == 0
    ran = cli("publish", str(tmp_path / "site"), "--now", "2027-01-20T12:00", cwd=ws)
    assert ran.returncode == 0, ran.stderr
    with serve(tmp_path / "site") as served:
        page = load(served.url + "app/index.html")
    assert page.console == []
    now = " ".join(cells_of(page.dom).now)
    assert "Aiko Sato" in now and "until Wed 2027-01-20 17:00" in now
    assert "from Mon 2027-01-25 10:00" in now and "Taro Tanaka" in now
    assert "Terms 2027-01-04..2027-01-29, 2027-01-30..2027-02-24" in page.dom
    _all_fetched(served)


def test_the_review_page_in_chromium(site: Path):
    """The rotation's review page (`report --term` and `--year` with their charts) is
    linked from the index, draws its SVG in the browser and logs nothing."""
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="app/report.html"' in index
    with serve(site) as served:
        page = load(served.url + "app/report.html")
        assert page.console == []
        _all_fetched(served)
    assert page.dom.count("<svg") >= 2 and "<title id=" in page.dom
    assert "The last term (" in page.dom and "The year 2027" in page.dom
    assert "plan quality: " in page.dom
    assert "../index.html" in links(page.dom)
