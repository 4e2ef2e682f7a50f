"""The reference solver: tries every assignment of a small round and keeps the cheapest.

Obviously correct and exponential; the tests use it to prove that `round.solve_round` (min-cost
flow) finds the optimum of `round.objective` on instances small enough to enumerate.
"""

from __future__ import annotations

from server.matching.round import objective
from server.matching.score import Host, Rules, Seeker, is_allowed


def solve_by_exhaustion(seekers: list[Seeker], hosts: list[Host], rules: Rules) -> tuple[dict, int]:
    """The minimum objective over all feasible assignments, and one assignment reaching it."""
    options = [[None, *(h.id for h in hosts if is_allowed(s, h, rules))] for s in seekers]
    capacity = {h.id: h.capacity_left for h in hosts}
    best: tuple[int, dict] | None = None
    chosen: list[str | None] = []

    def walk(i: int) -> None:
        nonlocal best
        if i == len(seekers):
            assignment = {s.id: host for s, host in zip(seekers, chosen, strict=True)}
            cost = objective(seekers, hosts, assignment)
            if best is None or cost < best[0]:
                best = (cost, assignment)
            return
        for host in options[i]:
            if host is not None:
                if capacity[host] == 0:
                    continue
                capacity[host] -= 1
            chosen.append(host)
            walk(i + 1)
            chosen.pop()
            if host is not None:
                capacity[host] += 1

    walk(0)
    assert best is not None
    return best[1], best[0]
