"""Harvest GitHub and GitHub Enterprise organisations (``type = "github"``).

Listing: ``GET /orgs/:org/repos?type=public&per_page=100``, following ``Link: rel="next"``.
Each repository's marker is ``pushed_at`` plus the default branch, so an unchanged repository
costs nothing beyond its share of a listing page. The file comes from the contents API with
the raw media type (one request, no base64); a file over 1 MiB is refused unread and only its
size is looked up (the contents JSON leaves ``content`` empty above 1 MiB).

Decisions:

* **forks are skipped**: a fork carries its upstream's publiccode.yml (same software, same
  ``url``), so listing it would show one solution twice; the upstream is harvested where it lives.
* **size 0 is not trusted**: GitHub computes ``size`` (KiB) lazily, so a fresh or tiny
  repository may say 0 and still hold a publiccode.yml. An empty one costs two 404s once;
  after that its marker keeps it unchanged until somebody pushes.
* **private repositories** never reach the catalogue (``type=public``, checked again here).
* **secondary rate limits**: GitHub answers 403 "You have exceeded a secondary rate limit".
  With ``Retry-After`` (or a used-up quota) :class:`ForgeClient` waits as told; without either,
  GitHub asks for at least a minute, then longer — :class:`GitHubClient` does that (pausing
  every worker thread of the client, not just the refused one), and gives up with
  :class:`RateLimited` once the wait would exceed the client's ``max_wait``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit

from registry.config import SourceConfig

from .base import FetchedFile, HarvestError, RepositoryRef
from .forge_common import ForgeHarvester, fetch_publiccode, list_namespaces, owner_and_name
from .http import AccessDenied, ForgeClient, ForgeResponse, RateLimited

log = logging.getLogger(__name__)

GITHUB_API = "https://api.github.com"
RAW_MEDIA_TYPE = "application/vnd.github.raw+json"
"""docs.github.com, "Get repository content": the raw file instead of base64 JSON."""
SECONDARY_LIMIT_WAIT = 60.0
"""GitHub's advice for a secondary limit that names no wait: at least one minute, then longer."""
_SECONDARY_LIMIT_WORDS = ("secondary rate limit", "abuse detection")

T = TypeVar("T")


def github_api_url(source_url: str | None) -> str:
    """The REST API root: api.github.com, or ``{url}/api/v3`` for GitHub Enterprise Server."""
    if not source_url or urlsplit(source_url).hostname in ("github.com", "api.github.com"):
        return GITHUB_API
    return f"{source_url.rstrip('/')}/api/v3"


