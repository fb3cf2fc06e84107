"""Conformance with the reference validator, italia/publiccode-parser-go v5.

Each row re-expresses one of the reference's test cases (``testdata/v0/{valid,invalid,
valid_with_warnings}`` and the expectations in its ``v0_test.go``) as a small variant of our own
base document, run through the whole pipeline (``validate_bytes``, network off). A row gives the
findings the reference reports for the equivalent file as ``(key, severity, line, column)``;
the line and column are those of our variant, at the place the reference points to.

Deliberate differences from the reference are listed in docs/validation.md ("Known differences
from the reference validator"); rows that would only hold for the reference (iPA code lookup,
absolute paths in messages, library-specific YAML error texts) are not here.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from registry.publiccode import validate_bytes

from .helpers import BASE, LONG, variant

E, W = "error", "warning"
Expected = list[tuple[str, str, int, int]]

# Line numbers of helpers.BASE used below:
#  1 publiccodeYmlVersion  4 platforms      8 description  13 features    17 maintenance
#  2 name                  6 developmentS.  9   en         15 legal        18   type
#  3 url                   7 softwareType  10   shortD.    16   license    19   contacts
#                                          11   longD.                     21 localisation
#                                                                          22   ready / 23 langs
VERSION = 'publiccodeYmlVersion: "0"\n'
URL = 'url: "https://github.com/italia/developers.italia.it.git"\n'
PLATFORMS = "platforms:\n  - web\n"
STATUS = "developmentStatus: development\n"
TYPE = 'softwareType: "standalone/other"\n'
EN = "  en:\n"
SHORT = "    shortDescription: A rather short description which is probably useless\n"
FEATURES = "    features:\n      - Just one feature\n"
LONG_DESCRIPTION = f"    longDescription: >\n      {LONG}\n"
LICENSE = "  license: AGPL-3.0-or-later\n"
MAINTENANCE = "maintenance:\n  type: community\n  contacts:\n    - name: Francesco Rossi\n"
LOCALISATION = "localisation:\n  localisationReady: true\n  availableLanguages:\n    - en\n"


def run(text: str | bytes, base_dir: Path | None = None) -> Expected:
    """(key, severity, line, column) of every finding, sorted (a list: counts matter)."""
    data = text.encode() if isinstance(text, str) else text
    result = validate_bytes(data, base_dir=base_dir, network=False)
    return sorted((f.key, f.severity.value, f.line, f.column) for f in result.findings)


def after(anchor: str, added: str) -> tuple[str, str]:
    return anchor, anchor + added


# (reference case, replacements on BASE, expected findings)
INVALID: list[tuple[str, list[tuple[str, str]], Expected]] = [
    # publiccodeYmlVersion
    ("publiccodeYmlVersion_missing", [(VERSION, "")], [("publiccodeYmlVersion", E, 0, 0)]),
    ("publiccodeYmlVersion_invalid", [(VERSION, 'publiccodeYmlVersion: "1"\n')],
     [("publiccodeYmlVersion", E, 0, 0)]),
    ("publiccodeYmlVersion_wrong_type", [(VERSION, "publiccodeYmlVersion: []\n")],
     [("publiccodeYmlVersion", E, 1, 1)]),
    # required top-level keys: reported at the document's first key
    ("name_missing", [("name: Medusa\n", "")], [("name", E, 1, 1)]),
    ("url_missing", [(URL, "")], [("url", E, 1, 1)]),
    ("platforms_missing", [(PLATFORMS, "")], [("platforms", E, 1, 1)]),
    ("developmentStatus_missing", [(STATUS, "")], [("developmentStatus", E, 1, 1)]),
    ("softwareType_missing", [(TYPE, "")], [("softwareType", E, 1, 1)]),
    ("legal_missing", [("legal:\n" + LICENSE, "")], [("legal.license", E, 0, 0)]),
    # wrong types: the key's line, column 1; a required key that did not decode is also missing
    ("name_wrong_type", [("name: Medusa", "name: []")], [("name", E, 2, 1), ("name", E, 2, 1)]),
    ("url_wrong_type", [(URL, "url: []\n")], [("url", E, 3, 1), ("url", E, 3, 1)]),
    ("platforms_wrong_type", [(PLATFORMS, "platforms: foobar\n")],
     [("platforms", E, 4, 1), ("platforms", E, 4, 1)]),
    ("developmentStatus_wrong_type", [(STATUS, "developmentStatus: []\n")],
     [("developmentStatus", E, 6, 1), ("developmentStatus", E, 6, 1)]),
    ("isBasedOn_wrong_type", [after(URL, "isBasedOn:\n  foobar: baz\n")],
     [("isBasedOn.foobar", E, 5, 1)]),
    ("releaseDate_wrong_type", [after(URL, "releaseDate: []\n")], [("releaseDate", E, 4, 1)]),
    ("usedBy_wrong_type", [after(URL, "usedBy: foobar\n")], [("usedBy", E, 4, 1)]),
    ("intendedAudience_scope_wrong_type", [after(TYPE, "intendedAudience:\n  scope: foo\n")],
     [("intendedAudience.scope", E, 9, 1)]),
    ("fundedBy_wrong_type", [after(TYPE, "fundedBy:\n  name: foobar\n")],
     [("fundedBy.name", E, 9, 1)]),
    ("organisation_wrong_type", [after(TYPE, "organisation:\n  - name: foobar\n")],
     [("organisation[0]", E, 9, 1)]),
    ("legal_wrong_type", [("legal:\n" + LICENSE, "legal: []\n")],
     [("legal", E, 15, 1), ("legal.license", E, 15, 8)]),
    ("maintenance_contractors_invalid_type",
     [(MAINTENANCE, "maintenance:\n  type: contract\n  contractors: foobar\n")],
     [("maintenance.contractors", E, 19, 1), ("maintenance.type", E, 18, 3)]),
    ("dependsOn_open_name_wrong_type",
     [after(LOCALISATION, "dependsOn:\n  open:\n    - name: []\n")],
     [("dependsOn.open[0]", E, 27, 1)]),
    # a wrong type inside one description empties the whole map
    ("description_en_localisedName_wrong_type", [after(EN, "    localisedName: []\n")],
     [("description.en.localisedName", E, 10, 1), ("description", E, 8, 1)]),
    # YAML 1.1 booleans are strings in YAML 1.2, so a wrong type (which empties localisation)
    ("localisation_localisationReady_yaml11_yes",
     [("localisationReady: true", "localisationReady: yes")],
     [("localisation.localisationReady", E, 22, 1), ("localisation.localisationReady", E, 22, 3),
      ("localisation.availableLanguages", E, 23, 3)]),
    # unknown keys
    ("unknown_field", [after(URL, "foobar: baz\n")], [("foobar", E, 4, 1)]),
    ("it_wrong_case", [], [("It", E, 25, 1)]),  # appended below
    # enumerations and formats
    ("developmentStatus_invalid", [(STATUS, "developmentStatus: foobar\n")],
     [("developmentStatus", E, 6, 1)]),
    ("softwareType_invalid", [(TYPE, "softwareType: foobar\n")], [("softwareType", E, 7, 1)]),
    ("maintenance_type_invalid", [("  type: community", "  type: no_such_type")],
     [("maintenance.type", E, 18, 3)]),
    ("url_invalid", [(URL, "url: foobar\n")], [("url", E, 3, 1)]),
    ("landingURL_invalid", [after(URL, "landingURL: '???'\n")], [("landingURL", E, 4, 1)]),
    ("roadmap_invalid", [after(URL, "roadmap: foobar\n")], [("roadmap", E, 4, 1)]),
    ("isBasedOn_bad_url_string", [after(URL, "isBasedOn: foobar\n")], [("isBasedOn[0]", E, 4, 1)]),
    ("isBasedOn_bad_url_array", [after(URL, "isBasedOn:\n  - https://example.org/a.git\n  - b\n")],
     [("isBasedOn[1]", E, 6, 5)]),
    ("releaseDate_invalid", [after(URL, "releaseDate: foobar\n")], [("releaseDate", E, 4, 1)]),
    ("releaseDate_empty", [after(URL, 'releaseDate: ""\n')], [("releaseDate", E, 4, 1)]),
    ("releaseDate_datetime", [after(URL, 'releaseDate: "2011-01-01 20:04:05"\n')],
     [("releaseDate", E, 4, 1)]),
    ("categories_invalid", [after(PLATFORMS, "categories:\n  - foobar\n")],
     [("categories[0]", E, 7, 5)]),
    ("inputTypes_invalid", [after(PLATFORMS, "inputTypes:\n  - text/plain\n  - foobar\n")],
     [("inputTypes[1]", E, 8, 5), ("inputTypes", W, 6, 1)]),
    ("intendedAudience_countries_invalid_country",
     [after(TYPE, "intendedAudience:\n  countries:\n    - IT\n    - mouseton\n")],
     [("intendedAudience.countries[1]", E, 11, 7)]),
    ("intendedAudience_countries_invalid_iso_3166_1_alpha_2",  # mixed case is not a code
     [after(TYPE, "intendedAudience:\n  countries:\n    - Fr\n")],
     [("intendedAudience.countries[0]", E, 10, 7)]),
    ("intendedAudience_scope_invalid_scope",
     [after(TYPE, "intendedAudience:\n  scope:\n    - foo\n")],
     [("intendedAudience.scope[0]", E, 10, 7)]),
    ("organisation_uri_missing", [after(TYPE, "organisation:\n  name: foobar\n")],
     [("organisation.uri", E, 9, 3)]),
    ("organisation_wrong_uri", [after(TYPE, 'organisation:\n  name: foobar\n  uri: "1"\n')],
     [("organisation.uri", E, 10, 3)]),
    ("organisation_uri_wrong_italian_pa", [after(TYPE, "organisation:\n  name: foo\n  uri: pcm\n")],
     [("organisation.uri", E, 10, 3)]),
    ("fundedBy_uri_missing", [after(TYPE, "fundedBy:\n  - name: foobar\n")],
     [("fundedBy[0].uri", E, 9, 5)]),
    ("fundedBy_wrong_uri", [after(TYPE, 'fundedBy:\n  - name: foobar\n    uri: "1"\n')],
     [("fundedBy[0].uri", E, 10, 5)]),
    ("supports_unknown_alias", [after(TYPE, "supports:\n  - id: alias:nonexistent\n")],
     [("supports[0].id", E, 9, 5)]),
    # description
    ("description_invalid_language", [(EN, "  xxx:\n")], [("description", E, 8, 1)]),
    ("description_en_gb_invalid_bcp47", [(EN, "  en_GB:\n")], [("description", E, 8, 1)]),
    ("description_en_shortDescription_missing", [(SHORT, "")],
     [("description.en.shortDescription", E, 10, 5)]),
    ("description_en_features_empty", [(FEATURES, "    features: []\n")],
     [("description.en.features", E, 13, 5)]),
    ("description_en_longDescription_too_short",
     [(LONG_DESCRIPTION, "    longDescription: short\n")],
     [("description.en.longDescription", E, 11, 5)]),
    # 122 boy emojis and 13 line breaks: 135 grapheme clusters (257 code points) < 150
    ("description_en_longDescription_too_short_grapheme_clusters",
     [(LONG_DESCRIPTION, "    longDescription: >\n" + ("      " + "\U0001F466" * 10 + "\n") * 12
                         + "      " + "\U0001F466" * 2 + "\n")],
     [("description.en.longDescription", E, 11, 5)]),
    ("description_en_genericName_too_long", [after(EN, "    genericName: " + "x" * 36 + "\n")],
     [("description.en.genericName", E, 10, 5), ("description.en.genericName", W, 10, 5)]),
    ("description_en_documentation_invalid", [after(EN, "    documentation: not_a_url\n")],
     [("description.en.documentation", E, 10, 5)]),
    ("description_en_videos_invalid", [after(FEATURES, "    videos:\n      - ABC\n")],
     [("description.en.videos[0]", E, 16, 9), ("description.en.videos[0]", E, 16, 9)]),
    ("description_en_videos_invalid_oembed",
     [after(FEATURES, "    videos:\n      - https://google.com\n")],
     [("description.en.videos[0]", E, 16, 9)]),
    # legal, maintenance, localisation
    ("legal_license_missing", [(LICENSE, "  mainCopyrightOwner: City of Chicago\n")],
     [("legal.license", E, 16, 3)]),
    ("legal_license_invalid", [(LICENSE, "  license: Invalid License\n")],
     [("legal.license", E, 16, 3)]),
    ("maintenance_type_missing", [("  type: community\n", "")], [("maintenance.type", E, 18, 3)]),
    ("maintenance_contacts_missing_with_type_internal",
     [(MAINTENANCE, "maintenance:\n  type: internal\n")], [("maintenance.contacts", E, 18, 3)]),
    ("maintenance_contacts_name_missing", [("    - name: Francesco Rossi", "    - email: a@b.org")],
     [("maintenance.contacts[0].name", E, 20, 7)]),
    ("maintenance_contacts_email_invalid",
     [after("    - name: Francesco Rossi\n", "      email: not_an_email\n")],
     [("maintenance.contacts[0].email", E, 21, 7)]),
    ("maintenance_contractors_missing_with_type_contract",
     [(MAINTENANCE, "maintenance:\n  type: contract\n")], [("maintenance.contractors", E, 18, 3)]),
    ("maintenance_contractors_when_type_is_community",
     [after("  type: community\n", "  contractors:\n    - name: Foo\n      until: 2019-01-01\n")],
     [("maintenance.contractors", E, 19, 3)]),
    ("maintenance_contractors_until_invalid",
     [(MAINTENANCE, "maintenance:\n  type: contract\n  contractors:\n    - name: Foo\n"
                    "      until: not_a_date\n")],
     [("maintenance.contractors[0].until", E, 21, 7)]),
    ("maintenance_contractors_website_invalid",
     [(MAINTENANCE, "maintenance:\n  type: contract\n  contractors:\n    - name: Foo\n"
                    "      until: 2019-01-01\n      website: foobar\n")],
     [("maintenance.contractors[0].website", E, 22, 7)]),
    ("localisation_availableLanguages_missing",
     [("  availableLanguages:\n    - en\n", "")], [("localisation.availableLanguages", E, 22, 3)]),
    ("localisation_availableLanguages_empty",
     [("  availableLanguages:\n    - en\n", "  availableLanguages: []\n")],
     [("localisation.availableLanguages", E, 23, 3)]),
    ("localisation_availableLanguages_invalid_bcp47", [("    - en\n", "    - hr_HR\n")],
     [("localisation.availableLanguages[0]", E, 24, 7)]),
    # the reference's valid.yml moved from ita/fra/deu to it/fr/de: the shortest code is required
    ("availableLanguages ita (ISO 639-2)", [("    - en\n", "    - ita\n")],
     [("localisation.availableLanguages[0]", E, 24, 7)]),
    ("localisation_localisationReady_missing", [("  localisationReady: true\n", "")],
     [("localisation.localisationReady", E, 22, 3)]),
    # the IT section
    ("it_countryExtensionVersion_invalid", [], [("IT.countryExtensionVersion", E, 26, 3)]),
    ("it_IT_duplicated", [], [("it", W, 27, 1), ("it", E, 27, 1)]),
]
APPENDED = {
    "it_wrong_case": 'It:\n  countryExtensionVersion: "1.0"\n',
    "it_countryExtensionVersion_invalid": 'IT:\n  countryExtensionVersion: "0.1"\n',
    "it_IT_duplicated": ('IT:\n  countryExtensionVersion: "1.0"\n'
                         'it:\n  countryExtensionVersion: "1.0"\n'),
}
"""Sections added after the base's last line (24), so the section starts on line 25."""


