"""The planner: fills every shift of a term so that the hard rules hold and primary duty is
shared as evenly as the rules allow.

Contract: one shift per slot from ``plan_from`` on, ``rotation.shift.people`` primaries each,
every hard rule of ``rules`` kept (kept history included), every eligible newcomer given
their remaining shadow shifts. A newcomer who could not serve them in this term even alone
(joining later, gone already, away, no shift beside an experienced member) is not planned
in it and keeps their shadowing for a later term (``Problem.deferred``); the summary lists
them as taking no shift, and an impossible roster's reasons name them only then.

Why this design:

* Fairness is a promise, so the planner proves it. It first computes a lower bound on the
  spread (max - min primary shifts over the counted members) by water-filling the seats
  over each member's capacity: how many shifts they could take alone, under availability,
  ``min_gap`` (the longest gap-respecting chain of their eligible shifts, exact on a line),
  ``max_shifts`` and their remaining shadow shifts. Then it looks for a plan whose loads
  stay inside a band ``[lo, lo + s]`` for ``s`` = bound, bound + 1, ... The first band that
  holds is the optimum, because every narrower one was proven impossible.
* A band is decided by a complete depth-first search, shift by shift, that tries the most
  urgent members first (those whose remaining chances barely cover the band's minimum,
  then the least loaded, then the longest rested, which also spreads each member's shifts
  evenly in time; ``seed`` breaks the remaining ties). Each step checks necessary
  conditions (every member can still reach ``lo``, the seats left fit the capacities left,
  the next ``min_gap + 1`` shifts have enough different people, every newcomer can still
  finish shadowing), so on a roster with slack the first descent lands on the bound.
* Under ``distinct_teams: required`` the counting is also done per team (``bounds.py``):
  a team takes at most one seat of each shift it can serve and at least the seats the
  other teams cannot fill, so on lopsided teams (8 + 2 with pairs, 3 + 1 + 1 + 1 with
  triples) the first band tried is the optimum. The band search repeats that count at
  every shift (rosters up to 100 members, or with a tight shift), cutting a branch as
  soon as a team that must serve every shift misses one.
* A team that must serve a run of shifts (the others cannot fill them alone) and whose
  members ``min_gap`` lets serve only every other (third, ...) one has to take turns in a
  fixed order; ``turns.py`` follows every way it can, shift by shift over who is still
  resting, and a run no order covers proves the roster impossible (parity: two members,
  min_gap 1, one never on Sundays, seven days apart).
* Before searching a band exhaustively, max-flows with lower bounds (``flow.py``) over
  shift -> (shift, team) -> member check the band with each member's capacity, also with
  the shifts cut into blocks of ``min_gap + 1`` (at most one shift per member per block).
  They relax the real problem, so "no flow" proves the band impossible. Without
  ``min_gap`` and without newcomers still shadowing, the flow is the exact problem.
* Newcomers shadow at the first shift they can (beside an experienced primary). Taking a
  shadow shift earlier never hurts anyone: only the newcomer's own later shifts move, and
  they only gain room. So the search need not branch on shadows and stays complete.
* With ``distinct_teams: preferred``, inside the fairest band a branch and bound lowers
  the number of same-team shifts. Its bounds: counting seats per team (a mixed shift
  takes one seat each from ``people`` different teams, so M mixed shifts need
  ``sum(min(room_k, M)) >= people * M``: with three teams and triples a solo member's
  load caps them), asked at every shift of the search; and once per band, cheapest flows
  of the relaxation (a team's second seat on a shift costs 1), also with ``min_gap``
  blocks, which see who can serve which day. It aims at the bound first and raises the
  aim while each aim is proven out of reach, so the count it ends with is proven the
  fewest (``Fairness.distinct_teams_proven``, "proven most possible") unless a search
  ran out of work ("best found"). For pairs without ``min_gap`` or shadows the cheapest
  flow is the exact optimum outright. Fairness-neutral swaps and replacements then mop
  up. Fairness always comes first: a proof is claimed only at a proven spread. When
  the count is not proven, the summary prints it with its best proven bound ("best
  found: at most N possible at this spread", ``Fairness.distinct_teams_possible``).
* A later pass never undoes what an earlier one proved: the duty pass (``weights``)
  keeps the shift band, and should its result ever be wider in shifts or have more
  same-team shifts, the plan keeps the band search's seating instead (``optimise``).
* Re-planning with ``previous`` (what people were told) keeps as much of it as the
  searches below find (not proven the most possible). Priority: fairness (exact, same
  optimum as without it) > distinct teams when preferred (no more same-team shifts than
  without it) > stability > even spacing. Inside
  the fairest band a guided search tries each shift's previous primaries first (only the
  order changes, so it stays complete), then replacements, swaps and three-way cycles
  that keep loads in the band and add no same-team shift give told shifts back. A new
  member therefore takes a few shifts (often late in the term) instead of reshuffling all.
* Soft wishes (``members[].prefers_not``) come last (``wishes``): swaps of two members'
  primary shifts that change no load (shifts, nor duty days or hours), no same-team
  count, no told assignment and no hard rule, made when they break fewer wishes. So a
  wish is kept only when it costs nothing above it; kept shifts and shadows never move.
* Every search has a work budget (never a clock, so the result does not depend on the
  machine). When it runs out the planner returns the best plan it found and says so with
  ``best_possible < spread``; it reports a roster infeasible only when that is proven
  (or, if nothing was found and nothing proven, says exactly that).
* Infeasibility is explained in plain words: a team that cannot take turns on the run
  of shifts it must serve (who is away, "every other day", who breaks the turns), forced
  members and the rule they collide with (with the least relaxation found to give a
  plan), shifts too few people can take (with each member's reason from
  ``rules.slot_blockers``), teams that cannot make distinct pairs,
  runs of shifts that ``min_gap`` makes need more people than can serve them, newcomers
  who cannot shadow, and, for rules that only bite together, the rule whose relaxation
  makes a plan exist.

Every rule is asked of ``rules``; the planner only searches. Its modules, along those
seams: ``tables`` (members, shifts, who may take which), ``history`` (kept and told
shifts), ``problem`` (both, with whom fairness counts), ``budget`` (work, never time),
``forced`` (seats every plan must give someone, propagated before any search: a proof of
infeasibility when they collide with ``min_gap`` or ``max_shifts``, and loads the bounds
count), ``bounds`` and ``relaxation`` (with ``flow``: what counting and flows prove), ``search``
and ``combos`` (the band search), ``decide`` (one band), ``board``, ``mixing``,
``stability`` and ``wishes`` (the improving passes), ``optimise`` (the loop over bands,
and ``plan``),
``turns`` (teams that cannot take turns, or fill what one team leaves them on a few
consecutive shifts: proofs of infeasibility), ``explain`` and ``explain_teams`` (why not)
and ``results`` (what comes back).
"""

from oncall.planner.optimise import solve
from oncall.planner.results import Fairness, Solution

__all__ = ["Fairness", "Solution", "solve"]
