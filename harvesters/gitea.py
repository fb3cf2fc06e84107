"""Harvest Gitea and Forgejo organisations, e.g. Codeberg (``type = "gitea"``): one API v1.

Listing: ``GET {url}/api/v1/orgs/:org/repos?limit=50`` (the default server maximum), following
``Link: rel="next"``. Gitea has no ``pushed_at``; its ``updated_at`` is set on every push
(``UpdateRepositoryUpdatedTime`` in the push and mirror-sync services) and on settings
changes, so ``updated_at`` plus the default branch is the marker: it may over-fetch after a
settings edit, never miss a push. The file comes from ``/raw/{file}?ref=`` (raw bytes; the
``/media`` variant that resolves LFS is newer and an old server's 404 there would read as "no
file"); above 1 MiB it is refused and the size comes from the contents endpoint.

Decisions:

* **forks and mirrors are skipped**: both carry somebody else's publiccode.yml; the original
  is harvested where it lives, and listing copies would show one solution several times.
* **empty repositories** (Gitea's reliable ``empty`` flag) are listed — so they are not
  counted missing — but cost no file request: there is nothing to find.
* **private and internal repositories** are skipped: a token may see them, the catalogue is
  public.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from registry.config import SourceConfig

from .base import FetchedFile, HarvestError, RepositoryRef
from .forge_common import ForgeHarvester, fetch_publiccode, list_namespaces, owner_and_name
from .http import ForgeClient


class GiteaHarvester(ForgeHarvester):
    type = "gitea"
    page_size: ClassVar[int] = 50
    """Gitea's default ``MAX_RESPONSE_ITEMS``; a larger ``limit`` is clamped to it anyway."""

    @staticmethod
    def make_client(source: SourceConfig, **options: Any) -> ForgeClient:
        """The client for ``source`` (API at ``{url}/api/v1``, ``Authorization: token …``);
        ``options`` (``sleep``, ``max_wait`` …) are for tests and tuning."""
        if not source.url:
            raise HarvestError(f'source "{source.name}": a gitea source needs the url of the '
                               "instance, e.g. https://codeberg.org")
        return ForgeClient(f"{source.url.rstrip('/')}/api/v1", token=source.token(),
                           token_header="Authorization",  # noqa: S106 (a header name)
                           token_prefix="token ",  # noqa: S106 (Gitea's scheme, not a secret)
                           **options)

    # -- listing --

    def list_repositories(self) -> Iterator[RepositoryRef]:
        return list_namespaces("orgs", self.source.orgs, self._list_org)

    def _list_org(self, org: str) -> Iterator[RepositoryRef]:
        path = f"orgs/{quote(org, safe='')}/repos"
        for page in self.client.paginate(path, {"limit": self.page_size}):
            for repo in page.items:
                if isinstance(repo, dict) and _harvestable(repo):
                    yield repository_ref(repo)

    # -- the file --

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        if ref.facts.get("empty"):
            return None
        owner, name = owner_and_name(ref.url)
        repo = f"repos/{quote(owner, safe='')}/{quote(name, safe='')}"
        branch = ref.facts.get("default_branch")
        params = {"ref": branch} if branch else None

        def download(file_name: str, limit: int) -> bytes:
            return self.client.get_bytes(f"{repo}/raw/{file_name}", limit, params).content

        def size_of(file_name: str) -> int:
            data = self.client.get_json(f"{repo}/contents/{file_name}", params).data
            if not isinstance(data, dict) or not isinstance(data.get("size"), int):
                raise HarvestError(f"{ref.url}: the forge did not say how large {file_name} is")
            return data["size"]

        return fetch_publiccode(download, size_of)


def repository_ref(repo: dict[str, Any]) -> RepositoryRef:
    """A listed repository (Gitea's ``Repository`` JSON) as the harvest sees it.

    ``forge_license`` is set when Gitea detected exactly one license (``licenses``, 1.22+);
    several cannot be joined into an SPDX expression without knowing AND from OR.
    """
    if not isinstance(repo.get("id"), int) or not isinstance(repo.get("html_url"), str):
        raise HarvestError("the forge listed a repository without id or html_url; the "
                           "listing is not usable")
    licenses = repo.get("licenses") or []
    branch = repo.get("default_branch")
    facts = {
        "default_branch": branch,
        "last_activity_at": repo.get("updated_at"),
        "updated_at": repo.get("updated_at"),
        "archived": bool(repo.get("archived")),
        "empty": bool(repo.get("empty")),
        "fork": bool(repo.get("fork")),
        "mirror": bool(repo.get("mirror")),
        "stars": repo.get("stars_count"),
        "forks": repo.get("forks_count"),
        "topics": list(repo.get("topics") or []),
        "forge_license": licenses[0] if len(licenses) == 1 else None,
        "namespace": (repo.get("owner") or {}).get("login"),
        "forge_id": str(repo["id"]),
    }
    return RepositoryRef(url=repo["html_url"], facts=facts, forge_id=str(repo["id"]),
                         marker=f"{repo.get('updated_at') or ''}|{branch or ''}",
                         clone_url=repo.get("clone_url") or None)


def _harvestable(repo: dict[str, Any]) -> bool:
    return not (repo.get("fork") or repo.get("mirror") or repo.get("private")
                or repo.get("internal"))
