"""Best-effort reading: what a publiccode.yml *says*, even when it breaks the standard's rules.

The validator (``schema.py``) answers "does this file follow the standard?" exactly as the
reference parser does, and its verdict is for maintainers and for ranking. This module answers
a different question — "what software does this file describe?" — because what a town may see
is what is readable, not only what is valid (72% of real files break some rule, mostly by
being written for an older version of the standard).

The reader walks the same key declarations as the validator (``spec.PUBLICCODE``) and keeps
every value it can read, in the current standard's shape. Each lenient step is noted as a
finding with severity ``note`` so the maintainer sees what to fix:

- a number or boolean where text belongs is read as its source text (``publiccodeYmlVersion:
  0.2`` → ``"0.2"``), a single value where a list belongs as a one-item list;
- keys in another case (``intendedaudience``) and renamed keys of older versions
  (``landingUrl``, ``featureList``) are read under their current name;
- a description block without a language key, or description keys written at the top level,
  are read in the file's first available language; a language given only a text is read as
  that language's description;
- lowercase country codes, ``yes``/``no`` flags and dates in other common formats are read.

A file is *readable* when it yields a name and a description (short or long) in some language.
Nothing here raises on any tree the loader can build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import langcodes

from .findings import Finding, join_key, note
from .formats import is_country_code
from .loader import Node
from .spec import DESCRIPTION, PUBLICCODE, Spec

READER_VERSION = 2
"""Bump when the reading changes: stored solutions read by an older reader are read again by
the next harvest even when their file did not change (``Solution.read_with``). 2: the
catalogue keeps ``isBasedOn`` (``Solution.based_on``)."""

RENAMED_KEYS: dict[str, str] = {
    "landingUrl": "landingURL",  # 0.1 spelling
    "landingPage": "landingURL",
    "localization": "localisation",  # American spellings
    "localizationReady": "localisationReady",
    "featureList": "features",  # 0.1 description key
    "freeTags": "",  # 0.1/0.2 description tags: nothing in the current standard, dropped
    "tags": "",
}
"""Keys of older versions → their current name ("" for keys with no current counterpart)."""

DESCRIPTION_KEYS = frozenset(DESCRIPTION.fields) | {"featureList"}
UNDETERMINED_LANGUAGE = "und"
"""BCP 47 for "language not known": a description without a language key in a file that names
no available language."""

# The notes' wording, declared once: the web pages recognise these templates to translate them.
READ_KEY_AS = 'read "{old}" as "{new}"'
READ_LANGUAGE_AS = 'read the language "{old}" as "{new}"'
READ_NUMBER_AS_TEXT = 'read the {kind} {value} as the text "{text}"'
READ_SINGLE_AS_LIST = "read a single value as a list of one"
READ_FIRST_OF_SEVERAL = "read the first of several values where one belongs"
READ_COUNTRY_AS = 'read the country code "{old}" as "{new}"'
READ_FLAG_AS = 'read "{value}" as the boolean {flag}'
READ_DATE_AS = 'read the date "{value}" as {iso}'
READ_TEXT_AS_DESCRIPTION = "read a text given for a language as its {kind}"
READ_UNTAGGED_AS = 'read {what} as language "{language}"'
UNTAGGED_DESCRIPTION = "a description without a language key"
TOP_LEVEL_DESCRIPTION = "description keys at the top level"
NO_USABLE = "publiccode.yml has no usable {missing}"

_BOOLEAN_WORDS = {"true": True, "yes": True, "y": True, "on": True, "1": True,
                  "false": False, "no": False, "n": False, "off": False, "0": False}
_DATE_FORMATS = (
    # pattern (linear: fixed digit counts), the order of (year, month, day) in its groups
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), (0, 1, 2)),
    (re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"), (0, 1, 2)),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), (2, 1, 0)),  # German: 15.01.2024
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (2, 1, 0)),  # European: 15/01/2024
    (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), (2, 1, 0)),
)
_TIME_SUFFIX = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_DATE_KEYS = frozenset({"releaseDate", "until"})
_COUNTRY_KEYS = frozenset({"countries", "unsupportedCountries"})


@dataclass(slots=True)
class Reading:
    """The best-effort document and the notes on how it was read."""

    document: dict[str, Any]
    """Plain data in the current standard's shape, only keys the standard knows."""
    notes: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        name = self.document.get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
        for entry in self.descriptions.values():
            localised = entry.get("localisedName")
            if isinstance(localised, str) and localised.strip():
                return localised.strip()
        return None

    @property
    def descriptions(self) -> dict[str, dict[str, Any]]:
        value = self.document.get("description")
        return value if isinstance(value, dict) else {}

    @property
    def has_description(self) -> bool:
        return any(isinstance(entry.get(key), str) and entry[key].strip()
                   for entry in self.descriptions.values()
                   for key in ("shortDescription", "longDescription"))

    @property
    def readable(self) -> bool:
        return self.name is not None and self.has_description

    @property
    def unreadable_reason(self) -> str | None:
        """Why the file is not shown, in one sentence; ``None`` when it is readable."""
        missing = [what for what, ok in (("name", self.name is not None),
                                         ("description", self.has_description)) if not ok]
        if not missing:
            return None
        return NO_USABLE.format(missing=" and no ".join(missing))


