"""How to read a forge's answer: transient or final, how long the server asks us to wait, what
to tell the user. Pure functions over responses and headers."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping

import requests

from .errors import AccessDenied, ForgeError, Gone, NotFound

_EPOCH_THRESHOLD = 1_000_000_000
"""Reset values above this are epoch seconds (GitHub, GitLab); below, delta seconds (IETF)."""


def header(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value.strip()
    return None


def reset_epoch(headers: Mapping[str, str], now: float) -> float | None:
    """``RateLimit-Reset`` / ``X-RateLimit-Reset`` as epoch seconds (epoch or delta form)."""
    value = header(headers, "RateLimit-Reset", "X-RateLimit-Reset")
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    if number is None:
        return None
    return number if number > _EPOCH_THRESHOLD else now + number


def requested_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asked us to wait: Retry-After, else the reset of a used-up quota."""
    retry_after = header(headers, "Retry-After")
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now)
    remaining = header(headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
    reset = reset_epoch(headers, now)
    if remaining == "0" and reset is not None:
        return max(0.0, reset - now)
    return None


def is_rate_limit(response: requests.Response) -> bool:
    if response.status_code == 429:
        return True
    # GitHub answers 403 both for "no permission" and for rate limits; only the latter
    # carries Retry-After or an exhausted quota.
    remaining = header(response.headers, "RateLimit-Remaining", "X-RateLimit-Remaining")
    return response.status_code == 403 and (
        remaining == "0" or "Retry-After" in response.headers)


def is_transient(response: requests.Response) -> bool:
    return response.status_code >= 500 or is_rate_limit(response)


def raise_for_status(response: requests.Response, redact: Callable[[str], str]) -> None:
    status = response.status_code
    if status < 400:
        return
    url = redact(response.url)
    said = redact(server_message(response))
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


def server_message(response: requests.Response, limit: int = 300) -> str:
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


def describe(exc: requests.RequestException, timeout: float | tuple[float, float]) -> str:
    if isinstance(exc, requests.ConnectTimeout):
        return f"connecting timed out (connect timeout {timeout_part(timeout, 0)} s)"
    if isinstance(exc, requests.Timeout) or "Read timed out" in str(exc):
        return f"the server stopped answering (read timeout {timeout_part(timeout, 1)} s)"
    return f"connection failed ({type(exc).__name__})"


def timeout_part(timeout: float | tuple[float, float], index: int) -> float:
    return timeout[index] if isinstance(timeout, tuple) else timeout


def utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))
