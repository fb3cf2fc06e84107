"""One test (or parametrised group) per schema rule, modelled on the reference's testdata
(italia/publiccode-parser-go ``testdata/v0/{valid,invalid,valid_with_warnings}``): the expected
keys, messages and positions are the reference's for the equivalent files."""

from __future__ import annotations

import pytest

from .helpers import BASE, LONG, keys, summary, variant

DEPRECATED = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"


def test_the_base_document_is_valid():
    assert summary(BASE) == []


# --- publiccodeYmlVersion -------------------------------------------------------------------


def test_missing_version_is_the_only_finding():
    text = variant(('publiccodeYmlVersion: "0"\n', ""))
    assert summary(text) == [("publiccodeYmlVersion", "publiccodeYmlVersion is a required field",
                              0, 0, "error")]


@pytest.mark.parametrize("value", ["[]", "0.4", "7"])
def test_version_must_be_a_string(value):
    text = variant(('publiccodeYmlVersion: "0"', f"publiccodeYmlVersion: {value}"))
    assert summary(text) == [("publiccodeYmlVersion", "wrong type for this field", 1, 1, "error")]


@pytest.mark.parametrize("value", ["0.1", "1", "0.6"])
def test_unsupported_version_stops_the_check(value):
    text = variant(('publiccodeYmlVersion: "0"', f'publiccodeYmlVersion: "{value}"'),
                   ("name: Medusa\n", ""))
    assert summary(text) == [(
        "publiccodeYmlVersion",
        f"unsupported version: '{value}'. Supported versions: 0, 0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, "
        "0.3.0, 0.4, 0.4.0, 0.5.0, 0.5, 0.7.0, 0.7",
        0, 0, "error",
    )]


@pytest.mark.parametrize("value", ["0.2", "0.2.2", "0.3", "0.4.0", "0.5"])
def test_older_versions_warn_and_are_read_as_0_7(value):
    text = variant(('publiccodeYmlVersion: "0"', f"publiccodeYmlVersion: '{value}'"))
    assert summary(text) == [(
        "publiccodeYmlVersion",
        f"v{value} is not the latest version, use '0'. Parsing this file as v0.7.",
        1, 1, "warning",
    )]


@pytest.mark.parametrize("value", ["0", "0.7", "0.7.0"])
def test_current_versions_are_silent(value):
    assert summary(variant(('publiccodeYmlVersion: "0"', f'publiccodeYmlVersion: "{value}"'))) == []


# --- unknown keys and wrong types -----------------------------------------------------------


def test_unknown_top_level_key():
    text = variant(append="foobar: 1\n")
    assert summary(text) == [("foobar", 'unknown field "foobar"', 25, 1, "error")]


def test_unknown_nested_key_is_named_by_its_path():
    text = variant(("  license: AGPL-3.0-or-later\n",
                    "  license: AGPL-3.0-or-later\n  licence: MIT\n"))
    assert summary(text) == [("legal.licence", 'unknown field "licence"', 17, 1, "error")]


def test_wrong_case_country_section_is_unknown():
    text = variant(append="It:\n  countryExtensionVersion: '1.0'\n")
    assert keys(text) == [("It", "error")]


def test_wrong_type_on_a_required_string_also_makes_it_missing():
    text = variant(("name: Medusa", "name: []"))
    assert summary(text) == [
        ("name", "wrong type for this field", 2, 1, "error"),
        ("name", "name is a required field", 2, 1, "error"),
    ]


@pytest.mark.parametrize("value", ["123", "1.5", "true", "2024-01-01"])
def test_scalars_are_accepted_where_a_string_is_expected(value):
    assert summary(variant(("name: Medusa", f"name: {value}"))) == []


def test_wrong_type_drops_the_whole_top_level_key():
    """As the reference: ``legal: []`` leaves legal empty, so license is then missing."""
    text = variant(("legal:\n  license: AGPL-3.0-or-later\n", "legal: []\n"))
    assert summary(text) == [
        ("legal", "wrong type for this field", 15, 1, "error"),
        ("legal.license", "license is a required field", 15, 8, "error"),
    ]


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "Yes", "'true'", "1"])
def test_yaml_1_1_booleans_are_rejected(value):
    text = variant(("localisationReady: true", f"localisationReady: {value}"))
    assert summary(text) == [
        ("localisation.localisationReady", "wrong type for this field", 22, 1, "error"),
        ("localisation.localisationReady", "localisationReady is a required field", 22, 3,
         "error"),
        ("localisation.availableLanguages", "availableLanguages is a required field", 23, 3,
         "error"),
    ]


