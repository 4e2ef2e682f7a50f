"""Every error code the server can answer is known to the app: a translated sentence for what a
person can meet, the general message only for what a correct app never causes."""

from __future__ import annotations

from services.wire import ErrorCode
from views.messages import ERRORS, OTHER_ERROR, TECHNICAL_CODES, error_text


class Echo:
    def gettext(self, text: str) -> str:
        return text


def test_every_server_code_has_a_message_or_is_technical():
    for code in ErrorCode:
        assert (code in ERRORS) != (code in TECHNICAL_CODES), code


def test_codes_read_as_plain_strings_from_the_wire():
    # The client gets codes as JSON strings; the map must answer them like the constants.
    assert error_text(Echo(), "rate_limited") == ERRORS[ErrorCode.RATE_LIMITED]
    assert error_text(Echo(), "no_such_code_yet") == OTHER_ERROR
