"""PostgreSQL gone mid-service: a clear 503, ``/healthz`` says so, and the same app recovers.

The app reaches the test's PostgreSQL through a TCP proxy on 127.0.0.1 that the test closes —
every open connection dropped, new ones refused, as when the database server stops — and then
opens again on the same port. Nothing of ours is mocked: the catalogue is the demo source
harvested into a real schema, the requests go through the real app.
"""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from sqlalchemy.engine import make_url

from web import create_app, services


class Proxy:
    """Forwards 127.0.0.1:``port`` to ``target``; ``close`` cuts every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.port = 0
        self.open()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            doomed, self._sockets = [self._listener, *self._sockets], []
            self._listener = None
        for sock in doomed:
            if sock is None:
                continue
            with contextlib.suppress(OSError):  # a listener or an already closed peer
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self.target)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxied(database_url):
    url = make_url(database_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
    proxy.close()


def app_through(url, catalogue, app_settings, **config):
    return create_app({"TESTING": True, "DATABASE_URL": url, "INDEX_DIR": str(catalogue),
                       "SETTINGS": app_settings, "RATELIMIT_ENABLED": False, **config})


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lost_database_is_a_503_and_the_same_app_recovers(engine, catalogue, app_settings,
                                                            proxied):
    proxy, url = proxied
    app = app_through(url, catalogue, app_settings)
    client = app.test_client()
    try:
        first = client.get("/api/v1/solutions").get_json()["items"][0]["id"]
        assert client.get(f"/loesungen/{first}").status_code == 200
        assert client.get("/healthz").text == "ok"

        proxy.close()
        api = client.get(f"/api/v1/solutions/{first}")
        assert api.status_code == 503
        assert api.mimetype == "application/problem+json"
        assert "database" in api.get_json()["detail"]
        assert int(api.headers["Retry-After"]) > 0
        page = client.get(f"/loesungen/{first}")
        assert page.status_code == 503 and page.mimetype == "text/html"
        assert "Der Katalog ist vorübergehend nicht erreichbar" in page.text
        assert "Traceback" not in page.text and "psycopg" not in page.text
        assert page.headers["Retry-After"]
        english = client.get(f"/loesungen/{first}?lang=en")
        assert "The catalogue is unavailable for a moment" in english.text
        health = client.get("/healthz")
        assert (health.status_code, health.text) == (503, "database unavailable")

        proxy.open()  # the database is back, on the same address
        assert client.get(f"/api/v1/solutions/{first}").status_code == 200
        assert client.get(f"/loesungen/{first}").status_code == 200
        health = client.get("/healthz")
        assert (health.status_code, health.text) == (200, "ok")
    finally:
        services.dispose(app)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_healthz_sees_an_outage_before_any_request_meets_it(engine, catalogue, app_settings,
                                                            proxied):
    """An idle node behind a load balancer: only ``/healthz`` is asked, and it must tell."""
    proxy, url = proxied
    app = app_through(url, catalogue, app_settings, DATABASE_CHECK_SECONDS=0)
    client = app.test_client()
    try:
        assert client.get("/healthz").text == "ok"
        proxy.close()
        health = client.get("/healthz")
        assert (health.status_code, health.text) == (503, "database unavailable")
        proxy.open()
        assert client.get("/healthz").text == "ok"
    finally:
        services.dispose(app)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_healthz_asks_an_answering_database_at_most_every_few_seconds(engine, catalogue,
                                                                       app_settings, proxied):
    """Frequent probes cost nothing while it answers: the answer is remembered for
    ``DATABASE_CHECK_SECONDS`` (here an hour, so the second probe cannot be due)."""
    proxy, url = proxied
    app = app_through(url, catalogue, app_settings, DATABASE_CHECK_SECONDS=3600)
    client = app.test_client()
    try:
        assert client.get("/healthz").text == "ok"
        proxy.close()
        assert client.get("/healthz").text == "ok"  # not asked again yet
        assert client.get("/api/v1/solutions").status_code == 503  # a request meets it
        assert client.get("/healthz").status_code == 503  # and from then on it is asked
    finally:
        services.dispose(app)


def test_a_silent_database_host_is_an_error_within_the_connect_timeout():
    """A host that accepts the connection and never answers (a hung server, a black-holing
    firewall) is an ``OperationalError`` after ``CONNECT_TIMEOUT_SECONDS``, not a hang."""
    import time

    import sqlalchemy as sa

    from registry.db import CONNECT_TIMEOUT_SECONDS, create_engine

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # accepted by the kernel, never read or answered
    try:
        engine = create_engine(f"postgresql://nobody@127.0.0.1:{silent.getsockname()[1]}/none")
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError), engine.connect():
            pass
        assert time.monotonic() - started < CONNECT_TIMEOUT_SECONDS * 3
        engine.dispose()
    finally:
        silent.close()
