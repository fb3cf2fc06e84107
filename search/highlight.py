"""Highlighted snippets that are safe to put into HTML as they are.

Every character of the stored text is HTML-escaped, and the only markup added is ``<mark>``
around words that matched: a description containing ``<script>`` comes back as
``&lt;script&gt;``. The web front end renders snippets with ``|safe``, so this module is where
that safety is decided.
"""

from __future__ import annotations

import html
from typing import Any

from whoosh import highlight

from .schema import VALUE_SEPARATOR

LONG_SNIPPET_CHARS = 240
HIGHLIGHT_SCAN_CHARS = 4000
"""Long texts are searched for a snippet in their first this many characters only."""
FEATURE_JOINER = " · "


class MarkFormatter(highlight.Formatter):
    """``<mark>`` around matches, everything else escaped, fragments joined with an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=True)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=True)}</mark>"


_FORMATTER = MarkFormatter()
_WHOLE = highlight.WholeFragmenter(charlimit=None)
_CONTEXT = highlight.ContextFragmenter(maxchars=LONG_SNIPPET_CHARS, surround=60)


def snippets(stored: dict[str, Any], terms: dict[str, frozenset[str]],
             schema: Any) -> dict[str, str]:
    """Field → escaped snippet with ``<mark>``s, for the fields of one hit that matched.

    ``terms`` are the index terms found per field (stemmed, folded), so the field's own analyzer
    re-reads the stored text and marks the words that produce them.
    """
    out: dict[str, str] = {}
    for fieldname, wanted in terms.items():
        text = stored.get(fieldname)
        if not text:
            continue
        analyzer = schema[fieldname].analyzer
        if fieldname.startswith("long_"):
            text = text[:HIGHLIGHT_SCAN_CHARS]
            snippet = highlight.highlight(text, wanted, analyzer, _CONTEXT, _FORMATTER, top=2)
        else:
            snippet = highlight.highlight(text, wanted, analyzer, _WHOLE, _FORMATTER, top=1)
            if fieldname.startswith("features_") or fieldname == "name":
                snippet = FEATURE_JOINER.join(line for line in snippet.split(VALUE_SEPARATOR)
                                              if "<mark>" in line)
        if "<mark>" in snippet:
            out[fieldname] = snippet
    return out
