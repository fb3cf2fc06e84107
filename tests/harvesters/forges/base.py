"""What every fake forge shares: a real HTTP server on 127.0.0.1, a request log and faults.

Why real servers: the harvesters' hardest parts are HTTP behaviour — pagination headers,
retries, redirects, timeouts, size caps — and a mocked ``requests`` would only test our idea of
it. Each fake listens on an ephemeral port in a thread; a forge subclass adds its routes.

Faults are rules checked before routing, so any endpoint can misbehave:

* ``faults.latency`` — seconds before every answer (the benchmark uses 0.02);
* ``faults.rate_limit(...)`` — the forge's own rate-limit answer (GitLab 429 + ``RateLimit-*``,
  GitHub 403 + ``X-RateLimit-Remaining: 0`` …) on the Nth request or for a path;
* ``faults.fail(...)`` — 5xx for a path, N times or always;
* ``faults.stall(...)`` — accept the request and never answer until teardown (the handler waits
  on ``server.release``, so nothing sleeps and no thread outlives the test);
* ``faults.redirect(...)``, ``faults.drop_header("Link")`` (a proxy that strips it),
  ``faults.no_content_length(...)`` (a body whose size is only known by reading it);
* ``faults.withhold_body(...)`` — send the headers (``Content-Length`` included) but hold the
  body back until teardown: a client that finishes decided from the headers alone.

Paths in rules are ``fnmatch`` patterns on the raw (percent-encoded) path without the query;
``query={"page": "2"}`` narrows a rule to requests carrying those query values (one page of a
listing whose pages all share a path).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from requests.structures import CaseInsensitiveDict

from .model import ForgeModel

SECRET_HEADERS = frozenset({"authorization", "private-token", "job-token", "cookie"})


@dataclass(frozen=True)
class Request:
    """An incoming request as the routes see it."""

    method: str
    path: str
    """Raw path as sent (percent-encoded: GitLab's ``group%2Fproject`` stays one segment)."""
    query: dict[str, list[str]]
    headers: CaseInsensitiveDict[str]
    credential: str | None = None
    """The token the forge read from its auth header (None: anonymous)."""

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int, maximum: int | None = None) -> int:
        """A positive integer parameter, clamped like forges clamp ``per_page``/``limit``."""
        value = self.arg(name, "")
        number = int(value) if value and value.isdigit() and int(value) > 0 else default
        return min(number, maximum) if maximum is not None else number

    def flag(self, name: str) -> bool:
        return (self.arg(name) or "").lower() in ("true", "1", "yes")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None
             ) -> Response:
        body = json.dumps(data, indent=None).encode()
        return cls(status, body, {"Content-Type": "application/json; charset=utf-8",
                                   **(headers or {})})

    @classmethod
    def raw(cls, body: bytes, content_type: str = "text/plain; charset=utf-8",
            headers: dict[str, str] | None = None) -> Response:
        return cls(200, body, {"Content-Type": content_type, **(headers or {})})


@dataclass(frozen=True)
class SeenRequest:
    """One entry of ``server.log``: what arrived, with secret header values hidden."""

    number: int
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    credential: str | None
    credential_header: str | None
    """Which header carried the credential (``PRIVATE-TOKEN``, ``Authorization`` …)."""


@dataclass
class FaultRule:
    """One misbehaviour; ``times`` None means always, ``on_request`` a 1-based request number."""

    kind: str
    path: str = "*"
    times: int | None = 1
    on_request: int | None = None
    status: int = 500
    retry_after: str | None = None
    reset_in: float | None = None
    location: str = ""
    query: dict[str, str] = field(default_factory=dict)
    """Query values the request must carry (all of them) for the rule to apply."""

    def matches(self, number: int, request: Request) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.on_request is not None and number != self.on_request:
            return False
        if any(request.arg(key) != value for key, value in self.query.items()):
            return False
        return fnmatchcase(request.path, self.path)


