"""`oncall publish`: what the published site shows, as data.

For each rotation: its feed (the same one `oncall export` writes), the term's view and
month grids (the same ones `show --month` draws), who is on duty at ``--now`` and who
comes next, each member's duties and swaps, and the fairness figures. ``oncall.render.site``
turns this into pages and feeds; ``publish_site`` swaps them in (``oncall.io.folder``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from oncall.core.clock import Clock
from oncall.core.duty import OnDuty, Person, TermDuty, duty_at_terms, duty_of_day, person
from oncall.core.duty_load import duty_load
from oncall.core.errors import InputError
from oncall.core.model import DateRange, Rotation
from oncall.core.period import Period
from oncall.core.schedule import Override
from oncall.core.served import Served
from oncall.core.store import ScheduleStore
from oncall.usecases.export import Feed, feeds, personal_files
from oncall.usecases.month import Month, term_grids
from oncall.usecases.report import RotationReport, report
from oncall.usecases.show import Row, View, build_view


@dataclass(frozen=True)
class FairnessBar:
    """One member's duty days: this term, and the terms before it (the ledger)."""

    person: Person
    this_term: int
    earlier: int


@dataclass(frozen=True)
class PersonDuties:
    person: Person
    upcoming: tuple[Row, ...]  # from today on
    past: tuple[Row, ...]
    swaps: tuple[Override, ...]  # the overrides that moved days to or from them


@dataclass(frozen=True)
class RotationSite:
    """One rotation: ``feed`` is its current term, ``terms`` every term kept, oldest first
    (the current one last), as `oncall export` reads them."""

    feed: Feed
    terms: tuple[Feed, ...]
    view: View  # the current term
    views: tuple[View, ...]  # every term, as ``terms``
    months: tuple[Month, ...]  # every month of every term
    now: OnDuty
    next: OnDuty | None  # the next hand-off (or the next window when nobody is on now)
    people: tuple[PersonDuties, ...]
    fairness: tuple[FairnessBar, ...]
    generated: datetime  # --now in the rotation's time zone


@dataclass(frozen=True)
class Site:
    rotations: tuple[RotationSite, ...]
    base_url: str | None  # ends with '/'
    # Per rotation id, its review page's reports (``usecases.report``): the last term,
    # then the calendar year of --now.
    reports: Mapping[str, tuple[RotationReport, ...]] = field(default_factory=dict)


