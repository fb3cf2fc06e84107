"""Catalogue services: the only code that writes sources, solutions, publishers and runs.

Every service commits its own transaction and keeps no state between calls, so harvest work
items can run in threads, processes or queue workers against the same database. Rows that
several workers may create at once (sources, publishers, solutions) are inserted with
``INSERT … ON CONFLICT DO NOTHING`` and then read back, so a race ends in one row, not an error;
a solution is read ``FOR UPDATE`` (PostgreSQL) so two updates of one repository serialise.

Rules worth knowing:
- What a town may see is what is readable (``registry.quality``): every file that yields a
  name and a description is shown, valid or not, with its grade and the reasons for it.
- A solution shows its *last valid* version. A new invalid publiccode.yml replaces the raw text,
  findings and grade only; name, descriptions, publisher and usedBy stay as they were.
- A solution that has never been valid shows the best-effort reading of its latest readable
  file (``last_valid_at is None``); a later unreadable file keeps that reading on show.
- ``record_unlisted`` (the publiccode.yml is gone) only changes status and reason and creates
  nothing for repositories the catalogue has never listed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, select

from .config import SourceConfig
from .models import (
    RUN_COUNTS,
    RUN_STATUSES,
    Adoption,
    HarvestRun,
    Notification,
    Publisher,
    Solution,
    Source,
    iso_utc,
)
from .models import utcnow as _utcnow
from .normalise import (
    normalise,
    normalise_repository_url,
    publisher_name,
    publisher_website,
    slugify,
    used_by,
)
from .publiccode import Finding, ValidationResult
from .publiccode.reading import READER_VERSION
from .quality import Grade, earlier_version_shown, grade

MAX_RUN_ERRORS = 1000
"""A run keeps this many error entries; a broken forge must not write megabytes of JSON."""
MAX_MESSAGE_CHARS = 2000

OUTCOMES = ("new", "updated", "unchanged", "invalid", "unlisted")


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one ``record_*`` call did, for the harvest's counts and logs.

    ``kind`` is ``unchanged`` when the raw text (by hash) and the validity are what the
    catalogue already had; else ``invalid`` for a file that does not validate (``created``
    tells whether it is also new), else ``new`` or ``updated``. ``record_unlisted`` reports
    ``unlisted``, with ``changed`` false when the solution was already unlisted for that reason.
    """

    kind: str
    solution_id: int
    status: str
    created: bool = False
    changed: bool = True


def ensure_source(session: Session, source_config: SourceConfig) -> Source:
    """The ``Source`` row for a configured source, created or brought in line with the config."""
    url = source_config.url or (source_config.path.as_uri() if source_config.path else None)
    _insert_ignore(session, Source, {"name": source_config.name, "type": source_config.type,
                                     "url": url, "created_at": _utcnow()}, "name")
    source = _one_for_update(session, select(Source).where(Source.name == source_config.name))
    source.type, source.url = source_config.type, url
    session.commit()
    return source