@pytest.mark.parametrize(("case", "replacements", "expected"), INVALID,
                         ids=[row[0] for row in INVALID])
def test_invalid_case(case, replacements, expected):
    text = variant(*replacements, append=APPENDED.get(case, ""))
    assert run(text) == sorted(expected)


VALID: list[tuple[str, list[tuple[str, str]]]] = [
    ("valid.minimal", []),
    ("categories_empty", [after(PLATFORMS, "categories: []\n")]),
    ("categories_other", [after(PLATFORMS, "categories:\n  - other\n")]),
    ("valid_spdx_or", [(LICENSE, "  license: AGPL-3.0-or-later OR MIT\n")]),
    ("valid_spdx_with", [(LICENSE, "  license: GPL-2.0-or-later WITH Classpath-exception-2.0\n")]),
    ("valid_with_organisation_uri_italian_pa",
     [after(TYPE, "organisation:\n  name: PCM\n  uri: urn:x-italian-pa:pcm\n")]),
    ("organisation_name_missing", [after(TYPE, "organisation:\n  uri: https://example.org\n")]),
    ("fundedBy_name_missing", [after(TYPE, "fundedBy:\n  - uri: urn:isbn:0451450523\n")]),
    ("valid_with_supports", [after(TYPE, "supports:\n  - id: alias:gdpr\n  - id: alias:spid\n"
                                         "  - id: https://eur-lex.europa.eu/eli/reg/2016/679/oj\n"
                                         "  - id: urn:iso:std:iso:27001\n")]),
    ("maintenance_contacts_when_type_is_none", [("  type: community", "  type: none")]),
    ("maintenance_contacts_when_type_is_contract",
     [("  type: community\n", "  type: contract\n  contractors:\n    - name: Foo\n"
                              "      until: 2019-01-01\n")]),
    ("maintenance_contacts_phone",
     [after("    - name: Francesco Rossi\n", '      phone: "+39 231"\n')]),
    ("countryExtensionVersion_1.0", []),  # appended below
    ("logo_missing_url", [after(URL, "logo: https://google.com/no_such_file.png\n")]),  # offline
    ("valid.yml languages", [("    - en\n", "    - en\n    - it\n    - fr\n    - sl-IT-nedis\n")]),
    # beyond the testdata, from the reference's own validators
    ("Tagalog is tl (golang.org/x/text applies no legacy alias)", [("    - en\n", "    - tl\n")]),
    ("go-playground email: special-use domain and trailing dot",
     [after("    - name: Francesco Rossi\n", "      email: info@comune.local.\n")]),
]
VALID_APPENDED = {"countryExtensionVersion_1.0": 'IT:\n  countryExtensionVersion: "1.0"\n'}


