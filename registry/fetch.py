"""The one way Allmende fetches a URL that a user (or a publiccode.yml) gave it.

Why a module of its own: a URL from outside can point at the registry's own network — the
database, a cloud metadata service at 169.254.169.254, an admin interface on localhost. This is
server-side request forgery (SSRF), and a plain ``requests.get`` walks right into it. So every
fetch of an untrusted URL goes through :class:`SafeFetcher`, which

* accepts only ``http`` and ``https`` and host names written the standard way (``2130706433``,
  ``0177.0.0.1`` and ``0x7f.1`` are all 127.0.0.1 to the C resolver, so they are refused);
* resolves the host name **once** and refuses it unless every address is public (not loopback,
  private, link-local, CGNAT, multicast, reserved, unspecified, nor an IPv6 form that embeds such
  an IPv4 address: IPv4-mapped, NAT64, 6to4);
* connects to exactly the address it checked (no second lookup a rebinding DNS server could
  answer differently), while the ``Host`` header, TLS SNI and certificate checks still use the
  host name;
* follows redirects itself and checks every hop the same way;
* caps the body size, each network wait and the whole fetch.

Sources an operator configures (forges to harvest) are trusted and may use plain ``requests``;
anything a user or a file supplies uses this module.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PUBLICCODE_MAX_BYTES",
    "FetchError",
    "FetchResponse",
    "FetchTimeout",
    "RefusedURL",
    "ResponseTooLarge",
    "SafeFetcher",
    "fetch_publiccode",
    "raw_file_url",
    "refusal_reason",
    "system_resolver",
]

if not hasattr(HTTPAdapter, "build_connection_pool_key_attributes"):  # pragma: no cover
    # Without this hook (requests < 2.32) urllib3 would look the name up again when connecting.
    raise ImportError("registry.fetch needs requests >= 2.32 to pin connections to the "
                      "checked address")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
"""``(host, port) -> addresses as text``; injectable so tests can map names without DNS."""

DEFAULT_MAX_BYTES = 1024 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Allmende/0.1 (publiccode.yml registry)"
_READ_CHUNK = 64 * 1024


# --- errors -------------------------------------------------------------------------------


class FetchError(Exception):
    """A fetch failed; ``str(error)`` is a complete sentence meant for the user."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(message)
        self.url = url


class RefusedURL(FetchError):
    """The URL or an address it resolves to is not allowed (scheme, notation, non-public IP)."""


class ResponseTooLarge(FetchError):
    """The body is larger than the fetcher's ``max_bytes``."""


class FetchTimeout(FetchError):
    """The server did not answer in time, or the whole fetch took longer than the deadline."""


# --- which addresses are public -----------------------------------------------------------

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: embeds an IPv4
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use only


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address, or ``None`` when it is.

    Spelled out rather than trusting ``ip.is_global`` alone: its answers changed between Python
    patch releases, and it calls multicast global. IPv6 forms that carry an IPv4 address are
    judged by the address they carry.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            inner = refusal_reason(ip.ipv4_mapped)
            return inner and f"an IPv4-mapped form of {ip.ipv4_mapped}, {inner}"
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = refusal_reason(embedded)
            return inner and f"a NAT64 form of {embedded}, {inner}"
        if ip.sixtofour is not None:
            inner = refusal_reason(ip.sixtofour)
            return inner and f"a 6to4 form of {ip.sixtofour}, {inner}"
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address"
        if ip.is_site_local:
            return "a site-local address"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.version == 4 and ip in _CGNAT, "a shared (CGNAT) address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a globally routable address"),
    )
    return next((reason for failed, reason in checks if failed), None)


_NUMERIC_LABEL = re.compile(r"^(?:[0-9]+|0[xX][0-9a-fA-F]*)$")


def _nonstandard_ipv4(host: str) -> bool:
    """True for hosts that are IPv4 numbers in anything but canonical dotted-quad notation.

    Follows the WHATWG URL rule: a host whose last label is a number is an IPv4 address. The C
    resolver reads ``2130706433``, ``0177.0.0.1``, ``127.1`` and ``0x7f.0.0.1`` all as 127.0.0.1;
    refusing them outright leaves no notation whose meaning differs between parsers.
    """
    if ":" in host:  # an IPv6 literal, judged by its address
        return False
    labels = host.rstrip(".").split(".")
    if not _NUMERIC_LABEL.match(labels[-1]):
        return False
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return True
    return False


