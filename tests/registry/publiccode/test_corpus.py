"""The validator on real publiccode.yml files (the shared corpus beside the checkout).

The corpus is never copied into the repository: it is read from ``../shared/corpus/publiccode``
relative to the checkout, and these tests are skipped when it is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.publiccode import validate_bytes

CORPUS = Path(__file__).parents[3] / ".." / "shared" / "corpus" / "publiccode"
FILES = sorted(CORPUS.glob("*.yml")) if CORPUS.is_dir() else []

needs_corpus = pytest.mark.skipif(
    not FILES, reason=f"shared publiccode.yml corpus not found at {CORPUS.resolve()}"
)

W, E = "warning", "error"
DROP = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"
V02 = "v0.2 is not the latest version, use '0'. Parsing this file as v0.7."

EXPECTED: dict[str, list[tuple[str, str, int, int, str]]] = {
    # valid, current version ("0") and 0.7
    "AI-Riksarkivet__htrflow__1.yml": [],
    "Amsterdam__design-system__1.yml": [],
    # valid with deprecations: old version, genericName, lowercase country and `it`, IT keys
    "AgID__wai-portal__1.yml": [
        ("publiccodeYmlVersion", V02, 5, 1, W),
        ("description.it.genericName", DROP, 25, 5, W),
        ("intendedAudience.countries[0]",
         "Lowercase country codes are DEPRECATED. Use uppercase instead ('IT')", 59, 7, W),
        ("it", "Lowercase country codes are DEPRECATED and will be removed in the future. "
               "Use 'IT' instead", 60, 1, W),
        ("IT.riuso.codiceIPA", "This key is DEPRECATED and will be removed in the future. Use "
                               "'organisation.uri' and set it to 'urn:x-italian-pa:agid' instead",
         62, 5, W),
        ("IT.conforme", DROP, 63, 3, W),
        ("legal.repoOwner", "This key is DEPRECATED and will be removed in the future. Use "
                            "'organisation.name' instead", 78, 3, W),
    ],
    # YAML 1.1 boolean: the wrong type empties `localisation`
    "ARPA-SIMC__portale-allerta-meteo__1.yml": [
        ("publiccodeYmlVersion", V02, 1, 1, W),
        ("description.it.genericName", DROP, 25, 5, W),
        ("localisation.localisationReady", "wrong type for this field", 56, 1, E),
        ("localisation.localisationReady", "localisationReady is a required field", 56, 3, E),
        ("localisation.availableLanguages", "availableLanguages is a required field", 57, 3, E),
        ("it", "Lowercase country codes are DEPRECATED and will be removed in the future. "
               "Use 'IT' instead", 60, 1, W),
        ("IT.riuso.codiceIPA", "This key is DEPRECATED and will be removed in the future. Use "
                               "'organisation.uri' and set it to 'urn:x-italian-pa:arpa' instead",
         62, 5, W),
    ],
    # a few errors of different kinds
    "0n40i4__k0nsult-global-cm__1.yml": [
        ("publiccodeYmlVersion",
         "v0.4 is not the latest version, use '0'. Parsing this file as v0.7.", 3, 1, W),
        ("description.en.features", "features must contain more than 0 items", 29, 5, E),
        ("description.en.longDescription", "longDescription is a required field", 29, 5, E),
        ("x-k0nsult", 'unknown field "x-k0nsult"', 30, 1, E),
    ],
    # an unsupported version stops the check
    "CommonGateway__CoreBundle__1.yml": [
        ("publiccodeYmlVersion",
         "unsupported version: '0.1'. Supported versions: 0, 0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, "
         "0.3.0, 0.4, 0.4.0, 0.5.0, 0.5, 0.7.0, 0.7", 0, 0, E),
    ],
}


@needs_corpus
def test_every_corpus_file_validates_without_exception():
    for path in FILES:
        result = validate_bytes(path.read_bytes())
        assert all(f.line >= 0 and f.column >= 0 for f in result.findings), path.name


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_findings_on_chosen_files(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} not in the corpus")
    result = validate_bytes(path.read_bytes())
    found = [(f.key, f.message, f.line, f.column, f.severity.value) for f in result.findings]
    assert found == EXPECTED[name]