@pytest.mark.parametrize(("case", "replacements"), VALID, ids=[row[0] for row in VALID])
def test_valid_case(case, replacements):
    assert run(variant(*replacements, append=VALID_APPENDED.get(case, ""))) == []


WARNINGS: list[tuple[str, list[tuple[str, str]], str, Expected]] = [
    ("valid.minimal.v0.2", [(VERSION, 'publiccodeYmlVersion: "0.2"\n')], "",
     [("publiccodeYmlVersion", W, 1, 1)]),
    ("valid.minimal.v0.4", [(VERSION, 'publiccodeYmlVersion: "0.4"\n')], "",
     [("publiccodeYmlVersion", W, 1, 1)]),
    ("valid.mime_types", [after(PLATFORMS, "inputTypes:\n  - text/plain\n"
                                           "outputTypes:\n  - application/json\n")], "",
     [("inputTypes", W, 6, 1), ("outputTypes", W, 8, 1)]),
    ("valid_with_lowercase_countries",
     [after(TYPE, "intendedAudience:\n  countries:\n    - it\n"
                  "  unsupportedCountries:\n    - us\n")],
     "", [("intendedAudience.countries[0]", W, 10, 7),
          ("intendedAudience.unsupportedCountries[0]", W, 12, 7)]),
    ("valid_with_legal_repoOwner", [after(LICENSE, "  repoOwner: City of Chicago\n")], "",
     [("legal.repoOwner", W, 17, 3)]),
    ("valid_with_it_conforme", [], "IT:\n  conforme:\n    gdpr: true\n",
     [("IT.conforme", W, 26, 3)]),
    ("valid_with_IT_riuso_codiceIPA", [], "IT:\n  riuso:\n    codiceIPA: pcm\n",
     [("IT.riuso.codiceIPA", W, 27, 5)]),
    ("valid_with_country_specific_section_downcase", [], "it:\n  piattaforme:\n    spid: true\n",
     [("it", W, 25, 1)]),
    # genericName's maximum is 35 grapheme clusters: 30 decomposed "é" are 60 code points
    ("unicode_grapheme_clusters", [after(EN, "    genericName: " + "e\u0301" * 30 + "\n")], "",
     [("description.en.genericName", W, 10, 5)]),
]


