"""A stand-in for the clock: ``sleep`` returns at once but moves ``time`` forward.

Forge clients take ``sleep`` and ``clock`` callables so tests can see every wait (Retry-After,
rate-limit resets, backoff) without waiting. Moving the clock on sleep matters: a client that
shares a pause between threads checks the clock again after sleeping. Real time still passes
underneath (the fake servers stamp their reset times with the real clock).
"""

from __future__ import annotations

import time


class RecordingSleep:
    """Callable like ``time.sleep``; remembers each wait; ``time()`` is real time plus the waits
    (or a fixed ``start`` plus the waits)."""

    def __init__(self, start: float | None = None) -> None:
        self.waits: list[float] = []
        self._start = start

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    def time(self) -> float:
        base = time.time() if self._start is None else self._start
        return base + sum(self.waits)
