"""The loader turns any bytes into a located tree or exactly one clear finding, quickly."""

from __future__ import annotations

import time

import pytest

from registry.publiccode.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load


def only_finding(data: bytes):
    result = load(data)
    assert result.root is None
    assert len(result.findings) == 1, result.findings
    finding = result.findings[0]
    assert finding.is_error
    return finding


def alias_bomb(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def test_positions_are_one_based_and_scalars_keep_their_text():
    result = load(b'name: Demo\nlegal:\n  license: "MIT"\nlist:\n  - yes\n')
    root = result.root
    assert result.findings == []
    legal = root.get("legal")
    assert (legal.get("license").line, legal.get("license").column) == (3, 12)
    item = root.get("list").items[0]
    assert (item.text, item.plain, item.yaml_type) == ("yes", True, "str")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", "bool"), ("False", "bool"), ("yes", "str"), ("on", "str"), ("~", "null"),
     ("", "null"), ("12", "int"), ("0x1F", "int"), ("1.5", "float"), (".inf", "float"),
     ("2020-01-01", "str"), ('"true"', "str"), ("!!str 12", "str"), ("0.2", "float")],
)
def test_yaml_1_2_core_schema(text, expected):
    node = load(f"key: {text}\n".encode()).root.get("key")
    assert node.yaml_type == expected


def test_to_python_reads_yaml_1_2():
    assert load(b"a: yes\nb: 1.0\nc: [1, true, null]\nd: 2020-01-01\n").root.to_python() == {
        "a": "yes", "b": 1.0, "c": [1, True, None], "d": "2020-01-01"}


def test_oversize_refused_before_parsing():
    finding = only_finding(b"a: b\n" * (MAX_BYTES // 5 + 1))
    assert "larger than the 1,048,576 byte limit" in finding.message


def test_invalid_utf8_points_at_the_byte():
    finding = only_finding("name: Grüße\n".encode("latin-1"))
    assert finding.message.startswith("Invalid UTF-8")
    assert (finding.line, finding.column) == (1, 9)


def test_utf8_bom_is_accepted():
    assert load(b"\xef\xbb\xbfname: x\n").findings == []


def test_binary_garbage():
    finding = only_finding(bytes(range(256)) * 8)
    assert finding.message.startswith("Invalid UTF-8")


def test_control_characters():
    finding = only_finding(b"name: a\x00b\n")
    assert "control character (U+0000)" in finding.message


def test_several_documents():
    finding = only_finding(b"name: a\n---\nname: b\n")
    assert "exactly one YAML document" in finding.message
    assert finding.line == 2


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"# only a comment\n"])
def test_empty(data):
    assert "empty" in only_finding(data).message


@pytest.mark.parametrize(("data", "found"), [(b"- a\n", "list"), (b"just text\n", "single value")])
def test_root_must_be_a_mapping(data, found):
    assert found in only_finding(data).message


def test_syntax_error_has_a_position():
    finding = only_finding(b"name: [1,\nurl: x\n")
    assert finding.message.startswith("YAML syntax error")
    assert finding.line > 0


def test_duplicate_key_names_the_key_and_first_line():
    finding = only_finding(b"legal:\n  license: MIT\n  license: GPL-3.0\n")
    assert finding.key == "legal.license"
    assert "already defined at line 2" in finding.message


def test_alias_bomb_is_refused_fast():
    start = time.perf_counter()
    finding = only_finding(alias_bomb())
    assert time.perf_counter() - start < 1.0
    assert f"more than {MAX_NODES:,} values" in finding.message


def test_small_aliases_are_fine():
    result = load(b"a: &x {k: v}\nb: *x\n")
    assert result.findings == []
    assert result.root.to_python() == {"a": {"k": "v"}, "b": {"k": "v"}}


def test_unknown_alias():
    assert "unknown or recursive alias" in only_finding(b"a: *nowhere\n").message


def test_deep_nesting_is_refused_without_recursion():
    # Flow nesting may be stopped by libyaml's own limit first: the finding is the same.
    finding = only_finding(b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    assert finding.message == f"values are nested more than {MAX_DEPTH} levels deep"


def test_nesting_just_past_our_limit_is_refused_by_our_own_check():
    depth = MAX_DEPTH + 1  # far below any YAML library's limit
    finding = only_finding(b"a: " + b"[" * depth + b"]" * depth + b"\n")
    assert finding.message == f"values are nested more than {MAX_DEPTH} levels deep"
    block = "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "v\n"
    assert only_finding(block.encode()).message == finding.message


def test_complex_keys_are_refused():
    assert "plain strings" in only_finding(b"? [a, b]\n: c\n").message


def test_many_nodes_are_refused():
    assert "values" in only_finding(b"a:\n" + b"  - x\n" * (MAX_NODES + 10)).message


@pytest.mark.parametrize(("data", "key", "message"), [
    (b"name: !!float abc\n", "name", 'the YAML tag !!float does not fit the value "abc"'),
    (b"name: !!int 1.5\n", "name", 'the YAML tag !!int does not fit the value "1.5"'),
    (b"a:\n  b: !!bool maybe\n", "a.b", 'the YAML tag !!bool does not fit the value "maybe"'),
    (b"name: !!null x\n", "name", 'the YAML tag !!null does not fit the value "x"'),
    (b"a: !!map [1]\n", "a", "the YAML tag !!map does not fit a list"),
    (b"a: !!seq {b: 1}\n", "a", "the YAML tag !!seq does not fit a mapping"),
    (b"a: !!str [1]\n", "a", "the YAML tag !!str does not fit a list"),
    (b"a: [!!seq x]\n", "a[0]", "the YAML tag !!seq does not fit a single value"),
])
def test_an_explicit_tag_that_does_not_fit_is_one_finding(data, key, message):
    finding = only_finding(data)
    assert (finding.key, finding.message) == (key, message)


@pytest.mark.parametrize("data", [b"name: !!float 1.5\n", b"name: !!str 12\n",
                                  b"name: !!binary abc\n", b"name: !local abc\n",
                                  b"a: !!map {b: 1}\n", b"a: !!seq [1]\n"])
def test_fitting_and_foreign_tags_are_read(data):
    assert load(data).findings == []
