"""Repository URLs from users: what is refused, how the forge is recognised, the key stored."""

from __future__ import annotations

import pytest

from registry.registrations import RegistrationError, detect_forge, parse_repository_url


@pytest.mark.parametrize("url, forge, normalised", [
    ("https://github.com/city/app", "github", "https://github.com/city/app"),
    ("https://GitHub.com/City/App.git/", "github", "https://github.com/City/App"),
    ("https://gitlab.opencode.de/stadt/sub/app", "gitlab", "https://gitlab.opencode.de/stadt/sub/app"),
    ("https://gitlab.example.org/a/b", "gitlab", "https://gitlab.example.org/a/b"),
    ("https://codeberg.org/town/app", "gitea", "https://codeberg.org/town/app"),
    ("https://git.example.org/app.git", "git", "https://git.example.org/app"),
    ("  https://git.example.org:8443/a/b  ", "git", "https://git.example.org:8443/a/b"),
    ("gitlab.opencode.de/stadt/app", "gitlab", "https://gitlab.opencode.de/stadt/app"),
    ("github.com/a/b", "github", "https://github.com/a/b"),
])
def test_forge_is_detected_and_url_normalised(url, forge, normalised):
    parsed = parse_repository_url(url)
    assert (parsed.forge_type, parsed.url) == (forge, normalised)


def test_an_explicit_choice_wins():
    assert parse_repository_url("https://forge.example.org/a/b", "gitea").forge_type == "gitea"
    assert parse_repository_url("https://github.com/a/b", "git").forge_type == "git"
    assert detect_forge("forge.example.org") is None


@pytest.mark.parametrize("url, message", [
    ("", "Please enter the address"),
    ("github", "Please enter the address"),
    ("localhost/a/b", "Please enter the address"),  # no dotted host: not taken for one
    ("http://github.com/a/b", "must start with https://"),
    ("ftp://example.org/a/b", "must start with https://"),
    ("https://user:pw@github.com/a/b", "must not contain a user name or password"),
    ("https://token@gitlab.com/a/b", "must not contain a user name or password"),
    ("https://github.com/a/b?tab=readme", "must not contain '?' or '#'"),
    ("https://github.com/a/b#readme", "must not contain '?' or '#'"),
    ("https://github.com/", "names no repository"),
    ("https://github.com/onlyowner", "names no repository"),
    ("https://github.com/a/b/tree/main", "page inside the repository"),
    ("https://gitlab.com/g/p/-/tree/main", "page inside the repository"),
    ("https://codeberg.org/a/b/c", "exactly two parts"),
    ("https://github.com/a/../b", "not allowed"),
    ("https://github.com/a/b%2Fc", "not allowed"),
    ("https://127.0.0.1/a/b", "a loopback address"),
    ("https://10.1.2.3/a/b", "a private address"),
    ("https://169.254.169.254/a/b", "a link-local address"),
    ("https://[::ffff:127.0.0.1]/a/b", "IPv4-mapped"),
    ("https://2130706433/a/b", "unusual notation"),
    ("https://0177.0.0.1/a/b", "unusual notation"),
    ("https://localhost/a/b", "a local host name"),
    ("https://exa_mple.org/a/b", "not valid"),
    ("https://github.com/" + "a" * 600, "longer than"),
])
def test_refusals_say_what_to_change(url, message):
    with pytest.raises(RegistrationError, match=message.replace("?", r"\?")):
        parse_repository_url(url)


def test_unknown_type_is_refused():
    with pytest.raises(RegistrationError, match="Unknown repository type 'svn'"):
        parse_repository_url("https://github.com/a/b", "svn")


def test_allow_private_admits_http_and_loopback_for_tests():
    parsed = parse_repository_url("http://127.0.0.1:8080/city/app", "gitlab", allow_private=True)
    assert parsed.url == "http://127.0.0.1:8080/city/app"
    assert parsed.path == ("city", "app")
    assert parsed.host == "127.0.0.1:8080"
