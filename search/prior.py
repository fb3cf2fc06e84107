"""At equal text relevance, better metadata and maintained solutions first.

Two solutions that match a query equally well are not equally useful to a town: one whose
publiccode.yml is complete and whose repository a team maintains is the safer first look than
a merely readable file nobody has touched for a year. So every document carries a *prior*
between 0 and 1 — half from its metadata grade (``Solution.quality``: complete 1, valid ½,
readable 0; registry.quality.GRADES), half from its maintenance level
(``Solution.signals["level"]``, 0–3 from the harvest's activity rules) — and a relevance
score is multiplied by ``1 + PRIOR_WEIGHT × prior``.

``PRIOR_WEIGHT`` is small on purpose: it reorders hits whose text scores lie within 5 % of
each other and leaves a clearly better text match where it is.
"""

from __future__ import annotations

from typing import Any

from registry.quality import GRADES

PRIOR_WEIGHT = 0.05
MAX_LEVEL = 3
"""The highest maintenance level (harvesters/git/maintenance.py: active, released, team)."""
SCALE = 100
"""The prior is stored as a whole number of hundredths (a sortable index column)."""


def prior(quality: str | None, level: Any) -> int:
    """The prior of one solution, in hundredths."""
    grades = list(reversed(GRADES))  # readable, valid, complete
    grade = grades.index(quality) / (len(grades) - 1) if quality in grades else 0.0
    maintained = (min(max(level, 0), MAX_LEVEL) / MAX_LEVEL
                  if isinstance(level, int) and not isinstance(level, bool) else 0.0)
    return round(SCALE * (grade + maintained) / 2)


def factor(stored: int | None) -> float:
    """What a relevance score is multiplied by, for a document's stored prior."""
    return 1 + PRIOR_WEIGHT * (stored or 0) / SCALE
