"""A stand-in for the clock: ``sleep`` returns at once but moves ``time`` forward.

Forge clients take ``sleep`` and ``clock`` callables so tests can see every wait (Retry-After,
rate-limit resets, backoff) without waiting. Moving the clock on sleep matters: a client that
shares a pause between threads checks the clock again after sleeping.
"""

from __future__ import annotations

import time


class RecordingSleep:
    """Callable like ``time.sleep``; remembers each wait; ``time()`` is the moved clock."""

    def __init__(self, start: float | None = None) -> None:
        self.waits: list[float] = []
        self._now = time.time() if start is None else start

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._now += seconds

    def time(self) -> float:
        return self._now
