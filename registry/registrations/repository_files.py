"""Read one file from the default branch of a repository a user named, without SSRF.

Why a module of its own: registration needs two files (the publiccode.yml and the ownership
proof ``.allmende-verify``) from repositories on four kinds of forge, and every byte must come
through the SSRF guard. On forges that serve raw files over HTTP the file is fetched with
:class:`~registry.fetch.SafeFetcher` (every redirect re-checked, size and time limits):

* GitHub: ``https://raw.githubusercontent.com/{owner}/{repo}/HEAD/{name}`` (``github_raw``
  replaces the host for tests);
* GitLab: ``{repo}/-/raw/HEAD/{name}``;
* Gitea/Forgejo: ``{repo}/raw/branch/{default_branch}/{name}``, the branch from the API at
  ``{host}/api/v1/repos/{owner}/{repo}``, fetched the same way.

Plain Git over HTTPS has no raw-file URL, so the file is read from a partial clone by the
hardened git layer (``harvesters.registered.UntrustedGitCache``): each URL is checked by the
same fetcher and git is pinned to the address the check accepted (``http.curloptResolve``),
so a DNS server that answers differently the second time (rebinding) cannot point the clone
at an internal host; HTTP redirects are off (git would not re-check their target).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from registry.fetch import FetchError, ResponseTooLarge, SafeFetcher

from .repository_urls import RepositoryURL

if TYPE_CHECKING:
    from harvesters.git import GitCache
    from harvesters.registered import UntrustedGitCache

GITHUB_RAW = "https://raw.githubusercontent.com"
PUBLICCODE_MAX_BYTES = 1024 * 1024
VERIFY_FILE = ".allmende-verify"
VERIFY_MAX_BYTES = 4096
API_MAX_BYTES = 256 * 1024
GIT_TIMEOUT = 60.0
"""Seconds per git call while checking a registration (the nightly harvest allows more)."""


class FileUnavailable(Exception):
    """The file could not be read (refused, unreachable, not public, too large); the message
    is a complete sentence for the user."""


@dataclass(frozen=True, slots=True)
class RepositoryFile:
    name: str
    data: bytes


def clone_candidates(repository: RepositoryURL | str, forge_type: str = "git") -> list[str]:
    """Where git may find the repository: forges answer at ``….git`` without a redirect;
    a plain Git server may use either spelling, so both are tried."""
    url = repository if isinstance(repository, str) else repository.url
    kind = forge_type if isinstance(repository, str) else repository.forge_type
    return [f"{url}.git"] if kind != "git" else [url, f"{url}.git"]


@dataclass
class RepositoryFiles:
    """Reads files of user-named repositories; one instance per check (it remembers the Gitea
    default branch and the synced clone between the two files of one check)."""

    fetcher: SafeFetcher
    git_cache_dir: Path
    github_raw: str = GITHUB_RAW
    git_timeout: float = GIT_TIMEOUT
    _branches: dict[str, str] = field(default_factory=dict, repr=False)
    _clones: dict[str, Path] = field(default_factory=dict, repr=False)
    _git: UntrustedGitCache | None = field(default=None, repr=False)
    """One git cache per check: its address pins must reach the second file's lazy fetch."""

    def read(self, repository: RepositoryURL, names: Sequence[str],
             max_bytes: int) -> RepositoryFile | None:
        """The first of ``names`` on the default branch; ``None`` when none is there.

        Raises :class:`FileUnavailable` for everything else (refused address, timeout, a
        private or missing repository, a file above ``max_bytes``).
        """
        if repository.forge_type == "git":
            return self._read_git(repository, names, max_bytes)
        for name in names:
            found = self._read_http(repository, name, max_bytes)
            if found is not None:
                return found
        return None

    # -- forges: raw files over HTTP --

    def raw_url(self, repository: RepositoryURL, name: str) -> str:
        owner_repo = "/".join(quote(part, safe="") for part in repository.path)
        if repository.forge_type == "github":
            if urlsplit(repository.url).hostname in ("github.com", "www.github.com"):
                return f"{self.github_raw.rstrip('/')}/{owner_repo}/HEAD/{name}"
            return f"{repository.url}/raw/HEAD/{name}"  # GitHub Enterprise redirects from here
        if repository.forge_type == "gitlab":
            return f"{repository.url}/-/raw/HEAD/{name}"
        branch = quote(self._gitea_branch(repository), safe="/")
        return f"{repository.url}/raw/branch/{branch}/{name}"

    def _read_http(self, repository: RepositoryURL, name: str,
                   max_bytes: int) -> RepositoryFile | None:
        url = self.raw_url(repository, name)
        try:
            response = self.fetcher.get(url, max_bytes=max_bytes)
        except ResponseTooLarge:
            raise FileUnavailable(f"{name} is larger than the limit of {_size(max_bytes)}.") \
                from None
        except FetchError as exc:
            raise FileUnavailable(f"Could not read {name} from {repository.url}: {exc}") from None
        if response.status == 404:
            return None
        if response.status in (401, 403):
            raise FileUnavailable(f"{repository.url} is not public (the forge answered HTTP "
                                  f"{response.status} for {name}); only public repositories "
                                  "can be registered.")
        if response.status != 200:
            raise FileUnavailable(f"Could not read {name} from {repository.url}: the forge "
                                  f"answered HTTP {response.status}.")
        if not urlsplit(response.url).path.endswith(f"/{name}"):  # e.g. a login page
            raise FileUnavailable(f"{repository.url} sent us to {response.url} instead of "
                                  f"{name}; is the repository public?")
        return RepositoryFile(name, response.content)

    def _gitea_branch(self, repository: RepositoryURL) -> str:
        if repository.url in self._branches:
            return self._branches[repository.url]
        parts = urlsplit(repository.url)
        owner, name = (quote(part, safe="") for part in repository.path[:2])
        api = f"{parts.scheme}://{parts.netloc}/api/v1/repos/{owner}/{name}"
        try:
            response = self.fetcher.get(api, max_bytes=API_MAX_BYTES)
        except FetchError as exc:
            raise FileUnavailable(f"Could not ask {parts.netloc} about the repository: "
                                  f"{exc}") from None
        if response.status == 404:
            raise FileUnavailable(f"{parts.netloc} does not know the repository "
                                  f"{'/'.join(repository.path)}, or it is not public.")
        branch = None
        if response.status == 200:
            try:
                branch = json.loads(response.content).get("default_branch")
            except (ValueError, AttributeError):
                branch = None
        if not isinstance(branch, str) or not branch or branch.startswith("."):
            raise FileUnavailable(f"{parts.netloc} did not tell the repository's default branch "
                                  f"(HTTP {response.status}); is it a Gitea or Forgejo server?")
        self._branches[repository.url] = branch
        return branch

    # -- plain Git: a partial clone through the hardened git layer --

    def _read_git(self, repository: RepositoryURL, names: Sequence[str],
                  max_bytes: int) -> RepositoryFile | None:
        # Imported here: the harvesters import this package, and git is only needed here.
        from harvesters.git import GitError
        from harvesters.registered import UntrustedGitCache

        if self._git is None:
            self._git = UntrustedGitCache(self.git_cache_dir, timeout=self.git_timeout,
                                          fetcher=self.fetcher)
        cache = self._git
        repo = self._clones.get(repository.url)
        if repo is None:
            repo = self._sync(cache, repository)
            self._clones[repository.url] = repo
        try:
            blob = cache.read_file(repo, tuple(names), max_bytes=max_bytes)
        except GitError as exc:
            raise FileUnavailable(f"Could not read {names[0]} from {repository.url}: {exc}") \
                from None
        if blob is None:
            return None
        if blob.too_large or blob.data is None:
            raise FileUnavailable(f"{blob.name} is larger than the limit of {_size(max_bytes)}.")
        return RepositoryFile(blob.name, blob.data)

    def _sync(self, cache: GitCache, repository: RepositoryURL) -> Path:
        from harvesters.git import GitError

        try:
            self.fetcher.check_url(repository.url)
        except FetchError as exc:
            raise FileUnavailable(str(exc)) from None
        error: GitError | None = None
        for clone_url in clone_candidates(repository):
            try:
                return cache.sync(clone_url)
            except GitError as exc:
                error = error or exc
                if exc.kind != "not_found":
                    break
        raise FileUnavailable(f"Could not clone {repository.url}: {error}")


def _size(limit: int) -> str:
    return f"{limit // 1024} KiB" if limit < 1024 * 1024 else f"{limit // (1024 * 1024)} MiB"
