"""The publiccode.yml keys and their rules, declared once (publiccode.yml 0.7, ``schema.core.rst``).

This mirrors the reference validator's ``PublicCodeV0`` struct and its validator tags, so a
reader can compare them line by line: each ``Spec`` says what YAML shape a key takes (``kind``),
whether it must be there, when its checks are skipped (Go's ``omitempty``/``omitnil``), and the
format checks in the order the tags list them. The walker in ``schema.py`` gives it meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from . import formats, vocabularies
from .vocabularies import (
    ALIASES_LIST_URL,
    CATEGORIES_LIST_URL,
    IPA_VOCABULARY_URL,
    SCOPE_LIST_URL,
    SPDX_URL,
)

Kind = Literal["str", "bool", "list", "struct", "dict", "str_or_list"]
Omit = Literal["nil", "empty", None]


@dataclass(frozen=True, slots=True)
class Check:
    """One format rule: ``test(value)`` must hold, else ``message(field_name, value)``."""

    test: Callable[[str], bool]
    message: Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Spec:
    kind: Kind
    required: bool = False
    omit: Omit = None
    """``nil``: skip checks when the key is absent/null; ``empty``: also when it is empty."""
    non_empty: bool = False
    """Go's ``gt=0`` on a list or map: "must contain more than 0 items"."""
    checks: tuple[Check, ...] = ()
    item: Spec | None = None
    """Lists: the spec of every item (Go's ``dive``); dicts: the spec of every value."""
    fields: Mapping[str, Spec] = field(default_factory=dict)
    key_check: Check | None = None
    """Dicts: a rule every key must satisfy (``bcp47_keys``)."""
    required_when: tuple[tuple[str, str], ...] = ()
    """Go's ``required_if=Sibling value``: required when that sibling has that value."""
    allowed_only_when: tuple[str, str] | None = None
    """Go's ``excluded_unless=Sibling value``: must be absent unless the sibling has it."""
    pointer: bool = True
    """Structs: Go pointer (absent → skipped) or value (absent → its fields still checked)."""


def _says(template: str) -> Callable[[str, str], str]:
    return lambda name, _value: template.format(name=name)


def _one_of(values: tuple[str, ...]) -> Check:
    quoted = ", ".join(f'"{v}"' for v in values[:-1]) + f' or "{values[-1]}"'
    return Check(lambda v: v in values,
                 _says("{name} must be one of the following: " + quoted))


def _organisation_uri_message(name: str, value: str) -> str:
    if value.lower().startswith(formats.ITALIAN_PA_URN_PREFIX):
        return (f"{name} must be a valid Italian Public Administration Code (iPA) with format "
                f"'urn:x-italian-pa:[codiceIPA]' (see {IPA_VOCABULARY_URL})")
    return f"{name} is not a valid URI"


def _is_support_id(value: str) -> bool:
    if value.startswith("alias:"):
        return value[len("alias:"):] in vocabularies.SUPPORT_ALIASES
    return formats.is_organisation_uri(value)


def _support_id_message(name: str, value: str) -> str:
    if value.startswith("alias:"):
        return f"{name} contains an unknown alias (see {ALIASES_LIST_URL})"
    return f"{name} is not a valid URI"


URL = Check(formats.is_url, _says("{name} must be a valid URL"))
HTTP_URL = Check(formats.is_http_url, _says("{name} must be an HTTP URL"))
DATE = Check(formats.is_date, _says("{name} must be a date with format 'YYYY-MM-DD'"))
EMAIL = Check(formats.is_email, _says("{name} must be a valid email address"))
SPDX = Check(formats.is_spdx_expression,
             _says("{name} must be a valid license (see " + SPDX_URL + ")"))
MIME = Check(formats.is_mime_type, _says("{name} is not a valid MIME type"))
BCP47 = Check(formats.is_bcp47_tag, _says("{name} must be a valid BCP 47 language"))
COUNTRY = Check(formats.is_country_code,
                _says("{name} must be a valid ISO 3166-1 alpha-2 two-letter country code"))
CATEGORY = Check(vocabularies.CATEGORIES.__contains__,
                 _says("{name} must be a valid category (see " + CATEGORIES_LIST_URL + ")"))
SCOPE = Check(vocabularies.SCOPES.__contains__,
              _says("{name} must be a valid scope (see " + SCOPE_LIST_URL + ")"))
ORGANISATION_URI = Check(formats.is_organisation_uri, _organisation_uri_message)
SUPPORT_ID = Check(_is_support_id, _support_id_message)
IPA_CODE = Check(formats.is_ipa_code, _says(
    "{name} must be a valid Italian Public Administration Code (iPA) (see "
    + IPA_VOCABULARY_URL + ")"))


def max_length(limit: int) -> Check:
    return Check(lambda v: formats.grapheme_count(v, up_to=limit + 1) <= limit,
                 _says("{name} must be a maximum of " + str(limit) + " characters in length"))


def min_length(limit: int) -> Check:
    return Check(lambda v: formats.grapheme_count(v, up_to=limit) >= limit,
                 _says("{name} must be at least " + str(limit) + " characters in length"))


