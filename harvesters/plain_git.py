"""Harvest plain Git repositories (``type = "git"``, ``repositories = [clone URLs]``).

No forge API to ask, so git itself is the listing: ``git ls-remote`` tells each repository's
default branch and head commit — the change marker — in one round trip; only a repository whose
head moved is fetched (into the cached bare partial clone) and read. The URLs are configured by
the operator and therefore trusted, which is why ``file://`` is allowed here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from .base import FetchedFile, Harvester, RepositoryRef
from .git import GitError, RemoteHead

log = logging.getLogger(__name__)


class PlainGitHarvester(Harvester):
    type = "git"

    @property
    def allow_file_urls(self) -> bool:
        return True  # the operator wrote these URLs; file:// is how local mirrors are named

    def clone_urls(self) -> tuple[str, ...]:
        return self.source.repositories

    def list_repositories(self) -> Iterator[RepositoryRef]:
        for url in self.clone_urls():
            yield self.ref_for(url)

    def ref_for(self, url: str) -> RepositoryRef:
        """The work item for one repository, with git's head as its marker."""
        try:
            head = self.git_cache().ls_remote_head(url)
        except GitError as exc:
            # One unreachable repository must not hide the others: without a marker the
            # work item tries to fetch, fails, and records why — keeping the stored data.
            log.warning("%s: %s", self.source.name, exc)
            return RepositoryRef(url=url, clone_url=url)
        return RepositoryRef(url=url, clone_url=url, marker=_marker(head), facts=_facts(head))

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        if ref.facts.get("empty"):
            return None  # nothing committed yet: no publiccode.yml, and nothing to fetch
        cache = self.git_cache()
        repo = cache.sync(ref.clone_url or ref.url)
        blob = cache.read_file(repo)
        if blob is None:
            return None
        if blob.too_large or blob.data is None:
            return FetchedFile(data=b"", oversize=blob.size)
        return FetchedFile(data=blob.data)

    def measure_activity(self, ref: RepositoryRef, *, fetch: bool) -> dict[str, Any] | None:
        # ``fetch`` has just synced the clone; a second network fetch would gain nothing.
        return super().measure_activity(ref, fetch=False)


def _marker(head: RemoteHead | None) -> str:
    return "empty" if head is None else f"{head.branch or 'HEAD'}@{head.sha}"


def _facts(head: RemoteHead | None) -> dict[str, Any]:
    if head is None:
        return {"empty": True}
    return {"default_branch": head.branch, "head": head.sha}
