"""SafeFetcher against real servers on 127.0.0.1 — and never the internet.

Positive cases use ``allow_private=True`` (the servers are on loopback). Refusals use the default
policy; where a test needs a "public" first hop, a fake resolver maps a name to 127.0.0.1 and
``allowed_networks`` opens exactly that address, so every other address is judged by the real
rules. Unresolvable names never reach DNS: tests that could resolve use a fake resolver.
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from registry.fetch import (
    PUBLICCODE_MAX_BYTES,
    FetchError,
    FetchTimeout,
    RefusedURL,
    ResponseTooLarge,
    SafeFetcher,
    fetch_publiccode,
    raw_file_url,
    refusal_reason,
)
from registry.publiccode import loader
from tests.dns import fake_dns


def public_looking(**overrides) -> SafeFetcher:
    """The default policy, but 'forge.example' is 127.0.0.1 and that one address is allowed."""
    options = dict(resolver=fake_dns({"forge.example": "127.0.0.1", "metadata.example":
                                      "169.254.169.254", "intranet.example": "10.1.2.3"}),
                   allowed_networks=["127.0.0.1/32"])
    return SafeFetcher(**(options | overrides))


# --- successful fetches -------------------------------------------------------------------


def test_get_returns_status_headers_and_body(http_server):
    http_server.add("/hello", "hi there", headers={"Content-Type": "text/plain"})
    response = SafeFetcher(allow_private=True).get(http_server.url("/hello"))
    assert (response.status, response.content, response.ok) == (200, b"hi there", True)
    assert response.headers["content-type"] == "text/plain"


def test_error_statuses_are_answers_not_exceptions(http_server):
    response = SafeFetcher(allow_private=True).get(http_server.url("/missing"))
    assert response.status == 404 and not response.ok


def test_redirects_are_followed_and_the_final_url_reported(http_server):
    http_server.redirect("/old", "/middle", status=301)
    http_server.redirect("/middle", http_server.url("/new"), status=307)
    http_server.add("/new", "moved")
    response = SafeFetcher(allow_private=True).get(http_server.url("/old"))
    assert response.content == b"moved"
    assert response.url == http_server.url("/new")


def test_redirect_loops_stop(http_server):
    http_server.redirect("/loop", "/loop")
    with pytest.raises(FetchError, match="redirects more than 5 times"):
        SafeFetcher(allow_private=True).get(http_server.url("/loop"))


def test_connects_to_the_checked_address_but_sends_the_host_name(http_server):
    http_server.add("/", "ok")
    response = public_looking().get(f"http://forge.example:{http_server.port}/")
    assert response.content == b"ok"
    assert http_server.requests[-1].headers["Host"] == f"forge.example:{http_server.port}"


def test_probe_reads_only_the_beginning(http_server):
    http_server.add("/big", b"\x89PNG" + b"x" * 100_000)
    response = SafeFetcher(allow_private=True, max_bytes=10).probe(http_server.url("/big"),
                                                                     read_bytes=4)
    assert (response.content, response.truncated) == (b"\x89PNG", True)


def test_probe_does_not_wait_for_a_body_it_does_not_need(http_server):
    def headers_then_silence(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        http_server.release.wait()

    http_server.handle("/silent", headers_then_silence)
    response = SafeFetcher(allow_private=True, timeout=30).probe(http_server.url("/silent"))
    assert (response.status, response.content, response.truncated) == (200, b"", True)


def test_international_host_names_are_sent_as_checked(http_server):
    http_server.add("/", "ok")
    fetcher = SafeFetcher(resolver=fake_dns({"xn--bcher-kva.example": "127.0.0.1"}),
                          allowed_networks=["127.0.0.1/32"])
    assert fetcher.get(f"http://bücher.example:{http_server.port}/").content == b"ok"
    assert http_server.requests[-1].headers["Host"] == f"xn--bcher-kva.example:{http_server.port}"


def test_gzip_bodies_are_decoded(http_server):
    http_server.add("/z", gzip.compress(b"hello " * 100), headers={"Content-Encoding": "gzip"})
    assert SafeFetcher(allow_private=True).get(http_server.url("/z")).content == b"hello " * 100


# --- address policy -----------------------------------------------------------------------


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://10.0.0.8/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://[fd00::1]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://[::ffff:127.0.0.1]/", "IPv4-mapped form of 127.0.0.1, a loopback"),
    ("http://[::ffff:a9fe:a9fe]/", "IPv4-mapped form of 169.254.169.254, a link-local"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 form of 127.0.0.1"),
    ("http://[2002:a00:1::]/", "6to4 form of 10.0.0.1, a private"),
])
def test_non_public_addresses_are_refused(url, reason):
    with pytest.raises(RefusedURL, match=reason) as refused:
        SafeFetcher().get(url)
    assert "only public internet addresses" in str(refused.value)


@pytest.mark.parametrize("host", [
    "2130706433",  # decimal
    "0177.0.0.1",  # octal
    "0x7f000001",  # hex
    "0x7f.0.0.1",
    "127.1",  # short form
    "017700000001",
    "134744072",  # 8.8.8.8 in decimal: refused too, the notation itself is the problem
])
def test_nonstandard_ipv4_notations_are_refused(host):
    with pytest.raises(RefusedURL, match="non-standard notation"):
        SafeFetcher().get(f"http://{host}/")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/x", "gopher://example.org:70/", "dict://x:11211/",
    "javascript:alert(1)", "//example.org/no-scheme",
])
def test_only_http_and_https(url):
    with pytest.raises(RefusedURL, match="only http:// and https://"):
        SafeFetcher(allow_private=True).get(url)


def test_public_addresses_pass_the_policy():
    for text in ("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808"):
        assert refusal_reason(ipaddress.ip_address(text)) is None


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting():
    fetcher = public_looking()
    with pytest.raises(RefusedURL, match="intranet.example resolves to 10.1.2.3, a private"):
        fetcher.get("http://intranet.example/")


def test_one_bad_address_among_several_refuses_the_name():
    fetcher = SafeFetcher(resolver=lambda host, port: ["8.8.8.8", "127.0.0.1"])
    with pytest.raises(RefusedURL, match="resolves to 127.0.0.1"):
        fetcher.check_url("http://rebinding.example/")


def test_redirect_to_a_private_address_is_refused(http_server):
    http_server.redirect("/go", "http://metadata.example/latest/meta-data/")
    with pytest.raises(RefusedURL, match=r"redirected from http://forge\.example.*"
                                         r"metadata\.example resolves to 169\.254\.169\.254"):
        public_looking().get(f"http://forge.example:{http_server.port}/go")


def test_redirect_to_a_loopback_literal_is_refused(http_server):
    http_server.redirect("/go", f"http://127.0.0.2:{http_server.port}/")
    with pytest.raises(RefusedURL, match="loopback"):
        public_looking().get(f"http://forge.example:{http_server.port}/go")
    assert [r.path for r in http_server.requests] == ["/go"]


def test_redirect_to_a_non_http_scheme_is_refused(http_server):
    http_server.redirect("/go", "file:///etc/passwd")
    with pytest.raises(RefusedURL, match="only http:// and https://"):
        SafeFetcher(allow_private=True).get(http_server.url("/go"))


def test_allow_private_opens_loopback(http_server):
    http_server.add("/", "inside")
    with pytest.raises(RefusedURL):
        SafeFetcher().get(http_server.url())
    assert http_server.requests == []  # refused before connecting
    assert SafeFetcher(allow_private=True).get(http_server.url()).content == b"inside"


# --- limits -------------------------------------------------------------------------------


def test_declared_oversize_is_refused_before_reading(http_server):
    http_server.add("/big", b"x" * 2_000_000)
    with pytest.raises(ResponseTooLarge, match="2,000,000 bytes, larger than the 1,048,576"):
        SafeFetcher(allow_private=True).get(http_server.url("/big"))


def test_undeclared_oversize_is_cut_off_while_streaming(http_server):
    def no_length(h):
        h.send_response(200)
        h.end_headers()  # HTTP/1.0, no Content-Length: the body ends when the server closes
        h.wfile.write(b"y" * 300_000)

    http_server.handle("/stream", no_length)
    with pytest.raises(ResponseTooLarge, match="larger than the 100,000 byte limit"):
        SafeFetcher(allow_private=True, max_bytes=100_000).get(http_server.url("/stream"))


def test_gzip_bomb_is_cut_off(http_server):
    bomb = gzip.compress(b"\0" * 50_000_000)
    http_server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 100_000
    with pytest.raises(ResponseTooLarge):
        SafeFetcher(allow_private=True).get(http_server.url("/bomb"))


def test_a_server_that_never_answers_times_out(http_server):
    http_server.stall("/slow")
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="did not answer within 0.5 s"):
        SafeFetcher(allow_private=True, timeout=0.5).get(http_server.url("/slow"))
    assert time.monotonic() - started < 5


def test_drip_feeding_hits_the_overall_deadline(http_server):
    http_server.drip("/drip")
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="longer than the 1 s limit"):
        SafeFetcher(allow_private=True, timeout=5, deadline=1).get(http_server.url("/drip"))
    assert time.monotonic() - started < 5


def test_connection_refused_is_a_clear_error(http_server):
    port = http_server.port
    http_server.close()
    with pytest.raises(FetchError, match=f"could not connect to 127.0.0.1 port {port}"):
        SafeFetcher(allow_private=True).get(f"http://127.0.0.1:{port}/")


def test_unknown_host_is_a_clear_error():
    fetcher = SafeFetcher(allow_private=True, resolver=fake_dns({}))
    with pytest.raises(FetchError, match="could not resolve the host name nowhere.example"):
        fetcher.get("http://nowhere.example/")


# --- TLS: certificate and SNI are checked against the name, not the pinned address --------


@pytest.fixture
def tls_server(make_http_server, tmp_path: Path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=forge.example", "-addext", "subjectAltName=DNS:forge.example",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sni: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: sni.append(name)
    server = make_http_server(ssl_context=context)
    server.add("/", "secure")
    return server, str(cert), sni


def test_https_verifies_the_certificate_for_the_host_name(tls_server):
    server, ca_bundle, sni = tls_server
    fetcher = public_looking(ca_bundle=ca_bundle)
    response = fetcher.get(f"https://forge.example:{server.port}/")
    assert response.content == b"secure"
    assert sni == ["forge.example"]


def test_https_refuses_a_certificate_for_another_name(tls_server):
    server, ca_bundle, _ = tls_server
    fetcher = SafeFetcher(resolver=fake_dns({"other.example": "127.0.0.1"}),
                          allowed_networks=["127.0.0.1/32"], ca_bundle=ca_bundle)
    with pytest.raises(FetchError, match="TLS connection to other.example failed"):
        fetcher.get(f"https://other.example:{server.port}/")


# --- publiccode.yml from the web ----------------------------------------------------------


def test_fetch_publiccode_returns_the_bytes(http_server):
    http_server.add("/publiccode.yml", "name: x\n")
    fetcher = SafeFetcher(allow_private=True)
    assert fetch_publiccode(http_server.url("/publiccode.yml"), fetcher) == b"name: x\n"


def test_fetch_publiccode_wants_200(http_server):
    with pytest.raises(FetchError, match="the server answered HTTP 404, 200 was expected"):
        fetch_publiccode(http_server.url("/publiccode.yml"), SafeFetcher(allow_private=True))


def test_fetch_publiccode_caps_the_size_at_one_mebibyte(http_server):
    http_server.add("/exact.yml", b"#" * PUBLICCODE_MAX_BYTES)
    http_server.add("/big.yml", b"#" * (PUBLICCODE_MAX_BYTES + 1))
    fetcher = SafeFetcher(allow_private=True, max_bytes=10)  # the file's own cap applies
    assert len(fetch_publiccode(http_server.url("/exact.yml"), fetcher)) == PUBLICCODE_MAX_BYTES
    with pytest.raises(ResponseTooLarge, match="larger than the 1,048,576 byte limit for "
                                               "publiccode.yml files"):
        fetch_publiccode(http_server.url("/big.yml"), fetcher)


def test_the_download_cap_is_the_parsers_cap():
    assert PUBLICCODE_MAX_BYTES == loader.MAX_BYTES


def test_fetch_publiccode_refuses_private_addresses():
    with pytest.raises(RefusedURL):
        fetch_publiccode("http://192.168.0.1/publiccode.yml", SafeFetcher())


@pytest.mark.parametrize("page, raw", [
    ("https://github.com/italia/app/blob/main/publiccode.yml",
     "https://raw.githubusercontent.com/italia/app/main/publiccode.yml"),
    ("https://gitlab.com/group/sub/app/-/blob/main/img/logo.png",
     "https://gitlab.com/group/sub/app/-/raw/main/img/logo.png"),
    ("https://gitlab.opencode.de/town/app/-/blob/v1.0/publiccode.yml",
     "https://gitlab.opencode.de/town/app/-/raw/v1.0/publiccode.yml"),
    ("https://bitbucket.org/team/app/src/main/publiccode.yml",
     "https://bitbucket.org/team/app/raw/main/publiccode.yml"),
    ("https://codeberg.org/town/app/src/branch/main/publiccode.yml",
     "https://codeberg.org/town/app/raw/branch/main/publiccode.yml"),
    ("https://raw.githubusercontent.com/italia/app/main/publiccode.yml",
     "https://raw.githubusercontent.com/italia/app/main/publiccode.yml"),
    ("https://example.org/publiccode.yml", "https://example.org/publiccode.yml"),
])
def test_raw_file_url(page, raw):
    assert raw_file_url(page) == raw
