"""Activity of a repository's default branch, read from a (partial) clone.

A ``blob:none`` clone holds every commit, tree and tag, so ``git log`` and ``git for-each-ref``
work without fetching file contents. Dates are committer dates (when a commit landed, which is
what "activity" means; author dates survive rebases), tags use the tagger date (annotated) or
the tagged commit's date (lightweight). Authors are distinct author e-mails, lower-cased, read
without ``.mailmap`` (reading it would fetch a blob).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from harvesters.git.errors import GitError
from harvesters.git.thresholds import MAX_WINDOW_COMMITS, RECENT_WINDOW_DAYS, WINDOW_DAYS

GitCall = Callable[[list[str]], bytes]
"""Runs ``git <args>`` against one repository (hardened, time-limited) and returns stdout."""


@dataclass(frozen=True, slots=True)
class Activity:
    """Counts over the recent (60-day) and main (180-day) windows ending at ``measured_at``."""

    measured_at: datetime
    default_branch: str | None = None
    head_sha: str | None = None
    total_commits: int = 0
    last_commit_at: datetime | None = None
    commits_60d: int = 0
    commits_180d: int = 0
    authors_60d: int = 0
    authors_180d: int = 0
    tags_60d: int = 0
    tags_180d: int = 0
    latest_tag: str | None = None
    latest_tag_at: datetime | None = None
    truncated: bool = False
    """More than MAX_WINDOW_COMMITS commits in the window: the window counts are lower bounds."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601 strings in UTC."""
        return {key: value.isoformat() if isinstance(value, datetime) else value
                for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Activity:
        values = dict(data)
        for key in ("measured_at", "last_commit_at", "latest_tag_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


def collect_activity(git: GitCall, now: datetime) -> Activity:
    """Measure the repository behind ``git`` at ``now`` (aware; naive is taken as UTC)."""
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    branch = _optional(git, ["symbolic-ref", "--quiet", "--short", "HEAD"])
    head = _optional(git, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
    if head is None:  # empty repository, or HEAD names a branch that no longer exists
        return Activity(measured_at=now, default_branch=branch)

    recent_start = now - timedelta(days=RECENT_WINDOW_DAYS)
    window_start = now - timedelta(days=WINDOW_DAYS)
    commits = _commits_since(git, window_start)
    tags = _tags(git)
    tags_in_window = [(name, at) for name, at in tags if at >= window_start]
    latest_tag = max(tags, key=lambda tag: tag[1], default=None)
    last_commit = int(git(["log", "-1", "--no-mailmap", "--format=%ct", "HEAD"]).strip())

    return Activity(
        measured_at=now,
        default_branch=branch,
        head_sha=head,
        total_commits=int(git(["rev-list", "--count", "HEAD"]).strip()),
        last_commit_at=datetime.fromtimestamp(last_commit, UTC),
        commits_60d=sum(1 for at, _ in commits if at >= recent_start),
        commits_180d=len(commits),
        authors_60d=len({email for at, email in commits if at >= recent_start}),
        authors_180d=len({email for _, email in commits}),
        tags_60d=sum(1 for _, at in tags_in_window if at >= recent_start),
        tags_180d=len(tags_in_window),
        latest_tag=latest_tag[0] if latest_tag else None,
        latest_tag_at=latest_tag[1] if latest_tag else None,
        truncated=len(commits) >= MAX_WINDOW_COMMITS,
    )


def _optional(git: GitCall, args: list[str]) -> str | None:
    """Output of a query that exits non-zero when the answer is "none"."""
    try:
        return git(args).decode("utf-8", "replace").strip() or None
    except GitError:
        return None


def _commits_since(git: GitCall, start: datetime) -> list[tuple[datetime, str]]:
    """(committer date, lower-cased author e-mail) of commits on HEAD dated at/after ``start``."""
    out = git(["log", "--no-mailmap", f"--max-count={MAX_WINDOW_COMMITS}",
               f"--max-age={int(start.timestamp()) - 86400}",  # a day's slack; filtered below
               "--format=%ct%x00%ae", "HEAD"])
    commits = []
    for line in out.decode("utf-8", "replace").splitlines():
        stamp, _, email = line.partition("\0")
        at = datetime.fromtimestamp(int(stamp), UTC)
        if at >= start:
            commits.append((at, email.strip().lower()))
    return commits


def _tags(git: GitCall) -> list[tuple[str, datetime]]:
    """Every tag with its date; tags without one (pointing at a tree or blob) are left out."""
    out = git(["for-each-ref", "--format=%(refname:strip=2)%00%(creatordate:unix)",
               "refs/tags"])
    tags = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, _, stamp = line.partition("\0")
        if stamp.strip().isdigit():
            tags.append((name, datetime.fromtimestamp(int(stamp), UTC)))
    return tags
