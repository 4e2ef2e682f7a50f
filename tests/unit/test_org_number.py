"""Organisation numbers: the modulus-11 check digit, forgiving spacing, refusing the rest."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.org_number import check_digit, is_valid_org_number, normalize_org_number


def test_real_organisation_numbers_pass_in_the_ways_people_type_them():
    for typed in ("923609016", "923 609 016", "NO 923 609 016 MVA", "974760673", " 974-760-673 "):
        assert is_valid_org_number(typed), typed


def test_wrong_check_digits_lengths_and_foreign_digits_are_refused():
    for typed in ("923609017", "92360901", "9236090160", "", "abcdefghi", "٩٢٣٦٠٩٠١٦", "９２３６０９０１６"):
        assert not is_valid_org_number(typed), typed
    assert normalize_org_number("NO 923 609 016 MVA") == "923609016"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_exactly_one_last_digit_completes_eight_digits_unless_none_can(first_eight):
    completing = [d for d in range(10) if is_valid_org_number(f"{first_eight}{d}")]
    expected = check_digit(first_eight)
    assert completing == ([] if expected is None else [expected])
