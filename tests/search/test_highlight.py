"""Snippets from cached token analysis: the same as Whoosh's highlight(), and stable on ties."""

from __future__ import annotations

from whoosh import highlight

from search.highlight import _FORMATTER, _WHOLE, snippets
from search.schema import build_schema

SCHEMA = build_schema()
LONG = ("Die Stadt bietet Online-Terminbuchung für das Bürgeramt an. "
        + "Weitere Dienste der Verwaltung stehen bereit. " * 8
        + "Auch die Kfz-Zulassung nutzt die Terminbuchung. "
        + "Formulare und Anträge werden digital bearbeitet. " * 8
        + "Zuletzt: Terminbuchung für Standesamt und Bürgeramt.")


def terms(fieldname: str, *words: str) -> frozenset[str]:
    analyzer = SCHEMA[fieldname].analyzer
    return frozenset(t.text for word in words for t in analyzer(word, mode="query"))


def test_snippets_match_whoosh_highlight_where_it_has_no_ties():
    wanted = terms("short_de", "Bürgeramt")
    text = "Terminbuchung für Bürgeramt und Bürgerämter, mit <b>HTML</b> im Text"
    ours = snippets({"short_de": text}, {"short_de": wanted})["short_de"]
    whoosh = highlight.highlight(text, wanted, SCHEMA["short_de"].analyzer, _WHOLE, _FORMATTER,
                                 top=1)
    assert ours == whoosh
    assert "<mark>Bürgeramt</mark>" in ours and "&lt;b&gt;HTML&lt;/b&gt;" in ours


def test_equal_fragments_the_earlier_ones_win_every_time():
    wanted = terms("long_de", "Terminbuchung")
    first = snippets({"long_de": LONG}, {"long_de": wanted})["long_de"]
    assert first.count("<mark>") == 2  # two fragments of the three equal ones
    assert first.startswith("Die Stadt bietet Online-<mark>Terminbuchung</mark>")
    assert "Kfz-Zulassung nutzt die <mark>Terminbuchung</mark>" in first
    assert "Standesamt" not in first
    for _ in range(20):  # Whoosh broke such ties by object address
        assert snippets({"long_de": LONG}, {"long_de": wanted})["long_de"] == first


def test_cached_tokens_serve_other_queries_over_the_same_text():
    one = snippets({"long_de": LONG}, {"long_de": terms("long_de", "Bürgeramt")})["long_de"]
    other = snippets({"long_de": LONG}, {"long_de": terms("long_de", "Formulare")})["long_de"]
    assert "<mark>Bürgeramt</mark>" in one and "<mark>" + "Formulare</mark>" in other
    assert "<mark>Bürgeramt</mark>" not in other