def test_wrong_type_inside_a_description_empties_description():
    text = variant(("    shortDescription:", "    localisedName: []\n    shortDescription:"))
    assert summary(text) == [
        ("description", "description must contain more than 0 items", 8, 1, "error"),
        ("description.en.localisedName", "wrong type for this field", 10, 1, "error"),
    ]


def test_wrong_type_keys_follow_the_line_like_the_reference():
    organisation = variant(append="organisation:\n  - name: foobar\n    uri: 'urn:foo:bar'\n")
    assert keys(organisation) == [("organisation[0]", "error")]
    funded = variant(append="fundedBy:\n  name: foobar\n  uri: 'urn:foo:bar'\n")
    assert summary(funded) == [("fundedBy.name", "wrong type for this field", 26, 1, "error")]


def test_wrong_type_in_maintenance_empties_maintenance():
    """The reference's maintenance_contractors_invalid_type.yml."""
    text = variant(("  type: community\n  contacts:\n    - name: Francesco Rossi\n",
                    "  type: contract\n  contractors: {}\n"))
    assert summary(text) == [
        ("maintenance.type", "type is a required field", 18, 3, "error"),
        ("maintenance.contractors", "wrong type for this field", 19, 1, "error"),
    ]


def test_is_based_on_map_is_a_wrong_type():
    text = variant(append="isBasedOn:\n    foobar: baz\n")
    assert summary(text) == [("isBasedOn.foobar", "wrong type for this field", 26, 1, "error")]


def test_dependency_optional_must_be_a_boolean():
    good = variant(append="dependsOn:\n  open:\n    - name: MySQL\n      optional: true\n")
    assert summary(good) == []
    bad = variant(append="dependsOn:\n  open:\n    - name: MySQL\n      optional: yes\n")
    assert summary(bad) == [("dependsOn.open[0].optional", "wrong type for this field", 28, 1,
                             "error")]


# --- required keys --------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "key"), [
    ("name: Medusa\n", "name"),
    ('url: "https://github.com/italia/developers.italia.it.git"\n', "url"),
    ("developmentStatus: development\n", "developmentStatus"),
    ('softwareType: "standalone/other"\n', "softwareType"),
])
def test_missing_top_level_key_points_at_the_document(line, key):
    assert summary(variant((line, ""))) == [(key, f"{key} is a required field", 1, 1, "error")]


def test_missing_platforms():
    text = variant(("platforms:\n  - web\n", ""))
    assert summary(text) == [("platforms", "platforms must contain more than 0 items", 1, 1,
                              "error")]


def test_missing_section_gives_0_0_for_its_keys():
    text = variant(("legal:\n  license: AGPL-3.0-or-later\n", ""))
    assert summary(text) == [("legal.license", "license is a required field", 0, 0, "error")]


def test_mostly_empty_document_like_the_reference():
    text = ("publiccodeYmlVersion: '0'\ndescription:\n  en-US: {}\nlocalisation: {}\nlegal: {}\n"
            "maintenance: {}\n")
    assert summary(text) == [
        ("developmentStatus", "developmentStatus is a required field", 1, 1, "error"),
        ("name", "name is a required field", 1, 1, "error"),
        ("platforms", "platforms must contain more than 0 items", 1, 1, "error"),
        ("softwareType", "softwareType is a required field", 1, 1, "error"),
        ("url", "url is a required field", 1, 1, "error"),
        ("description[en-US].features", "features must contain more than 0 items", 3, 10,
         "error"),
        ("description[en-US].longDescription", "longDescription is a required field", 3, 10,
         "error"),
        ("description[en-US].shortDescription", "shortDescription is a required field", 3, 10,
         "error"),
        ("localisation.availableLanguages", "availableLanguages is a required field", 4, 15,
         "error"),
        ("localisation.localisationReady", "localisationReady is a required field", 4, 15,
         "error"),
        ("legal.license", "license is a required field", 5, 8, "error"),
        ("maintenance.type", "type is a required field", 6, 14, "error"),
    ]


def test_null_value_counts_as_missing():
    assert summary(variant(("name: Medusa", "name:"))) == [
        ("name", "name is a required field", 2, 1, "error")]


