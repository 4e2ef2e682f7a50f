"""A matching round: the optimal assignment of every waiting household to a host with capacity.

The assignment is a min-cost flow (OR-Tools). Each household sends one unit either to an allowed
host (cost MAX_SCORE − fit) or to the waitlist (cost WAITLIST, far above any pair, so that a
round assigns as many households as it can before it cares about fit). A host passes its units to
the sink through one arc per free visit, the k-th costing LOAD_STEP·(load + k): convex, so visits
spread across hosts. `objective()` states the same cost for any assignment; the pure-Python
reference solver in `reference.py` minimises it by exhaustion and the tests compare the two.

Pair scores for a round are computed with numpy in blocks per municipality; a test checks they
equal `score.fit` for every allowed pair.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from server.matching.score import (
    LOAD_STEP,
    MAX_SCORE,
    Host,
    Rules,
    Seeker,
    fit,
    is_allowed,
)
from server.matching.vector import Encoded, Vocab, fit_matrix

log = logging.getLogger(__name__)

WAITLIST = 10 * MAX_SCORE  # a household left waiting costs more than any pair could


@dataclass(frozen=True)
class RoundResult:
    assignment: dict[str, str | None]  # household id → host id, None = waitlisted
    objective: int  # total cost, as `objective()` computes it
    pairs: int  # allowed pairs the solver chose from


def objective(seekers: list[Seeker], hosts: list[Host], assignment: dict[str, str | None]) -> int:
    """The cost a round minimises, for any assignment (the same function both solvers optimise)."""
    by_id = {h.id: h for h in hosts}
    seeker_by_id = {s.id: s for s in seekers}
    total, given = 0, {h.id: 0 for h in hosts}
    for household, host_id in assignment.items():
        if host_id is None:
            total += WAITLIST
            continue
        total += MAX_SCORE - fit(seeker_by_id[household], by_id[host_id])[0]
        total += LOAD_STEP * (by_id[host_id].load + given[host_id])
        given[host_id] += 1
    return total


def is_feasible(seekers: list[Seeker], hosts: list[Host], rules: Rules, assignment: dict) -> bool:
    """Every household placed once, every pair allowed, no host over capacity."""
    by_id = {h.id: h for h in hosts}
    seeker_by_id = {s.id: s for s in seekers}
    if set(assignment) != set(seeker_by_id):
        return False
    given: dict[str, int] = {}
    for household, host_id in assignment.items():
        if host_id is None:
            continue
        host = by_id.get(host_id)
        if host is None or not is_allowed(seeker_by_id[household], host, rules):
            return False
        given[host_id] = given.get(host_id, 0) + 1
    return all(n <= by_id[h].capacity_left for h, n in given.items())


def allowed_pairs(
    seekers: list[Seeker], hosts: list[Host], rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(household index, host index, fit) of every allowed pair, computed in municipality blocks."""
    vocab = Vocab()
    s, h = Encoded(seekers, vocab), Encoded(hosts, vocab)
    languages = vocab.languages
    if max(len(languages), len(vocab.interests)) > 62:
        raise ValueError("more than 62 distinct languages or interests in one round")
    preferred = np.array(
        [1 << languages[p.languages[0]] if p.languages else 0 for p in seekers], dtype=np.int64
    )
    usable = np.array([x.active and x.capacity_left > 0 for x in hosts], dtype=bool)
    has_children = np.array([x.has_children for x in hosts], dtype=bool)
    hosts_in: dict[int, np.ndarray] = {}
    for m in np.unique(h.municipality):
        hosts_in[int(m)] = np.flatnonzero((h.municipality == m) & usable)
    excluded_by_seeker: dict[str, set[str]] = {}
    for household, host_id in rules.excluded:
        excluded_by_seeker.setdefault(household, set()).add(host_id)
    host_index = {x.id: j for j, x in enumerate(hosts)}
    bound = reach_capacity(seekers, hosts, rules)

    rows, cols, scores = [], [], []
    for m in np.unique(s.municipality):
        si = np.flatnonzero(s.municipality == m)
        areas = [int(m), *sorted(rules.neighbours.get(int(m), frozenset()))]
        parts = [hosts_in[a] for a in areas if a in hosts_in]
        if not parts:
            continue
        hi = np.concatenate(parts)
        if hi.size == 0:
            continue
        ok = (s.languages[si][:, None] & h.languages[hi][None, :]) != 0
        for r, i in enumerate(si):
            banned = excluded_by_seeker.get(seekers[i].id)
            if banned:
                for host_id in banned:
                    j = host_index.get(host_id)
                    if j is not None:
                        ok[r, hi == j] = False
        block = fit_matrix(s, si, h, hi, preferred, has_children)
        _keep_best_candidates(ok, block, bound[hi])
        r_idx, c_idx = np.nonzero(ok)
        if r_idx.size == 0:
            continue
        rows.append(si[r_idx])
        cols.append(hi[c_idx])
        scores.append(block[r_idx, c_idx])
    if not rows:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)


