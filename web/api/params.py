"""Query parameters: parsed strictly, so a typo is a 400 with the reason, never ignored.

Cursors are opaque to clients: URL-safe base64 of a small JSON object naming the page. They
are not a security boundary (anyone may read any page); the point is that clients follow
``next`` links instead of computing pages, which leaves room to change the paging later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify, request, url_for

from search import FACETS, MAX_TEXT_CHARS, SORTS

from .errors import bad_request

MAX_PAGE = 10_000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
CURSOR_PATTERN = r"^p([1-9][0-9]{0,3}|10000)$"
"""Page 1 to ``MAX_PAGE``; the OpenAPI document publishes this pattern."""
_CURSOR = re.compile(CURSOR_PATTERN.strip("^$"))


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    per_page: int


def reject_unknown(allowed: Iterable[str]) -> None:
    known = set(allowed)
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise bad_request(f"unknown query parameter {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(known))}")


def single(name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise bad_request(f"{name} may be given once")
    return values[0] if values else None


def query_text() -> str:
    text = single("q") or ""
    if "\x00" in text:
        raise bad_request("q must not contain NUL characters")
    if len(text) > MAX_TEXT_CHARS:
        raise bad_request(f"q is longer than {MAX_TEXT_CHARS} characters")
    return text.strip()


def sort() -> str | None:
    value = single("sort")
    if value is not None and value not in SORTS:
        raise bad_request(f"unknown sort {value!r}; sorts are {', '.join(SORTS)}")
    return value


def filters() -> dict[str, list[str]]:
    """Facet parameters: repeat one for OR (``category=a&category=b``); facets combine with AND."""
    chosen: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [v for v in request.args.getlist(facet) if v.strip()]
        if any("\x00" in v or len(v) > MAX_TEXT_CHARS for v in values):
            raise bad_request(f"{facet} has a value that is too long or holds NUL characters")
        if values:
            chosen[facet] = values
    return chosen


def paging(default_per_page: int = DEFAULT_PER_PAGE) -> Paging:
    per_page = whole_number("per_page", default_per_page, MAX_PER_PAGE)
    cursor = single("cursor")
    return Paging(decode_cursor(cursor) if cursor else 1, per_page)


def whole_number(name: str, default: int, most: int) -> int:
    """Query parameter ``name`` as a whole number from 1 to ``most`` (``default`` when it is
    absent; ``most`` below 10,000); at most four ASCII digits, so no input reaches ``int``
    unbounded (Python refuses strings of over 4,300 digits with a ``ValueError``)."""
    raw = single(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4 or not 1 <= int(raw) <= most:
        raise bad_request(f"{name} must be a whole number from 1 to {most}")
    return int(raw)


def paged_response(body: dict[str, Any], paging: Paging, total: int) -> Response:
    """``body`` plus ``links`` (self, next) and the ``Link: rel="next"`` header, for any list."""
    has_next = paging.page * paging.per_page < total and paging.page < MAX_PAGE
    next_url = page_url(paging.page + 1) if has_next else None
    response = jsonify({**body, "links": {"self": page_url(paging.page), "next": next_url}})
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def page_url(page: int) -> str:
    """This request's URL on another page: same parameters, a fresh cursor."""
    args: dict[str, Any] = {key: request.args.getlist(key) for key in request.args
                            if key != "cursor"}
    if page > 1:
        args["cursor"] = encode_cursor(page)
    return url_for(request.endpoint or "", _external=True, **args)


def encode_cursor(page: int) -> str:
    return f"p{page}"


def decode_cursor(cursor: str) -> int:
    """The page a cursor names; a 400 for anything this server did not hand out.

    A cursor is ``p`` and a page number (``CURSOR_PATTERN``, documented in the OpenAPI
    document), so every cursor the document allows is one the server accepts: clients take
    it from ``links.next`` and need not look inside.
    """
    found = _CURSOR.fullmatch(cursor) if len(cursor) <= 8 else None
    if found is None:
        raise bad_request("cursor is not valid; follow the next link of a previous response")
    return int(found.group(1))
