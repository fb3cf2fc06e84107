"""``SafeFetcher``: fetch an untrusted http(s) URL without reaching non-public addresses."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from .addresses import (
    IPAddress,
    Resolver,
    is_ip_literal,
    nonstandard_ipv4,
    refusal_reason,
    system_resolver,
)
from .errors import FetchError, FetchTimeout, RefusedURL, ResponseTooLarge
from .transport import BodyDecoder, PinnedAdapter, Target, root_cause

DEFAULT_MAX_BYTES = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Allmende/0.1 (publiccode.yml registry)"
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResponse:
    status: int
    url: str
    """The final URL, after redirects."""
    headers: Mapping[str, str]
    """Case-insensitive."""
    content: bytes
    truncated: bool = False
    """Only from :meth:`SafeFetcher.probe`: the body went on past what was read."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(slots=True)
class SafeFetcher:
    """Fetch untrusted http(s) URLs without reaching non-public addresses (see module doc).

    ``allow_private`` turns the address policy off (tests, closed networks); ``allowed_networks``
    lets an operator open specific internal ranges (say, the town's own GitLab) while the rest
    stays closed. ``resolver`` replaces DNS, for tests. ``ca_bundle`` is a CA file for forges
    with an internal certificate authority. The object holds configuration only: it is safe to
    share between threads and to rebuild in every worker.
    """

    allow_private: bool = False
    timeout: float = 10.0
    """Seconds for connecting and for each wait on the socket."""
    deadline: float = 30.0
    """Seconds for the whole fetch, redirects and body included (defeats drip-feeding)."""
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    allowed_networks: Iterable[str] = ()
    resolver: Resolver = system_resolver
    ca_bundle: str | None = None
    user_agent: str = USER_AGENT
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        init=False, repr=False
    )

    def __post_init__(self) -> None:
        self._networks = tuple(ipaddress.ip_network(n, strict=False)
                               for n in self.allowed_networks)

    def get(self, url: str, *, max_bytes: int | None = None) -> FetchResponse:
        """GET ``url`` following redirects; any HTTP status is returned, not raised.

        Raises :class:`ResponseTooLarge` when the body exceeds ``max_bytes`` (default: the
        fetcher's), and :class:`FetchError` for everything that is not an HTTP answer.
        """
        limit = self.max_bytes if max_bytes is None else max_bytes
        return self._fetch(url, limit=limit, strict=True)

    def probe(self, url: str, *, read_bytes: int = 0) -> FetchResponse:
        """GET ``url`` but read only the first ``read_bytes`` of the body.

        For "is it there?" checks (status only) and sniffing a file header without downloading
        a possibly large file. A GET rather than HEAD: many servers answer HEAD wrongly.
        """
        return self._fetch(url, limit=read_bytes, strict=False)

    def check_url(self, url: str) -> None:
        """Raise :class:`RefusedURL` if ``url`` would be refused; resolves, never connects."""
        self._check(url, None)

    def checked_target(self, url: str) -> Target:
        """Like :meth:`check_url`, and say where to connect: for clients that cannot use this
        fetcher (git) but can be pinned to the checked address, so that a second DNS lookup
        cannot send them elsewhere."""
        return self._check(url, None)

    # -- internals --

    def _fetch(self, url: str, *, limit: int, strict: bool) -> FetchResponse:
        started = time.monotonic()
        current, previous = url, None
        for _ in range(self.max_redirects + 1):
            target = self._check(current, previous)
            with requests.Session() as session:
                session.trust_env = False  # an environment proxy would resolve names itself
                session.mount(f"{target.scheme}://", PinnedAdapter(target))
                response = self._send(session, target, started)
                try:
                    location = response.headers.get("Location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        previous, current = current, urljoin(current, location.strip())
                        continue
                    return self._read(response, target, started, limit, strict)
                finally:
                    response.close()
        raise FetchError(f"{url} redirects more than {self.max_redirects} times", url)

    def _check(self, url: str, redirected_from: str | None) -> Target:
        """Parse and vet one URL; return the address to connect to."""
        shown = url if redirected_from is None else f"{url} (redirected from {redirected_from})"
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise RefusedURL(f"{shown} is not a valid URL ({exc})", url) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise RefusedURL(f"refused to fetch {shown}: only http:// and https:// URLs are "
                             "allowed", url)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise RefusedURL(f"{shown} has no host name", url)
        try:
            host = host.encode("idna").decode("ascii") if not host.isascii() else host
        except UnicodeError:
            raise RefusedURL(f"{shown} has an invalid host name", url) from None
        if nonstandard_ipv4(host):
            raise RefusedURL(f"refused to fetch {shown}: '{host}' is an IPv4 address in a "
                             "non-standard notation (decimal, octal or hexadecimal); write it "
                             "as four decimal numbers, e.g. 192.0.2.1", url)
        port = port or (443 if scheme == "https" else 80)
        addresses = self._resolve(host, port, shown, url)
        if not self.allow_private:
            for address in addresses:
                reason = self._refusal(address)
                if reason:
                    via = "" if is_ip_literal(host) else f"{host} resolves to {address}, "
                    raise RefusedURL(f"refused to fetch {shown}: {via}{reason}; only public "
                                     "internet addresses may be fetched", url)
        if not (parts.hostname or "").isascii():  # send the name exactly as we checked it
            userinfo = parts.netloc.rpartition("@")[0]
            netloc = (f"{userinfo}@" if userinfo else "") + host + (
                f":{parts.port}" if parts.port else "")
            url = parts._replace(netloc=netloc).geturl()
        return Target(url, scheme, host, port, str(addresses[0]))

    def _resolve(self, host: str, port: int, shown: str, url: str) -> list[IPAddress]:
        if is_ip_literal(host):
            return [ipaddress.ip_address(host)]
        try:
            found = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"could not resolve the host name {host} in {shown} "
                             f"({root_cause(exc)})", url) from None
        addresses = []
        for text in found:
            try:
                addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
            except ValueError:
                continue
        if not addresses:
            raise FetchError(f"the host name {host} in {shown} has no addresses", url)
        return addresses

    def _refusal(self, address: IPAddress) -> str | None:
        if any(address.version == net.version and address in net for net in self._networks):
            return None
        return refusal_reason(address)

    def _remaining(self, started: float, url: str) -> float:
        left = self.deadline - (time.monotonic() - started)
        if left <= 0:
            raise FetchTimeout(f"fetching {url} took longer than the {self.deadline:g} s limit",
                               url)
        return left

    def _send(self, session: requests.Session, target: Target,
              started: float) -> requests.Response:
        wait = min(self.timeout, self._remaining(started, target.url))
        headers = {"Host": target.host_header, "User-Agent": self.user_agent,
                   "Accept-Encoding": "identity", "Accept": "*/*"}
        try:
            return session.get(target.url, headers=headers, stream=True, allow_redirects=False,
                               timeout=(wait, wait), verify=self.ca_bundle or True)
        except FetchError:
            raise
        except requests.exceptions.Timeout:
            raise FetchTimeout(f"{target.url} did not answer within {wait:g} s",
                               target.url) from None
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
            raise RefusedURL(f"{target.url} is not a valid URL ({root_cause(exc)})",
                             target.url) from None
        except requests.exceptions.SSLError as exc:
            raise FetchError(f"TLS connection to {target.host} failed: {root_cause(exc)}",
                             target.url) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"could not connect to {target.host} port {target.port} "
                             f"({root_cause(exc)})", target.url) from None

    def _read(self, response: requests.Response, target: Target, started: float,
              limit: int, strict: bool) -> FetchResponse:
        url = target.url
        declared = response.headers.get("Content-Length", "")
        if strict and declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(f"{url} is {int(declared):,} bytes, larger than the "
                                   f"{limit:,} byte limit", url)
        decoder = BodyDecoder(response.headers.get("Content-Encoding", ""), url)
        body = bytearray()
        truncated = False
        try:
            while True:
                if not strict and len(body) >= limit:
                    truncated = declared != str(len(body))  # more may follow; we stop here
                    break
                self._remaining(started, url)
                wanted = _READ_CHUNK if strict else min(_READ_CHUNK, limit - len(body))
                chunk = response.raw.read1(wanted, decode_content=False)
                if not chunk:
                    break
                room = limit - len(body)
                decoded = decoder.feed(chunk, room)
                if len(decoded) > room:
                    if strict:
                        raise ResponseTooLarge(f"{url} is larger than the {limit:,} byte "
                                               "limit", url)
                    body += decoded[:room]
                    truncated = True
                    break
                body += decoded
        except urllib3.exceptions.ReadTimeoutError:
            raise FetchTimeout(f"{url} stopped sending data for more than {self.timeout:g} s",
                               url) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(f"the connection to {target.host} broke while reading {url} "
                             f"({root_cause(exc)})", url) from None
        return FetchResponse(response.status_code, url, CaseInsensitiveDict(response.headers),
                             bytes(body), truncated)