def text(*checks: Check, required: bool = False, omit: Omit = None) -> Spec:
    return Spec("str", required=required, omit=omit, checks=checks)


def strings(*checks: Check, omit: Omit = "empty", non_empty: bool = False,
            required: bool = False) -> Spec:
    """A list of strings; ``checks`` apply to every item."""
    return Spec("list", omit=omit, non_empty=non_empty, required=required, item=text(*checks))


def struct(fields: Mapping[str, Spec], *, pointer: bool = True) -> Spec:
    return Spec("struct", fields=fields, pointer=pointer)


def structs(item_fields: Mapping[str, Spec], **options: object) -> Spec:
    """A list of objects (Go ``*[]T`` with ``omitempty,dive``): null items are empty objects."""
    return Spec("list", omit="empty", item=struct(item_fields, pointer=False),
                **options)  # type: ignore[arg-type]


FLAG = Spec("bool")

ORGANISATION = {"name": text(), "uri": text(ORGANISATION_URI, required=True)}

DESCRIPTION = struct({
    "localisedName": text(),
    "genericName": text(max_length(35)),
    "shortDescription": text(max_length(150), required=True),
    "longDescription": text(min_length(150), max_length(10000), required=True),
    "documentation": text(HTTP_URL, omit="nil"),
    "apiDocumentation": text(HTTP_URL, omit="nil"),
    "features": strings(omit=None, non_empty=True),
    "screenshots": strings(),
    "videos": Spec("list", item=text(HTTP_URL, omit="nil")),
    "awards": strings(),
}, pointer=False)

DEPENDENCY = {
    "name": text(required=True),
    "versionMin": text(),
    "versionMax": text(),
    "optional": FLAG,
    "version": text(),
}

IT_SECTION = struct({
    "countryExtensionVersion": text(_one_of(vocabularies.IT_EXTENSION_VERSIONS), omit="nil"),
    "conforme": struct({
        "lineeGuidaDesign": FLAG,
        "modelloInteroperabilita": FLAG,
        "misureMinimeSicurezza": FLAG,
        "gdpr": FLAG,
    }),
    "riuso": struct({"codiceIPA": text(IPA_CODE, omit="empty")}),
    "piattaforme": struct({name: FLAG for name in ("spid", "pagopa", "cie", "anpr", "io")}),
})

PUBLICCODE = struct({
    "publiccodeYmlVersion": text(),  # checked before everything else, see schema.check_version
    "name": text(required=True),
    "applicationSuite": text(),
    "url": text(URL, required=True),
    "landingURL": text(HTTP_URL, omit="nil"),
    "isBasedOn": Spec("str_or_list", omit="empty", item=text(URL)),
    "softwareVersion": text(),
    "releaseDate": text(DATE, omit="nil"),
    "logo": text(),
    "monochromeLogo": text(),
    "organisation": struct(ORGANISATION),
    "inputTypes": strings(MIME),
    "outputTypes": strings(MIME),
    "platforms": strings(omit=None, non_empty=True),
    "categories": strings(CATEGORY),
    "usedBy": strings(),
    "fundedBy": structs(ORGANISATION),
    "roadmap": text(HTTP_URL, omit="nil"),
    "developmentStatus": text(_one_of(vocabularies.DEVELOPMENT_STATUSES), required=True),
    "softwareType": text(_one_of(vocabularies.SOFTWARE_TYPES), required=True),
    "supports": structs({"id": text(SUPPORT_ID, required=True)}),
    "intendedAudience": struct({
        "scope": strings(SCOPE),
        "countries": strings(COUNTRY),
        "unsupportedCountries": strings(COUNTRY),
    }),
    "description": Spec("dict", non_empty=True, key_check=BCP47, item=DESCRIPTION),
    "legal": struct({
        "license": text(SPDX, required=True),
        "mainCopyrightOwner": text(),
        "repoOwner": text(),
        "authorsFile": text(),
    }, pointer=False),
    "maintenance": struct({
        "type": text(_one_of(vocabularies.MAINTENANCE_TYPES), required=True),
        "contractors": structs(
            {
                "name": text(required=True),
                "email": text(EMAIL, omit="empty"),
                "website": text(HTTP_URL, omit="nil"),
                "until": text(DATE, required=True),
            },
            required_when=(("type", "contract"),),
            allowed_only_when=("type", "contract"),
        ),
        "contacts": structs(
            {
                "name": text(required=True),
                "email": text(EMAIL, omit="empty"),
                "affiliation": text(),
                "phone": text(),
            },
            required_when=(("type", "community"), ("type", "internal")),
        ),
    }, pointer=False),
    "localisation": struct({
        "localisationReady": Spec("bool", required=True),
        "availableLanguages": strings(BCP47, omit=None, required=True, non_empty=True),
    }, pointer=False),
    "dependsOn": struct({
        "open": structs(DEPENDENCY),
        "proprietary": structs(DEPENDENCY),
        "hardware": structs(DEPENDENCY),
    }),
    "IT": IT_SECTION,
    "it": IT_SECTION,
})
