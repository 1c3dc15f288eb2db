"""axe-core, the accessibility checker, run on each page of a published site in headless
Chromium (``tests.helpers.browser``).

The site has no script of its own, so a copy of it gets axe (from npm, pinned in
``tests.helpers.npm``) and a few lines at the end of each page that run it and write the
violations into the DOM, which ``--dump-dom`` hands back once the page's (virtual) time
has run.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import load, serve
from tests.helpers.npm import npm_package

RUN = """<script src="/axe.min.js"></script><script>
axe.run(document, {resultTypes: ["violations"]}).then(function (result) {
  var found = result.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
  });
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""
RESULT = re.compile(r'<pre id="axe-result">(.*?)</pre>', re.S)
WAIT_MS = 60_000  # virtual time: axe finishes long before; a page with no result fails


def violations(cache: pytest.Cache, site: Path, scratch: Path) -> dict[str, list[dict[str, Any]]]:
    """Each page of ``site`` (relative path) with axe's violations on it."""
    axe = npm_package(cache, "axe-core") / "axe.min.js"
    copy = scratch / "site"
    shutil.copytree(site, copy)
    shutil.copy(axe, copy / "axe.min.js")
    pages = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*.html"))
    for page in pages:
        path = copy / page
        text = path.read_text(encoding="utf-8")
        assert text.count("</body>") == 1, page
        path.write_text(text.replace("</body>", RUN + "</body>"), encoding="utf-8")
    found = {}
    with serve(copy) as served:
        for page in pages:
            dom = load(served.url + page, wait_ms=WAIT_MS).dom
            result = RESULT.search(dom)
            assert result, f"axe did not finish on {page}"
            found[page] = json.loads(html.unescape(result.group(1)))
    return found
