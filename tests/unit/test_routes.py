"""Routes and links into the app: each kind of link opens its screen with its code, and the two
kinds of code never mix (an employer's case code is not a family invitation)."""

from __future__ import annotations

from services.routes import Location, parse_route

CODE = "ABCDEFGHJKMN"


def test_links_open_their_screens():
    assert parse_route("nyinordland://steps/gp_fastlege") == Location(tab="steps", step_key="gp_fastlege")
    assert parse_route("/family") == Location(tab="family")
    assert parse_route("/no/such/place") == Location()
    assert parse_route(None) == Location()


def test_a_family_invitation_and_an_employers_case_link_carry_different_codes():
    invitation = parse_route(f"nyinordland://join?code={CODE}")
    case = parse_route(f"nyinordland://case?code={CODE.lower()}")
    assert invitation == Location(tab="family", join_code=CODE)
    assert case == Location(tab="family", case_code=CODE)
    assert parse_route(f"/case?code={CODE}").case_code == CODE  # in a browser
    assert parse_route("nyinordland://case?code=nonsense") == Location()
