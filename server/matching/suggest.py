"""On-demand suggestions: the best hosts for one household, ranked in bulk.

The database filters (certified, in date, not suspended, in the household's municipality or an
allowed neighbour, at least one shared language by bit mask); numpy scores every remaining host
with `vector.fit_matrix` (equal to `score.fit`) less the load penalty; only the top few are turned
into full profiles with their reasons. The order equals `score.top_hosts` (a test checks it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from server.matching.score import LOAD_STEP, Seeker
from server.matching.vector import Encoded, Vocab, fit_matrix


class HostColumns:
    """Candidate hosts as arrays (one entry per host), built from database columns."""

    def __init__(self, ids: Sequence[str], municipality: Sequence[int], language_mask: Sequence[int],
                 interest_mask: Sequence[int], child_bands: Sequence[int], has_children: Sequence[bool],
                 occupation: Sequence[str], availability: Sequence[int], capacity_left: Sequence[int],
                 load: Sequence[int], vocab: Vocab) -> None:  # fmt: skip
        self.ids = list(ids)
        enc = Encoded([], vocab)
        enc.municipality = np.asarray(municipality, dtype=np.int32)
        enc.languages = np.asarray(language_mask, dtype=np.int64)
        enc.interests = np.asarray(interest_mask, dtype=np.int64)
        enc.child_bands = np.asarray(child_bands, dtype=np.int64)
        enc.availability = np.asarray(availability, dtype=np.int64)
        ids_by_text = {text: vocab.occupation_id(text) for text in set(occupation)}  # few distinct
        enc.occupation = np.array([ids_by_text[o] for o in occupation], dtype=np.int64)
        self.encoded = enc
        self.has_children = np.asarray(has_children, dtype=bool)
        self.capacity_left = np.asarray(capacity_left, dtype=np.int64)
        self.load = np.asarray(load, dtype=np.int64)


def rank_hosts(seeker: Seeker, hosts: HostColumns, excluded: set[str], count: int, vocab: Vocab) -> list[str]:
    """Ids of the best `count` hosts for the household: allowed ones only (capacity left, not
    excluded, a shared language), by fit less LOAD_STEP per visit already taken, ties by id."""
    n = len(hosts.ids)
    if n == 0:
        return []
    s = Encoded([seeker], vocab)
    preferred = np.array([1 << vocab.languages[seeker.languages[0]]], dtype=np.int64)
    everyone = np.arange(n)
    points = fit_matrix(s, np.array([0]), hosts.encoded, everyone, preferred, hosts.has_children)[0]
    rank = points - LOAD_STEP * hosts.load
    ok = (hosts.capacity_left > 0) & ((hosts.encoded.languages & s.languages[0]) != 0)
    if excluded:
        ok &= np.array([i not in excluded for i in hosts.ids], dtype=bool)
    candidates = np.flatnonzero(ok)
    if candidates.size == 0:
        return []
    if candidates.size > count:
        # Everything that could be in the top `count`: at or above the count-th best rank.
        threshold = np.partition(rank[candidates], candidates.size - count)[candidates.size - count]
        candidates = candidates[rank[candidates] >= threshold]
    ordered = sorted(candidates.tolist(), key=lambda j: (-rank[j], hosts.ids[j]))
    return [hosts.ids[j] for j in ordered[:count]]
