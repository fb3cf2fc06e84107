"""The HTTP client every forge harvester uses (GitLab / Open CoDE, GitHub, Gitea / Forgejo).

Why a module of its own: a harvest makes thousands of requests to servers that rate-limit,
fail for a moment, move projects and paginate in three different ways. Getting that right once
keeps the forge listers small (the Software Heritage listers are the model):

* **retries** with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx;
  the server's own wait wins: ``Retry-After`` (seconds or HTTP-date), else the rate-limit reset
  (``RateLimit-Reset`` / ``X-RateLimit-Reset``) when the remaining quota is 0 — GitHub answers
  403 with ``X-RateLimit-Remaining: 0`` for an exhausted quota, GitLab 429 with ``RateLimit-*``;
* **a quota announced as used up** (``RateLimit-Remaining: 0`` on a successful answer) makes the
  *next* request wait for the reset instead of provoking a refusal;
* **no wait is longer than** ``max_wait``: when a server asks for more (GitHub's hourly quota),
  :class:`RateLimited` is raised at once — retrying early only burns requests, and GitHub may
  block clients that keep sending while limited;
* **pagination** always follows the server's ``Link: rel="next"`` (RFC 8288, parsed by
  requests), else GitLab's ``X-Next-Page``; page URLs are never guessed;
* **redirects** are followed, and the result says where it ended (a moved project keeps its
  catalogue entry, but the harvester must learn the new URL);
* **size caps**: bodies are streamed and refused past ``max_bytes`` without reading them whole;
* **tokens** go only to the configured origin (also stripped on a redirect elsewhere), and never
  appear in logs, reprs or error messages.

Sources are configured by the operator and trusted (loopback allowed): this is *not* the
SSRF-safe fetcher for user-supplied URLs (that is :mod:`registry.fetch`). The ``sleep`` and
``clock`` callables are injectable so tests can observe waits without waiting.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from requests.structures import CaseInsensitiveDict

__all__ = [
    "AccessDenied",
    "ClientStats",
    "ForgeClient",
    "ForgeError",
    "ForgeResponse",
    "Gone",
    "Hop",
    "InvalidResponse",
    "NotFound",
    "Page",
    "RateLimited",
    "RetriesExhausted",
    "TooLarge",
    "redact_url",
]

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Allmende-harvester/0.1 (publiccode.yml registry)"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Any single answer (a listing page, a publiccode.yml) larger than this is refused."""

_READ_CHUNK = 64 * 1024
_SECRET_QUERY_KEYS = frozenset({"private_token", "access_token", "token", "job_token",
                                "client_secret", "password"})
_EPOCH_THRESHOLD = 1_000_000_000
"""Reset values above this are epoch seconds (GitHub, GitLab); below, delta seconds (IETF)."""

Params = Mapping[str, Any] | None
_BODY_ERRORS = (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError)
"""Failures while reading a body: transient like a failed connection, so retried."""


# --- errors -------------------------------------------------------------------------------


