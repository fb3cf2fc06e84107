"""Solutions like this one ("Ähnliche Lösungen"), in any language, each with its reasons.

A solution is matched as if it were a town's need: its short description is the title, its
long description and features the text, its categories the need's categories
(``market.matching.match_solutions``). So similarity is the need matching's, with everything it
has — the search's stemming and compounds, abbreviations, concepts across languages (an
Italian description finds a German one), the boost for shared categories, adoptions and
maintenance — and each similar solution says why. One implementation, not a second
more-like-this.

A need's matches may rest on one common word ("App", "finden"); a similar solution must show
more: a shared category, or at least ``MIN_TEXT_EVIDENCE`` of the description's words or
concepts found in it.

Results are kept per index generation (``search.index_generation``), so a solution page asks
the search once per catalogue change, not once per view.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.models import Need, Solution
from search import SearchService, index_generation
from search.lru import BoundedLRU

from .matching import SolutionMatch, match_solutions, session_for

PREFERRED_LANGUAGES = ("de", "en")
"""The description a solution is matched by: German, else English, else its first."""
MIN_TEXT_EVIDENCE = 2
"""Words, concepts, abbreviations or compounds of the description a similar solution must
share when it shares no category."""
TEXT_REASONS = ("concept", "abbreviation", "compound")
CACHED_SOLUTIONS = 2048
_SIMILAR = BoundedLRU(CACHED_SOLUTIONS)


def similar_solutions(engine_or_session: Engine | Session, search: SearchService | str | Path,
                      solution_id: int, *, limit: int = 5) -> list[SolutionMatch]:
    """Up to ``limit`` other solutions most like ``solution_id``, best first."""
    service = search if isinstance(search, SearchService) else SearchService(search)
    key = (str(service.index_dir), index_generation(service.index_dir), solution_id, limit)

    def compute() -> tuple[SolutionMatch, ...]:
        with session_for(engine_or_session) as session:
            solution = session.get(Solution, solution_id)
            if solution is None:
                return ()
            need = as_need(solution)
            if need is None:
                return ()
            found = match_solutions(session, service, need, limit=limit * 3)
        return tuple(match for match in found
                     if match.id != solution_id and similar_enough(match))[:limit]

    return list(_SIMILAR.get(key, compute))


def similar_enough(match: SolutionMatch) -> bool:
    """A shared category, or enough of the description found in it (see above)."""
    codes = [reason.code for reason in match.reasons]
    if "category" in codes:
        return True
    words = sum(len(reason.values.get("words", ())) for reason in match.reasons
                if reason.code == "words")
    return words + sum(code in TEXT_REASONS for code in codes) >= MIN_TEXT_EVIDENCE


def as_need(solution: Solution) -> Need | None:
    """The solution described as a need: None when it has no description to match by."""
    descriptions = {language: text for language, text in (solution.descriptions or {}).items()
                    if isinstance(text, dict)}
    language = next((code for code in PREFERRED_LANGUAGES if code in descriptions),
                    next(iter(descriptions), None))
    if language is None:
        return None
    described = descriptions[language]
    short = described.get("short") if isinstance(described.get("short"), str) else ""
    long = described.get("long") if isinstance(described.get("long"), str) else ""
    features = [f for f in described.get("features") or () if isinstance(f, str)]
    title = short or solution.name or ""
    if not title.strip():
        return None
    return Need(title=title, description="\n".join([long, *features]),
                categories=[c for c in solution.categories or () if isinstance(c, str)])
