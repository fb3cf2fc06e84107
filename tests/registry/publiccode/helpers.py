"""A valid base document and small tools to run the schema rules on variants of it.

The base mirrors the reference's ``testdata/v0/valid`` files in miniature; each test changes
one thing with ``variant`` and looks at what the rules say. Line numbers of the base are fixed
(see the comments) so tests can assert positions.
"""

from __future__ import annotations

from registry.publiccode.findings import Finding
from registry.publiccode.loader import load
from registry.publiccode.schema import check_document

LONG = "Very long description of this software, also split on multiple rows. " * 3
"""213 characters: above longDescription's 150 minimum."""

BASE = f"""\
publiccodeYmlVersion: "0"
name: Medusa
url: "https://github.com/italia/developers.italia.it.git"
platforms:
  - web
developmentStatus: development
softwareType: "standalone/other"
description:
  en:
    shortDescription: A rather short description which is probably useless
    longDescription: >
      {LONG}
    features:
      - Just one feature
legal:
  license: AGPL-3.0-or-later
maintenance:
  type: community
  contacts:
    - name: Francesco Rossi
localisation:
  localisationReady: true
  availableLanguages:
    - en
"""
# line  1 publiccodeYmlVersion   8 description   15 legal        21 localisation
# line  2 name                   9   en          16   license    22   localisationReady
# line  4 platforms             13   features    17 maintenance  23   availableLanguages
# line  6 developmentStatus                      18   type       24     - en


def variant(*replacements: tuple[str, str], append: str = "") -> str:
    """BASE with each ``(old, new)`` replaced once (``old`` must occur) and ``append`` added."""
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + append


def findings(text: str) -> list[Finding]:
    result = load(text.encode())
    assert result.root is not None, result.findings
    return sorted(check_document(result.root), key=lambda f: (f.line, f.column, f.key))


def summary(text: str) -> list[tuple[str, str, int, int, str]]:
    """(key, message, line, column, severity) of every finding, in file order."""
    return [(f.key, f.message, f.line, f.column, f.severity.value) for f in findings(text)]


def keys(text: str) -> list[tuple[str, str]]:
    """(key, severity) of every finding: for tests that care what, not how it is worded."""
    return [(f.key, f.severity.value) for f in findings(text)]
