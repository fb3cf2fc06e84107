"""The ``[needs]`` table: how the marketplace follows up on the needs towns post."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .values import ConfigError, read_table


@dataclass(frozen=True, slots=True)
class NeedsConfig:
    """``[needs]``: follow-up mail about needs."""

    remind_after_days: int = 90
    """An open need without any change by its organisation for this many days asks its
    organisation once whether it is still open; 0 switches the reminders off."""


_NEEDS_KEYS = {"remind_after_days"}


def parse_needs(raw: Mapping[str, Any], where: Path | None) -> NeedsConfig:
    table = read_table(raw, "needs", _NEEDS_KEYS, where)
    days = table.get("remind_after_days", NeedsConfig().remind_after_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 3650:
        raise ConfigError(f"{where}: [needs] remind_after_days must be a whole number of days "
                          "from 0 (no reminders) to 3650")
    return NeedsConfig(remind_after_days=days)
