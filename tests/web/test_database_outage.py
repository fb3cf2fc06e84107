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


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_lost_database_is_a_503_and_the_same_app_recovers(engine, catalogue, app_settings,
                                                            proxied):
    proxy, url = proxied
    app = create_app({"TESTING": True, "DATABASE_URL": url, "INDEX_DIR": str(catalogue),
                      "SETTINGS": app_settings, "RATELIMIT_ENABLED": False})
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
