"""The vocabulary of proprietary products, and which product a user's words name.

A town looks for the open alternative to what it uses today: "Alternative zu Doodle", "statt
MS Teams", "Ersatz für SharePoint". Before any search can answer that, the words must be
recognised as a product. The products live as data (``data/products.toml``) so a maintainer adds
one without touching code; this module reads and checks them once, and matches text against
them.

Matching is exact on folded words, never fuzzy: misspellings people really type are data too
("Microsoft Temas", "Dodle"), so a match is always explainable and never a surprise. Text is
split into words and every key (id, name, alias, misspelling) is a sequence of words; the
longest key found wins ("Microsoft Teams Premium" → Microsoft Teams, "Microsoft 365 Copilot" →
Copilot, not Microsoft 365). The scan walks the words once and looks up at most as many words
per position as the longest key has: time linear in the text, whatever a visitor types.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from registry.publiccode.vocabularies import CATEGORIES
from registry.text import digraphs_to_umlauts

KINDS: tuple[str, ...] = (
    "office", "email", "video_conferencing", "messaging", "collaboration", "file_sharing",
    "survey", "forms", "appointments", "document_management", "gis", "cad", "ticketing", "cms",
    "participation", "council_information", "ai_assistant", "translation", "database",
    "project_management", "e_learning", "password_manager", "remote_support", "virtualization",
    "diagram", "graphics", "pdf", "operating_system", "erp", "crm", "hr", "telephony",
    "newsletter", "other",
)
"""What a product is, one short code each: coarser than publiccode.yml categories, for grouping
products on a page and for the wording around them ("Videokonferenz", "Umfrage" …)."""

LEAD_PHRASES: tuple[str, ...] = (
    "Alternative zu", "Alternativen zu", "Alternative zum", "Alternative zur",
    "Alternativen zum", "Alternativen zur", "Alternative für", "Alternativen für",
    "Ersatz für", "Ersatz von", "statt", "anstatt", "anstelle von", "an Stelle von", "anstelle",
    "Umstieg von", "Wechsel von", "weg von", "Migration von",
    "alternative to", "alternatives to", "alternative for", "alternatives for", "instead of",
    "replacement for", "replacement of", "replace", "migrate from", "migration from",
    "switch from",
)
"""Words people put before the product they want to leave. A product right after one of them is
the one meant, even when the text names another too ("Alternative zu Doodle für Teams")."""

FIELDS = frozenset({"id", "name", "vendor", "aliases", "misspellings", "categories", "wikidata",
                    "kind", "purpose"})
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_WORD = re.compile(r"[^\W_]+")
"""A run of letters and digits: one quantifier, nothing nested, linear on any input."""


class ProductVocabularyError(ValueError):
    """The product data is wrong; the message names the entry and the field."""


@dataclass(frozen=True, slots=True)
class Product:
    """One proprietary product, as people name it and as publiccode.yml would classify it."""

    id: str
    """Stable slug (lowercase ASCII, digits, single hyphens): used in URLs, never changed."""
    name: str
    vendor: str
    kind: str
    """One of ``KINDS``."""
    categories: tuple[str, ...]
    """publiccode.yml categories an open alternative would carry."""
    aliases: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    wikidata: str | None = None
    """Q-id, only where it is known for certain."""
    purpose: tuple[str, ...] = ()
    """Words for the job it does, where its kind's are too wide (``purposes.py``)."""

    def names(self) -> tuple[str, ...]:
        """Every text that names this product: id, name, aliases, misspellings."""
        return (self.id, self.name, *self.aliases, *self.misspellings)


def words(text: str) -> tuple[str, ...]:
    """``text`` as folded words: case-folded, accents dropped, ß as ss, and ``ae``/``oe``/``ue``
    read as the umlaut they stand for (as search/analysis.py does), so "Mängelmelder",
    "Maengelmelder" and "Mangelmelder" are the same words."""
    return tuple(_plain(digraphs_to_umlauts(word)) for word in _WORD.findall(text.casefold()))


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fail(entry: str, field: str, problem: str) -> ProductVocabularyError:
    return ProductVocabularyError(f"products.toml, product {entry}, field {field!r}: {problem}")


