"""What the forge harvesters (GitHub, Gitea / Forgejo, GitLab) share, in one place.

* :func:`fetch_publiccode` — try ``publiccode.yml``, then ``publiccode.yaml``; a file over the
  1 MiB cap is never downloaded, only its size is looked up (the oversize finding says it).
  Each forge passes two small callables, so the rule lives here and the URLs stay with the forge.
* :func:`list_namespaces` — list every configured organisation / group; one that fails does
  not hide the others, but the listing then counts as incomplete (nobody is counted missing).
* :func:`owner_and_name` — ``owner/name`` from a repository's web URL (GitHub, Gitea).
* :class:`ForgeHarvester` — a harvester that talks to one forge API through one client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from registry.config import Settings, SourceConfig
from registry.publiccode import FILE_NAMES
from registry.publiccode.loader import MAX_BYTES

from .base import FetchedFile, Harvester, HarvestError, RepositoryRef
from .http import ForgeClient, ForgeError, NotFound, RateLimited, TooLarge


class ForgeHarvester(Harvester):
    """Base of the forge harvesters: one ``ForgeClient`` per harvester.

    ``client`` may be injected (tests pass one with a recorded clock); the harvester closes
    only a client it made itself.
    """

    def __init__(self, source: SourceConfig, settings: Settings, *,
                 client: ForgeClient | None = None, **options: Any):
        super().__init__(source, settings, **options)
        self._owns_client = client is None
        self.client = client or self.make_client(source)

    @staticmethod
    def make_client(source: SourceConfig, **options: Any) -> ForgeClient:
        """The client for ``source``; ``options`` (``sleep``, ``max_wait`` …) for tests and
        tuning."""
        raise NotImplementedError

    def close(self) -> None:
        if self._owns_client:
            self.client.close()


Download = Callable[[str, int], bytes]
"""``download(file_name, limit)``: the raw bytes; ``NotFound`` when the file is not there,
``TooLarge`` past ``limit`` (what :meth:`ForgeClient.get_bytes` does)."""
SizeOf = Callable[[str], int]
"""``size_of(file_name)``: the file's size from metadata, without its content."""


def fetch_publiccode(download: Download, size_of: SizeOf) -> FetchedFile | None:
    """The repository's publiccode.yml (or .yaml), ``None`` when it has neither.

    A file over ``MAX_BYTES`` becomes ``FetchedFile(data=b"", oversize=size)``: when the
    forge announced its length it was refused unread and that length is the size shown;
    otherwise reading stopped at the cap and ``size_of`` asks the forge's metadata.
    """
    for name in FILE_NAMES:
        try:
            return FetchedFile(data=download(name, MAX_BYTES))
        except NotFound:
            continue
        except TooLarge as exc:
            return FetchedFile(data=b"", oversize=_real_size(name, size_of, exc))
    return None


def _real_size(name: str, size_of: SizeOf, refused: TooLarge) -> int:
    if refused.size is not None:
        return refused.size
    try:
        size = size_of(name)
    except ForgeError:
        size = 0
    return size if size > refused.limit else refused.limit + 1


def list_namespaces(kind: str, namespaces: Iterable[str],
                    list_one: Callable[[str], Iterable[RepositoryRef]]) -> Iterator[RepositoryRef]:
    """The repositories of every namespace (``kind`` names them in messages: "orgs").

    A namespace that fails (deleted, renamed, token without access) is reported at the end as
    a :class:`HarvestError`, after the others were listed: the run is partial and nothing
    is counted missing. A rate limit stops at once — more requests would only be refused.
    """
    names = list(namespaces)
    if not names:
        raise HarvestError(f"no {kind} configured for this source: add {kind} = [\"…\"] to its "
                           "[[sources]] table")
    failures: list[str] = []
    for name in names:
        try:
            yield from list_one(name)
        except RateLimited:
            raise
        except ForgeError as exc:
            failures.append(f"{name}: {exc}")
    if failures:
        raise HarvestError(f"{len(failures)} of {len(names)} {kind} could not be listed: "
                           + "; ".join(failures))


def owner_and_name(repository_url: str) -> tuple[str, str]:
    """``("owner", "name")`` from ``https://host[/prefix]/owner/name``."""
    parts = [unquote(p) for p in urlsplit(repository_url).path.split("/") if p]
    if len(parts) < 2:
        raise HarvestError(f"{repository_url} is not a repository URL of the form "
                           "https://host/owner/name")
    return parts[-2], parts[-1]