@pytest.mark.parametrize(("case", "replacements", "append", "expected"), WARNINGS,
                         ids=[row[0] for row in WARNINGS])
def test_valid_with_warnings_case(case, replacements, append, expected):
    assert run(variant(*replacements, append=append)) == sorted(expected)


# --- files next to the publiccode.yml (the reference checks them even with the network off) -


def png(width: int = 200, height: int = 200) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


FILES: list[tuple[str, str, Expected]] = [
    ("logo ok", "logo: logo.png\n", []),
    ("logo_missing_file", "logo: no_such_file.png\n", [("logo", E, 4, 1)]),
    ("logo_invalid_png", "logo: not_an_image.png\n", [("logo", E, 4, 1)]),
    ("logo_unsupported_extension", "logo: logo.mpg\n", [("logo", E, 4, 1)]),
    ("logo_absolute_path", "logo: /logo.png\n", [("logo", E, 4, 1)]),
    ("logo_file_scheme", "logo: file:///logo.png\n", [("logo", E, 4, 1)]),
    ("logo_file_scheme3", "logo: file:/logo.png\n", [("logo", E, 4, 1)]),
    ("monochromeLogo_missing_file", "monochromeLogo: no_such_file.png\n",
     [("monochromeLogo", W, 4, 1), ("monochromeLogo", E, 4, 1)]),
    ("legal_authorsFile_missing_file", "", [("legal.authorsFile", W, 17, 3),
                                            ("legal.authorsFile", E, 17, 3)]),
    ("description_en_screenshots_missing_file", "",
     [("description.en.screenshots[0]", E, 16, 9)]),
]


