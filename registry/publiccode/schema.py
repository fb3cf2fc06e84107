"""Schema rules for publiccode.yml, behaving like italia/publiccode-parser-go v5 (offline part).

``check_document`` runs the reference's stages in its order and returns their findings:

1. the version (``check_version``): missing, not a string or unsupported stops here, as in the
   reference; an older accepted version gives a warning and the file is read by the 0.7 rules;
2. shape (``decoding.decode``): wrong YAML types and unknown keys;
3. schema rules (``_Rules``, driven by the declarations in ``spec.py``): required keys,
   enumerations, lengths, formats, the contractors/contacts conditions;
4. follow-up rules (``field_rules.check``): deprecations, the ``IT``/``it`` section, oEmbed videos.

Files, images and the network are ``external.py``'s business. Nothing here raises on any tree
the loader can build.

Known differences from the reference (deliberate or unverifiable offline):

* iPA codes (``urn:x-italian-pa:<code>``, ``IT.riuso.codiceIPA``) are checked for syntax only;
  the reference also looks them up in its 23k-line ``data/it/ipa_codes.txt``, which we do not
  ship. So ``urn:x-italian-pa:no_such_pa`` passes here.
* ``videos`` are matched against the video providers among the reference's oEmbed schemes
  (``data/oembed_video_schemes.txt``), not all ~600 providers (photo, chart, slide hosts...).
* Every wrong type and unknown key is reported; the Go decoder may stop at the first.
  A type error on a line where no key starts gets the node's own path as key, where the
  reference gives an empty key.
* Not verified against the Go source (only its tests were available): an unquoted number as
  ``publiccodeYmlVersion`` is a "wrong type" error; a non-URI ``supports[].id`` says
  "id is not a valid URI"; scalars (``name: 123``) are accepted as strings.
* BCP 47 variant prefixes (``sl-rozaj-biske``...) are not checked against the IANA registry.
* Like the reference, no warning for the ``IT`` section itself although 0.7 deprecates
  country sections; ``IT.countryExtensionVersion`` accepts "0.2" and "1.0" as it does.
"""

from __future__ import annotations

from .decoding import WRONG_TYPE, Decoded, decode, is_nil
from .field_rules import check as check_fields
from .findings import Finding, error, warning
from .keys import Path, position_of, validator_key
from .loader import Node
from .spec import PUBLICCODE, Spec
from .vocabularies import LATEST_VERSION, PARSED_AS, SUPPORTED_VERSIONS

VERSION_KEY = "publiccodeYmlVersion"


def check_document(root: Node) -> list[Finding]:
    findings, readable = check_version(root)
    if not readable:
        return findings
    decoded = decode(root, PUBLICCODE)
    findings += decoded.findings
    findings += _Rules(root, decoded).run()
    findings += check_fields(root, decoded.zeroed)
    return findings


def check_version(root: Node) -> tuple[list[Finding], bool]:
    """The version findings, and whether the rest of the file should be checked at all."""
    value = root.get(VERSION_KEY)
    if is_nil(value):
        return [error(VERSION_KEY, f"{VERSION_KEY} is a required field")], False
    assert value is not None
    if value.kind != "scalar" or value.yaml_type != "str":
        return [error(VERSION_KEY, WRONG_TYPE, value.line, 1)], False
    version = value.text
    if version not in SUPPORTED_VERSIONS:
        return [error(VERSION_KEY, f"unsupported version: '{version}'. Supported versions: "
                                   + ", ".join(SUPPORTED_VERSIONS))], False
    if version == LATEST_VERSION or version.startswith(PARSED_AS):
        return [], True
    line, column = position_of(root, (VERSION_KEY,))
    message = (f"v{version} is not the latest version, use '{LATEST_VERSION}'. "
               f"Parsing this file as v{PARSED_AS}.")
    return [warning(VERSION_KEY, message, line, column)], True