# --- enumerations ---------------------------------------------------------------------------


def test_development_status_enumeration():
    text = variant(("developmentStatus: development", "developmentStatus: foobar"))
    assert summary(text) == [(
        "developmentStatus",
        'developmentStatus must be one of the following: "concept", "development", "beta", '
        '"stable" or "obsolete"',
        6, 1, "error",
    )]


def test_software_type_enumeration():
    text = variant(('softwareType: "standalone/other"', "softwareType: app"))
    assert keys(text) == [("softwareType", "error")]
    assert '"addon", "library" or "configurationFiles"' in summary(text)[0][1]


def test_maintenance_type_enumeration():
    text = variant(("  type: community", "  type: sometimes"))
    assert summary(text) == [(
        "maintenance.type",
        'type must be one of the following: "internal", "contract", "community" or "none"',
        18, 3, "error",
    )]


@pytest.mark.parametrize("value", ["other", "cloud-management", "whistleblowing"])
def test_known_categories(value):
    assert summary(variant(append=f"categories:\n  - {value}\n")) == []


def test_unknown_category():
    assert summary(variant(append="categories:\n  - sanita\n")) == [(
        "categories[0]",
        "categories[0] must be a valid category (see https://github.com/publiccodeyml/"
        "publiccode.yml/blob/main/docs/standard/categories-list.rst)",
        26, 5, "error",
    )]


def test_scope_list():
    assert summary(variant(append="intendedAudience:\n  scope:\n    - welfare\n")) == []
    text = variant(append="intendedAudience:\n  scope:\n    - tourism\n    - games\n")
    assert keys(text) == [("intendedAudience.scope[1]", "error")]


# --- lengths in grapheme clusters -----------------------------------------------------------


def test_short_description_maximum():
    text = variant(("A rather short description which is probably useless", "x" * 151))
    assert summary(text) == [("description.en.shortDescription",
                              "shortDescription must be a maximum of 150 characters in length",
                              10, 5, "error")]


def test_lengths_count_grapheme_clusters():
    thumbs = "\U0001f44d\U0001f3fd"  # one cluster, two code points
    ok = variant(("A rather short description which is probably useless", thumbs * 150))
    assert summary(ok) == []
    too_long = variant(("A rather short description which is probably useless", thumbs * 151))
    assert keys(too_long) == [("description.en.shortDescription", "error")]


def test_long_description_limits():
    # the folded scalar keeps its final newline, which counts (as in the reference)
    short = variant((LONG, "e\u0301" * 148))  # 296 code points + newline: 149 clusters
    assert summary(short) == [("description.en.longDescription",
                               "longDescription must be at least 150 characters in length",
                               11, 5, "error")]
    assert summary(variant((LONG, "e\u0301" * 149))) == []
    long = variant((LONG, "x" * 10001))
    assert summary(long)[0][1] == "longDescription must be a maximum of 10000 characters in length"


def test_generic_name_is_limited_and_deprecated():
    generic = "    genericName: " + "g" * 36 + "\n"
    text = variant(("    shortDescription:", generic + "    shortDescription:"))
    assert summary(text) == [
        ("description.en.genericName", "genericName must be a maximum of 35 characters in length",
         10, 5, "error"),
        ("description.en.genericName", DEPRECATED, 10, 5, "warning"),
    ]


# --- description ----------------------------------------------------------------------------


def test_empty_description():
    start = BASE.index("description:")
    end = BASE.index("legal:")
    text = BASE[:start] + "description: {}\n" + BASE[end:]
    assert summary(text) == [("description", "description must contain more than 0 items", 8, 1,
                              "error")]


@pytest.mark.parametrize("language", ["eng", "en_GB", "english", "xx"])
def test_description_keys_must_be_bcp47(language):
    text = variant(("  en:", f"  {language}:"))
    assert summary(text) == [("description", "description must be a valid BCP 47 language", 8, 1,
                              "error")]


def test_non_alphabetic_language_keys_are_bracketed():
    text = variant(("  en:", "  en-GB:"), ("    features:\n      - Just one feature\n", ""))
    assert summary(text) == [("description[en-GB].features",
                              "features must contain more than 0 items", 10, 5, "error")]