@pytest.mark.parametrize(("case", "added", "expected"), FILES, ids=[row[0] for row in FILES])
def test_file_case(tmp_path, case, added, expected):
    (tmp_path / "logo.png").write_bytes(png())
    (tmp_path / "not_an_image.png").write_text("this is not a PNG\n")
    if case == "legal_authorsFile_missing_file":
        replacements = [after(LICENSE, "  authorsFile: no_such_authors_file.txt\n")]
    elif case == "description_en_screenshots_missing_file":
        replacements = [after(FEATURES, "    screenshots:\n      - no_such_file.png\n")]
    else:
        replacements = [after(URL, added)]
    assert run(variant(*replacements), base_dir=tmp_path) == sorted(expected)


# --- reading the file ------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "data", "expected"), [
    ("file_encoding", BASE.encode().replace(b"Medusa", b"Medus\xe0"), [("", E, 2, 12)]),
    # the reference's YAML library reports column 1 and its own wording; the line agrees
    ("invalid_yaml", variant((FEATURES, "     features:\n      - Just one feature\n")).encode(),
     [("", E, 13, 6)]),
    ("mostly_empty", b"publiccodeYmlVersion: '0'\ndescription:\n  en-US: {}\nlocalisation: {}\n"
                     b"legal: {}\nmaintenance: {}\n",
     [("name", E, 1, 1), ("url", E, 1, 1), ("platforms", E, 1, 1),
      ("developmentStatus", E, 1, 1), ("softwareType", E, 1, 1),
      ("description[en-US].shortDescription", E, 3, 10),
      ("description[en-US].longDescription", E, 3, 10),
      ("description[en-US].features", E, 3, 10), ("legal.license", E, 5, 8),
      ("maintenance.type", E, 6, 14), ("localisation.localisationReady", E, 4, 15),
      ("localisation.availableLanguages", E, 4, 15)]),
], ids=["file_encoding", "invalid_yaml", "mostly_empty"])
def test_reading_case(case, data, expected):
    assert run(data) == sorted(expected)
