"""Writing the directory's organisations into the Organisation table.

The whole file is read and checked before the first write (:func:`import_file`), and the
writes go into the caller's one transaction, flushed in batches of ``BATCH``: a file that
breaks on line 9,000 changes nothing, and neither does a failed write half-way.

Rows are matched on ``official_key``. A re-import updates what the directory owns — kind,
official type, Land, Kreis, population, area, ``imported_at`` — and nothing people added:
website, e-mail domain, publisher link, memberships, other identifier. It does not change a
name either, nor any slug (addresses stay put): people may have corrected a name, and a
renaming in the directory is shown in the report instead (``name_differs``), applied only
with ``update_names``. An organisation people created without an official key is taken over
when its name certainly means exactly one directory entry of the same kind and Land (the
rules of ``official.certain_names``): it gets the key and the figures, keeps everything else.
Rows the directory no longer lists (merged Gemeinden) are kept and counted as ``not_in_file``;
their ``imported_at`` says when a directory last listed them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from registry import audit
from registry.accounts.organisations import LAENDER
from registry.models import Organisation
from registry.normalise import slugify

from . import gv100ad, linking
from .official import (
    OfficialOrganisation,
    certain_names,
    designated_name,
    official_organisations,
    unincorporated,
)

BATCH = 500
OWNED = ("kind", "official_type", "state", "district", "population", "area_km2")
"""The columns the directory owns (besides ``imported_at``)."""
NAME_EXAMPLES = 20


@dataclass(slots=True)
class ImportReport:
    file: str = ""
    as_of: str | None = None
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    adopted: int = 0
    """Organisations people had created without a key, now matched to the directory."""
    renamed: int = 0
    name_differs: int = 0
    """Rows whose name is not the directory's (a correction, or a renaming not applied)."""
    name_examples: list[str] = field(default_factory=list)
    not_in_file: int = 0
    skipped_unincorporated: int = 0
    skipped_unknown_types: dict[str, int] = field(default_factory=dict)
    latin1_lines: int = 0
    links: linking.LinkReport | None = None

    def counts(self) -> dict[str, object]:
        return {key: value for key, value in asdict(self).items() if key != "links"} | (
            {"links": asdict(self.links)} if self.links else {})


def import_file(session: Session, path: Path, *, now: datetime, link: bool = True,
                update_names: bool = False) -> ImportReport:
    """Read all of ``path`` (raising ``gv100ad.DirectoryError`` before any write), write the
    organisations, link the catalogue (unless ``link`` is false) and record one audit entry.
    The caller commits."""
    reading = gv100ad.read_file(path)
    organisations = official_organisations(reading.records, LAENDER)
    report = ImportReport(file=path.name, records=len(reading.records),
                          as_of=reading.as_of.isoformat() if reading.as_of else None,
                          skipped_unincorporated=unincorporated(reading.records),
                          skipped_unknown_types=dict(sorted(reading.unknown_types.items())),
                          latin1_lines=reading.latin1_lines)
    write_organisations(session, organisations, now=now, report=report,
                        update_names=update_names)
    if link:
        report.links = linking.link_catalogue(session)
    audit.record(session, actor_id=None, action="organisation.import",
                 subject_type="organisation", subject_id=None, **report.counts())
    return report


def write_organisations(session: Session, organisations: list[OfficialOrganisation], *,
                        now: datetime, report: ImportReport | None = None,
                        update_names: bool = False) -> ImportReport:
    report = report or ImportReport()
    taken = set(session.exec(select(Organisation.slug)).all())
    repeated = _repeated_slugs(organisations)
    found = _by_key(session, [o.official_key for o in organisations])
    adoptable = _adoptable(session, [o for o in organisations if o.official_key not in found])
    for number, official in enumerate(organisations, 1):
        row = found.get(official.official_key)
        if row is None and official.official_key in adoptable:
            row = adoptable[official.official_key]
            row.official_key = official.official_key
            report.adopted += 1
        elif row is None:
            row = Organisation(name=official.name, kind=official.kind,
                               official_key=official.official_key,
                               slug=_new_slug(official, taken, repeated), created_at=now)
            report.created += 1
        elif _update(row, official, report, update_names):
            report.updated += 1
        else:
            report.unchanged += 1
        for column in OWNED:
            setattr(row, column, getattr(official, column))
        row.imported_at = now
        session.add(row)
        if number % BATCH == 0:
            session.flush()
    session.flush()
    listed = {o.official_key for o in organisations}
    report.not_in_file = sum(1 for key in session.exec(select(Organisation.official_key).where(
        Organisation.imported_at.is_not(None))) if key not in listed)
    return report


def _update(row: Organisation, official: OfficialOrganisation, report: ImportReport,
            update_names: bool) -> bool:
    """Whether the directory changes an existing row; the name only with ``update_names``."""
    changed = any(getattr(row, column) != getattr(official, column) for column in OWNED)
    if row.name != official.name:
        if update_names:
            row.name = official.name
            report.renamed += 1
            changed = True
        else:
            report.name_differs += 1
            if len(report.name_examples) < NAME_EXAMPLES:
                report.name_examples.append(f"{official.official_key}: {row.name!r}, the "
                                            f"directory says {official.name!r}")
    return changed


def _by_key(session: Session, keys: list[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for start in range(0, len(keys), BATCH):
        chunk = keys[start:start + BATCH]
        found.update((o.official_key, o) for o in session.exec(
            select(Organisation).where(Organisation.official_key.in_(chunk))))
    return found


def _adoptable(session: Session,
               organisations: Iterable[OfficialOrganisation]) -> dict[str, Organisation]:
    """Keyless organisations people created whose name certainly means one of ``organisations``
    (one each way, same kind, same Land or none), by the official key they will get."""
    keyless: dict[str, list[Organisation]] = defaultdict(list)
    for row in session.exec(select(Organisation).where(Organisation.official_key.is_(None))):
        keyless[slugify(row.name)].append(row)
    if not keyless:
        return {}
    meaning: dict[str, set[str]] = defaultdict(set)
    by_key = {official.official_key: official for official in organisations}
    for official in by_key.values():
        for slug in certain_names(official.name, official.official_type):
            meaning[slug].add(official.official_key)
    chosen: dict[str, list[Organisation]] = defaultdict(list)
    for slug, rows in keyless.items():
        keys = meaning.get(slug, set())
        if len(rows) == 1 and len(keys) == 1:
            key = next(iter(keys))
            if rows[0].kind == by_key[key].kind and rows[0].state in (None, by_key[key].state):
                chosen[key].append(rows[0])
    return {key: rows[0] for key, rows in chosen.items() if len(rows) == 1}


def _repeated_slugs(organisations: list[OfficialOrganisation]) -> set[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for official in organisations:
        slug = _slug_base(official)
        (repeated if slug in seen else seen).add(slug)
    return repeated


def _slug_base(official: OfficialOrganisation) -> str:
    return slugify(designated_name(official.name, official.official_type))


def _new_slug(official: OfficialOrganisation, taken: set[str], repeated: set[str]) -> str:
    """The slug of the designated name ("stadt-goettingen", "landkreis-goettingen": never the
    bare "goettingen", which ``usedBy`` names would match by slug), with the key appended when
    the name is not unique in the directory (two "Stadt Neustadt": neither gets the plain slug,
    so nothing that links by name picks one at random) or the slug is taken already."""
    base = _slug_base(official)
    slug = base
    if base in repeated or base in taken:
        slug = f"{base}-{official.official_key}"
    number = 2
    while slug in taken:
        slug, number = f"{base}-{official.official_key}-{number}", number + 1
    taken.add(slug)
    return slug