def test_null_description_language_is_checked_as_empty():
    start, end = BASE.index("  en:"), BASE.index("legal:")
    text = BASE[:start] + "  en:\n" + BASE[end:]
    assert keys(text) == [("description.en.features", "error"),
                          ("description.en.longDescription", "error"),
                          ("description.en.shortDescription", "error")]


def test_features_must_not_be_empty():
    text = variant(("    features:\n      - Just one feature\n", "    features: []\n"))
    assert summary(text) == [("description.en.features", "features must contain more than 0 items",
                              13, 5, "error")]


def test_documentation_urls_must_be_http():
    text = variant(("    features:", "    documentation: not_a_url\n    features:"))
    assert summary(text) == [("description.en.documentation",
                              "documentation must be an HTTP URL", 13, 5, "error")]


def test_videos_must_be_oembed_video_urls():
    def with_videos(*urls):
        listed = "".join(f"      - {url}\n" for url in urls)
        return variant(("    features:", f"    videos:\n{listed}    features:"))

    assert summary(with_videos("https://www.youtube.com/watch?v=RaHmGbBOP84",
                               "https://vimeo.com/12345")) == []
    assert summary(with_videos("https://google.com")) == [(
        "description.en.videos[0]",
        "'https://google.com' is not a valid video URL supporting oEmbed: invalid oEmbed link: "
        "https://google.com",
        14, 9, "error",
    )]
    assert summary(with_videos("ABC")) == [
        ("description.en.videos[0]", "videos[0] must be an HTTP URL", 14, 9, "error"),
        ("description.en.videos[0]",
         "'ABC' is not a valid video URL supporting oEmbed: invalid oEmbed link: ABC", 14, 9,
         "error"),
    ]


# --- legal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("license_", ["EUPL-1.2 OR AGPL-3.0-or-later", "MIT", "GPL-3.0",
                                      "'(MIT OR Apache-2.0) AND BSD-3-Clause'", "GPL-2.0+",
                                      "Apache-2.0 WITH LLVM-exception", "LicenseRef-Custom"])
def test_spdx_expressions(license_):
    assert summary(variant(("AGPL-3.0-or-later", license_))) == []


@pytest.mark.parametrize("license_", ["Proprietary", "GPL", "MIT AND", "'MIT OR'"])
def test_invalid_licenses(license_):
    assert summary(variant(("AGPL-3.0-or-later", license_))) == [(
        "legal.license", "license must be a valid license (see https://spdx.org/licenses)",
        16, 3, "error")]


# --- maintenance: required_if / excluded_unless ---------------------------------------------


@pytest.mark.parametrize("kind", ["community", "internal"])
def test_contacts_required_for_community_and_internal(kind):
    text = variant(("  type: community\n  contacts:\n    - name: Francesco Rossi\n",
                    f"  type: {kind}\n"))
    assert summary(text) == [("maintenance.contacts",
                              f'contacts is a required field when "type" is "{kind}"', 18, 3,
                              "error")]


def test_contractors_required_for_contract():
    text = variant(("  type: community\n  contacts:\n    - name: Francesco Rossi\n",
                    "  type: contract\n"))
    assert summary(text) == [("maintenance.contractors",
                              'contractors is a required field when "type" is "contract"', 18, 3,
                              "error")]


CONTRACTOR = "  contractors:\n    - name: ACME\n      until: '2030-01-01'\n"


@pytest.mark.parametrize("kind", ["community", "internal", "none"])
def test_contractors_only_with_contract(kind):
    text = variant(("  type: community\n", f"  type: {kind}\n" + CONTRACTOR))
    assert summary(text) == [("maintenance.contractors",
                              'contractors must not be present unless "type" is "contract"',
                              19, 3, "error")]


@pytest.mark.parametrize("kind", ["contract", "none"])
def test_contacts_are_allowed_with_contract_and_none(kind):
    extra = CONTRACTOR if kind == "contract" else ""
    assert summary(variant(("  type: community\n", f"  type: {kind}\n" + extra))) == []


