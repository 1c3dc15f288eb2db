"""`oncall publish`: the site as files (relative path -> bytes), from the use case's data.

Pages come from the Jinja2 templates in ``templates/`` (autoescaped: names come from
people); the calendars and the sheet come from the same renderers `oncall export` uses, so
a published feed and an exported file never differ. Every link is relative and nothing is
fetched from elsewhere (no CDN, no fonts, no script), so the site works from any static
server, an intranet share or a git pages host. Same data, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from oncall.core.model import Rotation
from oncall.render import messages, site_text
from oncall.render.ics import to_ics
from oncall.render.month import month_name
from oncall.render.show import as_json
from oncall.render.spreadsheet import rows, write_rows
from oncall.render.who import duty_json, who_json
from oncall.usecases.export import personal_files
from oncall.usecases.month import Cell
from oncall.usecases.publish import FairnessBar, Published, RotationSite, Site
from oncall.usecases.report import RotationReport

MARKER = ".oncall-publish"
JSON_VERSION = 1


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("oncall.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["moment"] = _moment
    env.filters["day"] = lambda when, lang: messages.day(lang, when)
    return env


def _moment(when: datetime, lang: str) -> str:
    """A moment as people read it later: the day, the time and nothing implied."""
    return f"{messages.day(lang, when.date())} {when.strftime('%H:%M')}"


def site_files(site: Site) -> dict[str, bytes]:
    """Every file of the site but the marker, by relative POSIX path."""
    env = environment()
    files: dict[str, bytes] = {
        "style.css": env.get_template("style.css").render().encode(),
        "all.ics": to_ics([term for r in site.rotations for term in r.terms]),
    }
    languages = {r.feed.rotation.language for r in site.rotations}
    landing_lang = languages.pop() if len(languages) == 1 else "en"
    files["index.html"] = _page(
        "landing.html", landing_lang, root="", site=site, rotations=site.rotations,
        people=everyone(site),
    )
    for rotation in site.rotations:
        files.update(rotation_files(site, rotation))
    files.update(people_files(site, landing_lang))
    return files


def everyone(site: Site) -> dict[str, list[tuple[RotationSite, Any]]]:
    """Each person with a page in some rotation, by handle: the rotations and their duty
    there (one person across rotations by handle)."""
    found: dict[str, list[tuple[RotationSite, Any]]] = {}
    for rotation in site.rotations:
        for duties in rotation.people:
            found.setdefault(duties.person.handle, []).append((rotation, duties))
    return dict(sorted(found.items()))


def people_files(site: Site, lang: str) -> dict[str, bytes]:
    """One page per person listing all their rotations, and one feed across them (the
    per-rotation pages and feeds stay)."""
    files: dict[str, bytes] = {}
    for handle, places in everyone(site).items():
        terms = [term for rotation, _ in places for term in rotation.terms]
        files[f"people/{handle}.ics"] = to_ics(terms, person=handle)
        first = places[0][0]
        files[f"people/{handle}.html"] = _page(
            "person_all.html", lang, root="../", site=site, who=places[0][1].person,
            rotations=[{"r": r, "d": d} for r, d in places],
            generated=first.generated, zone=first.feed.rotation.timezone,
            subscribe=_subscribe(site, f"people/{handle}.ics"),
        )
    return files


def published(done: Published) -> str:
    """The line `oncall publish` prints: which rotations went where, and the page to open."""
    names = ", ".join(r.feed.rotation.id for r in done.site.rotations)
    out = done.folder
    return f"published {names} into {out}/ ({done.files} files): {out}/index.html"


def feed_names(rotation: RotationSite) -> dict[str, str]:
    rot = rotation.feed.rotation.id
    return {"ics": f"{rot}.ics", "csv": f"{rot}.csv", "json": f"{rot}.json"}


def person_feed(rotation: RotationSite, handle: str) -> str:
    return f"{rotation.feed.rotation.id}-{handle}.ics"


def rotation_files(site: Site, rotation: RotationSite) -> dict[str, bytes]:
    feed = rotation.feed
    rot = feed.rotation.id
    lang = feed.rotation.language
    names = feed_names(rotation)
    files = {
        f"{rot}/{names['ics']}": to_ics(rotation.terms),
        f"{rot}/{names['csv']}": _csv(rotation),
        f"{rot}/{names['json']}": _json(rotation),
        f"{rot}/fairness.svg": fairness_svg(list(rotation.fairness), lang),
        f"{rot}/index.html": _page(
            "rotation.html", lang, root="../", site=site, r=rotation, feeds=names,
            months=[_month(rotation, m) for m in rotation.months],
            rules=site_text.rules_paragraph(feed.rotation),
            terms=site_text.terms_heading(lang, [t.schedule.term for t in rotation.terms]),
            weekdays=[site_text.day_name(lang, n) for n in range(7)],
            pages={d.person.handle for d in rotation.people},
        ),
    }
    if rot in site.reports:
        files[f"{rot}/report.html"] = review_page(rot, site.reports[rot])
    # As `export --per-person`: whoever has an event, members deleted since included.
    for handle in personal_files(rotation.terms):
        files[f"{rot}/{person_feed(rotation, handle)}"] = to_ics(rotation.terms, person=handle)
    for duties in rotation.people:
        handle = duties.person.handle
        files[f"{rot}/people/{handle}.html"] = _page(
            "person.html", lang, root="../../", site=site, r=rotation, d=duties,
            subscribe=_subscribe(site, f"{rot}/{person_feed(rotation, handle)}"),
            feed=person_feed(rotation, handle),
        )
    return files


def review_page(rot: str, reports: Sequence[RotationReport]) -> bytes:
    """The rotation's review page: its last term, then the year (`report --term`,
    `--year`), with the charts and the plan's quality, linked to the site's style."""
    from oncall.render.report_html import as_html

    term, year = reports
    headings = [f"The last term ({t.term})" for t in term.terms] or ["The last term"]
    period = year.period
    assert period is not None
    return as_html(
        [term, year], root="../", home="../index.html", title=f"{rot}: review",
        headings=[headings[0], f"The year {period.first.year}"],
    ).encode()


def _csv(rotation: RotationSite) -> bytes:
    """One sheet, the kept terms then the current one, as `export --format csv` writes."""
    table = [
        row for t in rotation.terms for row in rows(t.rotation, t.schedule, t.calendar)
    ]
    return write_rows(table).encode()


def _subscribe(site: Site, path: str) -> dict[str, str] | None:
    """The webcal:// and https:// addresses of a feed, when the site's address is known."""
    if site.base_url is None:
        return None
    https = site.base_url + path
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _page(template: str, lang: str, **values: Any) -> bytes:
    words = site_text.WORDS[lang]
    return environment().get_template(template).render(lang=lang, t=words, **values).encode()


