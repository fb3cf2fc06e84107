"""registry.catalogue: recording harvested publiccode.yml files, runs and exports.

Validation results come from the real validator and real YAML bytes.
"""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from registry import catalogue, export
from registry.catalogue import reread_solution
from registry.config import SourceConfig
from registry.models import (
    Adoption,
    HarvestRun,
    Publisher,
    Solution,
    Source,
    is_shown_in_catalogue,
)
from registry.publiccode import ValidationResult, read_bytes, validate_bytes

REPO = "https://gitlab.example.org/stadt-musterstadt/buergerportal"
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
ORGANISATION = """\
organisation:
  name: Stadt Musterstadt
  uri: https://www.musterstadt.de
"""


def publiccode(name: str = "Bürgerportal", used_by: tuple[str, ...] = (
        "Stadt Musterstadt", "Gemeinde Beispielheim"), organisation: str = ORGANISATION,
        legal_extra: str = "") -> bytes:
    """A publiccode.yml that validates; the arguments vary what the tests look at."""
    used = "".join(f"  - {org}\n" for org in used_by)
    return f"""\
publiccodeYmlVersion: "0.4"
name: {name}
url: {REPO}
softwareVersion: "2.1.0"
releaseDate: "2025-03-01"
platforms:
  - web
categories:
  - content-management
developmentStatus: stable
softwareType: standalone/web
{organisation}intendedAudience:
  countries:
    - de
  scope:
    - local-authorities
{"usedBy:" + chr(10) + used if used_by else ""}description:
  de:
    localisedName: {name}
    shortDescription: Online-Dienste für Bürgerinnen und Bürger
    longDescription: >
      Das Bürgerportal bündelt die Online-Dienste einer Kommune an einem Ort. Bürgerinnen und
      Bürger stellen Anträge, verfolgen deren Stand und erhalten Bescheide digital. Die Lösung
      ist modular aufgebaut und lässt sich an die Bedürfnisse jeder Verwaltung anpassen, von
      der kleinen Gemeinde bis zur Großstadt.
    features:
      - Anträge online stellen
      - Bescheide digital empfangen
legal:
  license: EUPL-1.2
{legal_extra}maintenance:
  type: internal
  contacts:
    - name: Erika Mustermann
      email: erika.mustermann@musterstadt.de
localisation:
  localisationReady: true
  availableLanguages:
    - de
    - en
""".encode()


def validated(data: bytes) -> ValidationResult:
    result = validate_bytes(data)
    assert result.valid, [finding.format("publiccode.yml") for finding in result.findings]
    return result


BROKEN = publiccode() + b"  broken: [never closed\n"
"""Invalid however strict the schema rules are: a YAML syntax error."""


def broken() -> ValidationResult:
    result = validate_bytes(BROKEN)
    assert not result.valid
    return result


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def source(session) -> Source:
    return catalogue.ensure_source(session, SourceConfig(
        name="opencode", type="gitlab", url="https://gitlab.example.org"))


def record(session, source, result, *, url=REPO, now=T0, forge_facts=None):
    return catalogue.record_solution(session, source=source, repository_url=url, result=result,
                                     forge_facts=forge_facts, now=now)


def fetch(session, url=REPO) -> Solution:
    return session.exec(select(Solution).where(Solution.url == url)
                        .execution_options(populate_existing=True)).one()


def adoptions(session, solution_id) -> dict[str, str]:
    rows = session.exec(select(Adoption).where(Adoption.solution_id == solution_id)
                        .execution_options(populate_existing=True)).all()
    return {row.organisation: row.origin for row in rows}


# -- sources ----------------------------------------------------------------------------------

def test_ensure_source_creates_once_and_follows_the_configuration(session, source):
    again = catalogue.ensure_source(session, SourceConfig(name="opencode", type="gitea",
                                                          url="https://codeberg.org"))
    assert again.id == source.id
    assert (again.type, again.url) == ("gitea", "https://codeberg.org")
    assert len(session.exec(select(Source)).all()) == 1


def test_a_files_source_is_stored_with_its_path_as_url(session, tmp_path):
    demo = catalogue.ensure_source(session, SourceConfig(name="demo", type="files", path=tmp_path))
    assert demo.url == tmp_path.as_uri()


# -- record_solution --------------------------------------------------------------------------

