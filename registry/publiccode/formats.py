"""Format checkers for single values: URLs, dates, e-mails, SPDX, BCP 47, ISO 3166, MIME, URIs.

Each is a pure ``str -> bool`` function, cheap to call: every heavy object (the SPDX licensing
table, compiled regexes) is built once at import. Where the reference validator
(go-playground/validator, go-spdx, golang.org/x/text) has a precise behaviour we follow it and say
so; the libraries named in pyproject.toml do the real work.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import langcodes
import pycountry
import re2
import regex
from license_expression import get_spdx_licensing

from .vocabularies import OEMBED_VIDEO_URL

_GRAPHEME = regex.compile(r"\X")
_SPDX = get_spdx_licensing()
_LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$")
_SPDX_DEPRECATED_IDS = (
    "AGPL-1.0", "AGPL-3.0", "BSD-2-Clause-FreeBSD", "BSD-2-Clause-NetBSD", "bzip2-1.0.5",
    "eCos-2.0", "GFDL-1.1", "GFDL-1.2", "GFDL-1.3", "GPL-1.0", "GPL-2.0", "GPL-3.0",
    "GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception",
    "GPL-2.0-with-classpath-exception", "GPL-2.0-with-font-exception",
    "GPL-2.0-with-GCC-exception", "GPL-3.0-with-autoconf-exception",
    "GPL-3.0-with-GCC-exception", "LGPL-2.0", "LGPL-2.1", "LGPL-3.0", "Net-SNMP",
    "Nokia-Qt-exception-1.1", "Nunit", "StandardML-NJ", "wxWindows",
)
_SPDX_IDS = frozenset(
    [key.lower() for key in _SPDX.known_symbols] + [i.lower() for i in _SPDX_DEPRECATED_IDS]
)
"""SPDX license and exception ids, deprecated ones included (go-spdx accepts them); not the
informal aliases license-expression also knows ("GPL", "BSD-2"), which go-spdx refuses."""
_SPDX_OPERATORS = frozenset(("and", "or", "with"))
_SPDX_TOKEN_SEPARATORS = re.compile(r"[\s()]+")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST_CHARS = re.compile(r"^[A-Za-z0-9.\-_~!$&'()*+,;=:%\[\]@\u0080-\U0010ffff]*$")
"""Characters Go's url.Parse lets through in a host (internationalised names included)."""
# RFC 6838 type/subtype, as the reference's is_mime_type (after jshttp/media-typer)
_MIME = re.compile(
    r"^ *[A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126} *$"
)
# RFC 2141: "urn:" NID ":" NSS
_URN = re.compile(
    r"^urn:[A-Za-z0-9][A-Za-z0-9\-]{0,31}:(?:[A-Za-z0-9()+,\-.:=@;$_!*'/?#]|%[0-9A-Fa-f]{2})+$",
    re.IGNORECASE,
)
# go-playground/validator's emailRegexString, verbatim (quirks included: a quoted local part
# only matches one character per quote) but for its \x{00A0}-... ranges, written <U> here.
# Go runs it on RE2, in linear time; Python's backtracking engine needs seconds for a crafted
# 76-character address (its nested quantifiers backtrack exponentially), and the same check
# serves sign-up and password reset. So it runs on RE2 here too (google-re2): the reference's
# exact language, in time linear in the input.
_EMAIL = re2.compile((
    r"""^(?:(?:(?:(?:[a-zA-Z]|\d|[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[<U>])+(?:\.([a-zA-Z]|\d|"""
    r"""[!#\$%&'\*\+\-\/=\?\^_`{\|}~]|[<U>])+)*)|(?:(?:\x22)(?:(?:(?:(?:\x20|\x09)*(?:\x0d\x0a))?"""
    r"""(?:\x20|\x09)+)?(?:(?:[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[<U>])|"""
    r"""(?:\(?:[\x01-\x09\x0b\x0c\x0d-\x7f]|[<U>]))))*(?:(?:(?:\x20|\x09)*(?:\x0d\x0a))?"""
    r"""(\x20|\x09)+)?(?:\x22)))@(?:(?:(?:[a-zA-Z]|\d|[<U>])|(?:(?:[a-zA-Z]|\d|[<U>])"""
    r"""(?:[a-zA-Z]|\d|-|\.|_|~|[<U>])*(?:[a-zA-Z]|\d|[<U>])))\.)+(?:(?:[a-zA-Z]|[<U>])|"""
    r"""(?:(?:[a-zA-Z]|[<U>])(?:[a-zA-Z]|\d|-|\.|_|~|[<U>])*(?:[a-zA-Z]|[<U>])))\.?\z"""
).replace("<U>", "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"))
_IPA_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$")
# RFC 5646 language tag (well-formedness only); subtags are checked against the registry below
_LANGTAG = re.compile(
    r"^(?:(?P<privateuse>x(?:-[a-z0-9]{1,8})+)"
    r"|(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?P<variant>(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*))?"
    r"(?:-(?P<extension>[a-wyz0-9](?:-[a-z0-9]{2,8})+(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*))?"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?)$"
)
_GRANDFATHERED = frozenset((
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl",
    "sgn-ch-de", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
    "zh-min", "zh-min-nan", "zh-xiang",
))
"""RFC 5646 grandfathered tags, accepted as a whole (the reference's irregular/regular list)."""


