"""The life of a visit request, shared by the app (which actions to offer) and the server (which
to accept). Pure data: states, who may do what from where, and where it leads.

requested ─accept(time, place)→ accepted ─confirm→ confirmed ─complete→ completed
    │  └─propose(time, place)→ proposed ─confirm→ confirmed
    └─decline→ declined
Any open state ─cancel→ cancelled (either side); requested/proposed ─expire→ expired (nobody answered).
Feedback is left once per side on a completed visit; it does not change the state.
"""

from __future__ import annotations

from dataclasses import dataclass

NEWCOMER, HOST, SYSTEM = "newcomer", "host", "system"

REQUESTED, ACCEPTED, PROPOSED, CONFIRMED = "requested", "accepted", "proposed", "confirmed"
DECLINED, CANCELLED, EXPIRED, COMPLETED = "declined", "cancelled", "expired", "completed"

STATES = (REQUESTED, ACCEPTED, PROPOSED, CONFIRMED, COMPLETED, DECLINED, CANCELLED, EXPIRED)
OPEN_STATES = frozenset({REQUESTED, ACCEPTED, PROPOSED, CONFIRMED})
# Waiting for an answer: what the per-household limit of pending requests counts.
PENDING_STATES = frozenset({REQUESTED, ACCEPTED, PROPOSED})
FINAL_STATES = frozenset({COMPLETED, DECLINED, CANCELLED, EXPIRED})
# A host's load: requests that take (or took) one of their visits this month.
LOAD_STATES = frozenset({REQUESTED, ACCEPTED, PROPOSED, CONFIRMED, COMPLETED})


@dataclass(frozen=True)
class Transition:
    action: str
    actor: str
    source: frozenset[str]
    target: str
    needs_time: bool = False  # the action sets the meeting time and public place


TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", HOST, frozenset({REQUESTED}), ACCEPTED, needs_time=True),
    Transition("propose", HOST, frozenset({REQUESTED}), PROPOSED, needs_time=True),
    Transition("decline", HOST, frozenset({REQUESTED, PROPOSED}), DECLINED),
    Transition("confirm", NEWCOMER, frozenset({ACCEPTED, PROPOSED}), CONFIRMED),
    Transition("complete", NEWCOMER, frozenset({CONFIRMED}), COMPLETED),
    Transition("complete", HOST, frozenset({CONFIRMED}), COMPLETED),
    Transition("cancel", NEWCOMER, frozenset(OPEN_STATES), CANCELLED),
    Transition("cancel", HOST, frozenset(OPEN_STATES), CANCELLED),
    Transition("expire", SYSTEM, frozenset({REQUESTED, PROPOSED}), EXPIRED),
)
ACTIONS = frozenset(t.action for t in TRANSITIONS)


class TransitionRefused(ValueError):
    """The action is not allowed for this actor in this state."""


def find_transition(state: str, action: str, actor: str) -> Transition:
    """The transition `actor` makes by doing `action` in `state`; refused when there is none."""
    for transition in TRANSITIONS:
        if transition.action == action and transition.actor == actor and state in transition.source:
            return transition
    raise TransitionRefused(f"{actor} cannot {action} a visit that is {state}")


def next_state(state: str, action: str, actor: str) -> str:
    """Where `action` by `actor` leads from `state` (raises TransitionRefused)."""
    return find_transition(state, action, actor).target


def allowed_actions(state: str, actor: str) -> list[str]:
    """The actions to offer `actor` on a visit in `state`, in a stable order."""
    return [t.action for t in TRANSITIONS if t.actor == actor and state in t.source]


def can_leave_feedback(state: str) -> bool:
    return state == COMPLETED
