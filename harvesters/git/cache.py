"""A cache of bare partial clones, one per repository URL, fetched incrementally.

``--filter=blob:none`` fetches every commit and tree but no file contents: enough for
``git log`` and ``git for-each-ref`` (activity), and the one file we read (publiccode.yml) is
fetched on demand by git's lazy fetch. A clone is written to a temporary directory and renamed
into place, so a killed run never leaves a half clone where the cache expects a repository.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from harvesters.git.activity import Activity, collect_activity
from harvesters.git.errors import GitError, redact
from harvesters.git.paths import cache_dir_name, repository_lock
from harvesters.git.runner import DEFAULT_TIMEOUT, run_git
from registry.publiccode import FILE_NAMES

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1024 * 1024
COMPLETE_MARKER = "allmende-clone-complete"
"""Written into a clone just before it is renamed into place; a directory without it is junk."""
_CALLS_PER_SYNC = 5
"""Git calls a sync makes at most: waiting for another sync of the same repository allows that."""
_REGULAR_FILE_MODES = {"100644", "100755"}  # not symlinks (120000) nor submodules (160000)


@dataclass(frozen=True, slots=True)
class RemoteHead:
    """The remote's default branch (``None`` if HEAD is detached) and the commit it points to."""

    branch: str | None
    sha: str


@dataclass(frozen=True, slots=True)
class FileBlob:
    """A file found in a tree; ``data`` is ``None`` when it is larger than the caller's cap."""

    name: str
    blob_sha: str
    size: int
    data: bytes | None
    too_large: bool


