"""Shared fixtures.

``http_server`` is a real HTTP server on 127.0.0.1 (a thread per request) that tests fill with
canned routes: the fetcher, the validator's network checks and the harvesters all talk to it
instead of the internet. ``make_http_server`` builds more of them (e.g. one speaking TLS).

``database_url`` runs a test against SQLite and PostgreSQL (the latter when
``ALLMENDE_TEST_POSTGRES_URL`` is set; each test gets a fresh schema, dropped afterwards);
``engine`` is that database migrated to the newest schema.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]


class LocalHTTPServer:
    """Routes by exact path (query included, else path alone); unknown paths answer 404."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.requests: list[SeenRequest] = []
        self.release = threading.Event()
        """Set on teardown; stalling routes wait on it so no thread outlives the test."""
        self._routes: dict[str, Handler] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self.port: int = self._httpd.server_address[1]
        self.scheme = "https" if ssl_context is not None else "http"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})  # quick teardown
        self._thread.start()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    # -- routes --

    def handle(self, path: str, handler: Handler) -> None:
        """Answer ``path`` with any behaviour: ``handler`` gets the request handler."""
        self._routes[path] = handler

    def add(self, path: str, body: bytes | str = b"", status: int = 200,
            headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.handle(path, lambda h: _respond(h, status, data, headers or {}))

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.add(path, status=status, headers={"Location": location})

    def stall(self, path: str) -> None:
        """Accept the request and never answer (until teardown)."""
        self.handle(path, lambda h: self.release.wait())

    def drip(self, path: str, length: int = 1_000_000, interval: float = 0.05) -> None:
        """Send headers, then a byte per ``interval``: every read succeeds, the body never ends."""

        def dripping(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Length", str(length))
            h.end_headers()
            for _ in range(length):
                if self.release.wait(interval):
                    return
                try:
                    h.wfile.write(b"x")
                    h.wfile.flush()
                except OSError:
                    return

        self.handle(path, dripping)

    # -- plumbing --

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._dispatch(self)

            do_HEAD = do_GET  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return RequestHandler

    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        self.requests.append(SeenRequest(h.command, h.path, dict(h.headers.items())))
        route = self._routes.get(h.path) or self._routes.get(h.path.split("?", 1)[0])
        if route is None:
            _respond(h, 404, b"not found", {})
        else:
            route(h)

    def close(self) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _respond(h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    h.send_response(status)
    for name, value in headers.items():
        h.send_header(name, value)
    if not any(name.lower() == "content-length" for name in headers):
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        with contextlib.suppress(OSError):  # the client hung up early (size caps do that)
            h.wfile.write(body)


@pytest.fixture
def make_http_server() -> Iterator[Callable[..., LocalHTTPServer]]:
    """Factory: ``make_http_server(ssl_context=None)``; every server is closed after the test."""
    servers: list[LocalHTTPServer] = []

    def make(ssl_context: ssl.SSLContext | None = None) -> LocalHTTPServer:
        servers.append(LocalHTTPServer(ssl_context))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def http_server(make_http_server: Callable[..., LocalHTTPServer]) -> LocalHTTPServer:
    """A plain HTTP server on 127.0.0.1 with no routes yet."""
    return make_http_server()


# -- catalogue databases ----------------------------------------------------------------------

POSTGRES_URL_ENV = "ALLMENDE_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty catalogue database: SQLite in tmp_path, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        # a directory that does not exist yet: creating it is the engine's job
        yield f"sqlite:///{tmp_path / 'catalogue' / 'allmende.db'}"
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV} "
                    "(e.g. postgresql://postgres@127.0.0.1:5432/test)")
    import sqlalchemy as sa

    from registry import db

    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = db.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = db.database_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite catalogue migrated to the newest revision, copied for each test: running
    the migrations costs ~0.25 s, a copy ~1 ms, and the suite makes a thousand of them."""
    from registry import db

    path = tmp_path_factory.mktemp("migrated") / "allmende.db"
    db.upgrade(f"sqlite:///{path}")  # closes its connections: the WAL is checkpointed
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def engine(database_url: str, migrated_sqlite_template: Path):
    """The ``database_url`` database migrated to the newest revision (SQLite: a copy of the
    migrated template; tests/registry/test_migrations.py runs the migrations themselves)."""
    from registry import db

    sqlite_file = (Path(database_url.removeprefix("sqlite:///"))
                   if database_url.startswith("sqlite:///") else None)
    if sqlite_file is not None and not sqlite_file.exists():
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite_template, sqlite_file)
    else:
        db.upgrade(database_url)
    engine = db.connect(database_url)
    yield engine
    engine.dispose()


# -- mail -------------------------------------------------------------------------------------

@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that records what it receives (tests/smtp.py)."""
    from tests.smtp import SMTPRecorder

    server = SMTPRecorder()
    yield server
    server.close()