def test_a_new_valid_solution(session, source):
    outcome = record(session, source, validated(publiccode()),
                     forge_facts={"default_branch": "main", "stars": 4, "namespace": "musterstadt",
                                  "last_activity_at": T0 - timedelta(days=2)})
    assert (outcome.kind, outcome.status, outcome.created, outcome.changed) == (
        "new", "valid", True, True)
    solution = fetch(session)
    assert solution.id == outcome.solution_id
    assert (solution.name, solution.license, solution.development_status) == (
        "Bürgerportal", "EUPL-1.2", "stable")
    assert solution.descriptions["de"]["features"] == ["Anträge online stellen",
                                                       "Bescheide digital empfangen"]
    assert solution.raw_text == solution.valid_text == publiccode().decode()
    assert solution.last_valid_at == solution.first_seen_at == solution.last_changed_at == T0
    assert solution.forge == {"default_branch": "main", "stars": 4, "namespace": "musterstadt",
                              "last_activity_at": "2026-01-03T08:00:00Z"}
    assert solution.status_reason is None and solution.missing_count == 0

    publisher = session.get(Publisher, solution.publisher_id)
    assert (publisher.name, publisher.slug, publisher.website, publisher.forge_namespace) == (
        "Stadt Musterstadt", "stadt-musterstadt", "https://www.musterstadt.de", "musterstadt")
    assert adoptions(session, solution.id) == {"Stadt Musterstadt": "publiccode",
                                               "Gemeinde Beispielheim": "publiccode"}
    linked = session.exec(select(Adoption).where(
        Adoption.organisation == "Stadt Musterstadt")).one()
    assert linked.publisher_id == publisher.id


def test_the_same_file_again_is_unchanged(session, source):
    record(session, source, validated(publiccode()), forge_facts={"stars": 1})
    later = T0 + timedelta(days=1)
    outcome = record(session, source, validated(publiccode()), url=REPO + ".git/", now=later,
                     forge_facts={"stars": 2})
    assert (outcome.kind, outcome.created, outcome.changed) == ("unchanged", False, False)
    solution = fetch(session)
    assert solution.last_harvested_at == later
    assert solution.last_changed_at == T0
    assert solution.forge == {"stars": 2}  # forge facts refresh without counting as a change
    assert len(session.exec(select(Solution)).all()) == 1


def test_a_changed_file_updates_the_solution(session, source):
    record(session, source, validated(publiccode()))
    later = T0 + timedelta(hours=1)
    outcome = record(session, source, validated(publiccode(name="Bürgerportal Neu")), now=later)
    assert (outcome.kind, outcome.created) == ("updated", False)
    solution = fetch(session)
    assert solution.name == "Bürgerportal Neu"
    assert solution.last_changed_at == solution.last_valid_at == later
    assert solution.first_seen_at == T0


def test_an_invalid_file_keeps_the_last_valid_version(session, source):
    record(session, source, validated(publiccode()))
    good = fetch(session)
    later = T0 + timedelta(days=1)
    outcome = record(session, source, broken(), now=later)
    assert (outcome.kind, outcome.status, outcome.created) == ("invalid", "invalid", False)

    solution = fetch(session)
    assert solution.status == "invalid"
    assert solution.raw_text == BROKEN.decode()
    assert solution.findings and solution.findings[0]["severity"] == "error"
    assert solution.status_reason.startswith("1 error(s) in publiccode.yml; first: YAML syntax")
    # what the site shows is still the valid version
    assert (solution.name, solution.valid_text, solution.last_valid_at) == (
        good.name, good.valid_text, T0)
    assert solution.publisher_id == good.publisher_id
    assert len(adoptions(session, solution.id)) == 2

    assert record(session, source, broken(), now=later).kind == "unchanged"
    back = record(session, source, validated(publiccode()), now=later + timedelta(hours=1))
    assert (back.kind, back.status) == ("updated", "valid")
    assert fetch(session).status_reason is None


def test_a_file_that_never_validated(session, source):
    outcome = record(session, source, broken())
    assert (outcome.kind, outcome.created) == ("invalid", True)
    solution = fetch(session)
    assert solution.last_valid_at is None and solution.valid_text is None
    assert solution.name is None  # nothing could be parsed


def test_a_never_valid_but_readable_file_is_shown_with_its_grade(session, source):
    data = publiccode().replace(b"developmentStatus: stable", b"developmentStatus: sometimes")
    result = validate_bytes(data)
    assert not result.valid and result.readable
    record(session, source, result)
    solution = fetch(session)
    assert solution.status == "invalid" and solution.last_valid_at is None
    assert (solution.name, solution.development_status) == ("Bürgerportal", "sometimes")
    assert is_shown_in_catalogue(solution) and solution.quality == "readable"
    assert solution.quality_reasons == [{"code": "rule_errors", "args": {"count": 1}}]
    assert set(adoptions(session, solution.id)) == {"Stadt Musterstadt", "Gemeinde Beispielheim"}


