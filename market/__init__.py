"""The needs exchange's matching: needs to solutions and to other organisations, with reasons.

Sits above ``search`` and ``registry`` and below ``web``: it imports from those two, never
from ``web``. One implementation on the catalogue search (market/matching.py); how it scores
and explains: docs/needs.md.
"""

from .matching import SolutionMatch, match_solutions
from .peers import OrganisationMatch, organisations_for_need, similar_organisations
from .reasons import CODES, Reason
from .recompute import RecomputeReport, recompute

__all__ = ["CODES", "OrganisationMatch", "Reason", "RecomputeReport", "SolutionMatch",
           "match_solutions", "organisations_for_need", "recompute", "similar_organisations"]
