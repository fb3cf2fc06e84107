"""``ForgeClient``: one forge API, retried, paced, paginated by the server's own links."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests

from .errors import (
    ForgeError,
    InvalidResponse,
    RateLimited,
    RetriesExhausted,
)
from .policy import (
    describe,
    header,
    is_transient,
    raise_for_status,
    requested_wait,
    reset_epoch,
    utc,
)
from .responses import ClientStats, ForgeResponse, Page, next_page_url, read_body, to_result
from .urls import origin, redact_url

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Allmende-harvester/0.1 (publiccode.yml registry)"
DEFAULT_USER_AGENT = "Allmende-harvester/0.1 (publiccode.yml registry)"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
"""Any single answer (a listing page, a publiccode.yml) larger than this is refused."""


Params = Mapping[str, Any] | None
_BODY_ERRORS = (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError)
"""Failures while reading a body: transient like a failed connection, so retried."""


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
        self._origin = origin(self.base_url)
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
            next_url = next_page_url(response)
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
        if self._token and origin(url) == self._origin:
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
                last_problem, last_status = describe(exc, self.timeout), None
            except requests.TooManyRedirects as exc:
                hops = exc.response.history if exc.response is not None else []
                self._count(exchanges=len(hops) + 1)
                raise ForgeError(f"{shown}: too many redirects. Check the source URL.",
                                 None, url) from None
            else:
                self._count(exchanges=len(response.history) + 1)
                with response:
                    self._note_quota(response)
                    if not is_transient(response):
                        raise_for_status(response, self._redact)
                        try:
                            body = read_body(response, method, max_bytes)
                        except _BODY_ERRORS as exc:
                            last_problem, last_status = describe(exc, self.timeout), None
                        else:
                            return to_result(response, url, body)
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
        wait = requested_wait(response.headers, self._clock())
        if wait is not None:
            with self._lock:
                self._not_before = max(self._not_before, self._clock() + wait)
        if wait is not None and wait > self.max_wait:
            retry_at = self._clock() + wait
            raise RateLimited(
                f"{shown}: the forge's rate limit asks to wait {wait:.0f} s (until "
                f"{utc(retry_at)}), longer than the configured maximum of {self.max_wait:.0f} s. "
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
        remaining = header(response.headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
        reset = reset_epoch(response.headers, self._clock())
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
                f"{utc(self._not_before)} ({wait:.0f} s), longer than the configured maximum "
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
        if origin(prepared_request.url or "") != self._trusted_origin:
            prepared_request.headers.pop(self._token_header, None)