class _Rules:
    """Walks the tree along ``spec.PUBLICCODE`` the way go-playground/validator walks a struct:
    per key, the first failing rule is reported and the key's other rules are skipped."""

    def __init__(self, root: Node, decoded: Decoded) -> None:
        self.root = root
        self.zeroed = decoded.zeroed
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        for key, spec in PUBLICCODE.fields.items():
            if key == VERSION_KEY:
                continue
            node = None if key in self.zeroed else self.root.get(key)
            self.check(spec, node, (key,), key, self.root)
        return self.findings

    def report(self, path: Path, message: str, at: tuple[int, int] | None = None) -> None:
        line, column = at if at is not None else position_of(self.root, path)
        self.findings.append(error(validator_key(path), message, line, column))

    def check(self, spec: Spec, node: Node | None, path: Path, name: str,
              parent: Node | None, at: tuple[int, int] | None = None) -> None:
        if spec.kind == "str":
            self.text(spec, node, path, name, at)
        elif spec.kind == "bool":
            if spec.required and is_nil(node):
                self.report(path, f"{name} is a required field")
        elif spec.kind == "list":
            self.items(spec, node, path, name, parent)
        elif spec.kind == "str_or_list":
            self.str_or_list(spec, node, path, name, parent)
        elif spec.kind == "struct":
            self.struct(spec, node, path)
        elif spec.kind == "dict":
            self.dict(spec, node, path, name)

    def text(self, spec: Spec, node: Node | None, path: Path, name: str,
             at: tuple[int, int] | None) -> None:
        nil = is_nil(node)
        value = "" if nil or node is None else node.text
        if spec.required and not value:
            self.report(path, f"{name} is a required field", at)
            return
        if (spec.omit == "nil" and nil) or (spec.omit == "empty" and not value):
            return
        for rule in spec.checks:
            if not rule.test(value):
                self.report(path, rule.message(name, value), at)
                return

    def items(self, spec: Spec, node: Node | None, path: Path, name: str,
              parent: Node | None) -> None:
        nil = is_nil(node)
        items = [] if nil or node is None else node.items
        for sibling, wanted in spec.required_when:
            if nil and _sibling_text(parent, sibling) == wanted:
                self.report(path, f'{name} is a required field when "{sibling}" is "{wanted}"')
                return
        if spec.allowed_only_when is not None:
            sibling, wanted = spec.allowed_only_when
            if not nil and _sibling_text(parent, sibling) != wanted:
                self.report(path, f'{name} must not be present unless "{sibling}" is "{wanted}"')
                return
        if spec.required and nil:
            self.report(path, f"{name} is a required field")
            return
        if (spec.omit == "empty" and not items) or (spec.omit == "nil" and nil):
            return
        if spec.non_empty and not items:
            self.report(path, f"{name} must contain more than 0 items")
            return
        assert spec.item is not None
        for index, item in enumerate(items):
            self.check(spec.item, item, (*path, index), f"{name}[{index}]", node)

    def str_or_list(self, spec: Spec, node: Node | None, path: Path, name: str,
                    parent: Node | None) -> None:
        """``isBasedOn``: one URL or a list; a single one is reported as item 0 at the key."""
        if node is None or is_nil(node) or node.kind != "scalar":
            self.items(spec, node, path, name, parent)
            return
        if spec.omit == "empty" and not node.text:
            return
        assert spec.item is not None
        self.check(spec.item, node, (*path, 0), f"{name}[0]", parent,
                   at=position_of(self.root, path))

    def struct(self, spec: Spec, node: Node | None, path: Path) -> None:
        if spec.pointer and is_nil(node):
            return
        mapping = node if node is not None and node.kind == "map" else None
        for key, sub in spec.fields.items():
            child = mapping.get(key) if mapping is not None else None
            self.check(sub, child, (*path, key), key, mapping)

    def dict(self, spec: Spec, node: Node | None, path: Path, name: str) -> None:
        pairs = node.pairs if node is not None and node.kind == "map" else []
        if spec.non_empty and not pairs:
            self.report(path, f"{name} must contain more than 0 items")
            return
        key_rule = spec.key_check
        if key_rule is not None:
            bad = next((key.text for key, _ in pairs if not key_rule.test(key.text)), None)
            if bad is not None:
                self.report(path, key_rule.message(name, bad))
                return
        assert spec.item is not None
        for key, value in pairs:
            self.check(spec.item, value, (*path, key.text), key.text, node)


def _sibling_text(parent: Node | None, key: str) -> str:
    """The string value of a sibling key (``maintenance.type``), "" when absent or not text."""
    if parent is None or parent.kind != "map":
        return ""
    node = parent.get(key)
    if node is None or node.kind != "scalar" or is_nil(node):
        return ""
    return node.text
