"""The pieces under ``SafeFetcher``: a connection pinned to the checked address, bounded
decompression, and short error reasons."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from .addresses import is_ip_literal
from .errors import FetchError, RefusedURL

if not hasattr(HTTPAdapter, "build_connection_pool_key_attributes"):  # pragma: no cover
    # Without this hook (requests < 2.32) urllib3 would look the name up again when connecting.
    raise ImportError("registry.fetch needs requests >= 2.32 to pin connections to the "
                      "checked address")


@dataclass(frozen=True, slots=True)
class Target:
    """One checked hop: where the URL says to go, and the one address we will connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


class PinnedAdapter(HTTPAdapter):
    """Sends one request to ``target.address``; TLS SNI and certificate checks use the name.

    requests normally hands the host name to urllib3, which resolves it again when connecting;
    here the connection pool is keyed on the checked IP instead, and ``server_hostname`` /
    ``assert_hostname`` keep TLS honest.
    """

    def __init__(self, target: Target):
        self._target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if (urlsplit(request.url).hostname or "") != self._target.host:
            raise RefusedURL(f"internal error: request for {request.url} on a pinned connection "
                             f"to {self._target.host}", request.url or "")
        host_params.update(host=self._target.address, port=self._target.port)
        if self._target.scheme == "https" and not is_ip_literal(self._target.host):
            pool_kwargs.update(server_hostname=self._target.host,
                               assert_hostname=self._target.host)
        return host_params, pool_kwargs


class BodyDecoder:
    """Undo gzip/deflate without ever producing more than the caller has room for.

    We ask for ``Accept-Encoding: identity``; this is for servers that compress anyway. A small
    compressed body can inflate a thousandfold, so output is bounded on every call.
    """

    def __init__(self, encoding: str, url: str):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj()
        else:
            raise FetchError(f"{url} was sent with Content-Encoding '{encoding}', "
                             "which Allmende does not decode", url)
        self._url = url

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes for ``data``; at most ``room + 1`` so the caller can tell overflow."""
        if self._inflater is None:
            return data
        try:
            return self._inflater.decompress(data, room + 1)
        except zlib.error as exc:
            raise FetchError(f"{self._url} sent a corrupt compressed body ({exc})",
                             self._url) from None


def root_cause(exc: BaseException) -> str:
    """The innermost reason in an exception chain, short enough to show a user."""
    seen: set[int] = set()
    current: BaseException | None = exc
    reason = str(exc)
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            reason = current.strerror
        elif str(current):
            reason = str(current)
        nested = getattr(current, "reason", None)
        current = nested if isinstance(nested, BaseException) else (
            current.__cause__ or current.__context__)
    return reason
