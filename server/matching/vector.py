"""Scoring many pairs at once: households and hosts as integer arrays (bit masks for languages,
interests, age bands and weekly slots), and `fit_matrix`, which equals `score.fit` for every pair
(a property test checks it). Used by matching rounds and by on-demand suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from server.matching.score import (
    AVAILABILITY_SLOT,
    CHILDREN_SAME_AGE,
    HOST_HAS_CHILDREN,
    OTHER_LANGUAGE,
    PREFERRED_LANGUAGE,
    SAME_MUNICIPALITY,
    SAME_OCCUPATION,
    SHARED_INTEREST,
    norm_occupation,
)
from services.host_wire import INTERESTS, SPOKEN_LANGUAGES


@dataclass
class Vocab:
    """Bit positions of languages and interests, ids of occupations, shared by both sides."""

    languages: dict[str, int] = field(default_factory=dict)
    interests: dict[str, int] = field(default_factory=dict)
    occupations: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fixed(cls) -> Vocab:
        """The wire vocabularies' own order: the bit masks stored in the database use it."""
        return cls(
            languages={code: i for i, code in enumerate(SPOKEN_LANGUAGES)},
            interests={code: i for i, code in enumerate(INTERESTS)},
        )

    def occupation_id(self, text: str) -> int:
        return self.occupations.setdefault(norm_occupation(text), len(self.occupations)) if text else -1

    def bits(self, codes: Iterable[str], table: dict[str, int]) -> int:
        mask = 0
        for code in codes:
            mask |= 1 << table.setdefault(code, len(table))
        return mask


class Encoded:
    """Households or hosts as integer arrays, for vectorised scoring."""

    def __init__(self, people: list, vocab: Vocab) -> None:
        self.municipality = np.array([p.municipality for p in people], dtype=np.int32)
        self.languages = np.array([vocab.bits(p.languages, vocab.languages) for p in people], dtype=np.int64)
        self.child_bands = np.array([p.child_bands for p in people], dtype=np.int64)
        self.availability = np.array([p.availability for p in people], dtype=np.int64)
        self.interests = np.array([vocab.bits(p.interests, vocab.interests) for p in people], dtype=np.int64)
        self.occupation = np.array([vocab.occupation_id(p.occupation) for p in people], dtype=np.int64)


def popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values).astype(np.int64)


def fit_matrix(s: Encoded, si: np.ndarray, h: Encoded, hi: np.ndarray, preferred: np.ndarray,
                  has_children: np.ndarray) -> np.ndarray:  # fmt: skip
    """score.fit for every (household in si) × (host in hi), as a matrix."""
    lang_h = h.languages[hi][None, :]
    pref = preferred[si][:, None]
    pref_hit = (pref & lang_h) != 0
    others = popcount((s.languages[si][:, None] & ~pref) & lang_h)
    points = np.where(pref_hit, PREFERRED_LANGUAGE, 0) + OTHER_LANGUAGE * np.minimum(2, others)
    points += np.where(s.municipality[si][:, None] == h.municipality[hi][None, :], SAME_MUNICIPALITY, 0)
    kids = s.child_bands[si][:, None]
    same_age = (kids & h.child_bands[hi][None, :]) != 0
    points += np.where(
        kids != 0,
        np.where(same_age, CHILDREN_SAME_AGE, np.where(has_children[hi][None, :], HOST_HAS_CHILDREN, 0)),
        0,
    )
    points += SHARED_INTEREST * np.minimum(3, popcount(s.interests[si][:, None] & h.interests[hi][None, :]))
    occ = s.occupation[si][:, None]
    points += np.where((occ >= 0) & (occ == h.occupation[hi][None, :]), SAME_OCCUPATION, 0)
    points += AVAILABILITY_SLOT * np.minimum(
        5, popcount(s.availability[si][:, None] & h.availability[hi][None, :])
    )
    return points
