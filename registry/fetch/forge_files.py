"""Files on forges: turn a file's page link into its raw URL, and fetch a publiccode.yml."""

from __future__ import annotations

import re

from .errors import FetchError, ResponseTooLarge
from .fetcher import SafeFetcher

_RAW_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # GitHub: /owner/repo/blob/ref/path (or /raw/) -> raw.githubusercontent.com/owner/repo/ref/path
    (re.compile(r"^https?://(?:www\.)?github\.com/([^/]+)/([^/]+)/(?:blob|raw)/(.+)$"),
     r"https://raw.githubusercontent.com/\1/\2/\3"),
    # GitLab, gitlab.com or self-hosted: the /-/blob/ marker is GitLab's alone
    (re.compile(r"^(https?://[^/]+(?:/[^/]+)+)/-/blob/(.+)$"), r"\1/-/raw/\2"),
    (re.compile(r"^(https?://gitlab\.com(?:/[^/]+)+)/blob/(.+)$"), r"\1/raw/\2"),
    # Bitbucket Cloud
    (re.compile(r"^(https?://bitbucket\.org/[^/]+/[^/]+)/src/(.+)$"), r"\1/raw/\2"),
    # Gitea and Forgejo (Codeberg, and many municipal forges): /src/branch|tag|commit/
    (re.compile(r"^(https?://[^/]+/[^/]+/[^/]+)/src/((?:branch|tag|commit)/.+)$"), r"\1/raw/\2"),
)


def raw_file_url(url: str) -> str:
    """The URL of a file's raw bytes, for a link to the file's page on a known forge.

    People paste the address they see in the browser (``github.com/…/blob/main/logo.png``),
    which is an HTML page; this rewrites it the way publiccode-parser-go (go-vcsurl) does, plus
    self-hosted GitLab and Gitea/Forgejo. Other URLs come back unchanged.
    """
    for pattern, replacement in _RAW_REWRITES:
        if pattern.match(url):
            return pattern.sub(replacement, url, count=1)
    return url


PUBLICCODE_MAX_BYTES = 1024 * 1024
"""Same cap as ``registry.publiccode.loader.MAX_BYTES`` (a test keeps them equal)."""


def fetch_publiccode(url: str, fetcher: SafeFetcher) -> bytes:
    """Download a publiccode.yml for validation; raises :class:`FetchError` with a clear message.

    A link to the file's page on a forge is turned into its raw URL first. Only HTTP 200 counts:
    an error page is not a publiccode.yml.
    """
    raw = raw_file_url(url)
    try:
        response = fetcher.get(raw, max_bytes=PUBLICCODE_MAX_BYTES)
    except ResponseTooLarge:
        raise ResponseTooLarge(f"the publiccode.yml at {url} is larger than the "
                               f"{PUBLICCODE_MAX_BYTES:,} byte limit for publiccode.yml files",
                               url) from None
    if response.status != 200:
        raise FetchError(f"could not download the publiccode.yml at {url}: the server answered "
                         f"HTTP {response.status}, 200 was expected", url)
    return response.content
