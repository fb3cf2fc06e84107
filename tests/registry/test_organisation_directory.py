"""Organisations from the official municipality directory (GV100AD): reading the file,
importing and re-importing it, refusing a broken file whole, and linking the catalogue only
where the name is certain.

examples/marketplace/gv100ad_demo.txt (also the demo's directory) is a small directory in the
office's layout and encoding (ISO-8859-1, CRLF): real Länder, a few real and a few invented
Kreise and Gemeinden (the demo's Musterstadt, Beispielland, Beispielburg, Beispielheim), two
"Neustadt, Stadt" in Hessen and Sachsen, kreisfreie Städte, a Markt, a Große Kreisstadt and an
unincorporated area. Its figures are illustrative, not the office's.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from registry import catalogue
from registry.accounts import accounts, organisations
from registry.cli import main
from registry.config import SourceConfig
from registry.db import session_scope
from registry.directory import (
    DirectoryError,
    import_file,
    link_catalogue,
    official_organisations,
    read_file,
    read_stream,
)
from registry.models import Adoption, AuditEntry, Membership, Organisation, Publisher, Solution
from registry.publiccode import validate_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "marketplace" / "gv100ad_demo.txt"
T1 = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
T2 = datetime(2025, 4, 10, 9, 0, tzinfo=UTC)
SAMPLE_ORGANISATIONS = 39
"""8 Länder, 10 Kreise (the 6 kreisfreie Städte are kept once, as Gemeinden), 21 Gemeinden
(the unincorporated Ettaler Forst left out)."""


def sample_lines() -> list[str]:
    return SAMPLE.read_bytes().decode("latin-1").splitlines()


def write(tmp_path: Path, lines: list[str], encoding: str = "latin-1",
          name: str = "GV100AD.txt") -> Path:
    path = tmp_path / name
    path.write_bytes("".join(f"{line}\r\n" for line in lines).encode(encoding))
    return path


def line_of(lines: list[str], key: str) -> int:
    """The index of the Gemeinde record with this AGS."""
    return next(i for i, line in enumerate(lines) if line.startswith("60") and line[10:18] == key)


def with_population(line: str, population: int) -> str:
    return line[:139] + f"{population:011d}" + line[150:]


def with_name(line: str, name: str) -> str:
    return line[:22] + name.ljust(50) + line[72:]


def by_key(engine) -> dict[str, Organisation]:
    with session_scope(engine) as session:
        return {o.official_key: o for o in session.exec(select(Organisation))}


def run_import(engine, path: Path = SAMPLE, *, now: datetime = T1, **options):
    with session_scope(engine) as session:
        report = import_file(session, path, now=now, **options)
        session.commit()
    return report


# -- reading the file -------------------------------------------------------------------------

def test_the_sample_reads_as_the_record_description_lays_it_out():
    reading = read_file(SAMPLE)
    assert len(reading.records) == 59 and reading.unknown_types == {}
    assert reading.as_of.isoformat() == "2024-12-31"
    assert reading.latin1_lines == 17  # the lines with umlauts; the rest is ASCII
    by_type: dict[str, int] = {}
    for record in reading.records:
        by_type[record.record_type] = by_type.get(record.record_type, 0) + 1
    assert by_type == {"10": 8, "20": 6, "30": 1, "40": 16, "50": 6, "60": 22}
    groemitz = next(r for r in reading.records if r.key == "01055017")
    assert (groemitz.name, groemitz.text_key, groemitz.association) == ("Grömitz", "64", "0017")
    assert (groemitz.area_ha, groemitz.population, groemitz.line) == (6186, 7906, 11)
    verband = next(r for r in reading.records if r.record_type == "50" and r.key == "073405001")
    assert (verband.name, verband.seat, verband.text_key) == ("Dahner Felsenland", "Dahn", "53")


def test_records_become_laender_kreise_and_gemeinden():
    found = {o.official_key: o for o in official_organisations(read_file(SAMPLE).records)}
    assert len(found) == SAMPLE_ORGANISATIONS
    dahn = found["07340007"]
    assert (dahn.name, dahn.kind, dahn.official_type) == ("Dahn, Stadt", "municipality", "Stadt")
    assert (dahn.state, dahn.district, dahn.population, dahn.area_km2) == (
        "Rheinland-Pfalz", "Südwestpfalz", 4667, 38.47)
    # a kreisfreie Stadt is one body: kept once, as the Gemeinde, without a Kreis
    assert "09162" not in found
    muenchen = found["09162000"]
    assert (muenchen.official_type, muenchen.district) == ("kreisfreie Stadt", None)
    assert found["08111000"].official_type == "Stadtkreis"
    assert found["09180117"].official_type == "Markt"
    assert found["09473152"].official_type == "Große Kreisstadt"
    assert "09180451" not in found  # gemeindefreies Gebiet
    kreis = found["03199"]
    assert (kreis.kind, kreis.official_type, kreis.name) == ("district", "Landkreis",
                                                             "Beispielland")
    assert kreis.population == 21345 + 4321 + 987  # the sum over its Gemeinden
    land = found["01"]
    assert (land.kind, land.official_type, land.state) == ("state", "Land", "Schleswig-Holstein")
    # the keys keep the directory's lengths: Land, Kreis and Gemeinde Berlin never collide
    assert {found["11"].kind, found["11000000"].kind} == {"state", "municipality"}


def test_a_utf8_copy_reads_the_same_as_the_latin1_original(tmp_path):
    original = read_file(SAMPLE)
    copy = tmp_path / "utf8.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes().decode("latin-1").encode("utf-8"))
    again = read_file(copy)
    assert again.records == original.records
    assert again.latin1_lines == 0


def test_unknown_record_types_and_blank_lines_are_skipped_and_counted():
    lines = sample_lines()
    text = "\n".join([lines[0], "", "99" + lines[0][2:], "  ", "70" + lines[0][2:], *lines[1:]])
    reading = read_stream(io.BytesIO(text.encode("latin-1")))
    assert len(reading.records) == 59
    assert reading.unknown_types == {"70": 1, "99": 1}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda line: line[:120], "line 9: the area in hectares (columns 129–139) must be a "
                              "number: missing (the line ends early)"),
    (lambda line: line[:15], "line 9: record type 60 (Gemeinde) is cut short: 15 characters"),
    (lambda line: line[:139] + "   12x45678" + line[150:], "line 9: the population "
                                                           "(columns 140–150) must be a number"),
    (lambda line: line[:2] + "20241331" + line[10:], "line 9: the Gebietsstand (columns 3–10) "
                                                     "must be a date as JJJJMMTT"),
    (lambda line: line[:10] + "0100200A" + line[18:], "line 9: the key of a record type 60"),
    (lambda line: "<html>" + line, "line 9: starts with '<h', not with a two-digit record type"),
    (lambda line: line[:22] + " " * 50 + line[72:], "line 9: record type 60 (Gemeinde) has no "
                                                    "name"),
])
def test_a_broken_line_is_named_with_its_number(tmp_path, change, expected):
    lines = sample_lines()
    index = line_of(lines, "01055027")
    assert index == 8
    lines[index] = change(lines[index])
    with pytest.raises(DirectoryError) as raised:
        read_file(write(tmp_path, lines))
    assert str(raised.value).startswith(expected)
    assert raised.value.line == 9


def test_files_that_are_no_directory_are_refused(tmp_path):
    with pytest.raises(DirectoryError, match="no GV100AD records"):
        read_stream(io.BytesIO(b"\n\n"))
    with pytest.raises(DirectoryError, match="line 1: longer than 2000 bytes"):
        read_stream(io.BytesIO(b"60" + b"1" * 5000))
    lines = sample_lines()
    with pytest.raises(DirectoryError, match="line 60: the key 01002000 of record type 60 "
                                             "was already on line 4"):
        official_organisations(read_file(write(tmp_path, [*lines, lines[3]])).records)


# -- importing --------------------------------------------------------------------------------

def test_import_fills_the_organisation_table_with_unique_slugs(engine):
    report = run_import(engine)
    assert (report.created, report.updated, report.unchanged) == (SAMPLE_ORGANISATIONS, 0, 0)
    assert report.skipped_unincorporated == 1
    found = by_key(engine)
    assert len(found) == SAMPLE_ORGANISATIONS
    groemitz = found["01055017"]
    assert (groemitz.name, groemitz.slug, groemitz.kind, groemitz.official_type) == (
        "Grömitz", "gemeinde-groemitz", "municipality", "Gemeinde")
    assert (groemitz.state, groemitz.district, groemitz.population, groemitz.area_km2) == (
        "Schleswig-Holstein", "Ostholstein", 7906, 61.86)
    assert groemitz.imported_at == T1
    assert found["03159"].slug == "landkreis-goettingen"  # never the bare "goettingen"
    assert found["03159016"].slug == "stadt-goettingen"
    # the name is twice in the directory: neither Neustadt gets the plain slug
    assert {found["06534017"].slug, found["14522410"].slug} == {
        "stadt-neustadt-06534017", "stadt-neustadt-14522410"}
    assert found["07316000"].slug == "stadt-neustadt-an-der-weinstrasse"
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry).where(
            AuditEntry.action == "organisation.import")).one()
    assert entry.actor_id is None
    assert entry.detail["created"] == SAMPLE_ORGANISATIONS
    assert entry.detail["as_of"] == "2024-12-31" and entry.detail["file"] == "gv100ad_demo.txt"


def test_reimport_updates_keeps_what_people_added_and_never_duplicates(engine, tmp_path):
    run_import(engine)
    with session_scope(engine) as session:
        admin = accounts.create_account(session, email="admin@allmende.example",
                                        password="a long enough passphrase", name="Admin",
                                        admin=True, verified=True)
        dahn = session.exec(select(Organisation).where(
            Organisation.official_key == "07340007")).one()
        dahn.website, dahn.email_domain = "https://www.dahn.de", "dahn.de"
        dahn.name = "Stadt Dahn"  # corrected by people
        session.add(dahn)
        session.add(Membership(account_id=admin.id, organisation_id=dahn.id, status="active",
                               created_at=T1))
        session.commit()
        dahn_id, slug = dahn.id, dahn.slug
    lines = sample_lines()
    lines[line_of(lines, "07340007")] = with_population(lines[line_of(lines, "07340007")], 4700)
    lines[line_of(lines, "03199003")] = with_name(lines[line_of(lines, "03199003")],
                                                  "Öhrsen-Süd")
    newer = write(tmp_path, lines)

    report = run_import(engine, newer, now=T2)
    assert (report.created, report.updated) == (0, 3)  # Dahn, and the sums of its Kreis, Land
    assert report.unchanged == SAMPLE_ORGANISATIONS - 3
    assert report.name_differs == 2
    found = by_key(engine)
    assert len(found) == SAMPLE_ORGANISATIONS
    dahn = found["07340007"]
    assert (dahn.id, dahn.slug, dahn.name, dahn.website, dahn.email_domain) == (
        dahn_id, slug, "Stadt Dahn", "https://www.dahn.de", "dahn.de")
    assert (dahn.population, dahn.imported_at) == (4700, T2)
    assert found["03199003"].name == "Öhrsen"
    with session_scope(engine) as session:
        assert session.exec(select(Membership).where(
            Membership.organisation_id == dahn_id)).one().status == "active"

    renamed = run_import(engine, newer, now=T2, update_names=True)
    assert renamed.renamed == 2
    found = by_key(engine)
    assert (found["03199003"].name, found["03199003"].slug) == ("Öhrsen-Süd", "gemeinde-oehrsen")
    assert found["07340007"].name == "Dahn, Stadt"


def test_a_file_broken_half_way_changes_nothing(engine, database_url, tmp_path):
    run_import(engine)
    lines = sample_lines()
    lines[line_of(lines, "01055017")] = with_population(lines[line_of(lines, "01055017")], 1)
    broken_at = line_of(lines, "08116019")
    lines[broken_at] = lines[broken_at][:130]
    path = write(tmp_path, [*lines, "60" + lines[3][2:22] + "Neue Gemeinde"], name="broken.txt")
    result = CliRunner().invoke(main, ["organisations", "import", str(path)],
                                catch_exceptions=False,
                                env={"ALLMENDE_DATABASE_URL": database_url})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"allmende: {path}: line {broken_at + 1}: the area in hectares (columns 129–139) must "
        "be a number: '00' stops before column 139 (the line is cut off or shifted); nothing was "
        "imported")
    found = by_key(engine)
    assert len(found) == SAMPLE_ORGANISATIONS
    assert found["01055017"].population == 7906
    with session_scope(engine) as session:
        assert len(session.exec(select(AuditEntry)).all()) == 1


def test_an_organisation_people_created_is_taken_over_by_its_certain_name(engine):
    with session_scope(engine) as session:
        admin = accounts.create_account(session, email="admin@allmende.example",
                                        password="a long enough passphrase", name="Admin",
                                        admin=True, verified=True)
        organisations.create_organisation(session, actor_id=admin.id, name="Stadt Göttingen",
                                          kind="municipality", state="Niedersachsen",
                                          website="https://www.goettingen.de")
        # two Neustadt in the directory: which one people meant is not certain
        organisations.create_organisation(session, actor_id=admin.id, name="Stadt Neustadt",
                                          kind="municipality")
        session.commit()
    report = run_import(engine)
    assert report.adopted == 1 and report.created == SAMPLE_ORGANISATIONS - 1
    found = by_key(engine)
    goettingen = found["03159016"]
    assert (goettingen.name, goettingen.slug, goettingen.website) == (
        "Stadt Göttingen", "stadt-goettingen", "https://www.goettingen.de")
    assert (goettingen.official_type, goettingen.population) == ("Stadt", 118911)
    with session_scope(engine) as session:
        assert session.exec(select(Organisation).where(
            Organisation.slug == "stadt-neustadt")).one().official_key is None


def test_the_command_imports_and_links(engine, database_url):
    env = {"ALLMENDE_DATABASE_URL": database_url}
    result = CliRunner().invoke(main, ["organisations", "import", str(SAMPLE)],
                                catch_exceptions=False, env=env)
    assert result.exit_code == 0, result.output
    assert f"{SAMPLE_ORGANISATIONS} new, 0 updated" in result.stdout
    assert "1 unincorporated areas" in result.stdout
    again = CliRunner().invoke(main, ["organisations", "link"], catch_exceptions=False, env=env)
    assert again.exit_code == 0
    assert "linked: 0 publishers, 0 usedBy names" in again.stdout


# -- linking the catalogue --------------------------------------------------------------------

def example(name: str, replace: tuple[bytes, bytes] | None = None) -> bytes:
    data = (REPO_ROOT / "examples" / name / "publiccode.yml").read_bytes()
    return data.replace(*replace) if replace else data


def harvest(engine, documents: dict[str, bytes]) -> None:
    with session_scope(engine) as session:
        source = catalogue.ensure_source(session, SourceConfig(name="test", type="files",
                                                               path=REPO_ROOT))
        for name, data in documents.items():
            result = validate_bytes(data)
            assert result.valid, result.errors
            catalogue.record_solution(session, source=source,
                                      repository_url=f"https://git.example/demo/{name}",
                                      result=result, now=T1)


def test_linking_takes_certain_names_only_and_fills_regions(engine):
    harvest(engine, {
        # publisher "Stadt Musterstadt"; usedBy Stadt Musterstadt, Landkreis Beispielland
        "beteiligungsportal": example("beteiligungsportal"),
        # publisher "Kommunale IT Beispielland"; usedBy Musterstadt, Beispielburg, Beispielheim
        "terminbuchung": example("terminbuchung"),
        # publisher "Gemeinde Beispielheim"; usedBy as below
        "ratsinfo-light": example("ratsinfo-light", (
            b"  - Gemeinde Beispielheim\n",
            b"  - Gemeinde Beispielheim\n  - Stadt Neustadt\n  - LANDESHAUPTSTADT MUENCHEN\n"
            b"  - Goettingen\n")),
    })
    with session_scope(engine) as session:
        versions = dict(session.exec(select(Solution.url, Solution.content_version)).all())
    report = run_import(engine)
    assert report.links.publishers == 2
    assert report.links.adoptions == 7
    assert report.links.regions == 2
    assert report.links.ambiguous == 1  # "Stadt Neustadt"
    with session_scope(engine) as session:
        publishers = {p.name: p for p in session.exec(select(Publisher))}
        organisation = {o.official_key: o for o in session.exec(select(Organisation))}
        assert organisation["03198000"].publisher_id == publishers["Stadt Musterstadt"].id
        assert organisation["03199002"].publisher_id == publishers["Gemeinde Beispielheim"].id
        assert publishers["Stadt Musterstadt"].region == "Niedersachsen"
        assert publishers["Gemeinde Beispielheim"].region == "Niedersachsen"
        assert publishers["Kommunale IT Beispielland"].region is None
        linked = {a.organisation: a.organisation_id for a in session.exec(
            select(Adoption).where(Adoption.origin == "publiccode"))}
        assert linked == {
            "Stadt Musterstadt": organisation["03198000"].id,
            "Landkreis Beispielland": organisation["03199"].id,
            "Stadt Beispielburg": organisation["03199001"].id,
            "Gemeinde Beispielheim": organisation["03199002"].id,
            "LANDESHAUPTSTADT MUENCHEN": organisation["09162000"].id,
            "Stadt Neustadt": None,  # two Städte of that name
            "Goettingen": None,  # a Stadt and a Landkreis: a bare name is never certain
        }
        links = session.exec(select(AuditEntry).where(
            AuditEntry.action == "organisation.link_publisher")).all()
        assert {e.actor_id for e in links} == {None} and len(links) == 2
        # the index learns of the new regions: every solution of those publishers counts
        after = dict(session.exec(select(Solution.url, Solution.content_version)).all())
    changed = {url.rsplit("/", 1)[1] for url in after if after[url] != versions[url]}
    assert changed == {"beteiligungsportal", "terminbuchung", "ratsinfo-light"}


def test_linking_never_overrides_what_people_linked(engine):
    harvest(engine, {"beteiligungsportal": example("beteiligungsportal"),
                     "ratsinfo-light": example("ratsinfo-light")})
    run_import(engine, link=False)
    with session_scope(engine) as session:
        publishers = {p.name: p for p in session.exec(select(Publisher))}
        musterstadt = session.exec(select(Organisation).where(
            Organisation.official_key == "03198000")).one()
        beispielheim = session.exec(select(Organisation).where(
            Organisation.official_key == "03199002")).one()
        # people linked Musterstadt to another publisher, and gave Beispielheim's a region
        musterstadt.publisher_id = publishers["Gemeinde Beispielheim"].id
        publishers["Stadt Musterstadt"].region = "Bremen"
        session.add_all([musterstadt, publishers["Stadt Musterstadt"]])
        session.commit()
        beispielheim_id = beispielheim.id
    with session_scope(engine) as session:
        report = link_catalogue(session)
        session.commit()
    # Gemeinde Beispielheim's publisher is linked already (to Musterstadt, by people)
    assert report.publishers == 0
    with session_scope(engine) as session:
        publishers = {p.name: p for p in session.exec(select(Publisher))}
        assert session.get(Organisation, beispielheim_id).publisher_id is None
        assert publishers["Stadt Musterstadt"].region == "Bremen"
        # the region comes from the organisation people linked: Musterstadt, Niedersachsen
        assert publishers["Gemeinde Beispielheim"].region == "Niedersachsen"