def test_contractor_fields():
    bad = ("  contractors:\n    - name: ACME\n      until: 2030-13-01\n"
           "      email: not-an-email\n      website: ftp://example.org\n")
    text = variant(("  type: community\n", "  type: contract\n" + bad))
    assert summary(text) == [
        ("maintenance.contractors[0].until", "until must be a date with format 'YYYY-MM-DD'",
         21, 7, "error"),
        ("maintenance.contractors[0].email", "email must be a valid email address", 22, 7,
         "error"),
        ("maintenance.contractors[0].website", "website must be an HTTP URL", 23, 7, "error"),
    ]
    missing = variant(("  type: community\n", "  type: contract\n  contractors:\n    - name: X\n"))
    assert summary(missing) == [("maintenance.contractors[0].until", "until is a required field",
                                 20, 7, "error")]


def test_contact_fields():
    text = variant(("    - name: Francesco Rossi\n",
                    "    - name: Francesco Rossi\n      email: foo\n    - email: a@example.org\n"))
    assert summary(text) == [
        ("maintenance.contacts[0].email", "email must be a valid email address", 21, 7, "error"),
        ("maintenance.contacts[1].name", "name is a required field", 22, 7, "error"),
    ]


# --- localisation ---------------------------------------------------------------------------


def test_available_languages():
    empty = variant(("  availableLanguages:\n    - en\n", "  availableLanguages: []\n"))
    assert summary(empty) == [("localisation.availableLanguages",
                               "availableLanguages must contain more than 0 items", 23, 3, "error")]
    bad = variant(("    - en\n", "    - en_GB\n    - sl-IT-nedis\n"))
    assert summary(bad) == [("localisation.availableLanguages[0]",
                             "availableLanguages[0] must be a valid BCP 47 language", 24, 7,
                             "error")]


# --- dates, URLs, organisation, fundedBy, supports ------------------------------------------


@pytest.mark.parametrize(("value", "ok"), [
    ("2017-04-15", True), ('"2017-04-15"', True), ("2017-02-30", False), ("''", False),
    ("2017-04-15T10:00:00Z", False), ("15/04/2017", False),
])
def test_release_date(value, ok):
    found = summary(variant(append=f"releaseDate: {value}\n"))
    expected = [] if ok else [("releaseDate", "releaseDate must be a date with format "
                                              "'YYYY-MM-DD'", 25, 1, "error")]
    assert found == expected


def test_url_and_http_urls():
    text = variant(('url: "https://github.com/italia/developers.italia.it.git"', "url: foobar"),
                   append="landingURL: '???'\nroadmap: git://example.org/x\n")
    assert summary(text) == [
        ("url", "url must be a valid URL", 3, 1, "error"),
        ("landingURL", "landingURL must be an HTTP URL", 25, 1, "error"),
        ("roadmap", "roadmap must be an HTTP URL", 26, 1, "error"),
    ]


def test_is_based_on_string_or_list():
    assert summary(variant(append="isBasedOn: https://example.org/a.git\n")) == []
    single = variant(append="isBasedOn: foo\n")
    assert summary(single) == [("isBasedOn[0]", "isBasedOn[0] must be a valid URL", 25, 1,
                                "error")]
    listed = variant(append="isBasedOn:\n  - https://example.org/a.git\n  - foo\n")
    assert summary(listed) == [("isBasedOn[1]", "isBasedOn[1] must be a valid URL", 27, 5,
                                "error")]


@pytest.mark.parametrize("uri", ["urn:x-italian-pa:c_h501", "https://example.org/org",
                                 "urn:iso:std:iso:27001"])
def test_organisation_uri_valid(uri):
    assert summary(variant(append=f"organisation:\n  uri: '{uri}'\n")) == []


def test_organisation_uri_rules():
    missing = variant(append="organisation:\n  name: PCM\n")
    assert summary(missing) == [("organisation.uri", "uri is a required field", 26, 3, "error")]
    not_uri = variant(append="organisation:\n  name: PCM\n  uri: pcm\n")
    assert summary(not_uri) == [("organisation.uri", "uri is not a valid URI", 27, 3, "error")]
    bad_ipa = variant(append="organisation:\n  uri: 'urn:x-italian-pa:not a code'\n")
    assert summary(bad_ipa)[0][1].startswith(
        "uri must be a valid Italian Public Administration Code (iPA) with format "
        "'urn:x-italian-pa:[codiceIPA]'")


def test_funded_by():
    assert summary(variant(append="fundedBy:\n  - uri: https://example.org\n")) == []
    text = variant(append="fundedBy:\n  - name: foobar\n    uri: pcm\n")
    assert summary(text) == [("fundedBy[0].uri", "uri is not a valid URI", 27, 5, "error")]


