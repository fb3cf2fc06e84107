"""maintenance_signals is pure: thresholds, the level ladder, and the sentences users read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from harvesters.git import Activity, Signal, maintenance_level, maintenance_signals
from harvesters.git import thresholds as t

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def activity(**counts) -> Activity:
    values = {"measured_at": NOW, "last_commit_at": NOW - timedelta(days=3), **counts}
    return Activity(**values)


def met(signals: list[Signal]) -> dict[str, bool]:
    return {s.id: s.met for s in signals}


def test_thresholds_are_the_documented_ones():
    assert (t.WINDOW_DAYS, t.ACTIVE_MIN_COMMITS, t.RELEASED_MIN_TAGS, t.TEAM_MIN_AUTHORS) == \
        (180, 5, 1, 2)


def test_just_below_the_commit_threshold_nothing_is_met():
    signals = maintenance_signals(activity(commits_180d=4, tags_180d=3, authors_180d=4))
    assert met(signals) == {"active": False, "released": False, "team": False,
                            "dormant": False}
    assert signals[1].derivation == (
        "3 tags in the last 180 days (threshold 1); requires level 1, which is not met")
    assert signals[1].derivation_de == ("3 Tags in den letzten 180 Tagen (Schwelle 1); "
                                        "setzt Stufe 1 voraus, die nicht erreicht ist")
    assert maintenance_level(signals) == 0


def test_levels_build_on_each_other():
    assert maintenance_level(maintenance_signals(activity(commits_180d=5))) == 1
    assert maintenance_level(maintenance_signals(activity(commits_180d=5, tags_180d=1))) == 2
    assert maintenance_level(maintenance_signals(
        activity(commits_180d=5, tags_180d=1, authors_180d=2))) == 3
    no_release = maintenance_signals(activity(commits_180d=12, authors_180d=4))
    assert met(no_release)["team"] is False
    assert no_release[2].derivation.endswith("; requires level 2, which is not met")


def test_labels_and_derivations_in_german():
    signals = maintenance_signals(activity(commits_180d=12, authors_180d=1))
    assert signals[0].label_de == "Aktiv entwickelt"
    assert signals[0].derivation_de == "12 Commits in den letzten 180 Tagen (Schwelle 5)"
    assert signals[3].derivation_de == (
        "letzter Commit am 2026-05-29, vor 3 Tagen (Schwelle 180 Tage)")


def test_dormant_boundary():
    at_limit = activity(last_commit_at=NOW - timedelta(days=t.DORMANT_AFTER_DAYS))
    just_inside = activity(last_commit_at=NOW - timedelta(days=t.DORMANT_AFTER_DAYS - 1))
    assert maintenance_signals(at_limit)[3].met is True
    assert maintenance_signals(just_inside)[3].met is False


def test_truncated_counts_say_at_least():
    signals = maintenance_signals(activity(commits_180d=100_000, truncated=True))
    assert signals[0].derivation.startswith("at least 100000 commits")


def test_signals_are_store_friendly():
    signals = maintenance_signals(activity(commits_180d=7, tags_180d=2, authors_180d=3))
    stored = json.loads(json.dumps([s.to_dict() for s in signals]))
    assert [Signal.from_dict(d) for d in stored] == signals
    assert set(stored[0]) == {"id", "level", "label", "label_de", "met", "derivation",
                              "derivation_de"}