def _month(rotation: RotationSite, month: Any) -> dict[str, Any]:
    lang = rotation.feed.rotation.language
    return {
        "key": month.key,
        "name": month_name(lang, month),
        "weeks": [[_cell(rotation, cell) for cell in week] for week in month.weeks],
    }


def _cell(rotation: RotationSite, cell: Cell) -> dict[str, Any]:
    row = cell.row
    classes = []
    if not cell.in_month:
        classes.append("out")
    if cell.day.weekday() not in rotation.feed.rotation.window.days:
        classes.append("rest")
    if row is not None and row.day_off:
        classes.append("off")
    if cell.changed:
        classes.append("changed")
    if cell.today:
        classes.append("today")
    people = []
    if row is not None and row.duty:
        labels = _labels(rotation.feed.rotation)
        for role, handles in (("primary", row.primary), ("shadow", row.shadow)):
            people += [
                {"handle": h, "role": role, "moved": h in row.incoming,
                 "member": rotation.feed.rotation.member(h) is not None,
                 "label": labels.get(h, h)}
                for h in handles
            ]
    return {
        "cell": cell, "day_off": row.day_off if row else None, "people": people,
        "duty": bool(row and row.duty), "classes": " ".join(classes),
    }


def _labels(rotation: Rotation) -> dict[str, str]:
    """How the grid names each member: their name, with the handle only where two members
    share that name (a member without a name is their handle)."""
    counts: dict[str, int] = {}
    for member in rotation.members:
        counts[member.name] = counts.get(member.name, 0) + 1
    return {
        m.handle: m.name if counts[m.name] == 1 or m.name == m.handle
        else f"{m.name} (@{m.handle})"
        for m in rotation.members
    }


def _json(rotation: RotationSite) -> bytes:
    """The schedule for scripts: `show --format json`'s shape over every term, `who`'s
    for now and next, versioned as a whole."""
    payload = {
        "version": JSON_VERSION,
        "generated_at": rotation.generated.isoformat(),
        "rotation": rotation.feed.rotation.id,
        "now": who_json(rotation.now),
        "next": duty_json(rotation.next) if rotation.next is not None else None,
        "schedule": _schedule_json(rotation),
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode()


def _schedule_json(rotation: RotationSite) -> dict[str, Any]:
    """`show --format json` over every term, kept ones first: the days one after another,
    ``terms`` the span of each, and ``load`` each person's duty summed over them."""
    parts = [as_json(view) for view in rotation.views]
    merged = dict(parts[-1])
    loads: dict[str, dict[str, Any]] = {}
    for part in parts:
        for load in part["load"]:
            found = loads.setdefault(load["handle"], {**load, **dict.fromkeys(_COUNTS, 0)})
            for key in _COUNTS:
                found[key] += load[key]
    merged.update(
        {
            "from": parts[0]["from"],
            "terms": [{"from": part["from"], "to": part["to"]} for part in parts],
            "days": [day for part in parts for day in part["days"]],
            "load": list(loads.values()),
        }
    )
    return merged


_COUNTS = ("primary_shifts", "shadow_shifts", "primary_days", "shadow_days")


ROW_HEIGHT = 28
LABEL_WIDTH = 170
BAR_WIDTH = 380
TOP = 40


def fairness_svg(bars: list[FairnessBar], lang: str) -> bytes:
    """A bar per person: earlier terms' duty days, then this term's, stacked; a plain SVG
    that any browser shows without script (the page carries the same numbers as a table)."""
    top = max((b.this_term + b.earlier for b in bars), default=0) or 1
    rows = []
    for index, bar in enumerate(bars):
        earlier = round(bar.earlier * BAR_WIDTH / top)
        this = round(bar.this_term * BAR_WIDTH / top)
        rows.append({"bar": bar, "y": TOP + index * ROW_HEIGHT, "earlier": earlier, "this": this})
    words = site_text.WORDS[lang]
    return (
        environment()
        .get_template("fairness.svg")
        .render(
            t=words, lang=lang, rows=rows, label=LABEL_WIDTH, width=LABEL_WIDTH + BAR_WIDTH + 60,
            height=TOP + len(bars) * ROW_HEIGHT + 8, row_height=ROW_HEIGHT,
        )
        .encode()
    )
