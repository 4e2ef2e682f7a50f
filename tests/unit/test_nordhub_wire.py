"""What an employer may see of a family's checklist: only consented milestones, and nothing that
depends on a milestone the family did not share (property-tested)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.nordhub_wire import MILESTONE_STEPS, MILESTONES, milestone_states, step_milestone

ROWS = [
    *[step for steps in MILESTONE_STEPS.values() for step in steps],
    "kindergarten:c1",
    "school:c2",
    "letterbox_name",
    "norwegian_course",
]
statuses = st.dictionaries(st.sampled_from(ROWS), st.sampled_from(["todo", "done", "not_relevant"]))
consents = st.sets(st.sampled_from(MILESTONES))


@given(statuses, consents)
def test_the_employer_never_sees_an_unconsented_milestone(rows, consented):
    shown = milestone_states(rows, consented)
    assert set(shown) <= consented
    for state in shown.values():
        assert set(state.get("waits_for", [])) <= consented


@given(statuses, statuses, consents)
def test_what_the_employer_sees_depends_only_on_consented_milestones(rows, other, consented):
    # Replace every row of an unconsented milestone (and rows of no milestone) with other values:
    # the employer's view must not change.
    def private(row: str) -> bool:
        return step_milestone(row) not in consented

    mixed = {k: v for k, v in rows.items() if not private(k)}
    mixed |= {k: v for k, v in other.items() if private(k)}
    assert milestone_states(mixed, consented) == milestone_states(rows, consented)


def test_states_follow_the_checklist():
    rows = {"residence_permit": "done", "tax_deduction_card": "todo", "kindergarten:c1": "done"}
    shown = milestone_states(rows, MILESTONES)
    assert shown["permit"] == {"state": "done"}
    assert shown["id_number"] == {"state": "open"}
    assert shown["tax_card"] == {"state": "blocked", "waits_for": ["id_number"]}
    assert shown["childcare_school"] == {"state": "done"}
    # Without consent to the ID number, the tax card is only "open": its reason stays private.
    assert milestone_states(rows, ["tax_card"]) == {"tax_card": {"state": "open"}}
    assert milestone_states({"residence_permit": "not_relevant"}, ["permit"]) == {
        "permit": {"state": "not_needed"}
    }