class GitCache:
    """Bare partial clones under ``root`` (``Settings.git_cache_dir``).

    Holds no state but its settings: every method works from the directory alone, so any worker
    with the same ``root`` can pick up any repository.
    """

    def __init__(self, root: Path, *, allow_file: bool = False,
                 timeout: float = DEFAULT_TIMEOUT):
        self.root = Path(root)
        self.allow_file = allow_file
        """Allow file:// and local paths: only for operator-configured local sources."""
        self.timeout = timeout
        """Seconds per git call (a sync makes a few calls)."""

    # -- public API --

    def path_for(self, url: str) -> Path:
        return self.root / cache_dir_name(url)

    def ls_remote_head(self, url: str) -> RemoteHead | None:
        """The remote default branch's head, for cheap change detection; ``None`` if empty."""
        self._check_url(url)
        self.root.mkdir(parents=True, exist_ok=True)
        out = self._git(["ls-remote", "--symref", "--", url, "HEAD"],
                        f"listing {redact(url)}", cwd=self.root, url=url)
        branch: str | None = None
        sha: str | None = None
        for line in out.decode("utf-8", "replace").splitlines():
            target, _, ref = line.partition("\t")
            if ref != "HEAD":
                continue
            if target.startswith("ref: refs/heads/"):
                branch = target.removeprefix("ref: refs/heads/")
            elif target and not target.startswith("ref:"):
                sha = target
        return RemoteHead(branch, sha) if sha else None

    def sync(self, url: str, *, head: RemoteHead | None = None) -> Path:
        """Clone the first time, fetch later; return the bare repository's path.

        ``head`` (from :meth:`ls_remote_head`) saves a round trip when the caller has it; it
        keeps the cached HEAD on the remote's default branch when that changes.
        """
        self._check_url(url)
        path = self.path_for(url)
        self.root.mkdir(parents=True, exist_ok=True)
        with repository_lock(self.root / ".locks", path.name,
                             timeout=self.timeout * _CALLS_PER_SYNC, url=url):
            self._discard_leftovers(path.name)
            if path.exists() and not (path / COMPLETE_MARKER).is_file():
                log.warning("discarding incomplete cache %s for %s", path.name, redact(url))
                self._discard(path)
            if path.exists():
                try:
                    self._fetch(path, url, head)
                    return path
                except GitError as error:
                    if error.kind != "broken_cache":
                        raise
                    log.warning("recloning %s: %s", redact(url), error)
                    self._discard(path)
            self._clone(path, url)
            return path

    def read_file(self, repo_path: Path, names: tuple[str, ...] = FILE_NAMES,
                  rev: str = "HEAD", max_bytes: int = MAX_FILE_BYTES) -> FileBlob | None:
        """The first of ``names`` present at ``rev`` in the root tree, or ``None``.

        The size is asked first (``cat-file -s``), so a blob above ``max_bytes`` never enters
        this process; in a partial clone that call fetches the blob into the object store,
        within the time limit. Symlinks and submodules named like the file are ignored.
        """
        action = f"reading {', '.join(names)} in {repo_path.name}"
        if rev.startswith("-"):
            raise GitError(f"invalid revision {rev!r} while {action}")
        try:
            listing = self._git(["ls-tree", "-z", "--full-tree", rev, "--", *names], action,
                                git_dir=repo_path)
        except GitError as error:
            if "not a valid object name" in error.stderr.lower():  # empty repository
                return None
            raise
        found = _regular_files(listing)
        name = next((n for n in names if n in found), None)
        if name is None:
            return None
        sha = found[name]
        size = int(self._git(["cat-file", "-s", sha], action, git_dir=repo_path))
        if size > max_bytes:
            return FileBlob(name, sha, size, None, too_large=True)
        data = self._git(["cat-file", "blob", sha], action, git_dir=repo_path)
        return FileBlob(name, sha, len(data), data, too_large=False)

    def activity(self, repo_path: Path, now: datetime) -> Activity:
        """Commits, authors and tags of the default branch over the standard windows."""

        def git(args: list[str]) -> bytes:
            return self._git(args, f"reading history of {repo_path.name}", git_dir=repo_path)

        return collect_activity(git, now)

    # -- steps --

    def _clone(self, path: Path, url: str) -> None:
        temp_root = self.root / ".tmp"
        temp_root.mkdir(exist_ok=True)
        temp = temp_root / f"{path.name}.{secrets.token_hex(6)}"
        try:
            action = f"cloning {redact(url)}"
            self._git(["clone", "--bare", "--filter=blob:none", "--no-recurse-submodules",
                       "--template=", "--quiet", "--", url, str(temp)],
                      action, cwd=temp_root, url=url)
            # A bare clone records no refspec; later fetches mirror branches and tags (not
            # refs/pull/* and the like, which would drag in every proposed change).
            for refspec in ("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"):
                self._git(["config", "--add", "remote.origin.fetch", refspec], action,
                          git_dir=temp, url=url)
            (temp / COMPLETE_MARKER).write_text(redact(url) + "\n", encoding="utf-8")
            temp.rename(path)
        finally:
            if temp.exists():
                shutil.rmtree(temp, ignore_errors=True)

    def _fetch(self, path: Path, url: str, head: RemoteHead | None) -> None:
        stale_locks = [*path.glob("*.lock"), *(path / "refs").rglob("*.lock")]
        for stale in stale_locks:  # left by a killed run; we hold the repository lock
            stale.unlink(missing_ok=True)
        action = f"fetching {redact(url)}"
        self._git(["config", "remote.origin.url", url], action, git_dir=path, url=url)
        self._git(["fetch", "--prune", "--no-recurse-submodules", "--quiet", "origin"],
                  action, git_dir=path, url=url)
        head = head or self.ls_remote_head(url)
        if head is not None and head.branch:
            self._git(["symbolic-ref", "HEAD", f"refs/heads/{head.branch}"], action,
                      git_dir=path, url=url)

    def _discard(self, path: Path) -> None:
        """Move out of the way atomically, then delete: readers never see a half-deleted repo."""
        trash = self.root / ".trash"
        trash.mkdir(exist_ok=True)
        moved = trash / f"{path.name}.{secrets.token_hex(6)}"
        path.rename(moved)
        shutil.rmtree(moved, ignore_errors=True)

    def _discard_leftovers(self, name: str) -> None:
        """Temporary clones and trash of this repository from killed runs (we hold its lock)."""
        for folder in (self.root / ".tmp", self.root / ".trash"):
            for leftover in folder.glob(f"{name}.*"):
                shutil.rmtree(leftover, ignore_errors=True)

    # -- plumbing --

    def _check_url(self, url: str) -> None:
        """Refuse other transports early with a clear message (git would refuse them too)."""
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        allowed = {"http", "https"} | ({"file"} if self.allow_file else set())
        local_path = not scheme and url.startswith("/") and self.allow_file
        if scheme not in allowed and not local_path:
            shown = f"{scheme}://" if scheme else "this kind of"
            raise GitError(f"protocol not allowed: {shown} URLs cannot be harvested "
                           f"({redact(url)}); use https://", kind="protocol", url=url)

    def _git(self, args: list[str], action: str, *, cwd: Path | None = None,
             git_dir: Path | None = None, url: str = "") -> bytes:
        return run_git(args, action=action, cwd=cwd or git_dir or self.root,
                       timeout=self.timeout, allow_file=self.allow_file, git_dir=git_dir,
                       url=url)


def _regular_files(listing: bytes) -> dict[str, str]:
    """``ls-tree -z`` output → {name: blob sha} for regular files only."""
    files: dict[str, str] = {}
    for entry in listing.decode("utf-8", "replace").split("\0"):
        meta, _, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[0] in _REGULAR_FILE_MODES:
            files[name] = parts[2]
    return files
