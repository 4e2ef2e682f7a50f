"""Bad input gets a 4xx with a clear code and stores nothing."""

from __future__ import annotations

import pytest


def nothing_stored(phone) -> bool:
    return phone.pull().json()["changes"] == []


def test_malformed_json_is_refused(phone):
    r = phone.client.post(
        "/v1/sync/push", content=b"{not json", headers={**phone.auth, "content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert nothing_stored(phone)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"entity": "passwords"}, "unknown_entity"),
        ({"field": "owner"}, "unknown_field"),
        ({"counter": "one"}, "invalid_op"),
        ({"row_key": ""}, "invalid_op"),
        ({"stamp": "yesterday"}, "invalid_stamp"),
        # Decodes, but is not fixed width: as text it would sort after every real stamp.
        ({"stamp": "9-0-dev"}, "invalid_stamp"),
        ({"field": ["status"]}, "unknown_field"),
        ({"entity": {"step_state": 1}}, "unknown_entity"),
        ({"counter": True}, "invalid_op"),
        ({"value": "x" * 5000}, "value_too_large"),
        ({"stamp": "9999999999999-00000-dev"}, "stamp_in_future"),
    ],
)
def test_invalid_ops_are_refused_with_a_code(phone, change, code):
    good = phone.op("letterbox_name", "status", "done")
    r = phone.push([good, {**phone.op("bank_account", "status", "done"), **change}])
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert nothing_stored(phone)  # the whole batch is refused


def test_oversized_batch_and_body_are_refused(phone):
    r = phone.push([phone.op(f"s{i}", "status", "done") for i in range(501)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "batch_too_large"
    big = [phone.op(f"s{i}", "note", "x" * 4000) for i in range(60)]
    r = phone.push(big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    assert nothing_stored(phone)


def test_unsupported_protocol_version(phone):
    r = phone.push([phone.op("letterbox_name", "status", "done")], protocol=99)
    assert r.status_code == 426 and r.json()["error"]["code"] == "unsupported_protocol"


def test_missing_or_unknown_token_is_401_and_no_household_is_409(client):
    assert client.get("/v1/sync/pull").json()["error"]["code"] == "unauthenticated"
    r = client.get("/v1/sync/pull", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401
    from tests.integration.server.conftest import Phone

    lonely = Phone(client)
    r = lonely.pull()
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_household"
    assert lonely.create_household()["role"] == "owner"
    again = client.post("/v1/households", json={}, headers=lonely.auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_in_household"


@pytest.mark.parametrize(
    "query",
    [{"since": -1}, {"since": "abc"}, {"since": 10**20}, {"limit": 0}, {"limit": 1001}, {"limit": "1.5"}],
)
def test_bad_pull_queries_are_refused_with_a_code(phone, query):
    phone.push([phone.op("bank_account", "status", "done")])
    r = phone.client.get("/v1/sync/pull", params=query, headers=phone.auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert r.json()["error"]["message"].startswith("query.")


def test_wrong_method_on_a_sync_endpoint_is_405_in_the_error_shape(phone):
    r = phone.client.get("/v1/sync/push", headers=phone.auth)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert r.headers["allow"] == "POST" and "x-server-time" in r.headers


def test_push_and_pull_are_documented_with_their_models(client):
    doc = client.get("/openapi.json").json()
    push = doc["paths"]["/v1/sync/push"]["post"]
    body = push["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(doc["components"]["schemas"][body]["properties"]) == {"protocol", "ops"}
    pull = doc["paths"]["/v1/sync/pull"]["get"]
    assert {(p["name"], p["in"]) for p in pull["parameters"]} == {
        ("since", "query"),
        ("limit", "query"),
        ("X-Protocol-Version", "header"),
    }
    answer = pull["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "changes" in doc["components"]["schemas"][answer]["properties"]


def test_a_chunked_push_over_the_body_limit_is_refused_storing_nothing(phone):
    """Without Content-Length the limit is enforced while reading."""
    chunk = b" " * 100_000

    def body():
        yield b'{"protocol": 1, "ops": ['
        for _ in range(12):  # 1.2 MB of whitespace: over the 1 MB limit
            yield chunk
        yield b"]}"

    headers = {**phone.auth, "content-type": "application/json"}
    r = phone.client.post("/v1/sync/push", content=body(), headers=headers)
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    assert nothing_stored(phone)