def test_a_file_without_a_description_is_recorded_but_not_shown(session, source):
    data = b'publiccodeYmlVersion: "0.4"\nname: Nur ein Name\nurl: https://git.example/x\n'
    record(session, source, validate_bytes(data))
    solution = fetch(session)
    assert solution.status == "invalid" and not is_shown_in_catalogue(solution)
    assert solution.quality == "unreadable"
    assert solution.status_reason == "publiccode.yml has no usable description"
    assert solution.quality_reasons == [
        {"code": "unreadable", "args": {"reason": "publiccode.yml has no usable description"}}]


def test_an_unreadable_file_keeps_an_earlier_readable_reading_on_show(session, source):
    data = publiccode().replace(b"developmentStatus: stable", b"developmentStatus: sometimes")
    record(session, source, validate_bytes(data))
    record(session, source, broken(), now=T0 + timedelta(days=1))
    solution = fetch(session)
    assert solution.name == "Bürgerportal" and is_shown_in_catalogue(solution)
    assert solution.quality_reasons == [{"code": "earlier_version_shown", "args": {}}]


def test_lenient_readings_are_stored_as_notes_beside_the_findings(session, source):
    data = publiccode().replace(b'publiccodeYmlVersion: "0.4"', b"publiccodeYmlVersion: 0.4")
    result = validate_bytes(data)
    record(session, source, result)
    solution = fetch(session)
    notes = [f for f in solution.findings if f["severity"] == "note"]
    assert [n["key"] for n in notes] == ["publiccodeYmlVersion"]
    assert solution.publiccode_version == "0.4" and is_shown_in_catalogue(solution)


def test_reread_grades_stored_files_again_and_keeps_the_verdict(session, source):
    data = publiccode().replace(b"developmentStatus: stable", b"developmentStatus: sometimes")
    record(session, source, validate_bytes(data))
    solution = fetch(session)
    solution.quality, solution.quality_reasons, solution.read_with = "unreadable", [], None
    session.commit()
    findings = list(solution.findings)
    assert reread_solution(session, solution, read_bytes(solution.raw_text.encode()))
    solution = fetch(session)
    assert solution.quality == "readable" and solution.findings == findings
    assert solution.status == "invalid"
    # Recording the same file again is now "unchanged": the stored reading is current.
    assert record(session, source, validate_bytes(data)).kind == "unchanged"


def test_an_undecodable_file_is_recorded_and_recognised_again(session, source):
    result = validate_bytes(b"name: B\xfcrgerportal\n")
    assert result.text is None and not result.valid
    assert record(session, source, result).kind == "invalid"
    assert fetch(session).content_hash.startswith("undecodable:")
    assert record(session, source, validate_bytes(b"name: B\xfcrgerportal\n")).kind == "unchanged"


def test_publisher_falls_back_to_legal_owners_then_the_forge_namespace(session, source):
    owner = publiccode(organisation="", legal_extra="  repoOwner: Landkreis Beispiel\n")
    record(session, source, validated(owner), url=REPO + "-a")
    assert fetch(session, REPO + "-a").publisher.name == "Landkreis Beispiel"

    record(session, source, validated(publiccode(organisation="")), url=REPO + "-b",
           forge_facts={"namespace": "kreis-beispiel"})
    publisher = fetch(session, REPO + "-b").publisher
    assert (publisher.name, publisher.forge_namespace) == ("kreis-beispiel", "kreis-beispiel")

    record(session, source, validated(publiccode(organisation="")), url=REPO + "-c")
    assert fetch(session, REPO + "-c").publisher_id is None


def test_one_publisher_for_many_solutions_and_spellings(session, source):
    record(session, source, validated(publiccode()), url=REPO + "-1")
    other = ORGANISATION.replace("Stadt Musterstadt", "STADT  musterstadt")
    record(session, source, validated(publiccode(organisation=other)), url=REPO + "-2")
    publishers = session.exec(select(Publisher)).all()
    assert [p.name for p in publishers] == ["Stadt Musterstadt"]  # the first spelling stays