def test_supports_aliases_and_uris():
    good = "supports:\n  - id: alias:gdpr\n  - id: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj'\n"
    assert summary(variant(append=good)) == []
    text = variant(append="supports:\n  - id: alias:foobar\n")
    assert summary(text) == [(
        "supports[0].id",
        "id contains an unknown alias (see https://github.com/publiccodeyml/publiccode.yml/blob/"
        "main/docs/standard/aliases-list.rst)",
        26, 5, "error",
    )]


# --- countries and MIME types ---------------------------------------------------------------


def test_countries():
    assert summary(variant(append="intendedAudience:\n  countries:\n    - IT\n    - DE\n")) == []
    text = variant(append="intendedAudience:\n  countries:\n    - it\n    - It\n    - XX\n"
                          "  unsupportedCountries:\n    - us\n")
    assert summary(text) == [
        ("intendedAudience.countries[0]",
         "Lowercase country codes are DEPRECATED. Use uppercase instead ('IT')", 27, 7,
         "warning"),
        ("intendedAudience.countries[1]",
         "countries[1] must be a valid ISO 3166-1 alpha-2 two-letter country code", 28, 7,
         "error"),
        ("intendedAudience.countries[2]",
         "countries[2] must be a valid ISO 3166-1 alpha-2 two-letter country code", 29, 7,
         "error"),
        ("intendedAudience.unsupportedCountries[0]",
         "Lowercase country codes are DEPRECATED. Use uppercase instead ('US')", 31, 7,
         "warning"),
    ]


def test_mime_types_are_checked_and_deprecated():
    text = variant(append="inputTypes:\n  - text/plain\n  - foo\n")
    assert summary(text) == [
        ("inputTypes", DEPRECATED, 25, 1, "warning"),
        ("inputTypes[1]", "inputTypes[1] is not a valid MIME type", 27, 5, "error"),
    ]


# --- deprecated keys and the Italian section ------------------------------------------------


def test_deprecated_keys():
    text = variant(("  license: AGPL-3.0-or-later\n",
                    "  license: AGPL-3.0-or-later\n  repoOwner: PCM\n  authorsFile: AUTHORS\n"),
                   append="monochromeLogo: logo.svg\noutputTypes: []\n")
    assert summary(text) == [
        ("legal.repoOwner",
         "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' "
         "instead", 17, 3, "warning"),
        ("legal.authorsFile", DEPRECATED, 18, 3, "warning"),
        ("monochromeLogo",
         "This key is DEPRECATED and will be removed in the future. Use 'logo' instead",
         27, 1, "warning"),
        ("outputTypes", DEPRECATED, 28, 1, "warning"),
    ]


def test_italian_section():
    section = ("IT:\n  countryExtensionVersion: '1.0'\n  piattaforme:\n    spid: true\n"
               "  conforme:\n    gdpr: true\n  riuso:\n    codiceIPA: pcm\n")
    assert summary(variant(append=section)) == [
        ("IT.conforme", DEPRECATED, 29, 3, "warning"),
        ("IT.riuso.codiceIPA",
         "This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' and "
         "set it to 'urn:x-italian-pa:pcm' instead", 32, 5, "warning"),
    ]


def test_italian_section_rules():
    bad_version = variant(append="IT:\n  countryExtensionVersion: '2.0'\n")
    assert summary(bad_version) == [(
        "IT.countryExtensionVersion",
        'countryExtensionVersion must be one of the following: "0.2" or "1.0"', 26, 3, "error")]
    yaml11 = variant(append="IT:\n  piattaforme:\n    spid: yes\n")
    assert keys(yaml11) == [("IT.piattaforme.spid", "error")]


def test_lowercase_it_section():
    lower = variant(append="it:\n  piattaforme:\n    spid: true\n")
    assert summary(lower) == [(
        "it", "Lowercase country codes are DEPRECATED and will be removed in the future. "
              "Use 'IT' instead", 25, 1, "warning")]
    both = variant(append="IT:\n  piattaforme:\n    spid: true\nit:\n  piattaforme:\n"
                          "    spid: true\n")
    assert summary(both) == [
        ("it", "Lowercase country codes are DEPRECATED and will be removed in the future. "
               "Use 'IT' instead", 28, 1, "warning"),
        ("it", "'IT' key already present. Remove this key", 28, 1, "error"),
    ]
