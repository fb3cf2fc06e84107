"""Back-end sentences in the reader's language, recognised by their English templates.

The registry's services and the validator speak English sentences with values in them ("name
is a required field", "Could not clone https://…: timed out"). They stay English at the
source: the validator's wording is the reference validator's, so a maintainer can compare
it with ``publiccode-parser`` or search for it, and the API gives it unchanged. The pages
translate them here: a :class:`Phrasebook` turns each English template (with ``{name}``
placeholders, imported from the back end where it is a constant, so a reworded template still
matches) into a pattern, and renders the matching German sentence with the same values.

What no template recognises (a network error from deep down, a new message) is shown as it
is: better English than nothing. English readers always get the sentence as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from .pages.language import current_language

German = Callable[[], str]
"""Gives the German sentence with %(placeholders)s; called late, so gettext sees the request."""


class Phrasebook:
    """English templates and their German sentences, tried in order.

    ``words``: placeholders that stand for one word (a host, a field name), so the pattern
    does not swallow the text after them. ``nested``: placeholders that hold a sentence of
    their own, translated with this phrasebook too. ``rewrite``: placeholders whose values
    are reworded by a function of their own (an English phrase in the sentence, say). With
    ``sentences=True`` a message may be several sentences in a row, each translated alone.
    """

    def __init__(self, entries: Iterable[tuple[str, German]], *,
                 words: Iterable[str] = (), nested: Iterable[str] = (),
                 rewrite: Mapping[str, Callable[[str], object]] | None = None,
                 sentences: bool = False):
        self._words = frozenset(words)
        self._nested = frozenset(nested)
        self._rewrite = dict(rewrite or {})
        self._sentences = sentences
        self._entries = [(self._pattern(english), german) for english, german in entries]

    def translate(self, message: str | None) -> str:
        """``message`` in the reader's language (unchanged when not recognised, or for
        English readers)."""
        text = (message or "").strip()
        if not text or current_language() == "en":
            return text
        return self._translate(text)

    def _translate(self, text: str) -> str:
        for pattern, german in self._entries:
            found = pattern.match(text)
            if found is None:
                continue
            rest = text[found.end():]
            if rest and not (self._sentences and rest[0] == " "):
                continue
            values = {key: self._value(key, value) for key, value in found.groupdict().items()}
            first = german() % values if values else german()
            rest = rest.strip()
            return f"{first} {self._translate(rest)}" if rest else first
        return text

    def _value(self, key: str, value: str) -> str:
        if key in self._nested:
            return self._translate(value)
        if key in self._rewrite:
            return str(self._rewrite[key](value))
        return value

    def _pattern(self, template: str) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", template)
        regex, seen = [], set()
        for i, part in enumerate(parts):
            if i % 2 == 0:
                regex.append(re.escape(part))
            elif part in seen:
                regex.append(f"(?P={part})")
            else:
                seen.add(part)
                last = i == len(parts) - 2 and parts[-1] == ""
                body = ".+" if last else r"\S+?" if part in self._words else ".+?"
                regex.append(f"(?P<{part}>{body})")
        if not self._sentences:
            regex.append(r"\Z")
        return re.compile("".join(regex), re.DOTALL)
