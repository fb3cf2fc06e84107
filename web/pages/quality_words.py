"""The metadata grade in words: what "complete", "valid" and "readable" mean to a reader.

``registry.quality`` grades every shown publiccode.yml and says why in reasons
(``{"code", "args"}``). The people reading the solution page buy and run software; they do
not read YAML. So each grade has a word, a sentence saying what the level means, and the
calm notice a page shows when there is something to say; each reason code has a sentence
with its count or keys. Declared once here: the solution page, the search facet ``quality``
and its chips all take their words from this module (a test checks every grade and every
reason code has words).

Keys are shown in words where a reader knows them ("Lizenz"), otherwise as the
publiccode.yml key in ``<code>``, which maintainers can search for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape

from ..finding_words import finding_text

GRADE_WORDS = {
    "complete": _l("vollständig"),
    "valid": _l("gültig"),
    "readable": _l("lesbar, mit Hinweisen"),
}
"""The word for each shown grade (``registry.quality.GRADES``), also the facet's values."""

GRADE_MEANINGS = {
    "complete": _l("Die Beschreibung folgt dem Standard publiccode.yml und nennt alles, was bei "
                   "der Entscheidung hilft: Logo, Version mit Datum, Funktionen und "
                   "Ansprechpersonen."),
    "valid": _l("Die Beschreibung folgt dem Standard publiccode.yml; einzelne empfohlene "
                "Angaben fehlen."),
    "readable": _l("Die Beschreibung ließ sich lesen, folgt aber nicht in allem dem Standard "
                   "publiccode.yml; einzelne Angaben können fehlen oder ungenau sein."),
}
"""What each grade means, shown beside the grade so that no level is a black box."""

NOTICES = {
    "complete": _l("Einzelne Angaben in der Beschreibung dieser Lösung wurden nur nachsichtig "
                   "gelesen."),
    "valid": _l("In der Beschreibung dieser Lösung fehlen einzelne empfohlene Angaben."),
    "readable": _l("Die Beschreibung dieser Lösung ist unvollständig oder folgt nicht in allem "
                   "dem Standard publiccode.yml. Die Software selbst kann trotzdem gut sein; "
                   "fragen Sie im Zweifel die Herausgeber."),
}
"""The calm first sentence of the notice a solution page shows when its grade has reasons."""

KEY_WORDS = {
    "publiccodeYmlVersion": _l("Version des Standards"),
    "name": _l("Name"),
    "url": _l("Adresse des Repositorys"),
    "logo": _l("Logo"),
    "softwareVersion": _l("Versionsnummer"),
    "releaseDate": _l("Datum der Version"),
    "platforms": _l("Plattformen"),
    "categories": _l("Kategorien"),
    "developmentStatus": _l("Entwicklungsstand"),
    "softwareType": _l("Art der Software"),
    "description": _l("Beschreibung"),
    "description.shortDescription": _l("Kurzbeschreibung"),
    "description.longDescription": _l("Langbeschreibung"),
    "description.features": _l("Funktionen"),
    "legal": _l("Rechtliche Angaben"),
    "legal.license": _l("Lizenz"),
    "maintenance": _l("Wartung"),
    "maintenance.type": _l("Art der Wartung"),
    "maintenance.contacts": _l("Ansprechpersonen"),
    "localisation": _l("Sprachen"),
    "localisation.localisationReady": _l("Angabe zur Übersetzbarkeit"),
    "localisation.availableLanguages": _l("Verfügbare Sprachen"),
}
"""publiccode.yml keys a reader knows by another name; the language in ``description.de.…``
is left out for the look-up (``description.features`` says "Funktionen" in any language)."""

_LANGUAGE_PART = re.compile(r"^description\.[^.\[]+(?=\.)")


@dataclass(frozen=True, slots=True)
class GradeInWords:
    """What the solution page says about one solution's grade."""

    word: str
    meaning: str
    notice: str | None
    """None when there is nothing to point out (a complete file without reasons)."""
    reasons: list[Markup]


def in_words(grade: str | None, reasons: list[dict[str, Any]]) -> GradeInWords:
    lines = [reason_text(reason) for reason in reasons if isinstance(reason, dict)]
    # A notice only where the standard's rules are broken: a valid entry that lacks something
    # recommended says so quietly beside its grade, not in a box at the top of every page.
    notice = NOTICES.get(grade or "") if grade == "readable" else None
    return GradeInWords(grade_word(grade), str(GRADE_MEANINGS.get(grade or "", "")),
                        str(notice) if notice is not None else None, lines)


def grade_word(grade: str | None) -> str:
    return str(GRADE_WORDS.get(grade or "", grade or ""))


def key_words(keys: list[Any]) -> Markup:
    """Keys as a reader says them, joined by commas; unknown ones as ``<code>key</code>``."""
    parts = []
    for key in map(str, keys):
        word = KEY_WORDS.get(_LANGUAGE_PART.sub("description", key))
        parts.append(escape(str(word)) if word is not None else Markup("<code>%s</code>") % key)
    return Markup(", ").join(parts)


def reason_text(reason: dict[str, Any]) -> Markup:
    """One reason of the grade as a sentence (HTML: keys may be ``<code>``)."""
    code = reason.get("code")
    args = reason.get("args") if isinstance(reason.get("args"), dict) else {}
    sentence = _SENTENCES.get(str(code))
    if sentence is None:  # a reason a later registry knows: its code beats nothing
        return Markup("<code>%s</code>") % code
    return Markup(sentence(args))  # noqa: S704 - our words, every value escaped in _SENTENCES


def _count(args: dict[str, Any], name: str) -> int:
    value = args.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _keys(args: dict[str, Any]) -> list[Any]:
    keys = args.get("keys")
    return keys if isinstance(keys, list) else []


# Each sentence gets its values escaped (``key_words`` escapes keys, ``escape`` the rest)
# before gettext formats them in; ``reason_text`` then trusts the result as HTML.
_SENTENCES = {
    "missing_required": lambda args: ngettext(
        "%(num)d Pflichtangabe fehlt: %(keys)s", "%(num)d Pflichtangaben fehlen: %(keys)s",
        len(_keys(args)), keys=key_words(_keys(args))),
    "rule_errors": lambda args: ngettext(
        "%(num)d Angabe verstößt gegen eine Regel des Standards",
        "%(num)d Angaben verstoßen gegen Regeln des Standards", _count(args, "count")),
    "old_version": lambda args: _(
        "geschrieben für die ältere Version %(version)s des Standards",
        version=escape(str(args.get("version", "?")))),
    "lenient_readings": lambda args: ngettext(
        "%(num)d Angabe nur nachsichtig gelesen (etwa eine Zahl als Text)",
        "%(num)d Angaben nur nachsichtig gelesen (etwa eine Zahl als Text)",
        _count(args, "count")),
    "missing_recommended": lambda args: ngettext(
        "%(num)d empfohlene Angabe fehlt: %(keys)s",
        "%(num)d empfohlene Angaben fehlen: %(keys)s",
        len(_keys(args)), keys=key_words(_keys(args))),
    "earlier_version_shown": lambda args: _(
        "die aktuelle Datei ist nicht lesbar; gezeigt wird eine frühere Fassung"),
    "unreadable": lambda args: _(
        "nicht lesbar: %(reason)s", reason=escape(finding_text(str(args.get("reason", ""))))),
}
"""One sentence per ``registry.quality.REASON_CODES`` entry."""