def system_resolver(host: str, port: int) -> list[str]:
    """All TCP addresses the operating system knows for ``host``, in its preferred order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# --- the pinned connection ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
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


class _PinnedAdapter(HTTPAdapter):
    """Sends one request to ``target.address``; TLS SNI and certificate checks use the name.

    requests normally hands the host name to urllib3, which resolves it again when connecting;
    here the connection pool is keyed on the checked IP instead, and ``server_hostname`` /
    ``assert_hostname`` keep TLS honest.
    """

    def __init__(self, target: _Target):
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
        if self._target.scheme == "https" and not _is_ip_literal(self._target.host):
            pool_kwargs.update(server_hostname=self._target.host,
                               assert_hostname=self._target.host)
        return host_params, pool_kwargs


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# --- bounded body decoding ----------------------------------------------------------------


class _BodyDecoder:
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


# --- the fetcher --------------------------------------------------------------------------


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

    # -- internals --

    def _fetch(self, url: str, *, limit: int, strict: bool) -> FetchResponse:
        started = time.monotonic()
        current, previous = url, None
        for _ in range(self.max_redirects + 1):
            target = self._check(current, previous)
            with requests.Session() as session:
                session.trust_env = False  # an environment proxy would resolve names itself
                session.mount(f"{target.scheme}://", _PinnedAdapter(target))
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

    def _check(self, url: str, redirected_from: str | None) -> _Target:
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
        if _nonstandard_ipv4(host):
            raise RefusedURL(f"refused to fetch {shown}: '{host}' is an IPv4 address in a "
                             "non-standard notation (decimal, octal or hexadecimal); write it "
                             "as four decimal numbers, e.g. 192.0.2.1", url)
        port = port or (443 if scheme == "https" else 80)
        addresses = self._resolve(host, port, shown, url)
        if not self.allow_private:
            for address in addresses:
                reason = self._refusal(address)
                if reason:
                    via = "" if _is_ip_literal(host) else f"{host} resolves to {address}, "
                    raise RefusedURL(f"refused to fetch {shown}: {via}{reason}; only public "
                                     "internet addresses may be fetched", url)
        if not (parts.hostname or "").isascii():  # send the name exactly as we checked it
            userinfo = parts.netloc.rpartition("@")[0]
            netloc = (f"{userinfo}@" if userinfo else "") + host + (
                f":{parts.port}" if parts.port else "")
            url = parts._replace(netloc=netloc).geturl()
        return _Target(url, scheme, host, port, str(addresses[0]))

    def _resolve(self, host: str, port: int, shown: str, url: str) -> list[IPAddress]:
        if _is_ip_literal(host):
            return [ipaddress.ip_address(host)]
        try:
            found = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"could not resolve the host name {host} in {shown} "
                             f"({_root_cause(exc)})", url) from None
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

    def _send(self, session: requests.Session, target: _Target,
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
            raise RefusedURL(f"{target.url} is not a valid URL ({_root_cause(exc)})",
                             target.url) from None
        except requests.exceptions.SSLError as exc:
            raise FetchError(f"TLS connection to {target.host} failed: {_root_cause(exc)}",
                             target.url) from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(f"could not connect to {target.host} port {target.port} "
                             f"({_root_cause(exc)})", target.url) from None

    def _read(self, response: requests.Response, target: _Target, started: float,
              limit: int, strict: bool) -> FetchResponse:
        url = target.url
        declared = response.headers.get("Content-Length", "")
        if strict and declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(f"{url} is {int(declared):,} bytes, larger than the "
                                   f"{limit:,} byte limit", url)
        decoder = _BodyDecoder(response.headers.get("Content-Encoding", ""), url)
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
                             f"({_root_cause(exc)})", url) from None
        return FetchResponse(response.status_code, url, CaseInsensitiveDict(response.headers),
                             bytes(body), truncated)


def _root_cause(exc: BaseException) -> str:
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


# --- files on forges ----------------------------------------------------------------------

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
