"""Maintenance signals: transparent levels computed from :class:`Activity`, nothing else.

Levels build on each other like Open CoDE's badges — 1 "active" (enough commits), 2 "released"
(plus a tag), 3 "team" (plus more than one author) — and "dormant" flags repositories nobody
has touched for the whole window. Every signal carries the sentence that explains it with the
real numbers, in English and German, so the UI can show users how it was derived.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from harvesters.git.activity import Activity
from harvesters.git.thresholds import (
    ACTIVE_MIN_COMMITS,
    DORMANT_AFTER_DAYS,
    RELEASED_MIN_TAGS,
    TEAM_MIN_AUTHORS,
    WINDOW_DAYS,
)


@dataclass(frozen=True, slots=True)
class Signal:
    id: str
    level: int | None
    """1–3 for the cumulative maintenance levels; ``None`` for signals outside the ladder."""
    label: str
    label_de: str
    met: bool
    derivation: str
    derivation_de: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Signal:
        return cls(**data)


def maintenance_signals(activity: Activity) -> list[Signal]:
    """The level signals (1–3, each requiring the one below) and "dormant", in that order."""
    a = activity
    commits_ok = a.commits_180d >= ACTIVE_MIN_COMMITS
    tags_ok = a.tags_180d >= RELEASED_MIN_TAGS
    authors_ok = a.authors_180d >= TEAM_MIN_AUTHORS
    at_least = "at least " if a.truncated else ""
    mindestens = "mindestens " if a.truncated else ""

    active = Signal(
        "active", 1, "Actively developed", "Aktiv entwickelt", commits_ok,
        f"{at_least}{a.commits_180d} commits in the last {WINDOW_DAYS} days "
        f"(threshold {ACTIVE_MIN_COMMITS})",
        f"{mindestens}{a.commits_180d} Commits in den letzten {WINDOW_DAYS} Tagen "
        f"(Schwelle {ACTIVE_MIN_COMMITS})")
    latest_en = latest_de = ""
    if a.latest_tag and a.latest_tag_at:
        latest_en = f", latest {a.latest_tag} on {_day(a.latest_tag_at)}"
        latest_de = f", zuletzt {a.latest_tag} am {_day(a.latest_tag_at)}"
    released = Signal(
        "released", 2, "Regular releases", "Regelmäßige Releases", commits_ok and tags_ok,
        f"{a.tags_180d} tags in the last {WINDOW_DAYS} days{latest_en} "
        f"(threshold {RELEASED_MIN_TAGS}){_requires(1, commits_ok)}",
        f"{a.tags_180d} Tags in den letzten {WINDOW_DAYS} Tagen{latest_de} "
        f"(Schwelle {RELEASED_MIN_TAGS}){_requires_de(1, commits_ok)}")
    team = Signal(
        "team", 3, "Maintained by a team", "Von einem Team gepflegt",
        commits_ok and tags_ok and authors_ok,
        f"{at_least}{a.authors_180d} distinct authors in the last {WINDOW_DAYS} days "
        f"(threshold {TEAM_MIN_AUTHORS}){_requires(2, commits_ok and tags_ok)}",
        f"{mindestens}{a.authors_180d} verschiedene Autor*innen in den letzten {WINDOW_DAYS} "
        f"Tagen (Schwelle {TEAM_MIN_AUTHORS}){_requires_de(2, commits_ok and tags_ok)}")
    return [active, released, team, _dormant(a)]


def maintenance_level(signals: list[Signal]) -> int:
    """The highest level met (0 if none): the one number a list view can show."""
    return max((s.level for s in signals if s.level is not None and s.met), default=0)


def _dormant(a: Activity) -> Signal:
    label, label_de = "Dormant", "Ruhend"
    if a.last_commit_at is None:
        return Signal("dormant", None, label, label_de, True,
                      "no commits on the default branch", "keine Commits im Hauptzweig")
    days = (a.measured_at - a.last_commit_at).days
    day = _day(a.last_commit_at)
    return Signal(
        "dormant", None, label, label_de, days >= DORMANT_AFTER_DAYS,
        f"last commit on {day}, {days} days ago (threshold {DORMANT_AFTER_DAYS} days)",
        f"letzter Commit am {day}, vor {days} Tagen (Schwelle {DORMANT_AFTER_DAYS} Tage)")


def _requires(level: int, met: bool) -> str:
    return "" if met else f"; requires level {level}, which is not met"


def _requires_de(level: int, met: bool) -> str:
    return "" if met else f"; setzt Stufe {level} voraus, die nicht erreicht ist"


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