def test_adoptions_follow_used_by_and_keep_declared_ones(session, source):
    outcome = record(session, source, validated(publiccode()))
    session.add(Adoption(solution_id=outcome.solution_id, organisation="Gemeinde Beispielheim",
                         origin="declared", use_case="Bürgerbüro", created_at=T0))
    session.add(Adoption(solution_id=outcome.solution_id, organisation="Stadt Erklärt",
                         origin="declared", created_at=T0))
    session.commit()
    kept_before = session.exec(select(Adoption).where(
        Adoption.organisation == "Stadt Musterstadt")).one()

    later = T0 + timedelta(days=1)
    record(session, source, validated(publiccode(used_by=("stadt musterstadt", "Dorf Neu"))),
           now=later)
    rows = session.exec(select(Adoption).where(Adoption.solution_id == outcome.solution_id)
                        .execution_options(populate_existing=True)).all()
    assert sorted((row.organisation, row.origin) for row in rows) == [
        ("Dorf Neu", "publiccode"),
        ("Gemeinde Beispielheim", "declared"),
        ("Stadt Erklärt", "declared"),
        ("Stadt Musterstadt", "publiccode"),
    ]
    kept = next(row for row in rows if row.organisation == "Stadt Musterstadt")
    assert (kept.id, kept.created_at) == (kept_before.id, T0)  # kept, not re-created
    declared = next(row for row in rows if row.organisation == "Gemeinde Beispielheim")
    assert declared.use_case == "Bürgerbüro"

    record(session, source, validated(publiccode(used_by=())), now=later + timedelta(days=1))
    assert adoptions(session, outcome.solution_id) == {"Gemeinde Beispielheim": "declared",
                                                        "Stadt Erklärt": "declared"}


def test_naive_now_is_refused(session, source):
    with pytest.raises(ValueError, match="timezone-aware"):
        record(session, source, validated(publiccode()), now=datetime(2026, 1, 1))


# -- record_unlisted --------------------------------------------------------------------------

def test_unlisted_keeps_the_data_of_a_valid_solution(session, source):
    record(session, source, validated(publiccode()))
    later = T0 + timedelta(days=1)
    outcome = catalogue.record_unlisted(session, source=source, repository_url=REPO,
                                        reason="no publiccode.yml on main", now=later)
    assert (outcome.kind, outcome.status, outcome.changed) == ("unlisted", "unlisted", True)
    solution = fetch(session)
    assert (solution.status, solution.status_reason) == ("unlisted", "no publiccode.yml on main")
    assert solution.name == "Bürgerportal" and solution.valid_text == publiccode().decode()
    assert solution.last_valid_at == T0 and solution.last_changed_at == later
    assert len(adoptions(session, solution.id)) == 2 and solution.publisher_id is not None

    again = catalogue.record_unlisted(session, source=source, repository_url=REPO,
                                      reason="no publiccode.yml on main", now=later)
    assert again.changed is False

    # the same file coming back is a change (the solution is listed again), not "unchanged"
    back = record(session, source, validated(publiccode()), now=later + timedelta(days=1))
    assert (back.kind, fetch(session).status) == ("updated", "valid")


def test_unlisted_records_unknown_repositories_without_showing_them(session, source):
    outcome = catalogue.record_unlisted(session, source=source, repository_url=REPO,
                                        reason="no publiccode.yml")
    assert (outcome.kind, outcome.created, outcome.changed) == ("unlisted", True, True)
    [solution] = session.exec(select(Solution)).all()
    assert (solution.status, solution.status_reason, solution.name) == (
        "unlisted", "no publiccode.yml", None)
    assert export.export_solutions(session) == []
    again = catalogue.record_unlisted(session, source=source, repository_url=REPO,
                                      reason="no publiccode.yml")
    assert (again.created, again.changed) == (False, False)


# -- harvest runs -----------------------------------------------------------------------------

@pytest.mark.parametrize(("counts", "errors", "status"), [
    ({"seen": 5, "new": 2, "unchanged": 3}, [], "ok"),
    ({"seen": 5, "new": 4, "failed": 1}, [{"url": REPO, "message": "timeout"}], "partial"),
    ({"seen": 2, "failed": 2}, [{"url": REPO, "message": "500"}] * 2, "failed"),
    ({}, [{"url": "https://gitlab.example.org/api/v4/projects", "message": "401"}], "failed"),
])
def test_runs_start_and_finish(session, source, counts, errors, status):
    run = catalogue.start_run(session, source)
    assert run.status == "running" and run.finished_at is None
    finished = catalogue.finish_run(session, run, counts, errors)
    stored = session.exec(select(HarvestRun).execution_options(populate_existing=True)).one()
    assert finished.status == stored.status == status
    assert stored.finished_at is not None and stored.finished_at.tzinfo == UTC
    assert stored.seen == counts.get("seen", 0) and stored.errors == errors


