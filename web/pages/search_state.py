"""The search page's state is its query string: parsed strictly, turned back into links.

Everything a reader chose — words, filters, sort, page — is in the URL, so a result list can
be bookmarked and shared. A bad value (an unknown sort, a page past the end, an overlong text)
is a 400 with the reason (``BadRequest``); a parameter the page does not know at all (a
newsletter's ``utm_source``) is ignored, so that shared links open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from search import FACETS, MAX_TEXT_CHARS, SORTS

from .vocabulary import SORT_NAMES

PER_PAGE = 20
MAX_PAGE = 500
KNOWN = {"q", "sort", "page", "lang", *FACETS}
"""The parameters the page reads (the response cache keys on these only)."""


@dataclass(frozen=True, slots=True)
class SearchState:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str | None = None
    page: int = 1

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments for a link to this search with ``changes`` (None drops a key)."""
        args: dict[str, Any] = {"q": self.text or None, "sort": self.sort,
                                "page": self.page if self.page > 1 else None}
        args.update({facet: list(values) for facet, values in self.filters.items()})
        args.update(changes)
        return {key: value for key, value in args.items() if value not in (None, "", [])}

    def url(self, **changes: Any) -> str:
        return url_for("pages.search", **self.args(**changes))

    def page_url(self, page: int) -> str:
        return self.url(page=page if page > 1 else None)

    def without(self, facet: str, value: str) -> str:
        """This search with one filter value removed (a chip's link), back on page one."""
        rest = [v for v in self.filters.get(facet, []) if v != value]
        return self.url(**{facet: rest or None, "page": None})

    def with_sort(self, sort: str) -> str:
        return self.url(sort=sort, page=None)

    def selected(self, facet: str, value: str) -> bool:
        return value.casefold() in {v.casefold() for v in self.filters.get(facet, [])}

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())


def parse(args: Mapping[str, Any] | None = None) -> SearchState:
    # Parameters the page does not know (utm_source from a newsletter, fbclid, a typo) are
    # ignored, not refused: a shared link must open. The page's own links leave them out.
    args = args if args is not None else request.args
    text = _single(args, "q") or ""
    if "\x00" in text or len(text) > MAX_TEXT_CHARS:
        raise BadRequest(_("Der Suchtext ist zu lang (höchstens %(n)d Zeichen) oder enthält "
                           "ungültige Zeichen.", n=MAX_TEXT_CHARS))
    sort = _single(args, "sort") or None
    if sort is not None and sort not in SORTS:
        raise BadRequest(_("Unbekannte Sortierung „%(sort)s“. Möglich sind: %(sorts)s.",
                           sort=sort, sorts=", ".join(f"{code} ({SORT_NAMES[code]})"
                                                      for code in SORTS)))
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [v for v in args.getlist(facet) if v.strip()]
        if any("\x00" in v or len(v) > MAX_TEXT_CHARS for v in values):
            raise BadRequest(_("Ein Filterwert ist zu lang oder enthält ungültige Zeichen."))
        if values:
            filters[facet] = list(dict.fromkeys(values))
    return SearchState(text.strip(), filters, sort, page_number(args))


def check_page(state: SearchState, total: int) -> int:
    """The search's last page; a page past it is a mistake in the link, said as such."""
    return last_page(total, PER_PAGE, state.page, search=True)


def _single(args: Mapping[str, Any], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise BadRequest(_("Der Parameter %(name)s darf nur einmal vorkommen.", name=name))
    return values[0] if values else None


def page_number(args: Mapping[str, Any]) -> int:
    """The ``page`` parameter (1 when absent); any page list of the site reads it this way."""
    raw = _single(args, "page")
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(_("Die Seitenzahl muss eine ganze Zahl von 1 bis %(max)d sein.",
                           max=MAX_PAGE))
    return int(raw)


def last_page(total: int, per_page: int, page: int, *, search: bool = False) -> int:
    """The number of the last page of ``total`` items; a 400 when ``page`` lies beyond it (an
    empty list still has its one, empty, page)."""
    last = max(1, -(-total // per_page))
    if page > last and search:
        raise BadRequest(_("Seite %(page)d gibt es nicht; diese Suche hat %(last)d Seite(n).",
                           page=page, last=last))
    if page > last:
        raise BadRequest(_("Seite %(page)d gibt es nicht; die Liste hat %(last)d Seite(n).",
                           page=page, last=last))
    return last


def paging(total: int, page: int, per_page: int, endpoint: str, **args: Any) -> dict[str, Any]:
    """What the ``pagination`` macro and a list page need: ``total``, ``page``, ``last_page``
    (a 400 past it) and ``page_url(n)`` to ``endpoint`` with ``args`` (page 1 without
    ``page``)."""
    return {"total": total, "page": page, "last_page": last_page(total, per_page, page),
            "page_url": lambda n: url_for(endpoint, **args, page=n if n > 1 else None)}
