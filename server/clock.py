"""The server's clock (milliseconds since the epoch), sent in every response."""

from __future__ import annotations

import time


def server_time_ms() -> int:
    return int(time.time() * 1000)
