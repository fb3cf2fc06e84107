"""Format checkers and key notation, value by value (cases after the reference's validators)."""

from __future__ import annotations

import pytest

from registry.publiccode import formats
from registry.publiccode.findings import join_key
from registry.publiccode.keys import dotted_key, key_at_line, position_of, validator_key
from registry.publiccode.loader import load


@pytest.mark.parametrize(("tag", "valid"), [
    ("en", True), ("en-GB", True), ("EN-gb", True), ("es-419", True), ("zh-Hant-TW", True),
    ("sl-IT-nedis", True), ("de-DE-1901", True), ("fil", True), ("i-klingon", True),
    ("x-private", True), ("en_GB", False), ("eng", False), ("ita", False), ("abcd", False),
    ("xx", False), ("", False), ("en-", False),
])
def test_bcp47_is_strict(tag, valid):
    assert formats.is_bcp47_tag(tag) is valid


@pytest.mark.parametrize(("url", "any_url", "http_url"), [
    ("https://github.com/italia/developers.italia.it.git", True, True),
    ("http://example.org", True, True),
    ("git://example.org/repo.git", True, False),
    ("mailto:someone@example.org", True, False),
    ("foobar", False, False), ("???", False, False), ("", False, False),
    ("git@github.com:italia/repo.git", False, False),
    ("https://exa mple.org", False, False), ("https://example.org/%zz", False, False),
])
def test_urls(url, any_url, http_url):
    assert (formats.is_url(url), formats.is_http_url(url)) == (any_url, http_url)


@pytest.mark.parametrize(("uri", "valid"), [
    ("urn:x-italian-pa:pcm", True), ("https://example.org/org", True),
    ("urn:iso:std:iso:27001", True), ("pcm", False), ("/relative", False), ("urn:x", False),
])
def test_organisation_uri(uri, valid):
    assert formats.is_organisation_uri(uri) is valid


@pytest.mark.parametrize(("value", "valid"), [
    ("2017-04-15", True), ("2020-02-29", True), ("2021-02-29", False), ("2017-4-15", False),
    ("2017-04-15T00:00:00Z", False), ("", False),
])
def test_dates(value, valid):
    assert formats.is_date(value) is valid


def test_country_codes_mime_and_email():
    assert formats.is_country_code("IT") and formats.is_country_code("it")
    assert not formats.is_country_code("It") and not formats.is_country_code("XX")
    assert formats.is_mime_type("text/plain") and formats.is_mime_type("application/vnd.a+json")
    assert not formats.is_mime_type("text") and not formats.is_mime_type("text/plain; q=1")
    assert formats.is_email("francesco.rossi@example.org") and not formats.is_email("foo")


def test_grapheme_count():
    assert formats.grapheme_count("abc") == 3
    assert formats.grapheme_count("e\u0301") == 1
    assert formats.grapheme_count("\U0001f44d\U0001f3fd") == 1
    assert formats.grapheme_count("a\r\nb") == 3


def test_oembed_video_urls():
    assert formats.is_oembed_video_url("https://www.youtube.com/watch?v=RaHmGbBOP84")
    assert formats.is_oembed_video_url("https://youtu.be/RaHmGbBOP84")
    assert formats.is_oembed_video_url("https://player.vimeo.com/video/1")
    assert not formats.is_oembed_video_url("https://google.com")
    assert not formats.is_oembed_video_url("ABC")


def test_key_notations():
    path = ("description", "en-US", "videos", 0)
    assert validator_key(path) == "description[en-US].videos[0]"
    assert dotted_key(path) == "description.en-US.videos[0]"
    assert validator_key(("description", "en", "features")) == "description.en.features"
    assert join_key("", "name") == "name"
    assert join_key("maintenance.contacts", 0) == "maintenance.contacts[0]"
    assert join_key("description", "es-419") == "description[es-419]"


def test_positions_and_key_at_line():
    root = load(b"a: 1\nb:\n  c:\n    - x: 1\n      y: 2\nd: {}\n").root
    assert root is not None
    assert position_of(root, ("b", "c", 0, "y")) == (5, 7)
    assert position_of(root, ("d", "missing")) == (6, 4)  # the parent's value
    assert position_of(root, ("missing",)) == (1, 1)  # the document
    assert position_of(root, ("e", "missing")) == (0, 0)
    assert key_at_line(root, 4) == ("b", "c", 0)  # a list item wins over its keys
    assert key_at_line(root, 5) == ("b", "c", 0, "y")
    assert key_at_line(root, 99) is None