class GitHubClient(ForgeClient):
    """A ForgeClient that also waits out a secondary rate limit sent without ``Retry-After``.

    GitHub may ban a client that keeps sending while limited, so the pause is shared: a worker
    thread that starts a request during another's pause waits for its end first.
    """

    def __init__(self, base_url: str, **options: Any):
        options.setdefault("token_header", "Authorization")
        options.setdefault("token_prefix", "Bearer ")
        super().__init__(base_url, **options)
        self._pause: Callable[[float], None] = options.get("sleep", time.sleep)
        self._now: Callable[[], float] = options.get("clock", time.time)
        self._calm_lock = threading.Lock()
        self._calm_until = 0.0
        """Epoch seconds until which a secondary limit asked everybody to stay quiet."""

    def get_json(self, *args: Any, **kwargs: Any) -> ForgeResponse:
        return self._patiently(super().get_json, *args, **kwargs)

    def get_bytes(self, *args: Any, **kwargs: Any) -> ForgeResponse:
        return self._patiently(super().get_bytes, *args, **kwargs)

    def _patiently(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._calm_lock:
            quiet = self._calm_until - self._now()
        if quiet > 0:
            self._pause(quiet)
        wait = SECONDARY_LIMIT_WAIT
        while True:
            try:
                return call(*args, **kwargs)
            except AccessDenied as exc:
                if not _secondary_limit(exc):
                    raise
                if wait > self.max_wait:
                    raise RateLimited(
                        f"{exc.message} GitHub's secondary rate limit persists; harvest this "
                        "source later or with fewer workers.", exc.status, exc.url,
                        retry_at=self._now() + wait) from None
                log.warning("%s: GitHub secondary rate limit; waiting %.0f s", exc.url, wait)
                with self._calm_lock:
                    self._calm_until = max(self._calm_until, self._now() + wait)
                self._pause(wait)
                wait *= 2


class GitHubHarvester(ForgeHarvester):
    type = "github"
    page_size: ClassVar[int] = 100
    """GitHub's maximum ``per_page``: fewest listing requests."""

    @staticmethod
    def make_client(source: SourceConfig, *, api_url: str | None = None,
                    **options: Any) -> GitHubClient:
        """The client for ``source`` (token as ``Authorization: Bearer``); ``api_url`` and
        ``options`` (``sleep``, ``max_wait`` …) are for tests and tuning."""
        return GitHubClient(api_url or github_api_url(source.url), token=source.token(),
                            **options)

    # -- listing --

    def list_repositories(self) -> Iterator[RepositoryRef]:
        return list_namespaces("orgs", self.source.orgs, self._list_org)

    def _list_org(self, org: str) -> Iterator[RepositoryRef]:
        params = {"type": "public", "per_page": self.page_size}
        for page in self.client.paginate(f"orgs/{quote(org, safe='')}/repos", params):
            for repo in page.items:
                if isinstance(repo, dict) and not repo.get("fork") and not repo.get("private"):
                    yield repository_ref(repo)

    # -- the file --

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        owner, name = owner_and_name(ref.url)
        contents = f"repos/{quote(owner, safe='')}/{quote(name, safe='')}/contents/"
        branch = ref.facts.get("default_branch")
        params = {"ref": branch} if branch else None

        def download(file_name: str, limit: int) -> bytes:
            return self.client.get_bytes(contents + file_name, limit, params,
                                         headers={"Accept": RAW_MEDIA_TYPE}).content

        def size_of(file_name: str) -> int:
            data = self.client.get_json(contents + file_name, params).data
            if not isinstance(data, dict) or not isinstance(data.get("size"), int):
                raise HarvestError(f"{ref.url}: GitHub did not say how large {file_name} is")
            return data["size"]

        return fetch_publiccode(download, size_of)


def repository_ref(repo: dict[str, Any]) -> RepositoryRef:
    """A listed repository (GitHub's "minimal repository" JSON) as the harvest sees it.

    ``forge_license`` is the SPDX id GitHub detected; its ``NOASSERTION`` ("some license we
    could not identify") becomes None.
    """
    if not isinstance(repo.get("id"), int) or not isinstance(repo.get("html_url"), str):
        raise HarvestError("GitHub listed a repository without id or html_url; the listing "
                           "is not usable")
    owner = repo.get("owner") or {}
    license_ = repo.get("license") or {}
    spdx = license_.get("spdx_id")
    branch = repo.get("default_branch")
    facts = {
        "default_branch": branch,
        "last_activity_at": repo.get("pushed_at"),
        "updated_at": repo.get("updated_at"),
        "archived": bool(repo.get("archived")),
        "fork": bool(repo.get("fork")),
        "stars": repo.get("stargazers_count"),
        "forks": repo.get("forks_count"),
        "topics": list(repo.get("topics") or []),
        "forge_license": spdx if spdx and spdx != "NOASSERTION" else None,
        "namespace": owner.get("login"),
        "forge_id": str(repo["id"]),
    }
    return RepositoryRef(url=repo["html_url"], facts=facts, forge_id=str(repo["id"]),
                         marker=f"{repo.get('pushed_at') or ''}|{branch or ''}",
                         clone_url=repo.get("clone_url"))


def _secondary_limit(exc: AccessDenied) -> bool:
    text = exc.message.lower()
    return exc.status in (403, 429) and any(words in text for words in _SECONDARY_LIMIT_WORDS)