def _text(raw: dict[str, Any], entry: str, field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(entry, field, "must be a non-empty string")
    return value.strip()


def _texts(raw: dict[str, Any], entry: str, field: str) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(entry, field, "must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _check_id(value: str, entry: str) -> None:
    if (not set(value) <= _ID_CHARS or value.startswith("-") or value.endswith("-")
            or "--" in value):
        raise _fail(entry, "id", f"{value!r} is not a slug (a-z, 0-9, single inner hyphens)")


def _is_qid(value: str) -> bool:
    digits = value[1:]
    return value[:1] == "Q" and digits.isascii() and digits.isdecimal() and digits[0] != "0"


def _product(raw: Any, position: int) -> Product:
    entry = f"#{position}"
    if not isinstance(raw, dict):
        raise _fail(entry, "product", "must be a table ([[product]])")
    if isinstance(raw.get("id"), str):
        entry = f"#{position} ({raw['id']})"
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise _fail(entry, unknown[0], f"unknown field (known: {', '.join(sorted(FIELDS))})")
    product_id = _text(raw, entry, "id")
    _check_id(product_id, entry)
    name, vendor, kind = (_text(raw, entry, f) for f in ("name", "vendor", "kind"))
    if kind not in KINDS:
        raise _fail(entry, "kind", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    categories = _texts(raw, entry, "categories")
    if not categories:
        raise _fail(entry, "categories", "needs at least one publiccode.yml category")
    for category in categories:
        if category not in CATEGORIES:
            raise _fail(entry, "categories",
                        f"{category!r} is not a publiccode.yml category "
                        "(registry/publiccode/data/categories.txt)")
    wikidata = _text(raw, entry, "wikidata") if "wikidata" in raw else None
    if wikidata is not None and not _is_qid(wikidata):
        raise _fail(entry, "wikidata", f"{wikidata!r} is not a Wikidata Q-id")
    product = Product(id=product_id, name=name, vendor=vendor, kind=kind, categories=categories,
                      aliases=_texts(raw, entry, "aliases"),
                      misspellings=_texts(raw, entry, "misspellings"), wikidata=wikidata,
                      purpose=_texts(raw, entry, "purpose"))
    for field in ("name", "aliases", "misspellings"):
        for key in (name,) if field == "name" else getattr(product, field):
            if not words(key):
                raise _fail(entry, field, f"{key!r} has no letters or digits to match")
    return product


def parse_products(text: str) -> tuple[Product, ...]:
    """Products from TOML text (``[[product]]`` tables), every rule checked.

    Refused: a field that is not known, an empty name, an id that is not a slug or is used
    twice, an unknown kind or category, and one name (after folding) naming two products, which
    would make a match ambiguous.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProductVocabularyError(f"products.toml is not valid TOML: {error}") from error
    raws = document.get("product")
    if not isinstance(raws, list) or not raws:
        raise ProductVocabularyError("products.toml: no [[product]] tables")
    result = tuple(_product(raw, position) for position, raw in enumerate(raws, 1))
    seen_ids: set[str] = set()
    owners: dict[tuple[str, ...], Product] = {}
    leads = {words(phrase) for phrase in LEAD_PHRASES}
    for position, product in enumerate(result, 1):
        entry = f"#{position} ({product.id})"
        if product.id in seen_ids:
            raise _fail(entry, "id", "the same id is used by an earlier product")
        seen_ids.add(product.id)
        for key in product.names():
            folded = words(key)
            if folded in leads:
                raise _fail(entry, _field_of(product, key),
                            f"{key!r} is a lead phrase (LEAD_PHRASES), not a product")
            owner = owners.setdefault(folded, product)
            if owner is not product:
                raise _fail(entry, _field_of(product, key),
                            f"{key!r} already names {owner.id} (names are compared folded)")
    return result


def _field_of(product: Product, key: str) -> str:
    if key == product.id:
        return "id"
    if key == product.name:
        return "name"
    return "aliases" if key in product.aliases else "misspellings"


@cache
def products() -> tuple[Product, ...]:
    """The shipped vocabulary, read and checked once per process."""
    source = files(__package__).joinpath("data").joinpath("products.toml")
    return parse_products(source.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class _Index:
    keys: dict[tuple[str, ...], Product]
    leads: frozenset[tuple[str, ...]]
    prefixes: frozenset[tuple[str, ...]]
    """Every proper prefix of a key or lead phrase: the scan stops as soon as none fits."""


@cache
def _index() -> _Index:
    keys = {words(key): product for product in products() for key in product.names()}
    leads = frozenset(words(phrase) for phrase in LEAD_PHRASES)
    prefixes = frozenset(seq[:length] for seq in (*keys, *leads) for length in range(1, len(seq)))
    return _Index(keys, leads, prefixes)


def find_product(text: str) -> Product | None:
    """The product ``text`` names, or ``None``.

    Case, accents and punctuation do not matter; the id, the name, an alias or a listed
    misspelling must occur as whole words. The longest name found wins; a product right after a
    lead phrase ("statt", "alternative to" …) wins over one elsewhere in the text.
    """
    best: tuple[bool, int, int] | None = None  # (after a lead phrase, words, -start)
    best_product: Product | None = None
    for mention in _mentions(text):
        rank = (mention.after_lead, mention.length, -mention.start)
        if best is None or rank > best:
            best, best_product = rank, mention.product
    return best_product


def replaced_products(text: str) -> tuple[Product, ...]:
    """The products ``text`` names right after a lead phrase, in order: what a description
    says its software replaces ("eine Alternative zu Doodle", "instead of SurveyMonkey"). A
    product merely named ("exports to Excel", "streams to Webex") is not among them."""
    found: dict[str, Product] = {}
    for mention in _mentions(text):
        if mention.after_lead:
            found.setdefault(mention.product.id, mention.product)
    return tuple(found.values())


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    length: int
    product: Product
    after_lead: bool


def _mentions(text: str) -> list[_Mention]:
    """Every product named in ``text`` (the longest name at each word), in one pass: each
    start reads only as far as some key or lead phrase still begins that way."""
    index = _index()
    tokens = words(text)
    lead_ends: set[int] = set()
    found_all: list[_Mention] = []
    for start in range(len(tokens)):
        end = start + 1
        found: tuple[int, Product] | None = None
        while end <= len(tokens):
            sequence = tokens[start:end]
            if sequence in index.leads:
                lead_ends.add(end)
            if sequence in index.keys:
                found = (end - start, index.keys[sequence])
            if sequence not in index.prefixes:
                break
            end += 1
        if found is not None:
            found_all.append(_Mention(start, found[0], found[1], start in lead_ends))
    return found_all
