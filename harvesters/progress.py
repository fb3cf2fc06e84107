"""Progress of a harvest: a bar per source on a terminal, nothing extra for cron.

On a terminal an operator watches repositories done/total (the total grows while the listing
streams in); under cron the per-repository log lines and the summary line are the record, and a
progress bar would only fill the mail with control characters.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from tqdm import tqdm


class Progress:
    """Thread-safe counter of work items; draws a tqdm bar only when given one."""

    def __init__(self, bar: Any = None):
        self._bar = bar
        self._lock = threading.Lock()
        self.total = 0
        self.done = 0

    @classmethod
    def quiet(cls) -> Progress:
        return cls()

    @classmethod
    def for_source(cls, name: str, *, stream: Any = None) -> Progress:
        """A bar when ``stream`` (default stderr) is a terminal, else a quiet counter."""
        stream = stream or sys.stderr
        if not stream.isatty():
            return cls()
        return cls(tqdm(total=0, desc=name, unit="repo", file=stream, dynamic_ncols=True))

    def add_total(self, count: int) -> None:
        with self._lock:
            self.total += count
            if self._bar is not None:
                self._bar.total = self.total
                self._bar.refresh()

    def advance(self) -> None:
        with self._lock:
            self.done += 1
            if self._bar is not None:
                self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
