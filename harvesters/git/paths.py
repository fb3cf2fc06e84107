"""Where a repository lives in the cache, and the per-repository lock that guards it.

The directory name is derived from the URL but can never leave the cache root: a readable slug
of ``[a-z0-9._-]`` (no ``/``, never starting with a dot) plus a hash of the whole URL, so two
URLs that slug alike still get different directories. Credentials are removed first, so a
rotated token keeps the same cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from harvesters.git.errors import GitError, redact

_SLUG_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_SLUG_MAX = 60
_LOCK_POLL = 0.05


def cache_key(url: str) -> str:
    """The URL as the cache sees it: without credentials or a trailing slash."""
    return redact(url.strip()).rstrip("/")


def cache_dir_name(url: str) -> str:
    """``<slug>-<hash>.git`` — readable, unique per URL, and a single safe path component."""
    key = cache_key(url)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    without_scheme = key.split("://", 1)[-1]
    slug = _SLUG_UNSAFE.sub("-", without_scheme.lower()).strip(".-")[:_SLUG_MAX].strip(".-")
    return f"{slug or 'repo'}-{digest}.git"


@contextlib.contextmanager
def repository_lock(lock_dir: Path, name: str, *, timeout: float, url: str) -> Iterator[None]:
    """Serialise work on one cached repository across threads and processes on this machine.

    ``flock`` is released by the kernel when a holder dies, so a killed run never leaves the
    lock held; workers on other machines have their own cache directory.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GitError(f"timed out after {timeout:g} s waiting for another sync of "
                                   f"{redact(url)}", kind="timeout", url=url) from None
                time.sleep(_LOCK_POLL)
        yield
    finally:
        os.close(fd)  # closing releases the flock
