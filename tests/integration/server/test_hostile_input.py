"""What an outside review sent the server to break it: each answer is a 4xx with a code, the same
on SQLite and PostgreSQL, and nothing is stored."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from services.hlc import HybridClock
from services.wire import MAX_SQL_INT, ErrorCode, WireError, parse_op

# One non-ASCII digit of every script Python reads as a number, plus superscripts and the like:
# `\d` and `int()` accept them, so a stamp written in them once passed as time 0.
FOREIGN_DIGITS = [
    chr(c) for c in range(128, sys.maxunicode + 1) if chr(c).isdigit() or unicodedata.decimal(chr(c), None)
]
ONE_PER_SCRIPT = sorted({unicodedata.name(d).rsplit(" ", 1)[0]: d for d in FOREIGN_DIGITS}.values())


def _op(**change) -> dict:
    return {
        "counter": 1,
        "entity": "step_state",
        "row_key": "bank_account",
        "field": "status",
        "value": "done",
        "stamp": "0000000000001-00000-dev",
        **change,
    }


def test_every_foreign_digit_is_refused_in_a_stamp():
    assert len(FOREIGN_DIGITS) > 600  # the whole class, not a sample
    for digit in FOREIGN_DIGITS:
        for stamp in (f"{digit * 13}-00000-x", f"0000000000000-{digit * 5}-x", f"{'1' * 12}{digit}-00000-x"):
            with pytest.raises(WireError) as caught:
                parse_op(_op(stamp=stamp))
            assert caught.value.code == ErrorCode.INVALID_STAMP


def test_a_foreign_digit_stamp_cannot_freeze_a_field(phone):
    """The attack: Arabic-Indic zeros sorted above every honest stamp, so every later edit lost."""
    frozen = "\u0660" * 13 + "-00000-x"
    r = phone.push([{**phone.op("bank_account", "status", "todo"), "stamp": frozen}])
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_STAMP
    honest = phone.push([phone.op("bank_account", "status", "done")])
    assert honest.status_code == 200 and honest.json()["applied"] == 1
    assert [c["value"] for c in phone.pull().json()["changes"]] == ["done"]


def test_a_far_future_stamp_cannot_hide_behind_a_higher_one(phone):
    """Every op's time is bounded, not only the batch's highest stamp as text."""
    year_2286 = "9999999999999-00000-x"
    ops = [{**phone.op("bank_account", "status", "todo"), "stamp": year_2286}]
    ops.append({**phone.op("tax_card", "status", "done"), "stamp": "\u0661" * 13 + "-00000-x"})
    assert phone.push(ops).status_code == 422
    ops = [{**phone.op("bank_account", "status", "todo"), "stamp": year_2286}]
    ops.append(phone.op("tax_card", "status", "done"))
    r = phone.push(ops)
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.STAMP_IN_FUTURE
    assert phone.pull().json()["changes"] == []


@pytest.mark.parametrize("digit", ONE_PER_SCRIPT[:40] + ["\u00b2", "\u00b9", "\uff11"])
def test_foreign_digits_in_the_query_and_header_are_4xx(phone, digit):
    r = phone.client.get("/v1/sync/pull", params={"since": digit}, headers=phone.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_REQUEST
    # Headers travel as bytes: Latin-1 where the digit has one (the server reads "¹" back), else UTF-8.
    raw = digit.encode("latin-1") if ord(digit) < 256 else digit.encode()
    r = phone.client.get("/v1/sync/pull", headers={**phone.auth, "X-Protocol-Version": raw})
    assert r.status_code == 426 and r.json()["error"]["code"] == ErrorCode.UNSUPPORTED_PROTOCOL
    # Before authentication too.
    r = phone.client.get("/v1/sync/pull", headers={"X-Protocol-Version": raw})
    assert r.status_code == 426


@pytest.mark.parametrize("counter", [MAX_SQL_INT + 1, 2**64, 10**30])
def test_counters_beyond_64_bits_are_refused(phone, counter):
    r = phone.push([{**phone.op("bank_account", "status", "done"), "counter": counter}])
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_OP


def test_the_largest_64_bit_counter_is_accepted(phone):
    r = phone.push([{**phone.op("bank_account", "status", "done"), "counter": MAX_SQL_INT}])
    assert r.status_code == 200 and r.json()["acked_counter"] == MAX_SQL_INT


@pytest.mark.parametrize("big", [str(MAX_SQL_INT + 1), "9" * 40])
def test_cursors_beyond_64_bits_are_refused(phone, big):
    r = phone.client.get("/v1/sync/pull", params={"since": big}, headers=phone.auth)
    assert r.status_code == 422
    r = phone.client.get("/v1/inbox", params={"since": big}, headers=phone.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_REQUEST
    r = phone.client.post("/v1/inbox/read", json={"up_to": int(big)}, headers=phone.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_REQUEST


def test_a_device_id_longer_than_the_column_is_refused(phone):
    clock = HybridClock("d" * 64)
    r = phone.push([{**phone.op("bank_account", "status", "done"), "stamp": clock.now().encode()}])
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_STAMP


@pytest.mark.parametrize(
    "change",
    [{"row_key": "bank\x00account"}, {"value": "do\x00ne"}, {"value": {"a\x00": 1}}, {"value": [["\x00"]]}],
)
def test_nul_in_a_sync_op_is_refused(phone, change):
    r = phone.push([{**phone.op("bank_account", "note", "x"), **change}])
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_OP
    assert phone.pull().json()["changes"] == []


def test_nul_in_request_text_path_and_query_is_refused(client, phone):
    from tests.integration.server.conftest import Phone

    other = Phone(client)
    r = client.post("/v1/households", json={"display_name": "A\x00na"}, headers=other.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == ErrorCode.INVALID_REQUEST
    assert client.get("/v1/household", headers=other.auth).json()["error"]["code"] == ErrorCode.NO_HOUSEHOLD
    r = client.delete("/v1/household/members/abc%00def", headers=phone.auth)
    assert r.status_code == 422
    r = client.get("/v1/inbox?since=1%00", headers=phone.auth)
    assert r.status_code == 422
    r = client.post("/v1/invites/redeem", json={"code": "ABCD\x00EFGH"}, headers=other.auth)
    assert r.status_code == 422


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("path", ["/v1/households", "/v1/sync/push", "/v1/invites/redeem", "/v1/host"])
def test_a_chunked_body_over_the_limit_is_refused_everywhere(client, path):
    from tests.integration.server.conftest import Phone

    fresh = Phone(client)
    method = "PUT" if path == "/v1/host" else "POST"
    headers = {**fresh.auth, "content-type": "application/json"}
    r = client.request(method, path, content=_chunks(5_000_000), headers=headers)
    assert r.status_code == 413 and r.json()["error"]["code"] == ErrorCode.BODY_TOO_LARGE
    assert client.get("/v1/household", headers=fresh.auth).json()["error"]["code"] == ErrorCode.NO_HOUSEHOLD


def test_a_small_chunked_body_still_works(client):
    from tests.integration.server.conftest import Phone

    fresh = Phone(client)
    body = b'{"display_name": "Ana"}'
    headers = {**fresh.auth, "content-type": "application/json"}
    r = client.post("/v1/households", content=iter([body[:5], body[5:]]), headers=headers)
    assert r.status_code == 201, r.text


def test_every_refusal_carries_the_servers_time_once(client, phone):
    """Refusals made by the middleware itself (bad gzip, NUL, body over the limit) carry
    X-Server-Time exactly once, like every other answer."""
    headers = {**phone.auth, "content-type": "application/json"}
    answers = [
        client.post("/v1/households", content=b"xx", headers={**headers, "Content-Encoding": "gzip"}),
        client.get("/v1/inbox?since=1%00", headers=phone.auth),
        client.post("/v1/households", content=b" " * 300_000, headers=headers),
        client.request("POST", "/v1/households", content=_chunks(300_000), headers=headers),
    ]
    assert [a.status_code for a in answers] == [400, 422, 413, 413]
    for answer in answers:
        assert len(answer.headers.get_list("x-server-time")) == 1, answer.headers
