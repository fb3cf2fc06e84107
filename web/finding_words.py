"""The validator's findings in the reader's language.

``registry.publiccode`` words its findings exactly as the reference validator does, in
English, so that maintainers can compare them with ``publiccode-parser`` and the API stays
comparable. German pages show them in German: :data:`finding_text` (a Jinja filter, and a
:class:`~web.phrasebook.Phrasebook` of every template the validator uses) gives the German
sentence with the same values. A whole finding must match, so a longer template is never
taken for a shorter one; what is not recognised (a message from the YAML parser, a PNG
detail) is shown as it is. Field names, values and URLs are never translated.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.publiccode import loader, reading
from registry.publiccode.decoding import WRONG_TYPE
from registry.publiccode.field_rules import DROP_IT

from .phrasebook import Phrasebook

_DEPRECATED = "This key is DEPRECATED and will be removed in the future. "
_IPA = "{name} must be a valid Italian Public Administration Code (iPA)"

_TEMPLATES = [
    # the schema rules (registry.publiccode.schema and .spec)
    ("{name} is a required field", lambda: _("%(name)s ist ein Pflichtfeld und fehlt.")),
    ('{name} is a required field when "{sibling}" is "{wanted}"',
     lambda: _("%(name)s ist Pflicht, wenn „%(sibling)s“ den Wert „%(wanted)s“ hat.")),
    ('{name} must not be present unless "{sibling}" is "{wanted}"',
     lambda: _("%(name)s darf nur angegeben werden, wenn „%(sibling)s“ den Wert „%(wanted)s“ "
               "hat.")),
    ("{name} must contain more than 0 items",
     lambda: _("%(name)s muss mindestens einen Eintrag enthalten.")),
    ("{name} must be one of the following: {values}",
     lambda: _("%(name)s muss einer dieser Werte sein: %(values)s.")),
    (_IPA + " with format 'urn:x-italian-pa:[codiceIPA]' (see {url})",
     lambda: _("%(name)s muss ein gültiger Code der italienischen Verwaltung (iPA) im Format "
               "„urn:x-italian-pa:[codiceIPA]“ sein (siehe %(url)s).")),
    (_IPA + " (see {url})",
     lambda: _("%(name)s muss ein gültiger Code der italienischen Verwaltung (iPA) sein (siehe "
               "%(url)s).")),
    ("{name} is not a valid URI", lambda: _("%(name)s ist keine gültige URI.")),
    ("{name} contains an unknown alias (see {url})",
     lambda: _("%(name)s enthält einen unbekannten Alias (siehe %(url)s).")),
    ("{name} must be a valid URL", lambda: _("%(name)s muss eine gültige URL sein.")),
    ("{name} must be an HTTP URL", lambda: _("%(name)s muss eine HTTP- oder HTTPS-URL sein.")),
    ("{name} must be a date with format 'YYYY-MM-DD'",
     lambda: _("%(name)s muss ein Datum im Format JJJJ-MM-TT sein, etwa 2026-01-31.")),
    ("{name} must be a valid email address",
     lambda: _("%(name)s muss eine gültige E-Mail-Adresse sein.")),
    ("{name} must be a valid license (see {url})",
     lambda: _("%(name)s muss eine gültige Lizenzangabe nach SPDX sein (siehe %(url)s).")),
    ("{name} is not a valid MIME type", lambda: _("%(name)s ist kein gültiger MIME-Typ.")),
    ("{name} must be a valid BCP 47 language",
     lambda: _("%(name)s muss ein Sprachkürzel nach BCP 47 sein, etwa de oder en.")),
    ("{name} must be a valid ISO 3166-1 alpha-2 two-letter country code",
     lambda: _("%(name)s muss ein zweistelliger Ländercode nach ISO 3166-1 sein, etwa DE.")),
    ("{name} must be a valid category (see {url})",
     lambda: _("%(name)s muss eine Kategorie aus der Liste des Standards sein (siehe %(url)s).")),
    ("{name} must be a valid scope (see {url})",
     lambda: _("%(name)s muss ein Anwendungsbereich aus der Liste des Standards sein (siehe "
               "%(url)s).")),
    ("{name} must be a maximum of {limit} characters in length",
     lambda: _("%(name)s darf höchstens %(limit)s Zeichen lang sein.")),
    ("{name} must be at least {limit} characters in length",
     lambda: _("%(name)s muss mindestens %(limit)s Zeichen lang sein.")),
    ("unsupported version: '{version}'. Supported versions: {versions}",
     lambda: _("Die Version „%(version)s“ wird nicht unterstützt. Unterstützt werden: "
               "%(versions)s.")),
    ("v{version} is not the latest version, use '{latest}'. Parsing this file as v{parsed}.",
     lambda: _("v%(version)s ist nicht die neueste Version; verwenden Sie „%(latest)s“. Die "
               "Datei wird als v%(parsed)s gelesen.")),
    (WRONG_TYPE, lambda: _("Der Wert hat für dieses Feld den falschen Typ.")),
    ('unknown field "{key}"', lambda: _("Unbekanntes Feld „%(key)s“.")),
    # reading the file (registry.publiccode.loader)
    ("Invalid UTF-8: publiccode.yml must be encoded in UTF-8 (bad byte 0x{byte})",
     lambda: _("Die publiccode.yml muss in UTF-8 kodiert sein; das Byte 0x%(byte)s ist es "
               "nicht.")),
    ("publiccode.yml is empty", lambda: _("Die publiccode.yml ist leer.")),
    ("publiccode.yml must be a mapping of keys to values, found a {what}",
     lambda: _("Die publiccode.yml muss aus Schlüsseln mit Werten bestehen; sie enthält "
               "%(what)s.")),
    ("mapping keys must be plain strings", lambda: _("Schlüssel müssen einfacher Text sein.")),
    ('mapping key "{key}" already defined at line {line}',
     lambda: _("Den Schlüssel „%(key)s“ gibt es schon in Zeile %(line)s.")),
    ("publiccode.yml must contain exactly one YAML document, found a second one",
     lambda: _("Die publiccode.yml darf nur ein YAML-Dokument enthalten; hier beginnt ein "
               "zweites.")),
    ("values are nested more than {depth} levels deep",
     lambda: _("Die Werte sind mehr als %(depth)s Ebenen tief verschachtelt.")),
    ('unknown or recursive alias "*{anchor}"',
     lambda: _("Unbekannter oder rekursiver Alias „*%(anchor)s“.")),
    (loader.TAG_MISMATCH, lambda: _("Die YAML-Markierung %(tag)s passt nicht zu %(target)s.")),
    ("YAML syntax error: {problem}", lambda: _("YAML-Syntaxfehler: %(problem)s")),
    ("publiccode.yml contains a control character (U+{code}) that YAML does not allow: is it "
     "a text file?",
     lambda: _("Die publiccode.yml enthält ein Steuerzeichen (U+%(code)s), das YAML nicht "
               "erlaubt. Ist es eine Textdatei?")),
    ("YAML error: {problem}", lambda: _("YAML-Fehler: %(problem)s")),
    # how the best-effort reader read what the standard does not allow (notes, reading.py)
    (reading.READ_LANGUAGE_AS,
     lambda: _("Die Sprache „%(old)s“ wurde als „%(new)s“ gelesen.")),
    (reading.READ_COUNTRY_AS,
     lambda: _("Der Ländercode „%(old)s“ wurde als „%(new)s“ gelesen.")),
    (reading.READ_NUMBER_AS_TEXT,
     lambda: _("%(kind)s %(value)s wurde als Text „%(text)s“ gelesen.")),
    (reading.READ_FLAG_AS,
     lambda: _("„%(value)s“ wurde als Wahrheitswert %(flag)s gelesen.")),
    (reading.READ_DATE_AS, lambda: _("Das Datum „%(value)s“ wurde als %(iso)s gelesen.")),
    (reading.READ_KEY_AS, lambda: _("„%(old)s“ wurde als „%(new)s“ gelesen.")),
    (reading.READ_SINGLE_AS_LIST,
     lambda: _("Ein einzelner Wert wurde als Liste mit einem Eintrag gelesen.")),
    (reading.READ_FIRST_OF_SEVERAL,
     lambda: _("Hier gehört ein Wert hin; von mehreren wurde der erste gelesen.")),
    (reading.READ_TEXT_AS_DESCRIPTION,
     lambda: _("Ein Text direkt unter einer Sprache wurde als deren %(kind)s gelesen.")),
    (reading.READ_UNTAGGED_AS,
     lambda: _("%(what)s wurde in der Sprache „%(language)s“ gelesen.")),
    (reading.NO_USABLE.format(missing="name and no description"),
     lambda: _("Die publiccode.yml enthält weder einen brauchbaren Namen noch eine "
               "Beschreibung.")),
    (reading.NO_USABLE.format(missing="name"),
     lambda: _("Die publiccode.yml enthält keinen brauchbaren Namen.")),
    (reading.NO_USABLE.format(missing="description"),
     lambda: _("Die publiccode.yml enthält keine brauchbare Beschreibung.")),
    # the rules after the schema (registry.publiccode.field_rules)
    (DROP_IT, lambda: _("Dieses Feld ist veraltet und wird künftig entfernt; Sie können es "
                        "löschen.")),
    (_DEPRECATED + "Use 'organisation.uri' and set it to 'urn:x-italian-pa:{code}' instead",
     lambda: _("Dieses Feld ist veraltet und wird künftig entfernt. Verwenden Sie stattdessen "
               "„organisation.uri“ mit dem Wert „urn:x-italian-pa:%(code)s“.")),
    (_DEPRECATED + "Use '{key}' instead",
     lambda: _("Dieses Feld ist veraltet und wird künftig entfernt. Verwenden Sie stattdessen "
               "„%(key)s“.")),
    ("Lowercase country codes are DEPRECATED. Use uppercase instead ('{code}')",
     lambda: _("Ländercodes in Kleinbuchstaben sind veraltet. Schreiben Sie „%(code)s“.")),
    ("Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' "
     "instead",
     lambda: _("Ländercodes in Kleinbuchstaben sind veraltet und werden künftig entfernt. "
               "Schreiben Sie „IT“.")),
    ("'IT' key already present. Remove this key",
     lambda: _("Es gibt schon einen Abschnitt „IT“. Entfernen Sie diesen.")),
    ("'{url}' is not a valid video URL supporting oEmbed: invalid oEmbed link: {url}",
     lambda: _("„%(url)s“ ist keine Video-Adresse, die oEmbed unterstützt.")),
    # the checks that read files and URLs (registry.publiccode.external)
    ("'{value}' does not exist: {problem}", lambda: _("„%(value)s“ gibt es nicht: %(problem)s")),
    ("'{value}' is not an image: {problem}", lambda: _("„%(value)s“ ist kein Bild: %(problem)s")),
    ("'{value}' not reachable: {problem}",
     lambda: _("„%(value)s“ ist nicht erreichbar: %(problem)s")),
    ("is not a valid code repository",
     lambda: _("Unter dieser Adresse ist kein Code-Repository zu finden.")),
    ("more than {count} URLs to check; the rest were not fetched",
     lambda: _("Mehr als %(count)s Adressen zu prüfen; die übrigen wurden nicht abgerufen.")),
    ("is an absolute path. Only relative paths or HTTP(s) URLs allowed",
     lambda: _("Das ist ein absoluter Pfad. Erlaubt sind nur relative Pfade und "
               "HTTP(S)-Adressen.")),
    ("is a file:// URL. Only relative paths or HTTP(s) URLs allowed",
     lambda: _("Das ist eine file://-Adresse. Erlaubt sind nur relative Pfade und "
               "HTTP(S)-Adressen.")),
    ("'{path}' points outside the repository. Only relative paths inside the repository or "
     "HTTP(s) URLs allowed",
     lambda: _("„%(path)s“ zeigt aus dem Repository hinaus. Erlaubt sind nur relative Pfade im "
               "Repository und HTTP(S)-Adressen.")),
    # … and the problems they name (translated inside the sentences above)
    ("HTTP GET failed for {url}: {detail}",
     lambda: _("Der Abruf von %(url)s ist gescheitert: %(detail)s")),
    ("HTTP GET returned {status} for {url}; 200 was expected",
     lambda: _("%(url)s antwortete mit HTTP %(status)s statt 200.")),
    ("missing URL scheme", lambda: _("Der Adresse fehlt der Anfang, etwa https://.")),
    ("invalid file extension for: {path}", lambda: _("Unzulässige Dateiendung: %(path)s")),
    ("no such file: {path}", lambda: _("Die Datei gibt es nicht: %(path)s")),
    ("'{path}' is a link to a file outside the repository",
     lambda: _("„%(path)s“ verweist auf eine Datei außerhalb des Repositorys.")),
    ("image: unknown format", lambda: _("unbekanntes Bildformat")),
    ("invalid image size of {width} (min {minimum}px of width): {path}",
     lambda: _("Das Bild ist %(width)s Pixel breit, nötig sind mindestens %(minimum)s: "
               "%(path)s")),
]

_TAG_TARGETS = {"a list": _l("einer Liste"), "a mapping": _l("Schlüsseln mit Werten"),
                "a single value": _l("einem einzelnen Wert")}


def _tag_target(what: str) -> object:
    if what.startswith('the value "') and what.endswith('"'):
        return _("dem Wert „%(value)s“", value=what[len('the value "'):-1])
    return _TAG_TARGETS.get(what, what)


_KINDS = {"number": _l("Die Zahl"), "yes/no value": _l("Der Ja/Nein-Wert"),
          "value": _l("Der Wert")}
_UNTAGGED = {reading.UNTAGGED_DESCRIPTION: _l("Eine Beschreibung ohne Sprachangabe"),
             reading.TOP_LEVEL_DESCRIPTION: _l("Beschreibungsfelder auf oberster Ebene")}
_FOUND = {"list": _l("eine Liste"), "mapping": _l("Schlüssel mit Werten"),
          "single value": _l("einen einzelnen Wert")}

finding_text = Phrasebook(
    _TEMPLATES, words=("name", "limit", "count", "width"),
    nested=("problem",),
    rewrite={"what": lambda what: _FOUND.get(what) or _UNTAGGED.get(what, what),
             "kind": lambda kind: _KINDS.get(kind, kind),
             "target": _tag_target,
             "values": lambda values: values.replace('" or "', '" ' + _("oder") + ' "')},
).translate
"""A finding's message in the reader's language (unchanged for English readers)."""