def read(root: Node) -> Reading:
    """Read the located tree ``root`` (a mapping) as leniently as the standard allows."""
    reader = _Reader()
    document = reader.struct(root, PUBLICCODE, "")
    _read_untagged_description(root, document, reader)
    return Reading(document, reader.notes)


def _description_language(document: dict[str, Any]) -> str:
    """Where description text without a language goes: the one language already described,
    else the first available language, else "und"."""
    described = list(document.get("description", {}))
    if len(described) == 1:
        return described[0]
    languages = document.get("localisation", {}).get("availableLanguages") or []
    return next((tag for tag in map(_language_tag, languages) if tag), UNDETERMINED_LANGUAGE)


class _Reader:
    def __init__(self) -> None:
        self.notes: list[Finding] = []

    def note(self, path: str, node: Node, message: str) -> None:
        self.notes.append(note(path, message, node.line, node.column))

    # -- shapes --------------------------------------------------------------------------------

    def value(self, node: Node, spec: Spec, path: str, name: str) -> Any:
        if spec.kind == "str":
            return self.text(node, path, name)
        if spec.kind == "bool":
            return self.flag(node, path)
        if spec.kind in ("list", "str_or_list"):
            return self.items(node, spec, path, name)
        if spec.kind == "struct":
            return self.struct(node, spec, path) if node.kind == "map" else None
        if spec.kind == "dict":
            return self.languages(node, spec, path)
        return None

    def struct(self, node: Node, spec: Spec, path: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.pairs:
            name = self._current_name(key_node.text, spec)
            if not name:
                continue
            child = join_key(path, name)
            if name != key_node.text:
                self.note(child, key_node, READ_KEY_AS.format(old=key_node.text, new=name))
            if name in result or _nil(value_node):
                continue
            value = self.value(value_node, spec.fields[name], child, name)
            if value not in (None, [], {}):
                result[name] = value
        return result

    def languages(self, node: Node, spec: Spec, path: str) -> dict[str, Any] | None:
        if node.kind != "map":
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.pairs:
            if key_node.text in DESCRIPTION_KEYS or value_node.kind != "map":
                continue  # an untagged description: _read_untagged_description
            language = _language_tag(key_node.text)
            if language is None:
                continue
            if language != key_node.text:
                self.note(join_key(path, key_node.text), key_node,
                          READ_LANGUAGE_AS.format(old=key_node.text, new=language))
            assert spec.item is not None
            entry = self.struct(value_node, spec.item, join_key(path, language))
            if entry:
                result.setdefault(language, entry)
        return result

    def items(self, node: Node, spec: Spec, path: str, name: str) -> list[Any] | str | None:
        item_spec = spec.item or Spec("str")
        if node.kind != "seq":
            if spec.kind == "str_or_list" or item_spec.kind != "str":
                return self.text(node, path, name) if spec.kind == "str_or_list" else None
            value = self.text(node, path, name)
            if value is None:
                return None
            self.note(path, node, READ_SINGLE_AS_LIST)
            return [value]
        values = []
        for index, item in enumerate(node.items):
            if _nil(item):
                continue
            value = self.value(item, item_spec, join_key(path, index), name)
            if value not in (None, {}):
                values.append(value)
        return values

    def text(self, node: Node, path: str, name: str) -> str | None:
        if node.kind == "seq":
            first = next((item for item in node.items if item.kind == "scalar"
                          and not _nil(item)), None)
            if first is None:
                return None
            self.note(path, node, READ_FIRST_OF_SEVERAL)
            node = first
        if node.kind != "scalar" or _nil(node):
            return None
        value = node.text.strip()
        if not value:
            return None
        if node.yaml_type != "str" and node.yaml_type != "null":
            self.note(path, node, READ_NUMBER_AS_TEXT.format(kind=_kind_word(node), value=value,
                                                             text=value))
        if name in _DATE_KEYS:
            return self.date(node, value, path)
        if name in _COUNTRY_KEYS and value != value.upper() and is_country_code(value.upper()):
            if not is_country_code(value):  # the validator takes some lowercase codes itself
                self.note(path, node, READ_COUNTRY_AS.format(old=value, new=value.upper()))
            return value.upper()
        return value

    def flag(self, node: Node, path: str) -> bool | None:
        if node.kind != "scalar":
            return None
        word = node.text.strip().lower()
        if word not in _BOOLEAN_WORDS:
            return None
        value = _BOOLEAN_WORDS[word]
        if node.yaml_type != "bool":
            self.note(path, node, READ_FLAG_AS.format(value=node.text,
                                                      flag="true" if value else "false"))
        return value

    def date(self, node: Node, value: str, path: str) -> str | None:
        read_as = read_date(value)
        if read_as is None:
            return None
        iso = read_as.isoformat()
        if iso != value:
            self.note(path, node, READ_DATE_AS.format(value=value, iso=iso))
        return iso

    @staticmethod
    def _current_name(key: str, spec: Spec) -> str | None:
        if key in spec.fields:
            return key
        renamed = RENAMED_KEYS.get(key)
        if renamed is not None:
            return renamed if renamed in spec.fields else None
        folded = key.casefold()
        return next((name for name in spec.fields if name.casefold() == folded), None)


def read_date(value: str) -> date | None:
    """A calendar date from the common ways people write one; ``None`` when it is none."""
    text = _TIME_SUFFIX.sub("", value.strip(), count=1) if len(value) <= 64 else ""
    for pattern, order in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match:
            parts = [int(part) for part in match.groups()]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    try:
        return datetime.fromisoformat(value.strip()).date() if len(value) <= 64 else None
    except ValueError:
        return None


def _read_untagged_description(root: Node, document: dict[str, Any], reader: _Reader) -> None:
    """Description text outside a language block: ``description: {shortDescription: …}``,
    ``description: {en: "text"}``, or ``shortDescription``/``features`` at the top level.

    Each is merged into the description of one language (``_description_language``) without
    overwriting what that language already says.
    """
    node = next((v for k, v in root.pairs if k.text.casefold() == "description"), None)
    descriptions = document.setdefault("description", {})
    if node is not None and node.kind == "map":
        for key, value in node.pairs:
            language = _language_tag(key.text) if key.text not in DESCRIPTION_KEYS else None
            if language and value.kind == "scalar" and language not in descriptions:
                text = reader.text(value, join_key("description", language), "")
                if text:
                    kind = "shortDescription" if len(text) <= 150 else "longDescription"
                    descriptions[language] = {kind: text}
                    reader.note(join_key("description", key.text), value,
                                READ_TEXT_AS_DESCRIPTION.format(kind=kind))
        _merge_untagged(reader, node, document, "description", UNTAGGED_DESCRIPTION)
    _merge_untagged(reader, root, document, "", TOP_LEVEL_DESCRIPTION)
    if not descriptions:
        del document["description"]


def _merge_untagged(reader: _Reader, node: Node, document: dict[str, Any], path: str,
                    what: str) -> None:
    untagged = [(k, v) for k, v in node.pairs if k.text in DESCRIPTION_KEYS]
    if not untagged:
        return
    language = _description_language(document)
    entry = reader.struct(Node("map", node.line, node.column, pairs=untagged), DESCRIPTION,
                          join_key("description", language))
    target = document["description"].setdefault(language, {})
    added = [key for key in entry if key not in target]
    for key in added:
        target[key] = entry[key]
    if not target:
        del document["description"][language]
    if added:
        reader.note(path, node, READ_UNTAGGED_AS.format(what=what, language=language))


def _language_tag(text: str) -> str | None:
    """The standard spelling of a BCP 47 tag (``EN`` → ``en``, ``de_DE`` → ``de-DE``)."""
    candidate = text.strip().replace("_", "-")
    if not candidate or len(candidate) > 35:
        return None
    try:
        return langcodes.standardize_tag(candidate)
    except (ValueError, LookupError):
        return None


def _nil(node: Node) -> bool:
    return node.kind == "scalar" and node.yaml_type == "null"


def _kind_word(node: Node) -> str:
    return {"int": "number", "float": "number", "bool": "yes/no value"}.get(node.yaml_type,
                                                                           "value")
