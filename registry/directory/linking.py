"""Linking the catalogue to the official organisations — only where the match is certain.

A catalogue publisher or a ``usedBy`` name is linked to an organisation from the directory
when its name, compared the way slugs compare (case, umlaut spellings and punctuation do not
matter), is one of the names that certainly mean that organisation (``official.certain_names``:
"Stadt Eberbach", "Eberbach, Stadt", "Landkreis Göttingen", never the bare "Göttingen") and
means no other organisation of the directory. "Stadt Neustadt" with two Städte of that name
is left alone, and so is a publisher when two publishers would claim one organisation.

What linking writes, through the ORM (so the search index learns of it, see
``registry.models.versions``), and never over what people set:

- ``Organisation.publisher_id`` of an organisation that has none, for a publisher no
  organisation is linked to yet; the organisation's declarations without a publisher get it
  too (as an admin's link does), and each link writes an ``organisation.link_publisher``
  audit entry by the system;
- ``Adoption.organisation_id`` of ``usedBy`` adoptions (origin ``publiccode``) that have none;
- ``Publisher.region`` of a publisher without a region whose linked organisations (linked by
  anyone) all lie in one Land: that Land (the search facet ``region``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from registry import audit
from registry.models import Adoption, Organisation, Publisher
from registry.normalise import slugify

from .official import certain_names

BATCH = 500


@dataclass(slots=True)
class LinkReport:
    publishers: int = 0
    adoptions: int = 0
    regions: int = 0
    ambiguous: int = 0
    """Publishers and usedBy names left unlinked because their name means several
    organisations of the directory."""


def link_catalogue(session: Session) -> LinkReport:
    report = LinkReport()
    official = {o.id: o for o in session.exec(
        select(Organisation).where(Organisation.imported_at.is_not(None)))}
    meaning: dict[str, set[int]] = defaultdict(set)
    for organisation in official.values():
        for slug in certain_names(organisation.name, organisation.official_type):
            meaning[slug].add(organisation.id)
    _link_publishers(session, official, meaning, report)
    _link_adoptions(session, meaning, report)
    _fill_regions(session, report)
    session.flush()
    return report


def _link_publishers(session: Session, official: dict[int, Organisation],
                     meaning: dict[str, set[int]], report: LinkReport) -> None:
    linked = set(session.exec(select(Organisation.publisher_id).where(
        Organisation.publisher_id.is_not(None))).all())
    claims: dict[int, list[Publisher]] = defaultdict(list)
    for publisher in session.exec(select(Publisher).order_by(Publisher.id)):
        if publisher.id in linked:
            continue
        ids = meaning.get(slugify(publisher.name), set())
        if len(ids) > 1:
            report.ambiguous += 1
        elif ids:
            claims[next(iter(ids))].append(publisher)
    for organisation_id, publishers in sorted(claims.items()):
        organisation = official[organisation_id]
        if len(publishers) != 1 or organisation.publisher_id is not None:
            continue
        publisher = publishers[0]
        organisation.publisher_id = publisher.id
        session.add(organisation)
        for adoption in session.exec(select(Adoption).where(
                Adoption.organisation_id == organisation.id, Adoption.origin == "declared",
                Adoption.publisher_id.is_(None))):
            adoption.publisher_id = publisher.id
            session.add(adoption)
        audit.record(session, actor_id=None, action="organisation.link_publisher",
                     subject_type="organisation", subject_id=organisation.id,
                     publisher_id=publisher.id, previous_publisher_id=None,
                     matched_name=publisher.name, by="official directory")
        report.publishers += 1


def _link_adoptions(session: Session, meaning: dict[str, set[int]], report: LinkReport) -> None:
    unlinked = session.exec(select(Adoption).where(Adoption.origin == "publiccode",
                                                   Adoption.organisation_id.is_(None))
                            .order_by(Adoption.id)).all()
    for adoption in unlinked:
        ids = meaning.get(slugify(adoption.organisation), set())
        if len(ids) > 1:
            report.ambiguous += 1
        elif ids:
            adoption.organisation_id = next(iter(ids))
            session.add(adoption)
            report.adoptions += 1
            if report.adoptions % BATCH == 0:
                session.flush()


def _fill_regions(session: Session, report: LinkReport) -> None:
    session.flush()
    states: dict[int, set[str]] = defaultdict(set)
    for publisher_id, state in session.exec(
            select(Organisation.publisher_id, Organisation.state).where(
                Organisation.publisher_id.is_not(None), Organisation.state.is_not(None))):
        states[publisher_id].add(state)
    if not states:
        return
    for publisher in session.exec(select(Publisher).where(Publisher.region.is_(None),
                                                          Publisher.id.in_(sorted(states)))):
        if len(states[publisher.id]) == 1:
            publisher.region = next(iter(states[publisher.id]))
            session.add(publisher)
            report.regions += 1
