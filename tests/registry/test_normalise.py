"""registry.normalise: publiccode.yml documents → catalogue fields, repository URL keys, slugs."""

from datetime import date

import pytest

from registry.normalise import (
    normalise,
    normalise_repository_url,
    publisher_name,
    publisher_website,
    slugify,
    used_by,
)
from registry.publiccode import validate_bytes

DOCUMENT = b"""\
publiccodeYmlVersion: "0.4"
name: " Buergerportal "
softwareVersion: 1.10
releaseDate: "2025-03-01"
platforms: [web, linux]
categories: [content-management, 7, null]
developmentStatus: stable
softwareType: standalone/web
landingURL: https://portal.example.org
logo: img/logo.svg
intendedAudience:
  countries: [de, at]
  scope: [local-authorities]
  unsupportedCountries: []
description:
  de:
    localisedName: "B\xc3\xbcrgerportal"
    genericName: Portal
    shortDescription: "Online-Dienste f\xc3\xbcr alle"
    longDescription: |
      Lang.
    documentation: https://docs.example.org
    features: [Antraege, "", Bescheide]
    screenshots: [img/1.png]
  fr: not a mapping
legal:
  license: EUPL-1.2
  repoOwner: Stadt Repo
  mainCopyrightOwner: Stadt Copyright
maintenance:
  type: internal
localisation:
  availableLanguages: [de, en]
usedBy: [Stadt A, stadt a, " Gemeinde B ", 3]
"""


def test_normalise_reads_every_field_of_a_document():
    document = validate_bytes(DOCUMENT).document
    fields = normalise(document)
    assert fields == {
        "publiccode_version": "0.4",
        "name": "Buergerportal",
        "descriptions": {"de": {
            "localisedName": "Bürgerportal", "genericName": "Portal",
            "short": "Online-Dienste für alle", "long": "Lang.",
            "documentation": "https://docs.example.org",
            "features": ["Antraege", "Bescheide"], "screenshots": ["img/1.png"],
        }},
        "development_status": "stable",
        "software_type": "standalone/web",
        "license": "EUPL-1.2",
        "categories": ["content-management", "7"],
        "based_on": [],
        "platforms": ["web", "linux"],
        "maintenance_type": "internal",
        "release_date": date(2025, 3, 1),
        "software_version": "1.1",  # YAML 1.2 reads 1.10 as a float; quoting is the fix
        "available_languages": ["de", "en"],
        "intended_audience": {"countries": ["de", "at"], "scope": ["local-authorities"]},
        "landing_url": "https://portal.example.org",
        "logo": "img/logo.svg",
    }


@pytest.mark.parametrize("document", [None, [], "text", 3, {}, {"name": ["a"], "legal": "x",
                                      "description": ["x"], "releaseDate": "2025-02-30",
                                      "platforms": "web", "intendedAudience": [1],
                                      "maintenance": {"type": True}}])
def test_normalise_never_fails_on_broken_documents(document):
    fields = normalise(document)
    assert fields["name"] is None and fields["release_date"] is None
    assert fields["descriptions"] == {} and fields["platforms"] == []
    assert fields["intended_audience"] == {} and fields["maintenance_type"] is None


def test_publisher_is_organisation_then_repo_owner_then_copyright_owner():
    legal = {"repoOwner": "Stadt Repo", "mainCopyrightOwner": "Stadt Copyright"}
    assert publisher_name({"organisation": {"name": "Stadt Org"}, "legal": legal}) == "Stadt Org"
    assert publisher_name({"organisation": {"uri": "urn:x"}, "legal": legal}) == "Stadt Repo"
    assert publisher_name({"legal": {"mainCopyrightOwner": "Stadt Copyright"}}) == \
        "Stadt Copyright"
    assert publisher_name({"legal": {"repoOwner": " "}}) is None
    assert publisher_name("garbage") is None


def test_publisher_website_only_for_web_addresses():
    assert publisher_website({"organisation": {"uri": "https://stadt.de"}}) == "https://stadt.de"
    assert publisher_website({"organisation": {"uri": "urn:x-org:1234"}}) is None


def test_used_by_drops_case_duplicates_and_non_strings():
    document = validate_bytes(DOCUMENT).document
    assert used_by(document) == ["Stadt A", "Gemeinde B", "3"]
    assert used_by({"usedBy": "Stadt A"}) == []


@pytest.mark.parametrize(("name", "slug"), [
    ("Stadt München", "stadt-muenchen"),
    ("Landeshauptstadt Düsseldorf — IT-Amt", "landeshauptstadt-duesseldorf-it-amt"),
    ("Straße & Co.", "strasse-co"),
    ("  Ville de Genève ", "ville-de-geneve"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugify_names_without_latin_letters_get_a_stable_hash():
    assert slugify("東京都") == slugify("東京都") != slugify("大阪府")
    assert slugify("東京都").startswith("org-")


@pytest.mark.parametrize(("url", "normal"), [
    ("HTTPS://GitLab.Example.org/Group/Repo.git", "https://gitlab.example.org/Group/Repo"),
    ("https://gitlab.example.org/group/repo/", "https://gitlab.example.org/group/repo"),
    ("https://gitlab.example.org/group/repo.git/", "https://gitlab.example.org/group/repo"),
    ("https://gitlab.example.org:443/g/r", "https://gitlab.example.org/g/r"),
    ("http://gitea.local:3000/g/r", "http://gitea.local:3000/g/r"),
    ("https://oauth2:secret@gitlab.example.org/g/r?x=1#top", "https://gitlab.example.org/g/r"),
    ("  https://github.com/o/r  ", "https://github.com/o/r"),
    ("file:///srv/git/repo.git", "file:///srv/git/repo"),
])
def test_normalise_repository_url(url, normal):
    assert normalise_repository_url(url) == normal


@pytest.mark.parametrize("url", ["", "github.com/o/r", "git@github.com:o/r.git", "https:///x"])
def test_normalise_repository_url_refuses_non_urls(url):
    with pytest.raises(ValueError, match="not a repository URL"):
        normalise_repository_url(url)


@pytest.mark.parametrize(("value", "expected"), [
    ("https://github.com/italia/Designers-Italia.git/", ["https://github.com/italia/Designers-Italia"]),
    (["https://GitLab.com/a/b", "https://gitlab.com/a/b/", "kein Link", 7, ""],
     ["https://gitlab.com/a/b"]),
    ("https://x.example:99999/a", []),  # no valid port: left out, not an error
    (None, []),
])
def test_is_based_on_is_kept_as_catalogue_keys(value, expected):
    assert normalise({"isBasedOn": value})["based_on"] == expected