class Faults:
    """The fault rules of one server; every method returns the rule for later inspection."""

    def __init__(self) -> None:
        self.latency = 0.0
        self.rules: list[FaultRule] = []
        self.dropped_headers: set[str] = set()
        self.unsized_paths: list[str] = []
        self.withheld_paths: list[str] = []
        self._lock = threading.Lock()

    def rate_limit(self, path: str = "*", *, times: int | None = 1,
                   on_request: int | None = None, retry_after: int | str | None = 1,
                   reset_in: float | None = None,
                   query: dict[str, str] | None = None) -> FaultRule:
        """The forge's rate-limit refusal; ``retry_after`` None omits the header."""
        return self._add(FaultRule("rate_limit", path, times, on_request,
                                   retry_after=None if retry_after is None else str(retry_after),
                                   reset_in=reset_in, query=dict(query or {})))

    def fail(self, path: str = "*", *, status: int = 500, times: int | None = 1,
             on_request: int | None = None, query: dict[str, str] | None = None) -> FaultRule:
        return self._add(FaultRule("fail", path, times, on_request, status=status,
                                   query=dict(query or {})))

    def stall(self, path: str = "*", *, times: int | None = 1,
              on_request: int | None = None, query: dict[str, str] | None = None) -> FaultRule:
        return self._add(FaultRule("stall", path, times, on_request, query=dict(query or {})))

    def redirect(self, path: str, location: str, *, status: int = 301,
                 times: int | None = None) -> FaultRule:
        return self._add(FaultRule("redirect", path, times, status=status, location=location))

    def drop_header(self, name: str) -> None:
        """Never send this response header (a proxy that strips ``Link``, say)."""
        self.dropped_headers.add(name.lower())

    def no_content_length(self, path: str = "*") -> None:
        """Send bodies of matching paths without ``Content-Length`` (read until close)."""
        self.unsized_paths.append(path)

    def withhold_body(self, path: str = "*") -> None:
        """Answer matching paths with headers only and hold the body back until teardown."""
        self.withheld_paths.append(path)

    def take(self, number: int, request: Request) -> FaultRule | None:
        """The first rule that applies to this request, counting it as used."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(number, request):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def _add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self.rules.append(rule)
        return rule


Handler = Callable[[Request, "re.Match[str]"], Response]


class FakeForgeServer:
    """A running fake forge: ``url`` (root), ``api_url``, ``model``, ``faults``, ``log``.

    Subclasses register routes in ``__init__`` with :meth:`route` and implement
    :meth:`read_credential`, :meth:`error` and :meth:`rate_limited` in their forge's format.
    ``tokens``: when non-empty, a request with any other credential gets 401.
    """

    api_prefix = ""

    def __init__(self, model: ForgeModel | None = None, tokens: Iterable[str] = ()):
        self.model = model or ForgeModel()
        self.faults = Faults()
        self.tokens = set(tokens)
        self.log: list[SeenRequest] = []
        self.release = threading.Event()
        """Set on close; stalled handlers wait on it."""
        self._routes: list[tuple[frozenset[str], re.Pattern[str], Handler]] = []
        self._log_lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True,
                                        name=f"{type(self).__name__}:{self.port}")
        self._thread.start()

    @property
    def api_url(self) -> str:
        return self.url + self.api_prefix

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- for tests --

    def requests_to(self, pattern: str, method: str | None = None) -> list[SeenRequest]:
        """Logged requests whose raw path matches the ``fnmatch`` pattern."""
        return [seen for seen in list(self.log)
                if fnmatchcase(seen.path, pattern) and method in (None, seen.method)]

    # -- for subclasses --

    def route(self, methods: str, pattern: str, handler: Handler) -> None:
        """Register ``handler`` for a regex over the raw path (anchored at both ends)."""
        self._routes.append((frozenset(methods.split()), re.compile(pattern + r"\Z"), handler))

    def read_credential(self, headers: CaseInsensitiveDict[str]) -> tuple[str | None, str | None]:
        """(token, header name) from the forge's auth header(s); (None, None) if anonymous."""
        raise NotImplementedError

    def error(self, status: int, message: str) -> Response:
        """An error body in the forge's format."""
        return Response.json({"message": message}, status)

    def rate_limited(self, rule: FaultRule, request: Request) -> Response:
        headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
        return Response(429, b"Too Many Requests\n", {"Content-Type": "text/plain", **headers})

    def admit(self, request: Request) -> Response | None:
        """A refusal before routing (GitHub's used-up quota); None lets the request through."""
        return None

    def finish(self, request: Request, response: Response) -> Response:
        """Last touch on every answer (GitHub adds its ``X-RateLimit-*`` headers)."""
        return response

    def absolute(self, path: str, query: dict[str, Any] | None = None) -> str:
        """An absolute URL on this server (pagination links are absolute on every forge)."""
        return f"{self.url}{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")

    def page_link(self, request: Request, **changes: Any) -> str:
        """The current request's URL with some query parameters replaced."""
        query = {key: values[0] for key, values in request.query.items()}
        query.update({key: str(value) for key, value in changes.items()})
        return self.absolute(request.path, query)

    @staticmethod
    def link_header(links: dict[str, str]) -> str:
        """``Link`` per RFC 8288: ``<url>; rel="next", <url>; rel="last"``."""
        return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())

    # -- dispatch --

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(dict(handler.headers.items()))
        credential, carrier = self.read_credential(headers)
        request = Request(handler.command, parts.path, parse_qs(parts.query, True), headers,
                          credential)
        number = self._record(request, carrier)
        if self.faults.latency and self.release.wait(self.faults.latency):
            return
        response = self._answer(number, request)
        if response is not None:
            self._send(handler, request, self.finish(request, response))

    def _answer(self, number: int, request: Request) -> Response | None:
        rule = self.faults.take(number, request)
        if rule is not None:
            if rule.kind == "stall":
                self.release.wait()
                return None
            if rule.kind == "rate_limit":
                return self.rate_limited(rule, request)
            if rule.kind == "redirect":
                return Response(rule.status, b"", {"Location": rule.location})
            return self.error(rule.status, HTTPStatus(rule.status).phrase)
        if request.credential is not None and self.tokens and request.credential not in self.tokens:
            return self.error(401, "401 Unauthorized")
        refusal = self.admit(request)
        if refusal is not None:
            return refusal
        for methods, pattern, handler in self._routes:
            match = pattern.match(request.path)
            wanted = "GET" if request.method == "HEAD" else request.method
            if match and (request.method in methods or wanted in methods):
                return handler(request, match)
        return self.error(404, "404 Not Found")

    def authenticated(self, request: Request) -> bool:
        """A valid token came with the request (then non-public projects are visible)."""
        return request.credential is not None and (
            not self.tokens or request.credential in self.tokens)

    def _record(self, request: Request, carrier: str | None) -> int:
        visible = {name: ("<redacted>" if name.lower() in SECRET_HEADERS else value)
                   for name, value in request.headers.items()}
        with self._log_lock:
            number = len(self.log) + 1
            self.log.append(SeenRequest(number, request.method, request.path, request.query,
                                        visible, request.credential, carrier))
        return number

    def _send(self, handler: BaseHTTPRequestHandler, request: Request,
              response: Response) -> None:
        unsized = any(fnmatchcase(request.path, p) for p in self.faults.unsized_paths)
        handler.send_response(response.status)
        headers = {name: value for name, value in response.headers.items()
                   if name.lower() not in self.faults.dropped_headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        if unsized:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        else:
            handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        if request.method == "HEAD":
            return
        if any(fnmatchcase(request.path, p) for p in self.faults.withheld_paths):
            handler.close_connection = True
            self.release.wait()
            return
        try:
            handler.wfile.write(response.body)
        except OSError:  # the client hung up early (size caps and timeouts do that)
            handler.close_connection = True


def _handler_class(server: FakeForgeServer) -> type[BaseHTTPRequestHandler]:
    class ForgeRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like real forges
        timeout = 10  # an idle kept-alive connection does not hold a thread forever
        # Headers and body are written separately; with Nagle's algorithm the body would wait
        # for the client's delayed ACK (~40 ms per response). Forges' nginx sets TCP_NODELAY.
        disable_nagle_algorithm = True

        def handle(self) -> None:
            try:
                super().handle()
            except ConnectionError:  # a client hung up mid-exchange (size caps, timeouts)
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server._serve(self)

        do_HEAD = do_GET  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return ForgeRequestHandler
