"""The hardened runner: time limits, transport refusal, clean environment, clear errors."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from harvesters.git import GitCache, GitError, redact
from harvesters.git.errors import classify
from harvesters.git.runner import hardened_config, hardened_env, run_git
from tests.harvesters.conftest import Origin, days_ago


def processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in args:
            found.append(args)
    return found


def test_timeout_kills_git_and_its_helpers_quickly(http_server, tmp_path: Path):
    http_server.stall("/stalled.git/info/refs")
    url = http_server.url("/stalled.git").replace("http://", "http://user:s3cret@")
    cache = GitCache(tmp_path / "cache", timeout=1)

    started = time.monotonic()
    with pytest.raises(GitError) as caught:
        cache.ls_remote_head(url)
    assert time.monotonic() - started < 5
    error = caught.value
    assert error.kind == "timeout"
    assert str(error) == f"timed out after 1 s listing {http_server.url('/stalled.git')}"
    assert "s3cret" not in str(error) + error.url + error.stderr
    assert processes_mentioning(f"127.0.0.1:{http_server.port}/stalled") == []


def test_timed_out_clone_leaves_nothing_behind(http_server, tmp_path: Path):
    http_server.stall("/stalled.git/info/refs")
    cache = GitCache(tmp_path / "cache", timeout=1)
    url = http_server.url("/stalled.git")
    with pytest.raises(GitError, match=r"^timed out after 1 s cloning http://127\.0\.0\.1"):
        cache.sync(url)
    assert not cache.path_for(url).exists()
    assert list((tmp_path / "cache" / ".tmp").iterdir()) == []


def test_missing_repository_over_http(http_server, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", timeout=10)
    with pytest.raises(GitError) as caught:
        cache.sync(http_server.url("/nothing-here.git"))
    assert caught.value.kind == "not_found"
    assert str(caught.value).startswith("repository not found while cloning http://127.0.0.1")


def test_authentication_required_never_prompts_nor_leaks(http_server, tmp_path: Path):
    http_server.add("/private.git/info/refs", status=401,
                    headers={"WWW-Authenticate": 'Basic realm="forge"'})
    cache = GitCache(tmp_path / "cache", timeout=10)
    for url in (http_server.url("/private.git"),
                http_server.url("/private.git").replace("http://", "http://bot:t0ken@")):
        with pytest.raises(GitError) as caught:
            cache.ls_remote_head(url)
        error = caught.value
        assert error.kind == "auth", error.stderr
        assert str(error).startswith("authentication required while listing http://127.0.0.1")
        assert "t0ken" not in str(error) + error.url + error.stderr


def test_connection_refused_is_a_network_error(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(GitError) as caught:
        GitCache(tmp_path / "cache", timeout=10).ls_remote_head(f"http://127.0.0.1:{port}/x.git")
    assert caught.value.kind == "network"


def test_git_itself_refuses_file_transport_when_not_allowed(origin: Origin, tmp_path: Path):
    """Below GitCache's own URL check: the environment alone stops the file transport."""
    origin.commit(days_ago(1))
    origin.push()
    for url in (origin.file_url, str(origin.bare)):
        with pytest.raises(GitError) as caught:
            run_git(["ls-remote", "--", url], action="listing", cwd=tmp_path, timeout=10)
        assert caught.value.kind == "protocol", caught.value.stderr
    assert run_git(["ls-remote", "--", origin.file_url], action="listing", cwd=tmp_path,
                   timeout=10, allow_file=True)


def test_environment_is_built_from_scratch(monkeypatch, tmp_path: Path, origin: Origin):
    home = tmp_path / "home"
    home.mkdir()
    # A user config that would redirect every URL and an askpass that would answer prompts.
    (home / ".gitconfig").write_text('[url "file:///nonexistent/"]\n\tinsteadOf = file://\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.hooksPath'='/tmp'")
    monkeypatch.setenv("GIT_ASKPASS", "/bin/echo")
    monkeypatch.setenv("GIT_ALLOW_PROTOCOL", "ext:ssh:file")

    env = hardened_env(allow_file=False, ceiling=tmp_path)
    assert env["GIT_ALLOW_PROTOCOL"] == "https:http"
    assert env["HOME"] == os.devnull and env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["GIT_ASKPASS"] == ""
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert hardened_env(allow_file=True, ceiling=tmp_path)["GIT_ALLOW_PROTOCOL"] == \
        "https:http:file"
    config = hardened_config(allow_file=False)
    assert f"core.hooksPath={os.devnull}" in config and "protocol.file.allow=never" in config

    origin.commit(days_ago(1))
    origin.push()
    assert GitCache(tmp_path / "cache", allow_file=True).ls_remote_head(origin.file_url)


def test_redact_strips_userinfo_everywhere():
    text = "fatal: unable to access 'https://bot:t0ken@forge.example/x.git/' and http://u@h/y"
    assert redact(text) == ("fatal: unable to access 'https://forge.example/x.git/' and "
                            "http://h/y")
    assert redact("https://u:p@ss@h/x and https://h/@y") == "https://h/x and https://h/@y"
    assert GitError("failed https://a:b@h/", url="https://a:b@h/").url == "https://h/"


def test_a_cache_inside_another_repository_ignores_that_repository(origin: Origin,
                                                                    tmp_path: Path):
    """Repository discovery stops at the cache: an enclosing repo's config never applies."""
    outer = tmp_path / "outer"
    outer.mkdir()
    run_git(["init", "--quiet", str(outer)], action="init", cwd=tmp_path, timeout=10)
    with (outer / ".git" / "config").open("a") as config:
        config.write('[url "file:///nonexistent/"]\n\tinsteadOf = file://\n')
    origin.commit(days_ago(1))
    origin.push()
    cache = GitCache(outer / "data" / "git", allow_file=True)
    assert cache.ls_remote_head(origin.file_url) is not None
    assert cache.read_file(cache.sync(origin.file_url)) is None


@pytest.mark.parametrize(("stderr", "kind"), [
    ("fatal: transport 'file' not allowed", "protocol"),
    ("fatal: could not read Username for 'https://h': terminal prompts disabled", "auth"),
    ("fatal: repository 'https://h/x/' not found", "not_found"),
    ("fatal: unable to access 'https://h/': Could not resolve host: h", "network"),
    ("fatal: Unable to create '/c/x.git/packed-refs.lock': File exists.", "broken_cache"),
    ("fatal: bad config line 1 in file /c/x.git/config", "broken_cache"),
    ("fatal: something new", "failed"),
    # Names never decide: a repository or path may be called anything.
    ("fatal: couldn't find remote ref 'refs/heads/tls-not-found-corrupt'", "failed"),
    ("fatal: couldn't find remote ref in https://h/corrupt/SSL/not-found.git", "failed"),
    ("fatal: couldn't find remote ref in /srv/corrupt-ssl/x.git", "failed"),
])
def test_classify(stderr: str, kind: str):
    assert classify(stderr)[0] == kind