class ForgeError(Exception):
    """A forge request failed. ``url`` never carries credentials; ``status`` may be None."""

    def __init__(self, message: str, status: int | None = None, url: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = redact_url(url) if url else None


class NotFound(ForgeError):
    """404 or 410: the project or file is not there (deleted, renamed, private, wrong path)."""


class Gone(NotFound):
    """410: the server says the resource was removed for good."""


class AccessDenied(ForgeError):
    """401, or 403 that is not a rate limit: the token is missing, wrong or lacks a scope."""


class RateLimited(ForgeError):
    """The server asked to wait longer than ``max_wait``; ``retry_at`` is epoch seconds."""

    def __init__(self, message: str, status: int | None, url: str | None, retry_at: float):
        super().__init__(message, status, url)
        self.retry_at = retry_at


class RetriesExhausted(ForgeError):
    """Every attempt failed with a transient error; ``attempts`` were made."""

    def __init__(self, message: str, status: int | None, url: str | None, attempts: int):
        super().__init__(message, status, url)
        self.attempts = attempts


class TooLarge(ForgeError):
    """The body is larger than the limit; it was not read whole."""

    def __init__(self, message: str, url: str | None, limit: int, size: int | None):
        super().__init__(message, None, url)
        self.limit = limit
        self.size = size


class InvalidResponse(ForgeError):
    """The answer is not what the API promises (not JSON, not a list, a pagination loop)."""


# --- results ------------------------------------------------------------------------------


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


# --- the client ---------------------------------------------------------------------------


class ForgeClient:
    """One forge API (``base_url``), one session, one token.

    ``token_header`` / ``token_prefix`` say how the forge wants the token:
    GitLab ``("PRIVATE-TOKEN", "")``, GitHub ``("Authorization", "Bearer ")``,
    Gitea / Forgejo ``("Authorization", "token ")``.

    Paths are joined to ``base_url`` (``"projects"`` → ``{base_url}/projects``); absolute URLs
    (a ``Link`` target) are used as they are. The counters are thread-safe; the session is
    shared, so prefer one client per worker thread for heavy parallel use.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        token_header: str = "Authorization",  # noqa: S107 (a header name, not a secret)
        token_prefix: str = "Bearer ",  # noqa: S107 (the scheme, not a secret)
        timeout: float | tuple[float, float] = (5, 30),
        max_retries: int = 5,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        user_agent: str = DEFAULT_USER_AGENT,
    ):
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"base_url must be an http(s) URL, not {redact_url(base_url)!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self._sleep = sleep
        self._clock = clock
        self._token = token or None
        self._token_header = token_header
        self._token_prefix = token_prefix
        self._origin = _origin(self.base_url)
        self._session = _ForgeSession(token_header, self._origin)
        self._session.headers["User-Agent"] = user_agent
        self._session.headers["Accept"] = "application/json"
        self._lock = threading.Lock()
        self._stats = ClientStats()
        self._not_before = 0.0
        """Epoch seconds before which the server said the quota is used up."""

    def __repr__(self) -> str:
        auth = "token" if self._token else "anonymous"
        return f"ForgeClient({self.base_url!r}, {auth})"

    def __enter__(self) -> ForgeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # -- counters --

    @property
    def request_count(self) -> int:
        """HTTP exchanges made so far, retries and redirect hops included."""
        with self._lock:
            return self._stats.requests

    @property
    def stats(self) -> ClientStats:
        """A snapshot of the counters."""
        with self._lock:
            return ClientStats(self._stats.requests, self._stats.retries, self._stats.waited)

    # -- public calls --

    def get_json(self, url_or_path: str, params: Params = None, *,
                 headers: Mapping[str, str] | None = None) -> ForgeResponse:
        """GET a JSON document; the result's ``data`` holds it."""
        response = self._exchange("GET", url_or_path, params, headers, self.max_bytes)
        try:
            data = json.loads(response.content) if response.content else None
        except ValueError as exc:
            raise InvalidResponse(
                f"{redact_url(response.url)} did not answer JSON ({exc}). Is the base URL the "
                "forge's API root (e.g. …/api/v4 for GitLab, …/api/v1 for Gitea)?",
                response.status, response.url) from None
        return dataclasses.replace(response, data=data)

    def get_bytes(self, url_or_path: str, max_bytes: int | None = None, params: Params = None,
                  *, headers: Mapping[str, str] | None = None) -> ForgeResponse:
        """GET a body as bytes (``content``), refusing more than ``max_bytes`` with TooLarge."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        return self._exchange("GET", url_or_path, params, headers, limit)

    def head(self, url_or_path: str, params: Params = None, *,
             headers: Mapping[str, str] | None = None) -> ForgeResponse:
        """HEAD: headers only (e.g. GitLab's ``X-Gitlab-Blob-Id`` for a file)."""
        return self._exchange("HEAD", url_or_path, params, headers, 0)

    def paginate(self, url_or_path: str, params: Params = None, *,
                 headers: Mapping[str, str] | None = None,
                 max_pages: int | None = None) -> Iterator[Page]:
        """Walk a listing page by page, as the server links them; stops when none follows.

        The next page is the ``Link: rel="next"`` target, else (GitLab offset pagination behind
        a proxy that drops ``Link``) the current URL with ``page`` set to ``X-Next-Page``.
        A next link seen twice raises :class:`InvalidResponse` instead of looping forever.
        """
        url: str | None = self._absolute(url_or_path)
        query: Params = params
        seen: set[str] = set()
        number = 0
        while url is not None:
            response = self.get_json(url, query, headers=headers)
            if not isinstance(response.data, list):
                raise InvalidResponse(
                    f"{redact_url(response.url)} is not a listing (expected a JSON list, got "
                    f"{type(response.data).__name__}).", response.status, response.url)
            number += 1
            next_url = _next_page_url(response)
            yield Page(number, response.data, response, next_url)
            if next_url is None or (max_pages is not None and number >= max_pages):
                return
            if next_url in seen:
                raise InvalidResponse(
                    f"The server's next-page link repeats ({redact_url(next_url)}); stopped "
                    "instead of looping. Report this to the forge's operators.",
                    response.status, next_url)
            seen.add(next_url)
            url, query = next_url, None  # the next link carries the whole query

    # -- plumbing --

    def _absolute(self, url_or_path: str) -> str:
        if urlsplit(url_or_path).scheme:
            return url_or_path
        return f"{self.base_url}/{url_or_path.lstrip('/')}"

    def _headers_for(self, url: str, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self._token and _origin(url) == self._origin:
            headers[self._token_header] = f"{self._token_prefix}{self._token}"
        return headers

    def _exchange(self, method: str, url_or_path: str, params: Params,
                  headers: Mapping[str, str] | None, max_bytes: int) -> ForgeResponse:
        """One logical request: retries transient failures, maps error statuses, reads the body."""
        url = self._absolute(url_or_path)
        shown = f"{method} {self._redact(url)}"
        attempts = self.max_retries + 1
        last_problem, last_status = "", None
        for attempt in range(attempts):
            self._wait_for_quota(shown)
            delay: float | None = None
            try:
                response = self._session.request(
                    method, url, params=params, headers=self._headers_for(url, headers),
                    timeout=self.timeout, stream=True, allow_redirects=True)
            except (requests.ConnectionError, requests.Timeout) as exc:
                self._count(exchanges=1)
                last_problem, last_status = _describe(exc, self.timeout), None
            except requests.TooManyRedirects as exc:
                hops = exc.response.history if exc.response is not None else []
                self._count(exchanges=len(hops) + 1)
                raise ForgeError(f"{shown}: too many redirects. Check the source URL.",
                                 None, url) from None
            else:
                self._count(exchanges=len(response.history) + 1)
                with response:
                    self._note_quota(response)
                    if not _is_transient(response):
                        _raise_for_status(response, self._redact)
                        try:
                            body = _read_body(response, method, max_bytes)
                        except _BODY_ERRORS as exc:
                            last_problem, last_status = _describe(exc, self.timeout), None
                        else:
                            return _to_result(response, url, body)
                    else:
                        last_problem = f"HTTP {response.status_code} {response.reason or ''}"
                        last_status = response.status_code
                        delay = self._server_wait(response, shown)
            if attempt == attempts - 1:
                break
            if delay is None:
                delay = self._backoff_delay(attempt)
            logger.warning("%s: %s; retry %d of %d in %.1f s", shown, last_problem.strip(),
                           attempt + 1, self.max_retries, delay)
            self._count(retries=1, waited=delay)
            self._sleep(delay)
        raise RetriesExhausted(
            f"{shown} failed {attempts} times; the last attempt: {last_problem.strip()}. The "
            "forge may be down or overloaded: try again later, or raise the timeout or "
            "max_retries for this source.", last_status, url, attempts)

    def _server_wait(self, response: requests.Response, shown: str) -> float | None:
        """The wait the server asked for (None: use backoff); RateLimited if beyond max_wait.

        The pause is shared: every thread using this client waits until then too, so workers do
        not go on sending requests the forge has asked us to hold back (GitHub blocks clients
        that do), and once a wait is beyond ``max_wait`` the remaining requests fail at once.
        """
        wait = _requested_wait(response.headers, self._clock())
        if wait is not None:
            with self._lock:
                self._not_before = max(self._not_before, self._clock() + wait)
        if wait is not None and wait > self.max_wait:
            retry_at = self._clock() + wait
            raise RateLimited(
                f"{shown}: the forge's rate limit asks to wait {wait:.0f} s (until "
                f"{_utc(retry_at)}), longer than the configured maximum of {self.max_wait:.0f} s. "
                "Harvest this source later, or configure a token for a higher limit.",
                response.status_code, response.url, retry_at)
        return wait

    def _backoff_delay(self, attempt: int) -> float:
        """Exponential backoff with jitter (between half and all of the nominal delay)."""
        nominal = min(self.max_wait, self.backoff * (2**attempt))
        return nominal * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not crypto)

    def _note_quota(self, response: requests.Response) -> None:
        """Remember a used-up quota so the next request waits for its reset."""
        if response.status_code >= 400:
            return
        remaining = _header(response.headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
        reset = _reset_epoch(response.headers, self._clock())
        if remaining == "0" and reset is not None:
            with self._lock:
                self._not_before = max(self._not_before, reset)

    def _wait_for_quota(self, shown: str) -> None:
        """Sleep until a used-up quota resets; RateLimited if that is beyond max_wait."""
        with self._lock:
            wait = self._not_before - self._clock()
        if wait <= 0:
            return
        if wait > self.max_wait:
            raise RateLimited(
                f"{shown}: the forge's quota is used up until "
                f"{_utc(self._not_before)} ({wait:.0f} s), longer than the configured maximum "
                f"wait of {self.max_wait:.0f} s. Harvest this source later, or configure a token.",
                None, shown.partition(" ")[2], self._not_before)
        logger.info("rate limit used up; waiting %.1f s for its reset", wait)
        self._count(waited=wait)
        self._sleep(wait)

    def _count(self, exchanges: int = 0, retries: int = 0, waited: float = 0.0) -> None:
        with self._lock:
            self._stats.requests += exchanges
            self._stats.retries += retries
            self._stats.waited += waited

    def _redact(self, text: str) -> str:
        """redact_url, plus the token itself wherever a server might have echoed it."""
        text = redact_url(text)
        return text.replace(self._token, "***") if self._token else text


class _ForgeSession(requests.Session):
    """A session that drops the forge token when a redirect leaves the forge's origin.

    requests strips ``Authorization`` on a cross-host redirect, but not custom headers such as
    GitLab's ``PRIVATE-TOKEN``: a moved project redirecting elsewhere must not receive it.
    """

    def __init__(self, token_header: str, origin: tuple[str, str, int]):
        super().__init__()
        self._token_header = token_header
        self._trusted_origin = origin

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if _origin(prepared_request.url or "") != self._trusted_origin:
            prepared_request.headers.pop(self._token_header, None)


# --- helpers ------------------------------------------------------------------------------


def redact_url(url: str) -> str:
    """The URL without user:password and with secret query values (``private_token`` …) hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(key.lower() in _SECRET_QUERY_KEYS for key, _ in pairs):
            query = urlencode([(k, "REDACTED" if k.lower() in _SECRET_QUERY_KEYS else v)
                               for k, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def _header(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value.strip()
    return None


def _reset_epoch(headers: Mapping[str, str], now: float) -> float | None:
    """``RateLimit-Reset`` / ``X-RateLimit-Reset`` as epoch seconds (epoch or delta form)."""
    value = _header(headers, "RateLimit-Reset", "X-RateLimit-Reset")
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    if number is None:
        return None
    return number if number > _EPOCH_THRESHOLD else now + number


def _requested_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asked us to wait: Retry-After, else the reset of a used-up quota."""
    retry_after = _header(headers, "Retry-After")
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now)
    remaining = _header(headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
    reset = _reset_epoch(headers, now)
    if remaining == "0" and reset is not None:
        return max(0.0, reset - now)
    return None


def _is_rate_limit(response: requests.Response) -> bool:
    if response.status_code == 429:
        return True
    # GitHub answers 403 both for "no permission" and for rate limits; only the latter
    # carries Retry-After or an exhausted quota.
    remaining = _header(response.headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
    return response.status_code == 403 and (
        remaining == "0" or "Retry-After" in response.headers)


def _is_transient(response: requests.Response) -> bool:
    return response.status_code >= 500 or _is_rate_limit(response)


def _raise_for_status(response: requests.Response, redact: Callable[[str], str]) -> None:
    status = response.status_code
    if status < 400:
        return
    url = redact(response.url)
    said = redact(_server_message(response))
    said = f" ({said})" if said else ""
    reason = f"{status} {response.reason or ''}".strip()
    if status in (404, 410):
        kind: type[ForgeError] = Gone if status == 410 else NotFound
        raise kind(f"{url} answered {reason}{said}. The project or file may have been deleted, "
                   "renamed or made private: check the source configuration and the token's "
                   "access.", status, url)
    if status in (401, 403):
        raise AccessDenied(f"{url} answered {reason}{said}. Check the token configured for "
                           "this source: set, valid, not expired, with read access to the API "
                           "and repositories.", status, url)
    raise ForgeError(f"{url} answered {reason}{said}. The request was not retried; check the "
                     "source configuration.", status, url)


def _server_message(response: requests.Response, limit: int = 300) -> str:
    """A short excerpt of the error body: forges say useful things (``404 Project Not Found``)."""
    try:
        raw = response.raw.read(limit * 4, decode_content=True) or b""
    except Exception:  # noqa: BLE001 (best effort: the status already says enough)
        return ""
    text = raw.decode("utf-8", "replace")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        message = payload.get("message") or payload.get("error") or ""
        text = message if isinstance(message, str) else json.dumps(message)
    return " ".join(text.split())[:limit]


def _read_body(response: requests.Response, method: str, limit: int) -> bytes:
    if method == "HEAD":
        return response.content  # empty; marks it consumed so the connection is reused
    return _read_capped(response, limit)


def _read_capped(response: requests.Response, limit: int) -> bytes:
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


def _to_result(response: requests.Response, requested_url: str, body: bytes) -> ForgeResponse:
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


def _next_page_url(response: ForgeResponse) -> str | None:
    if "next" in response.links:
        return response.links["next"]
    next_page = (response.headers.get("X-Next-Page") or "").strip()
    if not next_page:
        return None
    parts = urlsplit(response.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", next_page))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _describe(exc: requests.RequestException, timeout: float | tuple[float, float]) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return f"connecting timed out (connect timeout {_timeout_part(timeout, 0)} s)"
    if isinstance(exc, requests.Timeout) or "Read timed out" in str(exc):
        return f"the server stopped answering (read timeout {_timeout_part(timeout, 1)} s)"
    return f"connection failed ({type(exc).__name__})"


def _timeout_part(timeout: float | tuple[float, float], index: int) -> float:
    return timeout[index] if isinstance(timeout, tuple) else timeout


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))
