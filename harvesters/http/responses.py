"""What the forge client returns: responses with their redirects, listing pages, counters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from requests.structures import CaseInsensitiveDict

from .errors import TooLarge
from .urls import redact_url

_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Hop:
    """One redirect on the way: ``url`` answered ``status`` (301, 302, 307, 308 …)."""

    status: int
    url: str


@dataclass(frozen=True)
class ForgeResponse:
    """A finished exchange. ``url`` is where it ended, after any redirects."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes = b""
    data: Any = None
    """The parsed JSON for :meth:`ForgeClient.get_json`; None otherwise."""
    requested_url: str = ""
    redirects: tuple[Hop, ...] = ()
    links: Mapping[str, str] = field(default_factory=dict)
    """``Link`` header relations (``next``, ``last`` …) as absolute URLs."""

    @property
    def moved(self) -> bool:
        """True when the answer came from another URL than the one asked for."""
        return bool(self.redirects)

    @property
    def moved_permanently(self) -> bool:
        """True when a hop was 301 or 308: the caller should store :attr:`url` from now on."""
        return any(hop.status in (301, 308) for hop in self.redirects)


@dataclass(frozen=True)
class Page:
    """One page of a listing, in the order the server handed them out (``number`` from 1)."""

    number: int
    items: list[Any]
    response: ForgeResponse
    next_url: str | None

    @property
    def url(self) -> str:
        return self.response.url

    @property
    def total(self) -> int | None:
        """The server's item count (GitLab ``X-Total``, Gitea ``X-Total-Count``), if given."""
        for name in ("X-Total", "X-Total-Count"):
            value = self.response.headers.get(name, "")
            if value.isdigit():
                return int(value)
        return None


@dataclass
class ClientStats:
    """What a client did; ``requests`` counts every HTTP exchange (retries, redirect hops)."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0


def read_body(response: requests.Response, method: str, limit: int) -> bytes:
    if method == "HEAD":
        return response.content  # empty; marks it consumed so the connection is reused
    return read_capped(response, limit)


def read_capped(response: requests.Response, limit: int) -> bytes:
    url = response.url
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limit:
        raise TooLarge(f"{redact_url(url)} is {int(announced)} bytes, more than the limit of "
                       f"{limit} bytes; it was not downloaded. Raise max_bytes if such a size "
                       "is legitimate.", url, limit, int(announced))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{redact_url(url)} is larger than the limit of {limit} bytes; "
                           "reading stopped there. Raise max_bytes if such a size is "
                           "legitimate.", url, limit, None)
        chunks.append(chunk)
    return b"".join(chunks)


def to_result(response: requests.Response, requested_url: str, body: bytes) -> ForgeResponse:
    links = {rel: urljoin(response.url, link["url"])
             for rel, link in response.links.items() if link.get("url")}
    return ForgeResponse(
        url=response.url,
        status=response.status_code,
        headers=CaseInsensitiveDict(response.headers),
        content=body,
        requested_url=requested_url,
        redirects=tuple(Hop(hop.status_code, hop.url) for hop in response.history),
        links=links,
    )


def next_page_url(response: ForgeResponse) -> str | None:
    if "next" in response.links:
        return response.links["next"]
    next_page = (response.headers.get("X-Next-Page") or "").strip()
    if not next_page:
        return None
    parts = urlsplit(response.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", next_page))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
