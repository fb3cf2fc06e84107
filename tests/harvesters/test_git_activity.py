"""Activity measured from a real repository with controlled dates, authors and tags."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from harvesters.git import Activity, GitCache, maintenance_level, maintenance_signals
from tests.harvesters.conftest import (
    ALICE,
    BOB,
    CAROL,
    CAROL_UPPER,
    NOW,
    Origin,
    days_ago,
    git,
)


@pytest.fixture
def history(origin: Origin) -> Origin:
    """7 commits on main, 5 of them in 180 days (2 in 60) by 3 authors; tags at -200/-95/-10."""
    origin.commit(days_ago(400), ALICE, files={"publiccode.yml": "name: X\n"})
    origin.commit(days_ago(200), ALICE)
    origin.tag("v0.1", days_ago(200), annotated=False)  # lightweight: dated by its commit
    origin.commit(days_ago(170), BOB)
    origin.commit(days_ago(100), ALICE)
    origin.tag("v1.0", days_ago(95), annotated=True)  # annotated: dated by the tagger
    origin.commit(days_ago(90), CAROL_UPPER)
    origin.commit(days_ago(50), CAROL)  # same person, different case
    origin.commit(days_ago(10), ALICE)
    origin.tag("v1.1", days_ago(10), annotated=False)
    # Work off the default branch does not count.
    git("checkout", "--quiet", "-b", "feature", cwd=origin.work)
    origin.commit(days_ago(5), ("Dave", "dave@example.org"))
    git("checkout", "--quiet", "main", cwd=origin.work)
    origin.push()
    return origin


def measure(origin: Origin, tmp_path: Path, now: datetime = NOW) -> Activity:
    cache = GitCache(tmp_path / "cache", allow_file=True)
    return cache.activity(cache.sync(origin.file_url), now)


def test_activity_numbers_are_exact(history: Origin, tmp_path: Path):
    activity = measure(history, tmp_path)
    assert activity == Activity(
        measured_at=NOW,
        default_branch="main",
        head_sha=git("rev-parse", "main", cwd=history.work),
        total_commits=7,
        last_commit_at=days_ago(10),
        commits_60d=2,
        commits_180d=5,
        authors_60d=2,
        authors_180d=3,
        tags_60d=1,
        tags_180d=2,
        latest_tag="v1.1",
        latest_tag_at=days_ago(10),
        truncated=False,
    )


def test_naive_now_is_taken_as_utc(history: Origin, tmp_path: Path):
    naive = measure(history, tmp_path, NOW.replace(tzinfo=None))
    assert naive.measured_at == NOW and naive.commits_180d == 5


def test_activity_round_trips_through_json(history: Origin, tmp_path: Path):
    activity = measure(history, tmp_path)
    data = activity.to_dict()
    assert data["last_commit_at"] == "2026-05-22T12:00:00+00:00"
    assert Activity.from_dict(data) == activity


def test_signals_from_real_history(history: Origin, tmp_path: Path):
    signals = maintenance_signals(measure(history, tmp_path))
    by_id = {signal.id: signal for signal in signals}
    assert [s.id for s in signals] == ["active", "released", "team", "dormant"]
    assert by_id["active"].met and by_id["released"].met and by_id["team"].met
    assert not by_id["dormant"].met
    assert by_id["active"].derivation == "5 commits in the last 180 days (threshold 5)"
    assert by_id["released"].derivation == (
        "2 tags in the last 180 days, latest v1.1 on 2026-05-22 (threshold 1)")
    assert by_id["team"].derivation == "3 distinct authors in the last 180 days (threshold 2)"
    assert by_id["dormant"].derivation == (
        "last commit on 2026-05-22, 10 days ago (threshold 180 days)")
    assert maintenance_level(signals) == 3


def test_a_year_later_the_repository_is_dormant(history: Origin, tmp_path: Path):
    later = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
    activity = measure(history, tmp_path, later)
    assert (activity.commits_180d, activity.authors_180d, activity.tags_180d) == (0, 0, 0)
    assert activity.total_commits == 7
    signals = maintenance_signals(activity)
    assert maintenance_level(signals) == 0
    dormant = signals[-1]
    assert dormant.met and dormant.derivation == (
        "last commit on 2026-05-22, 375 days ago (threshold 180 days)")


def test_empty_repository_has_empty_activity(origin: Origin, tmp_path: Path):
    activity = measure(origin, tmp_path)
    assert activity == Activity(measured_at=NOW, default_branch="main")
    assert maintenance_signals(activity)[-1].met  # no commits at all: dormant
