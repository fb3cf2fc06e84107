"""Harvest publiccode.yml files from a local folder (``type = "files"``).

Used for the bundled demo solutions (``examples/``) and for operators who collect files by
hand. Each sub-folder holding a publiccode.yml counts as one repository; the solution's key is
the repository ``url`` the file declares, or the folder's ``file://`` URL when it declares none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from registry.publiccode import FILE_NAMES
from registry.publiccode.loader import MAX_BYTES, load

from .base import FetchedFile, Harvester, HarvestError, RepositoryRef


class FilesHarvester(Harvester):
    type = "files"

    @property
    def root(self) -> Path:
        assert self.source.path is not None  # the configuration guarantees it
        return self.source.path

    def list_repositories(self) -> Iterator[RepositoryRef]:
        if not self.root.is_dir():
            raise HarvestError(f"folder {self.root} does not exist")
        folders = [self.root, *sorted(p for p in self.root.iterdir() if p.is_dir())]
        for folder in folders:
            if _publiccode_in(folder) is not None:
                yield RepositoryRef(url=folder.resolve().as_uri())

    def fetch(self, ref: RepositoryRef) -> FetchedFile | None:
        folder = Path(urlsplit(ref.url).path)
        path = _publiccode_in(folder)
        if path is None:
            return None
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                return FetchedFile(data=b"", base_dir=folder, oversize=size)
            data = path.read_bytes()
        except OSError as exc:
            raise HarvestError(f"cannot read {path}: {exc.strerror}") from None
        return FetchedFile(data=data, base_dir=folder, repository_url=_declared_url(data))


def _publiccode_in(folder: Path) -> Path | None:
    return next((folder / n for n in FILE_NAMES if (folder / n).is_file()), None)


def _declared_url(data: bytes) -> str | None:
    """The file's own ``url`` when it is an http(s) URL; the folder URL is the fallback."""
    root = load(data).root
    node = root.get("url") if root is not None else None
    if node is None or node.kind != "scalar":
        return None
    parts = urlsplit(node.text.strip())
    return node.text.strip() if parts.scheme in ("http", "https") and parts.hostname else None
