"""An Atom 1.0 feed (RFC 4287) of new and updated solutions, built with ``xml.etree``.

ElementTree escapes every text and attribute, so names and descriptions from publiccode.yml
files cannot inject markup. Entry ids are tag URIs stable per solution, and ``updated`` is the
solution's ``last_changed_at``, so feed readers show a changed solution again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


def solutions_feed(rows: Sequence[SolutionRow]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", url_for("exports.solutions_atom", _external=True))
    _text(feed, "title", FEED_TITLE)
    newest = max((row.solution.last_changed_at for row in rows), default=utcnow())
    _text(feed, "updated", iso_utc(newest) or "")
    _link(feed, url_for("exports.solutions_atom", _external=True), "self")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "Allmende")
    for row in rows:
        _entry(feed, row)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed: ET.Element, row: SolutionRow) -> None:
    shape = summary(row)
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", f"tag:{request.host.split(':')[0]},2026:solution:{shape['id']}")
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
