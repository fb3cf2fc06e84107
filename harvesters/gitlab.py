"""Harvest a GitLab instance (``type = "gitlab"``), Open CoDE (gitlab.opencode.de) above all.

Listing (REST API v4, public projects only — the catalogue is public):

* with ``groups``: ``GET /groups/:id/projects`` per group, subgroups included and projects
  merely shared into the group left out (``with_shared=false``: they belong to another
  namespace, which is harvested on its own); offset pagination;
* without: every public project, ``GET /projects`` with keyset pagination on ``id`` — the only
  pagination that runs through a large instance (GitLab caps offset pagination of projects).

Pages are followed through the server's ``Link: rel="next"`` (``ForgeClient.paginate``), never
built here. ``simple=true`` is not used: it drops ``archived``, ``visibility`` and
``empty_repo``, which the facts and the fetch need.

Fetch: the raw file API on the default branch, ``publiccode.yml`` then ``publiccode.yaml``;
a file over the 1 MiB cap is refused from its headers and only its size is asked for (HEAD).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from registry.config import SourceConfig

from .base import FetchedFile, HarvestError, RepositoryRef
from .forge_common import ForgeHarvester, fetch_publiccode
from .http import ForgeClient, NotFound

log = logging.getLogger(__name__)

PER_PAGE = 100  # GitLab's maximum
ACTIVITY_SETTLES_AFTER = timedelta(hours=2)
"""GitLab moves ``last_activity_at`` at most once an hour (since 8.12): a push within the hour
after the recorded activity leaves it as it was. A timestamp younger than this is therefore no
proof that nothing changed since, and such a project is fetched on every run until it settles;
two hours instead of one leave room for clock skew between the forge and us."""


class GitLabHarvester(ForgeHarvester):
    """One GitLab instance (Open CoDE is one)."""

    type = "gitlab"

    @staticmethod
    def make_client(source: SourceConfig, **options: Any) -> ForgeClient:
        """The client for ``source`` (API at ``{url}/api/v4``, token as ``PRIVATE-TOKEN``)."""
        if not source.url:
            raise HarvestError(f'source "{source.name}" needs the url of the GitLab instance')
        return ForgeClient(f"{source.url}/api/v4", token=source.token(),
                           token_header="PRIVATE-TOKEN",  # noqa: S106 (a header name)
                           token_prefix="", **options)

    # -- listing -----------------------------------------------------------------------------

    def list_repositories(self) -> Iterator[RepositoryRef]:
        listed: set[str] = set()  # a project may sit below two configured groups
        now = self.clock()
        for project in self._projects():
            ref = project_ref(project, now)
            if ref is None:
                log.warning("%s: skipped a listing entry without id or http(s) web_url",
                            self.source.name)
            elif ref.forge_id not in listed:
                listed.add(ref.forge_id or "")
                yield ref

    def _projects(self) -> Iterator[Mapping[str, Any]]:
        if not self.source.groups:
            yield from self._pages("projects", {
                "visibility": "public", "pagination": "keyset", "order_by": "id",
                "sort": "asc", "per_page": PER_PAGE})
            return
        for group in self.source.groups:
            try:
                yield from self._pages(f"groups/{quote(str(group), safe='')}/projects", {
                    "visibility": "public", "include_subgroups": "true",
                    "with_shared": "false", "order_by": "id", "sort": "asc",
                    "per_page": PER_PAGE})
            except NotFound:
                raise HarvestError(
                    f'group "{group}" was not found on {self.source.url} (or is not public): '
                    "check the groups of this source in the configuration") from None

    def _pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        for page in self.client.paginate(path, params):
            yield from (item for item in page.items if isinstance(item, Mapping))

    # -- fetch -------------------------------------------------------------------------------

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        branch = ref.facts.get("default_branch")
        if not branch or not ref.forge_id:  # an empty repository has no files to ask for
            return None
        files = f"projects/{ref.forge_id}/repository/files"

        def download(name: str, limit: int) -> bytes:
            return self.client.get_bytes(f"{files}/{quote(name, safe='')}/raw", max_bytes=limit,
                                         params={"ref": branch}).content

        def size_of(name: str) -> int:
            response = self.client.head(f"{files}/{quote(name, safe='')}", params={"ref": branch})
            size = response.headers.get("X-Gitlab-Size", "").strip()
            return int(size) if size.isdigit() else 0

        return fetch_publiccode(download, size_of)


def project_ref(project: Mapping[str, Any], now: datetime) -> RepositoryRef | None:
    """A listed project as a ``RepositoryRef``; ``None`` for an entry without id or web URL."""
    project_id, web_url = project.get("id"), project.get("web_url")
    if not isinstance(project_id, int) or not _is_web_url(web_url):
        return None
    branch = None if project.get("empty_repo") else (project.get("default_branch") or None)
    activity = project.get("last_activity_at")
    namespace = project.get("namespace")
    facts = {
        "default_branch": branch,
        "last_activity_at": activity,
        "archived": bool(project.get("archived")),
        "stars": project.get("star_count"),
        "forks": project.get("forks_count"),
        "topics": list(project.get("topics") or project.get("tag_list") or []),
        "namespace": namespace.get("full_path") if isinstance(namespace, Mapping) else None,
        "visibility": project.get("visibility"),
        "forge_id": str(project_id),
    }
    return RepositoryRef(url=web_url, facts=facts, forge_id=str(project_id),
                         marker=change_marker(activity, branch, now),
                         clone_url=project.get("http_url_to_repo") or None)


def _is_web_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def change_marker(last_activity_at: Any, branch: str | None, now: datetime) -> str | None:
    """``last_activity_at|default_branch`` once the activity has settled, else ``None``
    (always fetch): see ``ACTIVITY_SETTLES_AFTER``."""
    if not isinstance(last_activity_at, str):
        return None
    try:
        moment = datetime.fromisoformat(last_activity_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None or now - moment < ACTIVITY_SETTLES_AFTER:
        return None
    return f"{last_activity_at}|{branch or ''}"
