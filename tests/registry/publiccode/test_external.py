"""External checks: real files in temporary repositories, real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from registry.fetch import FetchResponse, SafeFetcher
from registry.publiccode import validate_bytes
from registry.publiccode.external import MAX_URLS, check_external, png_problem
from registry.publiccode.findings import Finding, Severity
from registry.publiccode.loader import load


def make_png(width: int = 200, height: int = 100) -> bytes:
    """A complete, decodable RGB PNG, built by hand so the tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    rows = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def run(yaml: str, *, base_dir: Path | None = None, base_url: str | None = None,
        network: bool = False, fetcher=None) -> list[Finding]:
    loaded = load(yaml.encode())
    assert loaded.root is not None, loaded.findings
    return check_external(loaded.root, base_dir=base_dir, base_url=base_url, network=network,
                          fetcher=fetcher)


def messages(findings: list[Finding]) -> dict[str, str]:
    return {f.key: f.message for f in findings}


class NoNetwork:
    """A fetcher that fails the test if anything tries to use it."""

    def probe(self, url: str, *, read_bytes: int = 0):
        raise AssertionError(f"network used for {url}")

    get = probe


class AlwaysOK:
    """Answers 200 to everything without a network: for rules that need no real server."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def probe(self, url: str, *, read_bytes: int = 0) -> FetchResponse:
        self.urls.append(url)
        return FetchResponse(200, url, {}, b"")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout with a good logo, screenshots and an AUTHORS file."""
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "logo.png").write_bytes(make_png())
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "one.png").write_bytes(make_png(10, 10))
    (tmp_path / "img" / "two.jpg").write_bytes(b"\xff\xd8\xff\xe0 not checked further")
    (tmp_path / "img" / "three.jpeg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "AUTHORS").write_text("Jane Doe\n")
    return tmp_path


GOOD = """\
publiccodeYmlVersion: "0"
name: Demo
url: https://example.org/demo.git
logo: logo.png
monochromeLogo: logo.svg
legal:
  license: EUPL-1.2
  authorsFile: AUTHORS
description:
  en:
    shortDescription: A demo
    screenshots:
      - img/one.png
      - ./img/two.jpg
      - img/three.jpeg
"""


# --- local files --------------------------------------------------------------------------


def test_a_good_checkout_has_no_findings(repo):
    assert run(GOOD, base_dir=repo, network=False, fetcher=NoNetwork()) == []


def test_png_files_written_by_the_test_helper_are_valid():
    assert png_problem(make_png(), "x.png") is None


@pytest.mark.parametrize("logo, message", [
    ("logo.gif", "invalid file extension for: logo.gif"),
    ("missing.png", "no such file: missing.png"),
    ("img", "invalid file extension for: img"),
    ("broken.png", "image: unknown format"),
    ("badcrc.png", "png: invalid format: IHDR checksum mismatch"),
    ("short.png", "png: invalid format: file ends inside the IHDR header"),
    ("narrow.png", "invalid image size of 50 (min 120px of width): narrow.png"),
    ("dir.png", "no such file: dir.png"),
])
def test_logo_problems(repo, logo, message):
    (repo / "broken.png").write_bytes(b"GIF89a this is not a PNG")
    corrupt = bytearray(make_png())
    corrupt[20] ^= 0xFF  # a byte of the width: the IHDR checksum no longer matches
    (repo / "badcrc.png").write_bytes(bytes(corrupt))
    (repo / "short.png").write_bytes(make_png()[:20])
    (repo / "narrow.png").write_bytes(make_png(50, 50))
    (repo / "dir.png").mkdir()
    findings = run(f"logo: {logo}\n", base_dir=repo)
    assert [(f.key, f.message, f.line, f.column, f.severity) for f in findings] == [
        ("logo", message, 1, 1, Severity.ERROR)]


def test_monochrome_logo_follows_the_logo_rules(repo):
    findings = run("name: x\nmonochromeLogo: mono.png\n", base_dir=repo)
    assert [(f.key, f.message, f.line) for f in findings] == [
        ("monochromeLogo", "no such file: mono.png", 2)]


def test_svgz_logo_is_accepted(repo):
    (repo / "logo.svgz").write_bytes(zlib.compress(b"<svg/>"))
    assert run("logo: logo.svgz\n", base_dir=repo) == []


def test_screenshot_problems_name_the_item(repo):
    yaml = ("description:\n  en:\n    screenshots:\n      - img/one.png\n      - shot.gif\n"
            "      - nowhere.jpg\n  en-US:\n    screenshots: [missing.png]\n")
    findings = run(yaml, base_dir=repo)
    assert [(f.key, f.message, f.line, f.column) for f in findings] == [
        ("description.en.screenshots[1]",
         "'shot.gif' is not an image: invalid file extension for: shot.gif", 5, 9),
        ("description.en.screenshots[2]",
         "'nowhere.jpg' is not an image: no such file: nowhere.jpg", 6, 9),
        ("description.en-US.screenshots[0]",
         "'missing.png' is not an image: no such file: missing.png", 8, 19),
    ]


def test_missing_authors_file(repo):
    findings = run("legal:\n  authorsFile: CONTRIBUTORS.md\n", base_dir=repo)
    assert messages(findings) == {
        "legal.authorsFile": "'CONTRIBUTORS.md' does not exist: no such file: CONTRIBUTORS.md"}


@pytest.mark.parametrize("path, message", [
    ("../../etc/passwd", "'../../etc/passwd' points outside the repository"),
    ("img/../../secret", "'img/../../secret' points outside the repository"),
    ("..", "'..' points outside the repository"),
    ("/etc/passwd", "is an absolute path. Only relative paths or HTTP(s) URLs allowed"),
    ("C:\\\\Windows\\\\win.ini", "is an absolute path"),
    ("file:///etc/passwd", "is a file:// URL. Only relative paths or HTTP(s) URLs allowed"),
])
def test_paths_out_of_the_repository_are_refused(repo, path, message):
    findings = run(f'legal:\n  authorsFile: "{path}"\n', base_dir=repo)
    assert len(findings) == 1 and findings[0].message.startswith(message)


def test_symlinks_may_not_leave_the_repository(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    outside.write_bytes(make_png())
    os.symlink(outside, repo / "leak.png")
    os.symlink(repo / "logo.png", repo / "alias.png")
    assert messages(run("logo: leak.png\n", base_dir=repo)) == {
        "logo": "'leak.png' is a link to a file outside the repository"}
    assert run("logo: alias.png\n", base_dir=repo) == []


def test_paths_that_cannot_name_a_file_are_just_missing(repo):
    findings = run('legal:\n  authorsFile: "AUTH\\0ORS"\n', base_dir=repo)
    assert [f.key for f in findings] == ["legal.authorsFile"]
    assert "no such file" in findings[0].message


def test_without_a_base_dir_only_the_path_form_is_checked():
    findings = run("logo: missing.png\nmonochromeLogo: /abs.png\n")
    assert messages(findings) == {
        "monochromeLogo": "is an absolute path. Only relative paths or HTTP(s) URLs allowed"}


@pytest.mark.parametrize("yaml", [
    "logo: 42\n", "logo: [a.png]\n", "logo: {x: 1}\n", "logo:\n", 'logo: ""\n',
    "legal: 3\n", "legal: [authorsFile]\n", "legal:\n  authorsFile: true\n",
    "description: text\n", "description: [en]\n", "description:\n  en: 5\n",
    "description:\n  en:\n    screenshots: one.png\n",
    "description:\n  en:\n    screenshots: [1, null, {a: b}, [x]]\n",
    "url: [https://example.org]\nlandingURL: 3\nroadmap: null\n",
    "description:\n  en:\n    documentation: [x]\n    apiDocumentation: {}\n",
])
def test_a_structurally_wrong_tree_is_skipped_not_raised(repo, yaml):
    assert run(yaml, base_dir=repo, network=True, fetcher=NoNetwork()) == []


def test_without_network_no_url_is_fetched(repo):
    yaml = """\
url: https://example.org/app.git
landingURL: https://example.org
roadmap: https://example.org/roadmap
logo: https://example.org/logo.png
description:
  en:
    documentation: https://example.org/docs
    screenshots: [https://example.org/shot.png]
"""
    assert run(yaml, base_dir=repo, network=False, fetcher=NoNetwork()) == []


# --- network ------------------------------------------------------------------------------


@pytest.fixture
def loopback() -> SafeFetcher:
    return SafeFetcher(allow_private=True, timeout=5)


def test_reachable_and_unreachable_urls(http_server, loopback):
    http_server.add("/", "home")
    http_server.add("/docs", "docs")
    http_server.redirect("/moved", "/docs")
    yaml = f"""\
landingURL: {http_server.url("/")}
roadmap: {http_server.url("/roadmap")}
description:
  en:
    documentation: {http_server.url("/moved")}
  de-CH:
    apiDocumentation: {http_server.url("/api")}
"""
    findings = run(yaml, network=True, fetcher=loopback)
    assert [(f.key, f.message, f.line, f.column) for f in findings] == [
        ("roadmap", f"'{http_server.url('/roadmap')}' not reachable: HTTP GET returned 404 for "
                    f"{http_server.url('/roadmap')}; 200 was expected", 2, 1),
        ("description.de-CH.apiDocumentation",
         f"'{http_server.url('/api')}' not reachable: HTTP GET returned 404 for "
         f"{http_server.url('/api')}; 200 was expected", 7, 5),
    ]


def test_the_same_url_is_fetched_once(http_server, loopback):
    http_server.add("/docs", "docs")
    docs = http_server.url("/docs")
    yaml = f"description:\n  en:\n    documentation: {docs}\n  it:\n    documentation: {docs}\n"
    assert run(yaml, network=True, fetcher=loopback) == []
    assert len(http_server.requests) == 1


def test_url_must_be_a_git_repository(http_server, loopback):
    def git_advertisement(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/x-git-upload-pack-advertisement")
        body = b"001e# service=git-upload-pack\n0000"
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    http_server.add("/town/app", "a forge page")
    http_server.handle("/town/app/info/refs", git_advertisement)
    http_server.add("/blog", "just a web page")
    assert run(f"url: {http_server.url('/town/app')}\n", network=True, fetcher=loopback) == []
    assert ("GET", "/town/app/info/refs?service=git-upload-pack") in [
        (r.method, r.path) for r in http_server.requests]
    findings = run(f"url: {http_server.url('/blog')}\n", network=True, fetcher=loopback)
    assert messages(findings) == {"url": "is not a valid code repository"}


def test_url_without_a_scheme(loopback):
    findings = run("url: foobar\n", network=True, fetcher=loopback)
    assert [f.message for f in findings] == [
        "'foobar' not reachable: missing URL scheme", "is not a valid code repository"]


@pytest.mark.parametrize("url, is_repository", [
    ("https://github.com/italia/publiccode-parser-go", True),
    ("https://github.com/italia/publiccode-parser-go.git", True),
    ("https://github.com/italia", False),
    ("https://github.com/italia/x/blob/main/README.md", False),
    ("https://gitlab.com/group/subgroup/project", True),
    ("https://gitlab.com/group/project/-/tree/main", False),
    ("https://bitbucket.org/team/repo", True),
    ("https://codeberg.org/town/app", True),
    ("https://git.sr.ht/~user/repo", True),
])
def test_known_forges_are_recognised_without_probing(url, is_repository):
    fetcher = AlwaysOK()
    findings = run(f"url: {url}\n", network=True, fetcher=fetcher)
    assert (findings == []) is is_repository
    assert fetcher.urls == [url]  # the reachability check only: no smart-HTTP probe


def test_network_checks_obey_the_ssrf_policy(http_server):
    """The default fetcher refuses loopback: a publiccode.yml cannot make us call inside."""
    http_server.add("/", "internal admin page")
    findings = run(f"landingURL: {http_server.url('/')}\n", network=True)
    assert len(findings) == 1
    assert "refused to fetch" in findings[0].message
    assert "only public internet addresses" in findings[0].message
    assert http_server.requests == []


def test_remote_logo_and_screenshots(http_server, loopback):
    http_server.add("/logo.png", make_png())
    http_server.add("/fake.png", b"<html>not a png</html>")
    http_server.add("/tiny.png", make_png(16, 16))
    http_server.add("/shot.jpg", b"\xff\xd8\xff")
    yaml = f"""\
logo: {http_server.url("/logo.png")}
monochromeLogo: {http_server.url("/fake.png")}
description:
  en:
    screenshots:
      - {http_server.url("/shot.jpg")}
      - {http_server.url("/gone.png")}
      - {http_server.url("/page.html")}
"""
    findings = run(yaml, network=True, fetcher=loopback)
    gone = http_server.url("/gone.png")
    assert messages(findings) == {
        "monochromeLogo": "image: unknown format",
        "description.en.screenshots[1]": f"'{gone}' is not an image: HTTP GET returned 404 for "
                                         f"{gone}; 200 was expected",
        "description.en.screenshots[2]": f"'{http_server.url('/page.html')}' is not an image: "
                                         f"invalid file extension for: "
                                         f"{http_server.url('/page.html')}",
    }
    narrow = run(f"logo: {http_server.url('/tiny.png')}\n", network=True, fetcher=loopback)
    assert [f.message for f in narrow] == [
        f"invalid image size of 16 (min 120px of width): {http_server.url('/tiny.png')}"]


def test_relative_paths_resolve_against_base_url(http_server, loopback):
    http_server.add("/town/app/raw/main/logo.png", make_png())
    http_server.add("/town/app/raw/main/AUTHORS", "Jane")
    base = http_server.url("/town/app/raw/main/publiccode.yml")
    yaml = "logo: logo.png\nlegal:\n  authorsFile: AUTHORS\ndescription:\n  en:\n" \
           "    screenshots: [docs/shot.png]\n"
    findings = run(yaml, base_url=base, network=True, fetcher=loopback)
    shot = http_server.url("/town/app/raw/main/docs/shot.png")
    assert messages(findings) == {
        "description.en.screenshots[0]": f"'docs/shot.png' is not an image: HTTP GET returned "
                                         f"404 for {shot}; 200 was expected"}
    assert run(yaml, base_url=base, network=False, fetcher=NoNetwork()) == []


def test_base_url_traversal_is_refused_without_fetching(http_server, loopback):
    base = http_server.url("/town/app/raw/main/publiccode.yml")
    findings = run("logo: ../../other/logo.png\n", base_url=base, network=True, fetcher=loopback)
    assert messages(findings) == {"logo": "'../../other/logo.png' points outside the repository. "
                                          "Only relative paths inside the repository or "
                                          "HTTP(s) URLs allowed"}
    assert http_server.requests == []


def test_local_files_win_over_base_url(repo, http_server, loopback):
    base = http_server.url("/raw/publiccode.yml")
    assert run("logo: logo.png\n", base_dir=repo, base_url=base, network=True,
               fetcher=loopback) == []
    assert http_server.requests == []


def test_the_number_of_fetched_urls_is_capped(http_server, loopback):
    shots = "".join(f"      - {http_server.url(f'/s{i}.png')}\n" for i in range(MAX_URLS + 5))
    findings = run(f"description:\n  en:\n    screenshots:\n{shots}", network=True,
                   fetcher=loopback)
    assert len(http_server.requests) == MAX_URLS
    capped = [f for f in findings if f.severity is Severity.WARNING]
    assert [f.message for f in capped] == [f"more than {MAX_URLS} URLs to check; the rest "
                                           "were not fetched"]


def test_an_empty_remote_png_is_not_an_image(http_server, loopback):
    http_server.add("/empty.png", b"")
    findings = run(f"logo: {http_server.url('/empty.png')}\n", network=True, fetcher=loopback)
    assert messages(findings) == {"logo": "image: unknown format"}


def test_validate_bytes_runs_the_external_checks(repo):
    result = validate_bytes(b"logo: missing.png\n", base_dir=repo)
    assert ("logo", "no such file: missing.png") in [(f.key, f.message) for f in result.errors]