def check_base_url(base_url: str | None) -> str | None:
    """An absolute http(s) URL of the folder the site is served from, ending with '/'."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(
            f"--base-url: found {base_url!r}, expected the http(s) address the site is "
            "served from, such as https://intranet.example.com/oncall/",
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def fairness_bars(
    view: View, duty: Mapping[str, Served], earlier: Mapping[str, int] | None = None
) -> tuple[FairnessBar, ...]:
    """Primary duty days per member of ``view`` this term, from ``duty`` (``core.duty_load``,
    as `report` and the ledger count them); ``earlier`` adds what the ledger carried into it
    from past terms (duty days plus a joiner's credit; none: zeros)."""
    earlier = earlier or {}
    return tuple(
        FairnessBar(
            load.person,
            duty.get(load.person.handle, Served()).days,
            earlier.get(load.person.handle, 0),
        )
        for load in view.load
    )


def term_of(terms: Sequence[Feed]) -> Callable[[date], TermDuty]:
    """The term that holds a day among ``terms`` (oldest first), as ``Opened.on`` finds it
    for `who`: when none holds the day, the last one (which has no duty on it)."""

    def lookup(day: date) -> TermDuty:
        feed = next((t for t in terms if day in t.schedule.term), terms[-1])
        return feed.rotation, feed.calendar, feed.schedule

    return lookup


def next_duty(terms: Sequence[Feed], found: OnDuty) -> OnDuty | None:
    """Who comes next over every term (the running one, then the one planned after it):
    the next duty day with other people than now (a hand-off), or, when nobody is on
    duty, the next window to open."""
    moment = found.moment
    opens_later = found.window is not None and moment is not None and moment < found.window[0]
    if not found.on_duty and opens_later:
        rotation, calendar, schedule = term_of(terms)(found.day)
        return duty_of_day(rotation, calendar, schedule, found.day)
    current = {p.handle for p in found.people} if found.on_duty else None
    for feed in terms:
        for day in feed.calendar.duty_days:
            if day <= found.day:
                continue
            duty = duty_of_day(feed.rotation, feed.calendar, feed.schedule, day)
            if current is None or {p.handle for p in duty.people} != current:
                return duty
    return None


def person_duties(
    terms: Sequence[Feed], views: Sequence[View], clock: datetime
) -> tuple[PersonDuties, ...]:
    """Each member of the current roster who has a calendar (``personal_files``, as
    `export --per-person` writes them): their duty days and swaps over every term. A member
    never on duty gets no page, as they get no feed. A duty whose window has ended by
    ``clock`` is past, so "upcoming" starts after now."""
    out = []
    rows = [row for view in views for row in view.rows if row.duty]
    overrides = [o for feed in terms for o in feed.schedule.overrides]
    feed = terms[-1]
    with_files = set(personal_files(terms))
    for member in feed.rotation.members:
        handle = member.handle
        if handle not in with_files:
            continue
        mine = [r for r in rows if handle in r.primary or handle in r.shadow]
        swaps = tuple(o for o in overrides if handle in (o.out, o.in_))
        done = {r.day for r in mine if _ended(feed.rotation, r.day, clock)}
        out.append(
            PersonDuties(
                person(feed.rotation, handle),
                tuple(r for r in mine if r.day not in done),
                tuple(r for r in mine if r.day in done),
                swaps,
            )
        )
    return tuple(out)


def _ended(rotation: Rotation, day: date, clock: datetime) -> bool:
    """Whether ``day``'s duty window has ended by ``clock``."""
    return rotation.window.bounds(day, rotation.tz)[1] <= clock


def rotation_site(terms: Sequence[Feed], clock: datetime) -> RotationSite:
    """The site of one rotation over its ``terms`` (oldest first), at ``clock``."""
    today = clock.date()
    views = [
        build_view(t.rotation, t.calendar, t.schedule, span=None, person=None, today=today)
        for t in terms
    ]
    feed, view = terms[-1], views[-1]
    found = duty_at_terms(term_of(terms), clock)
    ledger = feed.schedule.ledger or {}
    return RotationSite(
        feed, tuple(terms), view, tuple(views), tuple(term_grids(views)), found,
        next_duty(terms, found),
        person_duties(terms, views, clock),
        fairness_bars(
            view,
            duty_load(feed.rotation, feed.calendar, feed.schedule),
            {h: served.load for h, served in ledger.items()},
        ),
        clock,
    )


def publish(store: ScheduleStore, now: Clock, *, base_url: str | None) -> Site:
    """The site of every rotation given (default: all of rotations/), at ``now``."""
    base = check_base_url(base_url)
    by_rotation: dict[str, list[Feed]] = {}
    for feed in feeds(store):  # every term, oldest first
        by_rotation.setdefault(feed.rotation.id, []).append(feed)
    sites = [rotation_site(t, now.now(t[-1].rotation.tz)) for t in by_rotation.values()]
    return Site(tuple(sites), base, review_reports(store, now, sites))


def review_reports(
    store: ScheduleStore, now: Clock, sites: Sequence[RotationSite]
) -> dict[str, tuple[RotationReport, ...]]:
    """Each rotation's last term and the year of ``now`` (its own zone), as `oncall
    report --term` and `--year` count them; days of the year no term holds are named on
    the page, not counted."""
    found: dict[str, tuple[RotationReport, ...]] = {}
    counted: dict[Period, list[RotationReport]] = {}  # one report of all rotations a period
    for rotation in sites:
        rot = rotation.feed.rotation
        year = now.today(rot.tz).year
        periods = (
            Period(term=rotation.feed.schedule.term.start),
            Period(DateRange(date(year, 1, 1), date(year, 12, 31))),
        )
        for period in periods:
            if period not in counted:
                counted[period] = report(store, now, period)
        found[rot.id] = tuple(
            next(r for r in counted[period] if r.rotation == rot.id)
            for period in periods
        )
    return found


@dataclass(frozen=True)
class Published:
    """What `oncall publish` did: ``site`` written into ``folder`` as ``files`` files (the
    marker not counted)."""

    site: Site
    folder: Path
    files: int


def publish_site(
    store: ScheduleStore,
    now: Clock,
    folder: Path,
    *,
    base_url: str | None,
    render: Callable[[Site], Mapping[str, bytes]],
    marker: str,
) -> Published:
    """Build the site (``publish``), turn it into files with ``render`` and swap them into
    ``folder`` at once; a folder with other content (no ``marker``) is refused."""
    from oncall.io.folder import replace_folder

    site = publish(store, now, base_url=base_url)
    files = render(site)
    replace_folder(folder, files, marker)
    return Published(site, folder, len(files))