def record_solution(
    session: Session,
    *,
    source: Source,
    repository_url: str,
    result: ValidationResult,
    forge_facts: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> RecordOutcome:
    """Store one harvested publiccode.yml (valid or not) for the repository at ``repository_url``.

    ``forge_facts`` (default_branch, stars, namespace, …) replace the stored ones when given;
    they change every harvest and do not by themselves make a solution "updated".
    """
    now = _aware(now)
    url = normalise_repository_url(repository_url)
    created = _insert_ignore(session, Solution, {
        "url": url, "source_id": source.id, "status": "invalid",
        "first_seen_at": now, "last_harvested_at": now, "last_changed_at": now,
    }, "url")
    solution = _one_for_update(session, select(Solution).where(Solution.url == url))

    valid = result.valid and result.document is not None
    status = "valid" if valid else "invalid"
    content_hash = _content_hash(result)
    unchanged = (not created and solution.content_hash == content_hash
                 and solution.status == status and solution.read_with == READER_VERSION)

    solution.last_harvested_at = now
    solution.missing_count = 0
    solution.findings = [finding.to_stored() for finding in (*result.findings, *result.notes)]
    if forge_facts is not None:
        solution.forge = jsonable(dict(forge_facts))
    if unchanged:
        session.commit()
        return RecordOutcome("unchanged", solution.id, status, created=False, changed=False)

    if solution.status == "valid" and not valid:  # maintainers hear of it (notifications.py)
        session.add(Notification(solution_id=solution.id, kind="became_invalid",
                                 detail=_invalid_reason(result), created_at=now))
    solution.status = status
    solution.status_reason = None if valid else _invalid_reason(result)
    solution.raw_text = _storable(result.text)
    solution.content_hash = content_hash
    solution.last_changed_at = now
    if valid:
        solution.valid_text = result.text
        solution.last_valid_at = now
    _show(session, solution, result, forge_facts, source_id=source.id, now=now)
    session.commit()
    kind = "invalid" if not valid else ("new" if created else "updated")
    return RecordOutcome(kind, solution.id, status, created=created)


def reread_solution(session: Session, solution: Solution, result: ValidationResult, *,
                    now: datetime | None = None) -> bool:
    """Read a stored file again with the current reader (``allmende reread``): fields, grade
    and notes change; the validator's verdict and findings stay as the harvest stored them.

    ``result`` is ``registry.publiccode.read_bytes`` of the stored raw text. True when the
    grade or the shown fields may have changed.
    """
    stored = [f for f in solution.findings if f.get("severity") != "note"]
    solution.findings = stored + [note.to_stored() for note in result.notes]
    result.findings = [Finding.from_stored(f) for f in stored] or result.findings
    before = (solution.quality, solution.quality_reasons, solution.name)
    _show(session, solution, result, None, source_id=solution.source_id, now=_aware(now))
    session.commit()
    return before != (solution.quality, solution.quality_reasons, solution.name)


def _show(session: Session, solution: Solution, result: ValidationResult,
          forge_facts: Mapping[str, Any] | None, *, source_id: int | None,
          now: datetime) -> None:
    """What the catalogue shows of ``solution`` after reading ``result``, and its grade.

    Fields, publisher and usedBy come from the current file when it is valid, or when it is
    readable and no valid version was ever seen; otherwise the shown fields stay.
    """
    reading = result.reading
    shows_current = result.readable and (solution.status == "valid"
                                         or solution.last_valid_at is None)
    if shows_current:
        assert reading is not None
        _apply_fields(solution, reading.document)
        solution.publisher_id = _publisher_for(session, reading.document, forge_facts,
                                               source_id=source_id)
        _replace_publiccode_adoptions(session, solution, used_by(reading.document), now)
    graded: Grade
    if result.readable or solution.name is None or not solution.descriptions:
        graded = grade(result.findings, reading, unreadable_reason=result.unreadable_reason)
    else:  # the current file cannot be read; the earlier reading stays on show
        graded = earlier_version_shown()
    solution.quality, solution.quality_reasons = graded.level, graded.reasons
    solution.read_with = READER_VERSION


def record_unlisted(
    session: Session,
    *,
    source: Source,
    repository_url: str,
    reason: str,
    now: datetime | None = None,
) -> RecordOutcome:
    """Record a repository without a publiccode.yml (status ``unlisted``, never shown).

    Unknown repositories get a row too: the harvest must remember that it looked (so an
    unchanged repository costs no request next night) and maintainers must be able to see why
    theirs is missing. For a known solution only status, reason and harvest time change: the
    last valid text, its fields, the publisher and the adoptions stay, so a file that comes
    back (or was removed by mistake) restores the solution without loss. A solution keeps the
    source it was first found in.
    """
    now = _aware(now)
    url = normalise_repository_url(repository_url)
    created = _insert_ignore(session, Solution, {
        "url": url, "source_id": source.id, "status": "unlisted", "status_reason": reason,
        "first_seen_at": now, "last_harvested_at": now, "last_changed_at": now,
    }, "url")
    solution = _one_for_update(session, select(Solution).where(Solution.url == url))
    changed = created or solution.status != "unlisted" or solution.status_reason != reason
    solution.last_harvested_at = now
    solution.missing_count = 0
    if changed:
        solution.status, solution.status_reason = "unlisted", reason
        solution.last_changed_at = now
    session.commit()
    return RecordOutcome("unlisted", solution.id, "unlisted", created=created, changed=changed)


def start_run(session: Session, source: Source) -> HarvestRun:
    """A ``running`` harvest run for ``source``, committed so others can see it is under way."""
    run = HarvestRun(source_id=source.id, started_at=_utcnow(), status="running")
    session.add(run)
    session.commit()
    return run


def finish_run(
    session: Session,
    run: HarvestRun | int,
    counts: Mapping[str, int],
    errors: Iterable[Mapping[str, Any]] = (),
    *,
    status: str | None = None,
    now: datetime | None = None,
) -> HarvestRun:
    """Close a run with its counts (keys from ``RUN_COUNTS``) and ``{url, message}`` errors.

    Without an explicit ``status``: ``ok`` when nothing failed, ``partial`` when some
    repositories were harvested despite errors, ``failed`` when none were.
    """
    unknown = set(counts) - set(RUN_COUNTS)
    if unknown:
        raise ValueError(f"unknown harvest count(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(RUN_COUNTS)}")
    if status is not None and status not in RUN_STATUSES[1:]:
        raise ValueError(f"a finished run's status is one of {', '.join(RUN_STATUSES[1:])}")
    run_id = run if isinstance(run, int) else run.id
    stored = _one_for_update(session, select(HarvestRun).where(HarvestRun.id == run_id))
    for name in RUN_COUNTS:
        setattr(stored, name, int(counts.get(name, 0)))
    stored.errors = _run_errors(errors)
    if status is None:
        troubled = stored.failed > 0 or bool(stored.errors)
        status = "ok" if not troubled else ("partial" if stored.seen > stored.failed else "failed")
    stored.status = status
    stored.finished_at = _aware(now)
    session.commit()
    return stored


# --- helpers ---------------------------------------------------------------------------------

def _aware(now: datetime | None) -> datetime:
    if now is None:
        return _utcnow()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, e.g. datetime.now(UTC)")
    return now


def _insert_ignore(session: Session, model: type[SQLModel], values: dict[str, Any],
                   key: str) -> bool:
    """Insert a row unless one with the same ``key`` exists; True when this call inserted it.

    Column defaults (JSON containers, counters) are filled in by SQLAlchemy as for any insert.
    """
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"the catalogue supports SQLite and PostgreSQL, not {dialect}")
    table = model.__table__  # type: ignore[attr-defined]
    statement = (insert(table).values(**values)
                 .on_conflict_do_nothing(index_elements=[key]).returning(table.c.id))
    return session.execute(statement).first() is not None


