"""The phone's live listener: event parsing, reconnecting with backoff and jitter, Retry-After, and
giving up when the server refuses the phone for good. The network is httpx's MockTransport."""

from __future__ import annotations

import asyncio

import httpx

from services.live_client import LiveListener, parse_events


async def lines(*items: str):
    for item in items:
        yield item


async def collect(*items: str) -> list:
    return [event async for event in parse_events(lines(*items))]


async def test_events_are_data_lines_up_to_a_blank_line_and_comments_are_skipped():
    assert await collect(": ", "", 'data: {"seq": 3}', "", "data:{", 'data: "seq": 4}', "", "") == [
        {"seq": 3},
        {"seq": 4},
    ]
    assert await collect("data: not json", "", 'data: {"seq": 5}', "") == [{"seq": 5}]
    assert await collect('data: {"seq": 6}') == []  # an event counts only once it is complete


def sse(*chunks: bytes) -> httpx.Response:
    async def body():
        for chunk in chunks:
            yield chunk

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


class Recorder:
    """Sleeps are recorded (never waited); the listener stops after `max_sleeps` of them."""

    def __init__(self, max_sleeps: int) -> None:
        self.sleeps: list[float] = []
        self.max_sleeps = max_sleeps
        self.listener: LiveListener | None = None

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if len(self.sleeps) >= self.max_sleeps:
            raise asyncio.CancelledError


def listener(handler, recorder: Recorder, token=lambda: "t", **kwargs) -> tuple[LiveListener, list, list]:
    seqs: list[int] = []
    states: list[bool] = []
    live = LiveListener(
        "http://server",
        token,
        seqs.append,
        states.append,
        transport=httpx.MockTransport(handler),
        rng=lambda: 0.5,
        sleep=recorder.sleep,
        **kwargs,
    )
    return live, seqs, states


async def run_until_done(live: LiveListener) -> None:
    live.start()
    try:
        await asyncio.wait_for(live._task, 10)
    except asyncio.CancelledError:
        pass


async def test_every_event_is_reported_and_a_dropped_stream_reconnects_after_a_jittered_pause():
    requests: list[httpx.Request] = []

    def handler(request):
        requests.append(request)
        return sse(b'data: {"seq": 1}\n\n: \n\n', b'data: {"seq": 4}\n\n')

    recorder = Recorder(max_sleeps=2)
    live, seqs, states = listener(handler, recorder)
    await run_until_done(live)
    assert seqs == [1, 4, 1, 4]  # each connection starts with the household's current number
    assert states == [True, False, True, False]
    assert recorder.sleeps == [0.75, 0.75]  # 1 s × (0.5 + 0.5 · rng): events came, so no growth
    assert requests[0].url.path == "/v1/sync/live"
    assert requests[0].headers["Authorization"] == "Bearer t"
    assert requests[0].headers["X-Protocol-Version"] == "1"


async def test_failing_connections_wait_longer_each_time_up_to_the_cap():
    def handler(request):
        raise httpx.ConnectError("no network")

    recorder = Recorder(max_sleeps=8)
    live, seqs, states = listener(handler, recorder, max_backoff_s=30)
    await run_until_done(live)
    assert recorder.sleeps == [0.75, 1.5, 3.0, 6.0, 12.0, 22.5, 22.5, 22.5]
    assert seqs == [] and states == []


async def test_retry_after_is_honoured_with_jitter_on_top():
    answers = iter([httpx.Response(429, headers={"Retry-After": "60"}, json={"error": {"code": "x"}})])

    def handler(request):
        return next(answers, None) or sse(b'data: {"seq": 2}\n\n')

    recorder = Recorder(max_sleeps=2)
    live, seqs, _ = listener(handler, recorder)
    await run_until_done(live)
    assert recorder.sleeps[0] == 75.0  # 60 s × (1 + rng / 2): phones refused together spread out
    assert seqs == [2]


async def test_a_final_refusal_stops_the_listener_without_retrying():
    for status, code in (
        (401, "unauthenticated"),
        (410, "removed"),
        (409, "no_household"),
        (404, "unsupported"),
    ):
        calls: list[int] = []

        def handler(request, status=status, calls=calls):
            calls.append(1)
            return httpx.Response(status, json={"error": {"code": "x", "message": "x"}})

        recorder = Recorder(max_sleeps=5)
        live, seqs, _ = listener(handler, recorder)
        await run_until_done(live)
        assert live.gave_up == code and len(calls) == 1 and recorder.sleeps == [] and not live.running


async def test_no_token_means_no_connection_and_a_rotated_token_is_used_on_reconnect():
    recorder = Recorder(max_sleeps=5)
    live, _, _ = listener(lambda r: sse(), recorder, token=lambda: None)
    await run_until_done(live)
    assert live.gave_up == "unauthenticated" and recorder.sleeps == []

    tokens = iter(["old", "new"])
    seen: list[str] = []

    def handler(request):
        seen.append(request.headers["Authorization"])
        return sse(b'data: {"seq": 1}\n\n')

    recorder = Recorder(max_sleeps=2)
    live, _, _ = listener(handler, recorder, token=lambda: next(tokens))
    await run_until_done(live)
    assert seen == ["Bearer old", "Bearer new"]


async def test_stop_closes_the_connection_and_reports_it_down():
    opened = asyncio.Event()

    async def endless():
        yield b'data: {"seq": 7}\n\n'
        opened.set()
        await asyncio.Event().wait()  # the server keeps the stream open
        yield b""

    def handler(request):
        return httpx.Response(200, content=endless())

    recorder = Recorder(max_sleeps=1)
    live, seqs, states = listener(handler, recorder)
    live.start()
    await asyncio.wait_for(opened.wait(), 10)
    await asyncio.sleep(0)
    assert live.connected and seqs == [7]
    live.stop()
    await asyncio.gather(live._task, return_exceptions=True)
    assert not live.running and states == [True, False] and recorder.sleeps == []