def test_finish_run_by_id_with_explicit_status_and_bounded_errors(session, source):
    run_id = catalogue.start_run(session, source).id
    errors = [{"url": f"{REPO}-{i}", "message": "x" * 5000} for i in range(1005)]
    run = catalogue.finish_run(session, run_id, {"seen": 1005, "failed": 1005}, errors,
                               status="partial")
    assert run.status == "partial"
    assert len(run.errors) == catalogue.MAX_RUN_ERRORS + 1
    assert len(run.errors[0]["message"]) == catalogue.MAX_MESSAGE_CHARS
    assert run.errors[-1]["message"] == "... and 5 more errors (not stored)"


def test_finish_run_refuses_unknown_counts(session, source):
    run = catalogue.start_run(session, source)
    with pytest.raises(ValueError, match="unknown harvest count"):
        catalogue.finish_run(session, run, {"seen": 1, "skipped": 2}, [])


# -- export -----------------------------------------------------------------------------------

def test_export_shows_what_the_site_shows_unless_asked_for_all(session, source):
    record(session, source, validated(publiccode(name="Zählerportal")), url=REPO + "-valid")
    record(session, source, validated(publiccode(name="Abfallkalender")), url=REPO + "-broken")
    record(session, source, broken(), url=REPO + "-broken")
    record(session, source, broken(), url=REPO + "-never")
    record(session, source, validated(publiccode(name="Melderegister")), url=REPO + "-gone")
    catalogue.record_unlisted(session, source=source, repository_url=REPO + "-gone",
                              reason="publiccode.yml deleted")

    default = export.export_solutions(session)
    assert [(row["name"], row["status"], row["valid"]) for row in default] == [
        ("Abfallkalender", "invalid", False), ("Zählerportal", "valid", True)]
    everything = export.export_solutions(session, include_all=True)
    assert [(row["name"], row["status"]) for row in everything] == [
        (None, "invalid"), ("Abfallkalender", "invalid"), ("Melderegister", "unlisted"),
        ("Zählerportal", "valid")]

    row = default[1]
    assert set(row) == set(export.CSV_COLUMNS)
    assert (row["url"], row["publisher"], row["source"], row["license"]) == (
        REPO + "-valid", "Stadt Musterstadt", "opencode", "EUPL-1.2")
    assert row["development_status"] == "stable"
    assert row["last_harvested_at"] == "2026-01-05T08:00:00Z"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row[key])
               for key in ("first_seen_at", "last_changed_at", "last_valid_at"))

    cells = export.csv_row(row)
    assert list(cells) == list(export.CSV_COLUMNS)
    assert (cells["valid"], cells["categories"], cells["status_reason"]) == (
        "true", "content-management", "")


# -- concurrency ------------------------------------------------------------------------------

def test_parallel_workers_share_publishers_without_errors(engine, source):
    """Harvest work items run in parallel; the same publisher must come out exactly once."""
    failures: list[BaseException] = []
    barrier = threading.Barrier(6)

    def work(index: int) -> None:
        try:
            barrier.wait()
            with Session(engine) as session:
                record(session, source, validated(publiccode(name=f"Lösung {index}")),
                       url=f"{REPO}-{index}")
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with Session(engine) as session:
        assert len(session.exec(select(Solution)).all()) == 6
        assert len(session.exec(select(Publisher)).all()) == 1


def test_a_file_with_a_nul_character_is_recorded_on_every_database(session, source):
    result = validate_bytes(b"name: a\x00b\ndescription: {de: {shortDescription: x}}\n")
    assert result.text is not None and not result.readable
    assert record(session, source, result).kind == "invalid"
    solution = fetch(session)
    assert solution.raw_text is None and solution.quality == "unreadable"
    assert "control character (U+0000)" in solution.findings[0]["message"]
    assert record(session, source, result).kind == "unchanged"


def test_csv_cells_a_spreadsheet_would_run_as_formulas_stay_text(session, source):
    hostile = 'organisation:\n  name: "+SUM(1+1)"\n  uri: https://www.musterstadt.de\n'
    record(session, source, validated(publiccode(name="'=HYPERLINK(\"http://x\")'",
                                                 organisation=hostile)))
    [row] = export.export_solutions(session)
    cells = export.csv_row(row)
    assert cells["name"] == "'" + row["name"] and row["name"].startswith("=HYPERLINK")
    assert cells["publisher"] == "'+SUM(1+1)"
    assert [export.spreadsheet_safe(t) for t in ("-1", "@x", "\tx", "\rx", "a=b")] == [
        "'-1", "'@x", "'\tx", "'\rx", "a=b"]
