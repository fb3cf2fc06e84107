"""Turning a solution's stored text into what a page may show.

- Descriptions come in several languages; a reader gets theirs, else German, else English,
  else the first there is — and the page marks the language it actually shows (``lang``).
- Long descriptions may be Markdown written by anyone with a repository: markdown-it-py with
  raw HTML off, then nh3 (an allow-list sanitiser) so no script, event handler or
  ``javascript:`` link survives even if the renderer let one through.
- JSON-LD goes inside ``<script type="application/ld+json">``; ``<`` is written as ``\\u003c``
  so no value can close the script element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

FALLBACK_LANGUAGES = ("de", "en")
ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
                "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_SCHEMES = {"http", "https", "mailto"}
SPDX_OPERATORS = {"AND", "OR", "WITH"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def pick_language(available: Mapping[str, Any], wanted: str) -> str | None:
    """The language to show from ``available``: ``wanted``, then de, en, then the first."""
    for language in (wanted, *FALLBACK_LANGUAGES):
        if language in available:
            return language
    return next(iter(available), None)


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML that is safe to embed; headings start at h3 below the page's h2."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=LINK_SCHEMES, link_rel="nofollow noopener noreferrer")
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


def http_url(value: str | None) -> str:
    """``value`` when it is an http(s) URL, else "#": a stored URL never becomes a script link."""
    text = (value or "").strip()
    return text if re.match(r"https?://", text, re.IGNORECASE) else "#"


def spdx_parts(expression: str | None) -> list[tuple[str, bool]]:
    """A licence expression as (token, is_licence_id) pairs, so ids can be linked to SPDX."""
    if not expression:
        return []
    tokens = re.findall(r"[()]|[^\s()]+", expression)
    return [(part, part not in SPDX_OPERATORS and _is_licence_id(part)) for part in tokens]


def _is_licence_id(part: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9.+-]+", part) is not None


def json_ld(data: dict[str, Any]) -> Markup:
    """``data`` as JSON that cannot end the script element it sits in."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - no "<" left, so it cannot leave the element
