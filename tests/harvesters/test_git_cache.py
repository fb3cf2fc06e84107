"""GitCache against real repositories over file:// and smart HTTP."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from harvesters.git import GitCache, GitError
from harvesters.git.cache import COMPLETE_MARKER
from harvesters.git.paths import cache_dir_name
from tests.harvesters.conftest import BOB, Origin, days_ago, git

PUBLICCODE = "publiccodeYmlVersion: '0.4'\nname: Demo\n"


@pytest.fixture
def published(origin: Origin) -> Origin:
    origin.commit(days_ago(30), files={"publiccode.yml": PUBLICCODE, "README.md": "# Demo\n"})
    origin.commit(days_ago(20), BOB, files={"src/app.py": "print('hi')\n"})
    origin.push()
    return origin


def objects_present(repo: Path, sha: str) -> bool:
    """Held locally? (Enumerates the object store; ``cat-file -e`` would fetch lazily.)"""
    listing = git("cat-file", "--batch-check=%(objectname)", "--batch-all-objects", cwd=repo)
    return sha in listing.split()


def missing_blobs(repo: Path) -> list[str]:
    """Objects the partial clone knows of but does not hold (``?sha`` lines)."""
    out = git("rev-list", "--objects", "--all", "--missing=print", cwd=repo)
    return [line[1:] for line in out.splitlines() if line.startswith("?")]


# --- sync -----------------------------------------------------------------------------------


def test_first_sync_makes_a_bare_partial_clone(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)

    assert repo.parent == tmp_path / "cache"
    assert git("rev-parse", "--is-bare-repository", cwd=repo) == "true"
    assert git("config", "remote.origin.partialclonefilter", cwd=repo) == "blob:none"
    assert git("config", "remote.origin.promisor", cwd=repo) == "true"
    assert len(missing_blobs(repo)) == 3  # no file contents came along
    assert git("rev-parse", "HEAD", cwd=repo) == git("rev-parse", "HEAD", cwd=published.work)
    assert (repo / COMPLETE_MARKER).is_file()
    assert not (repo / "hooks").exists()  # --template=: not even the sample hooks


def test_second_sync_fetches_new_commits_tags_and_prunes(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    git("branch", "old-feature", cwd=published.work)
    published.push()
    cache.sync(published.file_url)
    assert git("branch", "--list", "old-feature", cwd=repo)

    new = published.commit(days_ago(1), files={"CHANGELOG.md": "v2\n"})
    published.tag("v2.0", days_ago(1), annotated=True)
    git("branch", "-D", "old-feature", cwd=published.work)
    git("push", "--quiet", "origin", ":old-feature", cwd=published.work)
    published.push()
    inode = repo.stat().st_ino

    assert cache.sync(published.file_url) == repo
    assert repo.stat().st_ino == inode  # fetched in place, not recloned
    assert git("rev-parse", "HEAD", cwd=repo) == new
    assert git("tag", "--list", cwd=repo) == "v2.0"
    assert git("branch", "--list", "old-feature", cwd=repo) == ""
    changelog = git("rev-parse", "HEAD:CHANGELOG.md", cwd=published.work)
    assert changelog in missing_blobs(repo)  # the incremental fetch kept the filter


def test_sync_over_smart_http(published: Origin, git_http_server, tmp_path: Path):
    cache = GitCache(tmp_path / "cache")
    url = git_http_server.url("project.git")
    repo = cache.sync(url)
    assert git("config", "remote.origin.partialclonefilter", cwd=repo) == "blob:none"
    assert missing_blobs(repo)

    blob = cache.read_file(repo)  # lazily fetched over HTTP under the hardened environment
    assert blob is not None and blob.data == PUBLICCODE.encode()

    published.commit(days_ago(2), files={"x.txt": "x"})
    published.push()
    cache.sync(url)
    assert git("rev-parse", "HEAD", cwd=repo) == git("rev-parse", "HEAD", cwd=published.work)


def test_sync_follows_a_changed_default_branch(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    git("branch", "trunk", cwd=published.work)
    published.push()
    git("symbolic-ref", "HEAD", "refs/heads/trunk", cwd=published.bare)

    cache.sync(published.file_url)
    assert git("symbolic-ref", "--short", "HEAD", cwd=repo) == "trunk"


def test_cache_directory_name_is_safe_and_credential_free(tmp_path: Path):
    hostile = "https://user:s3cret@evil.example/../../etc/passwd/../.."
    name = cache_dir_name(hostile)
    assert "/" not in name and not name.startswith(".") and "s3cret" not in name
    assert (GitCache(tmp_path).path_for(hostile)).parent == tmp_path
    assert cache_dir_name("https://a.example/x") != cache_dir_name("https://a.example/x?")
    assert cache_dir_name("https://tok@a.example/x/") == cache_dir_name("https://a.example/x")


def test_half_written_cache_is_recovered(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    path = cache.path_for(published.file_url)
    # A killed run: a clone left in the temporary area and junk at the final path.
    leftover = tmp_path / "cache" / ".tmp" / f"{path.name}.deadbeef"
    (leftover / "objects").mkdir(parents=True)
    (path / "objects" / "pack").mkdir(parents=True)
    (path / "HEAD").write_text("ref: refs/heads/main\n")

    repo = cache.sync(published.file_url)
    assert repo == path and (repo / COMPLETE_MARKER).is_file()
    assert git("rev-parse", "HEAD", cwd=repo) == git("rev-parse", "HEAD", cwd=published.work)
    assert not leftover.exists()


def test_stale_lock_files_from_a_killed_fetch_are_cleared(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    (repo / "refs" / "heads" / "main.lock").write_text("")
    (repo / "packed-refs.lock").write_text("")
    new = published.commit(days_ago(1))
    published.push()

    cache.sync(published.file_url)
    assert git("rev-parse", "HEAD", cwd=repo) == new


def test_damaged_config_is_recloned(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    (repo / "config").write_text("[core\nbroken")  # git can no longer open it

    assert cache.sync(published.file_url) == repo
    assert git("config", "remote.origin.partialclonefilter", cwd=repo) == "blob:none"


def test_concurrent_syncs_of_different_repositories(make_origin, tmp_path: Path):
    origins = []
    for index in range(4):
        project = make_origin(f"p{index}")
        project.commit(days_ago(5), files={"publiccode.yml": f"name: P{index}\n"})
        project.push()
        origins.append(project)
    cache = GitCache(tmp_path / "cache", allow_file=True)
    results: dict[int, object] = {}

    def work(index: int) -> None:
        try:
            repo = cache.sync(origins[index].file_url)
            results[index] = cache.read_file(repo).data
        except Exception as exc:  # noqa: BLE001 - reported below
            results[index] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == {i: f"name: P{i}\n".encode() for i in range(4)}


def test_concurrent_syncs_of_the_same_repository_are_serialised(published, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    results: list[object] = []

    def work() -> None:
        try:
            results.append(cache.sync(published.file_url))
        except Exception as exc:  # noqa: BLE001
            results.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [cache.path_for(published.file_url)] * 3


# --- ls_remote_head -------------------------------------------------------------------------


def test_ls_remote_head_changes_after_a_push(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    before = cache.ls_remote_head(published.file_url)
    assert before is not None and before.branch == "main"
    assert before.sha == git("rev-parse", "HEAD", cwd=published.work)

    published.commit(days_ago(1))
    published.push()
    after = cache.ls_remote_head(published.file_url)
    assert after is not None and after.branch == "main" and after.sha != before.sha


def test_ls_remote_head_of_an_empty_repository_is_none(origin: Origin, tmp_path: Path):
    assert GitCache(tmp_path / "cache", allow_file=True).ls_remote_head(origin.file_url) is None


def test_ls_remote_head_over_http(published: Origin, git_http_server, tmp_path: Path):
    head = GitCache(tmp_path / "cache").ls_remote_head(git_http_server.url("project.git"))
    assert head is not None and head.branch == "main"


# --- read_file ------------------------------------------------------------------------------


def test_read_file_fetches_only_the_blob_it_needs(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    missing_before = len(missing_blobs(repo))

    blob = cache.read_file(repo)
    assert blob is not None
    assert (blob.name, blob.data, blob.size, blob.too_large) == (
        "publiccode.yml", PUBLICCODE.encode(), len(PUBLICCODE), False)
    assert blob.blob_sha == git("rev-parse", "HEAD:publiccode.yml", cwd=published.work)
    assert len(missing_blobs(repo)) == missing_before - 1


def test_read_file_finds_the_yaml_spelling(origin: Origin, tmp_path: Path):
    origin.commit(days_ago(3), files={"publiccode.yaml": "name: Y\n"})
    origin.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    blob = cache.read_file(cache.sync(origin.file_url))
    assert blob is not None and blob.name == "publiccode.yaml" and blob.data == b"name: Y\n"


def test_read_file_prefers_the_first_name(origin: Origin, tmp_path: Path):
    origin.commit(days_ago(3), files={"publiccode.yaml": "b", "publiccode.yml": "a"})
    origin.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    assert cache.read_file(cache.sync(origin.file_url)).name == "publiccode.yml"


def test_read_file_missing_is_none(origin: Origin, tmp_path: Path):
    origin.commit(days_ago(3), files={"README.md": "no metadata"})
    origin.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    assert cache.read_file(cache.sync(origin.file_url)) is None


def test_read_file_of_an_empty_repository_is_none(origin: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    assert cache.read_file(cache.sync(origin.file_url)) is None


def test_too_large_blob_is_reported_not_read(origin: Origin, tmp_path: Path):
    origin.commit(days_ago(3), files={"publiccode.yml": b"x" * 2048})
    origin.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    blob = cache.read_file(cache.sync(origin.file_url), max_bytes=1024)
    assert blob is not None
    assert (blob.too_large, blob.data, blob.size) == (True, None, 2048)


def test_symlinked_publiccode_is_ignored(origin: Origin, tmp_path: Path):
    origin.commit(days_ago(3), files={"secret.txt": "do not read"})
    os.symlink("secret.txt", origin.work / "publiccode.yml")
    git("add", "publiccode.yml", cwd=origin.work)
    origin.commit(days_ago(2))
    origin.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    assert cache.read_file(cache.sync(origin.file_url)) is None


def test_read_file_at_another_revision(published: Origin, tmp_path: Path):
    first = git("rev-list", "--max-parents=0", "HEAD", cwd=published.work)
    published.commit(days_ago(1), files={"publiccode.yml": "name: Changed\n"})
    published.push()
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    assert cache.read_file(repo, rev=first).data == PUBLICCODE.encode()
    with pytest.raises(GitError, match="invalid revision"):
        cache.read_file(repo, rev="--output=/tmp/x")


# --- hostile repositories -------------------------------------------------------------------


def test_hooks_are_never_run(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(published.file_url)
    marker = tmp_path / "hook-ran"
    hooks = repo / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("reference-transaction", "post-checkout", "pre-auto-gc", "post-merge"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
        hook.chmod(0o755)
    git("config", "core.hooksPath", str(hooks), cwd=repo)  # as if the config were tampered with
    published.commit(days_ago(1))
    published.push()

    cache.sync(published.file_url)
    cache.read_file(repo)
    cache.activity(repo, days_ago(0))
    assert not marker.exists()


def test_submodules_are_not_fetched(origin: Origin, make_origin, tmp_path: Path):
    library = make_origin("library")
    library_head = library.commit(days_ago(10), files={"lib.txt": "library"})
    library.push()
    git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", library.file_url,
        "vendor/library", cwd=origin.work)
    origin.commit(days_ago(5), files={"publiccode.yml": PUBLICCODE})
    origin.push()

    cache = GitCache(tmp_path / "cache", allow_file=True)
    repo = cache.sync(origin.file_url)
    cache.read_file(repo)
    assert not (repo / "modules").exists()
    assert not objects_present(repo, library_head)
    assert not any(p.name.startswith("library") for p in (tmp_path / "cache").iterdir())


def test_file_urls_refused_unless_allowed(published: Origin, tmp_path: Path):
    cache = GitCache(tmp_path / "cache")
    for url in (published.file_url, str(published.bare)):
        with pytest.raises(GitError) as caught:
            cache.sync(url)
        assert caught.value.kind == "protocol"
        with pytest.raises(GitError):
            cache.ls_remote_head(url)
    assert not cache.path_for(published.file_url).exists()


def test_other_transports_refused(tmp_path: Path):
    cache = GitCache(tmp_path / "cache", allow_file=True)
    for url in ("ssh://git@example.org/x.git", "git@example.org:x.git", "ext::sh -c touch% /tmp/p",
                "git://127.0.0.1/x.git", "--upload-pack=touch /tmp/p"):
        with pytest.raises(GitError) as caught:
            cache.sync(url)
        assert caught.value.kind == "protocol", url