def _one_for_update(session: Session, query: Any, *, required: bool = True) -> Any:
    """Read one row fresh from the database, locked for this transaction on PostgreSQL."""
    query = query.with_for_update().execution_options(populate_existing=True)
    found = session.exec(query).first()
    if found is None and required:
        raise LookupError(f"expected a row for {query}")
    return found


def _run_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    entries = [{"url": str(error.get("url") or ""),
                "message": str(error.get("message") or "")[:MAX_MESSAGE_CHARS]}
               for error in errors]
    if len(entries) > MAX_RUN_ERRORS:
        dropped = len(entries) - MAX_RUN_ERRORS
        entries = entries[:MAX_RUN_ERRORS]
        entries.append({"url": "", "message": f"... and {dropped} more errors (not stored)"})
    return entries


def _storable(text: str | None) -> str | None:
    """The text as the database can keep it: PostgreSQL refuses NUL characters in text, and a
    file with one is unreadable anyway (the loader's finding says so); its hash still counts."""
    return None if text is None or "\x00" in text else text


def _content_hash(result: ValidationResult) -> str:
    """SHA-256 of the text; of the findings for files that could not even be decoded."""
    if result.text is not None:
        return hashlib.sha256(result.text.encode("utf-8")).hexdigest()
    findings = json.dumps([f.to_stored() for f in result.findings], sort_keys=True)
    return "undecodable:" + hashlib.sha256(findings.encode("utf-8")).hexdigest()


def _invalid_reason(result: ValidationResult) -> str:
    if result.reading is not None and not result.readable:  # parsed, but says too little
        return result.unreadable_reason or "publiccode.yml could not be read"
    errors = result.errors
    if not errors:
        return "publiccode.yml could not be read"
    first = errors[0]
    where = f"{first.key}: " if first.key else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{len(errors)} error(s) in publiccode.yml; first: {where}{first.message}{more}"


def _apply_fields(solution: Solution, document: dict[str, Any] | None) -> None:
    for name, value in normalise(document).items():
        setattr(solution, name, value)


def _publisher_for(session: Session, document: Any, forge_facts: Mapping[str, Any] | None,
                   *, source_id: int | None) -> int | None:
    """The publisher named by the document, else the forge namespace; upserted by slug.

    An existing publisher's name is kept (operators may have corrected it); only blank
    website and namespace are filled in.
    """
    namespace = _facts_text(forge_facts, "namespace")
    name = publisher_name(document) or namespace
    if not name:
        return None
    slug = slugify(name)
    website = publisher_website(document)
    _insert_ignore(session, Publisher, {
        "name": name, "slug": slug, "website": website, "forge_namespace": namespace,
        "source_id": source_id, "created_at": _utcnow(),
    }, "slug")
    publisher = session.exec(select(Publisher).where(Publisher.slug == slug)
                             .execution_options(populate_existing=True)).one()
    if publisher.website is None and website:
        publisher.website = website
    if publisher.forge_namespace is None and namespace:
        publisher.forge_namespace = namespace
    return publisher.id


def _replace_publiccode_adoptions(session: Session, solution: Solution, names: list[str],
                                  now: datetime) -> None:
    """Make the ``publiccode`` adoptions equal usedBy; ``declared`` ones are never touched.

    Adoptions that stay keep their row (and ``created_at``); names compare case-insensitively.
    """
    wanted = {name.casefold(): name for name in names}
    existing = session.exec(select(Adoption).where(Adoption.solution_id == solution.id,
                                                   Adoption.origin == "publiccode")).all()
    kept: set[str] = set()
    for adoption in existing:
        key = adoption.organisation.casefold()
        if key in wanted and key not in kept:
            kept.add(key)
            adoption.publisher_id = adoption.publisher_id or _known_publisher_id(
                session, adoption.organisation)
        else:
            session.delete(adoption)
    for key, name in wanted.items():
        if key not in kept:
            session.add(Adoption(solution_id=solution.id, organisation=name, origin="publiccode",
                                 publisher_id=_known_publisher_id(session, name),
                                 created_at=now))


def _known_publisher_id(session: Session, name: str) -> int | None:
    return session.exec(select(Publisher.id).where(Publisher.slug == slugify(name))).first()


def _facts_text(facts: Mapping[str, Any] | None, key: str) -> str | None:
    value = (facts or {}).get(key)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def jsonable(value: Any) -> Any:
    """Forge facts as JSON-safe data: datetimes become ISO 8601 strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return iso_utc(value) if isinstance(value, datetime) else value.isoformat()
    return value