def grapheme_count(text: str, *, up_to: int | None = None) -> int:
    """Length as a reader sees it (Unicode extended grapheme clusters), like rivo/uniseg.

    ``up_to`` stops counting there (the result is then at most ``up_to``): a length rule only
    needs to know whether its limit is passed, and counting clusters costs ~0.2 µs a
    character — 7 ms for a pasted 34 kB description, checked against two limits.
    """
    if text.isascii():
        count = len(text) - text.count("\r\n")  # CR LF is one cluster
        return count if up_to is None else min(count, up_to)
    if up_to is None:
        return len(_GRAPHEME.findall(text))
    count = 0
    for _cluster in _GRAPHEME.finditer(text):
        count += 1
        if count >= up_to:
            break
    return count


def is_date(text: str) -> bool:
    """Exactly ``YYYY-MM-DD`` and a real calendar day (Go's ``time.Parse("2006-01-02")``)."""
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _split(text: str) -> tuple[str, str, str, str] | None:
    """(scheme, host, opaque, fragment) of a URL the way Go's ``url.Parse`` sees it, or None."""
    if not text or _CONTROL.search(text) or _BAD_ESCAPE.search(text):
        return None
    scheme, sep, rest = text.partition(":")
    if not sep or not _SCHEME.match(scheme):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a bad IPv6 literal
        return None
    opaque = "" if rest.startswith("/") else rest.split("#", 1)[0]
    host = parts.netloc.rpartition("@")[2]
    if not _HOST_CHARS.match(host) or (host and " " in host):
        return None
    return scheme.lower(), host, opaque, parts.fragment


def is_url(text: str) -> bool:
    """go-playground's ``url``: a scheme plus a host, an opaque part or a fragment."""
    if text.lower().startswith("file:"):
        return len(text) > len("file:")
    parts = _split(text)
    if parts is None:
        return False
    _scheme, host, opaque, fragment = parts
    return bool(host or opaque or fragment)


def is_http_url(text: str) -> bool:
    """go-playground's ``http_url``: a valid URL with an http or https scheme and a host."""
    parts = _split(text)
    return parts is not None and parts[0] in ("http", "https") and bool(parts[1])


def is_email(text: str) -> bool:
    """go-playground's ``email``: its regex and nothing more (no length limits, special-use
    domains such as ``.local`` and a trailing dot accepted), unlike RFC-strict libraries."""
    return _EMAIL.match(text) is not None


