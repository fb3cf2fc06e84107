"""The search page's response cache: a repeated search is answered without searching again.

Search traffic repeats (popular queries, facet clicks, paging back and forth, the home page's
category links); a rendered page costs ~18 ms of CPU, a cached one about as much as a trivial
route. The cache lives in the application (``app.extensions``), so it knows exactly when the
index changed, unlike a reverse proxy's micro-cache.

- What: the HTML of a search page answered with 200 (a 400 is raised before anything is
  stored). Key: the index generation (``search.index_generation``, one directory listing per
  request), the page's language (as chosen by ``language.choose_language``: ``?lang=``, the
  cookie or ``Accept-Language``), the site root and path (``/suche`` or ``/search``), and the
  query string with its parameters ordered by name (the values of one parameter keep their
  order, which the page shows).
- For whom: anonymous ``GET`` requests whose session is empty — no account, no flashed
  message, no CSRF token. A request with anything in its session is neither served from nor
  stored into the cache, and neither is a page whose rendering put something there.
- Invalidation: every commit to the index (a harvest's reindex, an adoption declaration, a
  registration, ``allmende index rebuild``) changes the generation, so every cached page is
  unreachable from the next request on; least recently used pages make room. A time limit
  bounds what the index does not capture (catalogue-only changes, relative dates).
- Responses carry ``X-Allmende-Cache``: ``hit`` (from the cache), ``miss`` (rendered and
  stored), ``bypass`` (rendered, not cacheable for this request); none when the cache is off.
  A hit is a fresh ``Response``, so ``after_request`` (security headers, the language cookie
  of ``?lang=en``) runs as for any page.
- Configuration (application config): ``SEARCH_CACHE_ENTRIES`` (512; 0 turns the cache off),
  ``SEARCH_CACHE_BYTES`` (32 MiB of HTML), ``SEARCH_CACHE_SECONDS`` (300).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Flask, Response, current_app, g, request, session

from search import index_generation

from ..sessions import current_account
from .language import current_language
from .search_state import KNOWN as PAGE_PARAMETERS

EXTENSION = "allmende_search_cache"
HEADER = "X-Allmende-Cache"
DEFAULT_ENTRIES = 512
DEFAULT_BYTES = 32 * 1024 * 1024
DEFAULT_SECONDS = 300.0
_creating = threading.Lock()


class ResponseCache:
    """A thread-safe LRU of response bodies, bounded by entries, bytes and age."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES, max_bytes: int = DEFAULT_BYTES,
                 seconds: float = DEFAULT_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_entries, self.max_bytes, self.seconds = max_entries, max_bytes, seconds
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self._clock() - entry[0] > self.seconds:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, body: bytes) -> None:
        if self.max_entries <= 0 or len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self._clock(), body)
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def _drop(self, key: Hashable) -> None:
        _stored, body = self._entries.pop(key)
        self._bytes -= len(body)


def cache_for(app: Flask) -> ResponseCache | None:
    """This application's cache (made on first use from its config); None when turned off."""
    if EXTENSION not in app.extensions:
        with _creating:
            if EXTENSION not in app.extensions:
                entries = int(app.config.get("SEARCH_CACHE_ENTRIES", DEFAULT_ENTRIES))
                app.extensions[EXTENSION] = ResponseCache(
                    entries, int(app.config.get("SEARCH_CACHE_BYTES", DEFAULT_BYTES)),
                    float(app.config.get("SEARCH_CACHE_SECONDS", DEFAULT_SECONDS)),
                ) if entries > 0 else None
    return app.extensions[EXTENSION]


def lookup() -> Response | None:
    """The cached page for this request, or None: then render it and pass it to ``store``."""
    cache = cache_for(current_app)
    g.search_cache_key = None
    if cache is None or not _anonymous():
        return None
    g.search_cache_key = _key()
    body = cache.get(g.search_cache_key)
    return None if body is None else _response(body, "hit")


def store(html: str) -> Response:
    """The rendered page as a response; kept for the next identical request when allowed."""
    cache = cache_for(current_app)
    key = g.pop("search_cache_key", None)
    if cache is None:
        return Response(html, mimetype="text/html")
    response = _response(html, "bypass")
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if key is not None and _anonymous() and csrf_field not in g:
        cache.put(key, response.get_data())
        response.headers[HEADER] = "miss"
    return response


def _anonymous() -> bool:
    return request.method == "GET" and current_account() is None and not session


def _key() -> tuple:
    # Only what the page reads: a link with utm_source shares the page without it.
    args = sorted(((name, value) for name, value in request.args.items(multi=True)
                   if name in PAGE_PARAMETERS), key=lambda item: item[0])  # stable
    return (index_generation(current_app.config["INDEX_DIR"]), current_language(),
            request.root_url, request.path, tuple(args))


def _response(body: str | bytes, state: str) -> Response:
    response = Response(body, status=200, mimetype="text/html")
    response.headers[HEADER] = state
    return response
