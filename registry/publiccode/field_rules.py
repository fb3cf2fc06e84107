"""Rules the reference runs after its schema rules (its ``fields.go``), offline part only.

Deprecated keys (warnings, the file stays valid), lowercase country codes, the ``IT``/``it``
country section, and the oEmbed check of ``videos``. Their keys are always dotted
(``description.en-US.genericName``), as the reference builds them with ``fmt.Sprintf``. A
top-level key that had a type error is skipped, as the reference only sees decoded values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .decoding import is_nil
from .findings import Finding, error, warning
from .formats import is_country_code, is_ipa_code, is_oembed_video_url
from .keys import Path, dotted_key, node_at, position_of
from .loader import Node

Lookup = Callable[[Path], "Node | None"]
"""The node at a path, or None when absent or under a top-level key dropped for a type error."""

DROP_IT = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"


def _replaced_by(key: str) -> str:
    return f"This key is DEPRECATED and will be removed in the future. Use '{key}' instead"


DEPRECATED_KEYS: dict[Path, str] = {
    ("monochromeLogo",): _replaced_by("logo"),
    ("legal", "authorsFile"): DROP_IT,
    ("legal", "repoOwner"): _replaced_by("organisation.name"),
    ("inputTypes",): DROP_IT,
    ("outputTypes",): DROP_IT,
}
"""Deprecated keys reported whenever present (``monochromeLogo`` only when not empty)."""


def check(root: Node, zeroed: set[str]) -> list[Finding]:
    def value(path: Path) -> Node | None:
        return None if path[0] in zeroed else node_at(root, path)

    findings = list(_deprecated_keys(root, value))
    findings += _lowercase_countries(root, value)
    findings += _descriptions(root, value)
    findings += _country_section(root, value)
    return findings


def _warn(root: Node, path: Path, message: str, at: Path | None = None) -> Finding:
    line, column = position_of(root, at or path)
    return warning(dotted_key(path), message, line, column)


def _deprecated_keys(root: Node, value: Lookup) -> Iterator[Finding]:
    for path, message in DEPRECATED_KEYS.items():
        node = value(path)
        if is_nil(node) or (path == ("monochromeLogo",) and not node.text):
            continue
        yield _warn(root, path, message)


def _lowercase_countries(root: Node, value: Lookup) -> Iterator[Finding]:
    for list_key in ("countries", "unsupportedCountries"):
        node = value(("intendedAudience", list_key))
        if node is None or node.kind != "seq":
            continue
        for index, item in enumerate(node.items):
            code = "" if is_nil(item) else item.text
            if is_country_code(code) and code == code.lower():
                yield _warn(root, ("intendedAudience", list_key, index),
                            "Lowercase country codes are DEPRECATED. Use uppercase instead "
                            f"('{code.upper()}')")


def _descriptions(root: Node, value: Lookup) -> Iterator[Finding]:
    description = value(("description",))
    if description is None or description.kind != "map":
        return
    for lang_node, desc in description.pairs:
        if desc.kind != "map":
            continue
        lang = lang_node.text
        generic = desc.get("genericName")
        if not is_nil(generic) and generic.text:
            yield _warn(root, ("description", lang, "genericName"), DROP_IT)
        videos = desc.get("videos")
        if videos is None or videos.kind != "seq":
            continue
        for index, video in enumerate(videos.items):
            if is_nil(video) or is_oembed_video_url(video.text):
                continue
            path = ("description", lang, "videos", index)
            line, column = position_of(root, path)
            yield error(dotted_key(path), f"'{video.text}' is not a valid video URL supporting "
                                          f"oEmbed: invalid oEmbed link: {video.text}",
                        line, column)


def _country_section(root: Node, value: Lookup) -> Iterator[Finding]:
    upper, lower = value(("IT",)), value(("it",))
    section, written = upper, "IT"
    if not is_nil(lower):
        yield _warn(root, ("it",), "Lowercase country codes are DEPRECATED and will be removed "
                                   "in the future. Use 'IT' instead")
        if not is_nil(upper):
            line, column = position_of(root, ("it",))
            yield error("it", "'IT' key already present. Remove this key", line, column)
        else:
            section, written = lower, "it"
    if section is None or section.kind != "map":
        return
    # Keyed "IT..." whichever spelling the file uses, as the reference does; placed where it is.
    if not is_nil(section.get("conforme")):
        yield _warn(root, ("IT", "conforme"), DROP_IT, at=(written, "conforme"))
    riuso = section.get("riuso")
    code_node = riuso.get("codiceIPA") if riuso is not None and riuso.kind == "map" else None
    code = "" if is_nil(code_node) else code_node.text
    if code and is_ipa_code(code):
        message = ("This key is DEPRECATED and will be removed in the future. Use "
                   f"'organisation.uri' and set it to 'urn:x-italian-pa:{code}' instead")
        yield _warn(root, ("IT", "riuso", "codiceIPA"), message,
                    at=(written, "riuso", "codiceIPA"))
