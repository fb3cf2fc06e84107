"""``allmende serve`` runs the real application on waitress, or refuses with the reason."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ALLMENDE = Path(sys.executable).with_name("allmende")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CONTACT = "barrierefreiheit@musterstadt.example"


def environment(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "allmende.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n\n[site]\ncontact_email = "{CONTACT}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
    return {**env, "ALLMENDE_CONFIG": str(config)}


def test_serve_answers_pages_and_api(tmp_path):
    env = environment(tmp_path)
    subprocess.run([ALLMENDE, "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=120)
    port = free_port()
    server = subprocess.Popen([ALLMENDE, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until it listens: poll the port, do not guess a delay
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "allmende serve never listened"
                time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
            assert page.headers["Server"] == "Allmende"
            assert "default-src 'self'" in page.headers["Content-Security-Policy"]
            assert b'<html lang="de">' in page.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ueber", timeout=10) as about:
            assert CONTACT in about.read().decode()  # the config's [site], not a default
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/solutions",
                                    timeout=10) as api:
            assert json.loads(api.read())["items"] == []
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_refuses_a_database_without_schema(tmp_path):
    result = subprocess.run([ALLMENDE, "serve", "--port", str(free_port())],
                            env=environment(tmp_path), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "allmende db upgrade" in result.stderr
