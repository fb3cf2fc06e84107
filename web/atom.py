"""An Atom 1.0 feed (RFC 4287) of new and updated solutions, built with ``xml.etree``.

ElementTree escapes every text and attribute, so names and descriptions from publiccode.yml
files cannot inject markup. Entry ids are tag URIs stable per solution, and ``updated`` is the
solution's ``last_changed_at``, so feed readers show a changed solution again.
``entries_feed`` builds other feeds (a maintainer's, ``web.maintainers.feed``) with the same
head from plain :class:`Entry` values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET  # noqa: S405 (we only write XML, never parse it)

from flask import request, url_for

from registry.models import iso_utc, utcnow

from .api.solution_shapes import summary
from .catalogue_reads import SolutionRow

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
FEED_TITLE = "Allmende – neue und aktualisierte Lösungen"
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry at all, not even escaped: dropped."""


@dataclass(frozen=True)
class Entry:
    """One entry of a feed other than the solutions feed (e.g. a maintainer's feed)."""

    id: str
    """A stable URI, e.g. from :func:`tag_uri`."""
    title: str
    updated: datetime
    link: str
    summary: str = ""


def solutions_feed(rows: Sequence[SolutionRow]) -> bytes:
    self_url = url_for("exports.solutions_atom", _external=True)
    newest = max((row.solution.last_changed_at for row in rows), default=utcnow())
    feed = _feed(self_url, FEED_TITLE, self_url, newest)
    for row in rows:
        _entry(feed, row)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def entries_feed(feed_id: str, title: str, self_url: str, entries: Sequence[Entry]) -> bytes:
    """A feed of ``entries`` (given newest first) with the same head as the solutions feed."""
    feed = _feed(feed_id, title, self_url, max((e.updated for e in entries), default=utcnow()))
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", iso_utc(item.updated) or "")
        _link(entry, item.link, "alternate", "text/html")
        if item.summary:
            _text(entry, "summary", item.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def tag_uri(*parts: object) -> str:
    """A tag URI (RFC 4151) on this site's host: ``tag:host,2026:part:part``."""
    return f"tag:{request.host.split(':')[0]},2026:" + ":".join(str(p) for p in parts)


def _feed(feed_id: str, title: str, self_url: str, updated: datetime) -> ET.Element:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", iso_utc(updated) or "")
    _link(feed, self_url, "self")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "Allmende")
    return feed


def _entry(feed: ET.Element, row: SolutionRow) -> None:
    shape = summary(row)
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", tag_uri("solution", shape["id"]))
    _text(entry, "title", shape["name"] or shape["url"])
    _text(entry, "updated", shape["last_changed_at"])
    _link(entry, shape["href"], "alternate", "application/json")
    _link(entry, shape["url"], "related")
    if shape["publisher"]:
        _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", shape["publisher"]["name"])
    descriptions = shape["short_descriptions"]
    text = descriptions.get("de") or descriptions.get("en") or next(iter(descriptions.values()),
                                                                    "")
    if text:
        _text(entry, "summary", text)
    for category in shape["categories"]:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=category)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = NOT_IN_XML.sub("", text)


def _link(parent: ET.Element, href: str, rel: str, kind: str | None = None) -> None:
    link = ET.SubElement(parent, f"{{{ATOM}}}link", href=href, rel=rel)
    if kind:
        link.set("type", kind)