def reach_capacity(seekers: list[Seeker], hosts: list[Host], rules: Rules) -> np.ndarray:
    """For each host, the free visits of every host that any household able to reach it could
    take: at most this many of its candidates can be placed in any round."""
    free: dict[int, int] = {}
    for x in hosts:
        if x.active and x.capacity_left > 0:
            free[x.municipality] = free.get(x.municipality, 0) + x.capacity_left

    def areas(m: int) -> set[int]:
        return {m, *rules.neighbours.get(m, frozenset())}

    households_in = {s.municipality for s in seekers}
    bound: dict[int, int] = {}
    for a in {x.municipality for x in hosts}:
        reaching = [m for m in households_in if a in areas(m)]
        bound[a] = sum(free.get(b, 0) for b in set().union(*(areas(m) for m in reaching)))
    return np.array([bound[x.municipality] for x in hosts], dtype=np.int64)


def _keep_best_candidates(ok: np.ndarray, block: np.ndarray, bound: np.ndarray) -> None:
    """Drop each host's candidates beyond its `bound` best (ties kept); the optimum is unchanged.

    Why: at most `bound[j]` of host j's candidates can be placed in a round. If an optimal round
    gave j a household outside its `bound` best, one of those best would be waiting; giving j that
    one instead costs no more (its fit is no lower, j's load is the same), so an optimum exists
    that uses only the kept pairs. Fewer arcs make the flow solve faster.
    """
    over = bound < ok.sum(axis=0)
    if not over.any():
        return
    masked = np.where(ok, block, -1)
    for k in np.unique(bound[over]):
        cols = np.flatnonzero(over & (bound == k))
        if k == 0:
            ok[:, cols] = False
            continue
        sub = masked[:, cols]
        kth = -np.partition(-sub, k - 1, axis=0)[k - 1]
        ok[:, cols] &= sub >= kth[None, :]


def _areas(seekers: list[Seeker], hosts: list[Host], rules: Rules) -> dict[int, int]:
    """Municipality → its group: municipalities linked by allowed neighbours share a group, and
    no pair crosses groups, so each group is a round of its own (smaller flows solve faster)."""
    parent: dict[int, int] = {}

    def find(m: int) -> int:
        parent.setdefault(m, m)
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for x in [*seekers, *hosts]:
        find(x.municipality)
    for m, near in rules.neighbours.items():
        for n in near:
            parent[find(m)] = find(n)
    return {m: find(m) for m in parent}


def _solve_flow(n: int, hosts: list[Host], pair_s: np.ndarray, pair_h: np.ndarray, pair_fit: np.ndarray):
    """One min-cost flow: households 0..n-1, hosts n..n+m-1, waitlist n+m, sink n+m+1.
    Returns (mask of the pairs used, optimal cost)."""
    m = len(hosts)
    waitlist, sink = n + m, n + m + 1
    tails = [pair_s, np.arange(n)]
    heads = [pair_h + n, np.full(n, waitlist)]
    caps = [np.ones(pair_s.size, dtype=np.int64), np.ones(n, dtype=np.int64)]
    costs = [MAX_SCORE - pair_fit, np.full(n, WAITLIST, dtype=np.int64)]
    # One arc per free visit of each host, at its marginal load cost (convex, so filled in order).
    free = np.array([x.capacity_left if x.active else 0 for x in hosts], dtype=np.int64)
    free = np.minimum(np.maximum(free, 0), n)
    load = np.array([x.load for x in hosts], dtype=np.int64)
    host_of_unit = np.repeat(np.arange(m), free)
    unit_rank = np.arange(host_of_unit.size) - np.repeat(np.cumsum(free) - free, free)
    tails += [host_of_unit + n, np.array([waitlist])]
    heads += [np.full(host_of_unit.size, sink), np.array([sink])]
    caps += [np.ones(host_of_unit.size, dtype=np.int64), np.array([n])]
    costs += [LOAD_STEP * (load[host_of_unit] + unit_rank), np.array([0])]

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps),
        np.concatenate(costs).astype(np.int64),
    )
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return flow.flows(arcs[: pair_s.size]) > 0, int(flow.optimal_cost())


def solve_round(seekers: list[Seeker], hosts: list[Host], rules: Rules) -> RoundResult:
    """The optimal assignment (minimum `objective`) of all households, by min-cost flow, solved
    separately for each group of municipalities that pairs can connect."""
    if not seekers:
        return RoundResult({}, 0, 0)
    pair_s, pair_h, pair_fit = allowed_pairs(seekers, hosts, rules)
    group = _areas(seekers, hosts, rules)
    seeker_group = np.array([group[x.municipality] for x in seekers])
    host_group = np.array([group[x.municipality] for x in hosts], dtype=np.int64)
    pair_group = seeker_group[pair_s] if pair_s.size else np.array([], dtype=np.int64)
    assignment: dict[str, str | None] = {x.id: None for x in seekers}
    total = 0
    for g in np.unique(seeker_group):
        local_s = np.flatnonzero(seeker_group == g)
        local_h = np.flatnonzero(host_group == g)
        s_index = np.full(len(seekers), -1)
        s_index[local_s] = np.arange(local_s.size)
        h_index = np.full(len(hosts), -1)
        h_index[local_h] = np.arange(local_h.size)
        mine = pair_group == g
        used, cost = _solve_flow(
            local_s.size,
            [hosts[j] for j in local_h],
            s_index[pair_s[mine]],
            h_index[pair_h[mine]],
            pair_fit[mine],
        )
        total += cost
        for i, j in zip(pair_s[mine][used], pair_h[mine][used], strict=True):
            assignment[seekers[i].id] = hosts[j].id
    log.info("matching round: %d households, %d hosts, %d pairs", len(seekers), len(hosts), pair_s.size)
    return RoundResult(assignment, total, int(pair_s.size))