def is_spdx_expression(text: str) -> bool:
    """A valid SPDX license expression (ids, ``AND``/``OR``/``WITH``, ``+``, ``LicenseRef-``).

    Every id must be an SPDX id (case-insensitive, as go-spdx); license-expression then checks
    the structure.
    """
    if not text.strip():
        return False
    for token in _SPDX_TOKEN_SEPARATORS.split(text):
        if not token or token.lower() in _SPDX_OPERATORS:
            continue
        if token.removesuffix("+").lower() not in _SPDX_IDS and not _LICENSE_REF.match(token):
            return False
    try:  # the structure: operators between licenses, balanced parentheses
        info = _SPDX.validate(text)
    except Exception:  # license-expression raises on some malformed input (e.g. "MIT AND")
        return False
    if info.errors and not info.invalid_symbols:
        return False
    return all(_LICENSE_REF.match(str(symbol)) for symbol in info.invalid_symbols)


def is_bcp47_tag(text: str) -> bool:
    """A strict BCP 47 tag, as the reference's ``bcp47_strict_language_tag``.

    Well-formed per RFC 5646 (so ``en_GB`` is refused), with a primary language subtag in its
    shortest registered form (``en``, not ``eng``/``ita``/``fre``; 4-8 letter languages refused)
    and script, region and variant subtags known to the IANA registry. Like golang.org/x/text's
    ``ParseBase``, no alias is applied: ``tl`` (not ``fil``) and deprecated ``iw`` are accepted.
    """
    tag = text.lower()
    if tag in _GRANDFATHERED:
        return True
    match = _LANGTAG.match(tag)
    if match is None:
        return False
    if match["privateuse"]:
        return True
    language = match["language"]
    base = language.split("-", 1)[0]
    if len(base) > 3 or not langcodes.tag_is_valid(base):
        return False
    if base in _ISO639_HAS_TWO_LETTER_CODE:
        return False
    return langcodes.tag_is_valid(text)


def _iso639_has_two_letter_code() -> frozenset[str]:
    """ISO 639-2/T, 639-2/B and 639-3 codes of the languages that have an ISO 639-1 code."""
    codes = set()
    for language in pycountry.languages:
        if hasattr(language, "alpha_2"):
            codes.add(language.alpha_3)
            codes.add(getattr(language, "bibliographic", language.alpha_3))
    return frozenset(codes)


_ISO639_HAS_TWO_LETTER_CODE = _iso639_has_two_letter_code()


def _iso3166_alpha2() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


ISO3166_ALPHA2 = _iso3166_alpha2()


def is_country_code(text: str) -> bool:
    """ISO 3166-1 alpha-2, all upper or all lower case (lower case is deprecated, not invalid)."""
    if text not in (text.upper(), text.lower()):
        return False
    return text.upper() in ISO3166_ALPHA2


def is_mime_type(text: str) -> bool:
    return bool(_MIME.match(text))


def is_ipa_code(code: str) -> bool:
    """Syntax of an Italian iPA code; the reference also looks it up in 23k known codes."""
    return bool(_IPA_CODE.match(code))


ITALIAN_PA_URN_PREFIX = "urn:x-italian-pa:"


def is_organisation_uri(text: str) -> bool:
    """An absolute URI with a host, or an RFC 2141 URN (``urn:x-italian-pa:<iPA code>``)."""
    if text.lower().startswith("urn:"):
        if not _URN.match(text):
            return False
        if text.lower().startswith(ITALIAN_PA_URN_PREFIX):
            return is_ipa_code(text[len(ITALIAN_PA_URN_PREFIX):])
        return True
    if text.startswith("/"):
        return False
    parts = _split(text)
    return parts is not None and bool(parts[0]) and bool(parts[1])


def is_oembed_video_url(text: str) -> bool:
    """Matches a known oEmbed video provider's URL scheme (a local check, no network)."""
    return OEMBED_VIDEO_URL.fullmatch(text) is not None
