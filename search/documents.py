"""What the index holds about a solution, read from the catalogue in a few queries.

``IndexDocument`` is plain data (no ORM object, no Whoosh type): building it is the only place
that knows both the catalogue's columns and what search needs, so the index can be rebuilt from
the catalogue at any time and a future engine can take the same documents.

The index shows what the catalogue shows (the rule of registry/export.py): solutions whose
status is ``valid``, and ``invalid`` ones that still have a last valid version.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from registry.models import Adoption, Publisher, Solution, adoption_shown, shown_in_catalogue

from .languages import language_group

CHUNK = 500
"""Ids per ``IN (…)`` list: far below SQLite's and PostgreSQL's parameter limits."""


@dataclass(frozen=True, slots=True)
class LanguageText:
    """One language's description texts (joined when several languages fall under ``other``)."""

    short: str = ""
    long: str = ""
    features: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexDocument:
    id: int
    url: str
    name: str
    last_changed_at: datetime
    other_names: tuple[str, ...] = ()
    """localisedName and genericName in every language."""
    texts: dict[str, LanguageText] = field(default_factory=dict)
    """Language group (search/languages.py: ``de``, ``en``, ``it``, ``nl``, ``fr``, ``other``)
    → that language's texts."""
    categories: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    license: str | None = None
    publisher: str | None = None
    region: str | None = None
    development_status: str | None = None
    maintenance_type: str | None = None
    software_type: str | None = None
    scope: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    adoption_count: int = 0
    quality: str | None = None
    """The metadata grade (registry.quality): complete, valid or readable."""
    maintenance_level: int | None = None
    """``Solution.signals["level"]``: 0–3, ``None`` when not measured."""
    content_version: int = 1
    """``Solution.content_version`` when this document was read: the index stores it, so
    ``search.sync`` can tell a document the catalogue has moved past."""

    def fingerprint(self) -> str:
        """A hash of everything indexed: equal fingerprints mean rewriting would change nothing."""
        data = asdict(self)
        data["last_changed_at"] = self.last_changed_at.isoformat()
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


def shown_versions(session: Session) -> dict[int, int]:
    """Id → content version of every solution the catalogue shows: what the index must hold."""
    return dict(session.exec(select(Solution.id, Solution.content_version)
                             .where(shown_in_catalogue())).all())


def count_shown(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Solution)
                        .where(shown_in_catalogue())).one()


def documents_for(session: Session, ids: Iterable[int] | None = None) -> Iterator[IndexDocument]:
    """Index documents of the shown solutions, all of them or those among ``ids``.

    Two queries per chunk of solutions (solutions with their publisher; their adoptions),
    never one per solution. Ids that are not shown are silently absent: callers compare.
    """
    if ids is None:
        yield from _documents(session, None)
        return
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        yield from _documents(session, wanted[start:start + CHUNK])


def ids_for_urls(session: Session, urls: Iterable[str]) -> dict[str, int]:
    """Catalogue ids of solutions by repository URL (normalised as the catalogue does)."""
    from registry.normalise import normalise_repository_url

    by_normalised = {normalise_repository_url(url): url for url in urls}
    found: dict[str, int] = {}
    keys = sorted(by_normalised)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        for solution_id, url in session.exec(select(Solution.id, Solution.url)
                                             .where(Solution.url.in_(chunk))):
            found[by_normalised[url]] = solution_id
    return found


def _documents(session: Session, ids: Sequence[int] | None) -> Iterator[IndexDocument]:
    query = (select(Solution, Publisher.name, Publisher.region)
             .outerjoin(Publisher, Publisher.id == Solution.publisher_id)
             .where(shown_in_catalogue()).order_by(Solution.id))
    adoptions = (select(Adoption.solution_id, Adoption.organisation, Adoption.origin)
                 .where(adoption_shown()))  # hidden by an admin: not counted
    if ids is not None:
        query = query.where(Solution.id.in_(ids))
        adoptions = adoptions.where(Adoption.solution_id.in_(ids))
    adopters: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for solution_id, organisation, origin in session.exec(adoptions):
        adopters[solution_id].append((organisation, origin))
    for solution, publisher, region in session.exec(query):
        yield to_document(solution, publisher, region, adopters.get(solution.id, []))


def to_document(solution: Solution, publisher: str | None, region: str | None,
                adopters: Sequence[tuple[str, str]]) -> IndexDocument:
    """One solution row (plus its publisher and ``(organisation, origin)`` adoptions)."""
    descriptions = solution.descriptions if isinstance(solution.descriptions, dict) else {}
    audience = solution.intended_audience if isinstance(solution.intended_audience, dict) else {}
    forge = solution.forge if isinstance(solution.forge, dict) else {}
    used_by = tuple(dict.fromkeys(name for name, _origin in adopters))
    return IndexDocument(
        id=int(solution.id or 0),
        url=solution.url,
        name=solution.name or solution.url.rsplit("/", 1)[-1],
        last_changed_at=solution.last_changed_at,
        other_names=_other_names(descriptions, solution.name),
        texts=_texts(descriptions),
        categories=_strings(solution.categories),
        platforms=_strings(solution.platforms),
        license=solution.license,
        publisher=publisher,
        region=region,
        development_status=solution.development_status,
        maintenance_type=solution.maintenance_type,
        software_type=solution.software_type,
        scope=_strings(audience.get("scope")),
        countries=_strings(audience.get("countries")),
        used_by=used_by,
        topics=_strings(forge.get("topics")),
        adoption_count=len(adopters),
        quality=solution.quality,
        maintenance_level=_level(solution.signals),
        content_version=solution.content_version,
    )


def _level(signals: Any) -> int | None:
    level = signals.get("level") if isinstance(signals, dict) else None
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def _texts(descriptions: dict[str, Any]) -> dict[str, LanguageText]:
    grouped: dict[str, dict[str, list[str]]] = {}
    for language in sorted(descriptions):
        entry = descriptions[language]
        if not isinstance(entry, dict):
            continue
        parts = grouped.setdefault(language_group(language),
                                   {"short": [], "long": [], "features": []})
        for key in ("short", "long"):
            if isinstance(entry.get(key), str):
                parts[key].append(entry[key])
        parts["features"].extend(_strings(entry.get("features")))
    return {group: LanguageText(short="\n".join(p["short"]), long="\n\n".join(p["long"]),
                                features=tuple(p["features"]))
            for group, p in grouped.items()}


def _other_names(descriptions: dict[str, Any], name: str | None) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for language in sorted(descriptions):
        entry = descriptions[language]
        if isinstance(entry, dict):
            for key in ("localisedName", "genericName"):
                value = entry.get(key)
                if isinstance(value, str) and value.strip() and value != name:
                    names[value.strip()] = None
    return tuple(names)


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item.strip() for item in value if isinstance(item, str) and item.strip())
