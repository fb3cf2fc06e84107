"""Real git fixtures: repositories with controlled dates and authors, served over file:// and
over smart HTTP (``git http-backend`` behind a server on 127.0.0.1), the transport forges use.

The test side runs git with its own isolated environment (no user or system config) so the
fixtures behave the same on every machine.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .forges import FakeGitea, FakeGitHub, FakeGitLab

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ALICE = ("Alice", "alice@example.org")
BOB = ("Bob", "bob@example.org")
CAROL_UPPER = ("Carol", "CAROL@Example.org")
CAROL = ("Carol", "carol@example.org")


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Test-side git: isolated from the machine's configuration, fails loudly."""
    full_env = {"PATH": os.environ["PATH"], "HOME": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C",
                "GIT_ALLOW_PROTOCOL": "file", **(env or {})}
    result = subprocess.run(["git", "-c", "init.defaultBranch=main",
                             "-c", "protocol.file.allow=always", *args],
                            cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip()


class Origin:
    """A working repository and the bare "forge" repository it pushes to."""

    def __init__(self, root: Path, name: str = "project"):
        self.work = root / f"{name}-work"
        self.bare = root / "served" / f"{name}.git"
        self.work.mkdir(parents=True)
        self.bare.parent.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", str(self.work), cwd=root)
        git("init", "--quiet", "--bare", str(self.bare), cwd=root)
        # What a forge enables: partial clone and fetching single blobs on demand.
        git("config", "uploadpack.allowFilter", "true", cwd=self.bare)
        git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=self.bare)
        git("config", "http.receivepack", "false", cwd=self.bare)
        git("remote", "add", "origin", str(self.bare), cwd=self.work)

    @property
    def file_url(self) -> str:
        return self.bare.as_uri()

    def commit(self, when: datetime, author: tuple[str, str] = ALICE,
               files: dict[str, bytes | str] | None = None, message: str = "change") -> str:
        for name, content in (files or {f"log-{when.timestamp()}.txt": message}).items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
            git("add", name, cwd=self.work)
        git("commit", "--quiet", "--allow-empty", "-m", message, cwd=self.work,
            env=_identity(author, when))
        return git("rev-parse", "HEAD", cwd=self.work)

    def tag(self, name: str, when: datetime, *, annotated: bool, rev: str = "HEAD") -> None:
        args = ["tag", "-a", "-m", name, name, rev] if annotated else ["tag", name, rev]
        git(*args, cwd=self.work, env=_identity(ALICE, when))

    def push(self) -> None:
        git("push", "--quiet", "--force", "--tags", "origin", "refs/heads/*:refs/heads/*",
            cwd=self.work)


def _identity(person: tuple[str, str], when: datetime) -> dict[str, str]:
    stamp = f"{int(when.timestamp())} +0000"
    name, email = person
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": stamp}


@pytest.fixture
def make_origin(tmp_path: Path):
    def make(name: str = "project") -> Origin:
        return Origin(tmp_path, name)

    return make


@pytest.fixture
def origin(make_origin) -> Origin:
    return make_origin()


# --- smart HTTP: git http-backend behind a threaded server on 127.0.0.1 ---------------------


class GitHTTPServer:
    """Serves every bare repository under ``root`` at ``http://127.0.0.1:PORT/<name>.git``."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, name: str, userinfo: str = "") -> str:
        return f"http://{userinfo}127.0.0.1:{self.port}/{name}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server._cgi(self)

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler

    def _cgi(self, h: BaseHTTPRequestHandler) -> None:
        self.requests.append(f"{h.command} {h.path}")
        path, _, query = h.path.partition("?")
        body = _read_body(h)
        env = {"PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": str(self.root),
               "GIT_HTTP_EXPORT_ALL": "1", "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull, "HOME": os.devnull,
               "REQUEST_METHOD": h.command, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_TYPE": h.headers.get("Content-Type", ""),
               "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1",
               "HTTP_CONTENT_ENCODING": h.headers.get("Content-Encoding", ""),
               "GIT_PROTOCOL": h.headers.get("Git-Protocol", "")}
        result = subprocess.run(["git", "http-backend"], input=body, env=env,
                                capture_output=True, timeout=60)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = result.stdout.partition(b"\n\n")
        headers = [line.split(":", 1) for line in head.decode("latin-1").splitlines() if line]
        status = next((int(v.split()[0]) for k, v in headers if k.lower() == "status"), 200)
        h.send_response(status)
        for key, value in headers:
            if key.lower() != "status":
                h.send_header(key, value.strip())
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                h.rfile.readline()
                return b"".join(chunks)
            chunks.append(h.rfile.read(size))
            h.rfile.readline()
    return h.rfile.read(int(h.headers.get("Content-Length") or 0))


@pytest.fixture
def git_http_server(tmp_path: Path) -> Iterator[GitHTTPServer]:
    """Smart HTTP for the bare repositories ``Origin`` creates (``tmp_path/served``)."""
    (tmp_path / "served").mkdir(exist_ok=True)
    server = GitHTTPServer(tmp_path / "served")
    yield server
    server.close()


# --- fake forge APIs (tests/harvesters/forges) ----------------------------------------------


@pytest.fixture
def gitlab_server() -> Iterator[FakeGitLab]:
    """A fake GitLab / Open CoDE (API at ``.api_url``); fill ``.model``, set ``.faults``."""
    with FakeGitLab() as server:
        yield server


@pytest.fixture
def github_server() -> Iterator[FakeGitHub]:
    """A fake GitHub REST API, served at ``.url`` like api.github.com."""
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def gitea_server() -> Iterator[FakeGitea]:
    """A fake Gitea / Forgejo (API at ``.api_url``)."""
    with FakeGitea() as server:
        yield server
