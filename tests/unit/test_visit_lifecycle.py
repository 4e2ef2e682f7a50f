"""The visit request state machine: only listed moves, by the right side, from the right state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import visit_lifecycle as v


def test_the_happy_path_from_request_to_completed():
    state = v.REQUESTED
    for action, actor in [("accept", v.HOST), ("confirm", v.NEWCOMER), ("complete", v.HOST)]:
        state = v.next_state(state, action, actor)
    assert state == v.COMPLETED and v.can_leave_feedback(state)


def test_a_proposed_time_is_confirmed_by_the_family_not_the_host():
    assert v.next_state(v.PROPOSED, "confirm", v.NEWCOMER) == v.CONFIRMED
    with pytest.raises(v.TransitionRefused):
        v.next_state(v.PROPOSED, "confirm", v.HOST)


def test_offered_actions_match_what_each_side_may_do():
    assert v.allowed_actions(v.REQUESTED, v.HOST) == ["accept", "propose", "decline", "cancel"]
    assert v.allowed_actions(v.REQUESTED, v.NEWCOMER) == ["cancel"]
    assert v.allowed_actions(v.CONFIRMED, v.NEWCOMER) == ["complete", "cancel"]
    for final in v.FINAL_STATES:
        assert v.allowed_actions(final, v.HOST) == v.allowed_actions(final, v.NEWCOMER) == []


@given(
    st.lists(st.tuples(st.sampled_from(sorted(v.ACTIONS)), st.sampled_from([v.NEWCOMER, v.HOST, v.SYSTEM])))
)
def test_no_sequence_of_attempts_reaches_an_invalid_state(attempts):
    state, history = v.REQUESTED, [v.REQUESTED]
    for action, actor in attempts:
        try:
            state = v.next_state(state, action, actor)
        except v.TransitionRefused:
            continue
        history.append(state)
        assert state in v.STATES
    # Once final, nothing moves; completed is only reached through confirmed.
    for before, after in zip(history, history[1:], strict=False):
        assert before not in v.FINAL_STATES
        if after == v.COMPLETED:
            assert before == v.CONFIRMED
        if after == v.CONFIRMED:
            assert before in {v.ACCEPTED, v.PROPOSED}
