"""Word-level spelling rules shared by the search and the registry's own vocabularies.

Declared once here, the ground floor, so that the search's analysis (search/analysis.py) and
the registry's look-ups by name (registry/alternatives/products.py) read a word the same way.
"""

from __future__ import annotations


def digraphs_to_umlauts(word: str) -> str:
    """``ae``/``oe``/``ue`` → ``ä``/``ö``/``ü`` (not ``ue`` after ``q``), as Snowball "german2".

    Someone on a keyboard without umlauts types "Buergerbeteiligung" or "Maengelmelder"; read
    this way they reach the same word as the umlaut spelling. Expects lower case."""
    if "e" not in word:
        return word
    out: list[str] = []
    for char in word:
        if char == "e" and out:
            previous = out[-1]
            before = out[-2] if len(out) > 1 else ""
            if previous == "a":
                out[-1] = "ä"
                continue
            if previous == "o":
                out[-1] = "ö"
                continue
            if previous == "u" and before != "q":
                out[-1] = "ü"
                continue
        out.append(char)
    return "".join(out)
