"""The ``allmende`` command line: a public interface, so formats and exit codes are asserted."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
VALID = EXAMPLES / "terminbuchung" / "publiccode.yml"
INVALID_YAML = """publiccodeYmlVersion: "0"
name: Broken
url: "https://git.example/town/broken"
developmentStatus: finished
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the CLI in a clean directory with no configuration and a private data dir."""
    monkeypatch.chdir(tmp_path)
    for variable in ("ALLMENDE_CONFIG", "ALLMENDE_DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("ALLMENDE_DATA_DIR", str(tmp_path / "data"))

    def invoke(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def invalid_file(tmp_path) -> Path:
    path = tmp_path / "broken" / "publiccode.yml"
    path.parent.mkdir()
    path.write_text(INVALID_YAML, encoding="utf-8")
    return path


# --- validate ---------------------------------------------------------------------------------

def test_validate_valid_file_exits_0_and_prints_no_findings(run):
    result = run("validate", "--offline", str(VALID))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "1 checked: 1 valid, 0 invalid" in result.stderr


def test_validate_text_format_is_compiler_style(run, invalid_file):
    result = run("validate", "--offline", str(invalid_file))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{invalid_file}:0:0: error: legal.license: license is a required field" in lines
    assert (f"{invalid_file}:4:1: error: developmentStatus: developmentStatus must be one of the "
            'following: "concept", "development", "beta", "stable" or "obsolete"') in lines
    for line in lines:
        path, line_no, column, rest = line.split(":", 3)
        assert path == str(invalid_file)
        assert line_no.isdigit() and column.isdigit()
        assert rest.startswith((" error: ", " warning: ", " note: "))


def test_validate_json_format(run, invalid_file):
    result = run("validate", "--offline", "--format", "json", str(VALID), str(invalid_file))
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["path"] for r in reports] == [str(VALID), str(invalid_file)]
    assert reports[0] == {"path": str(VALID), "valid": True, "readable": True, "errors": [],
                          "warnings": [], "notes": []}
    broken = reports[1]
    assert broken["valid"] is False
    assert set(broken) == {"path", "valid", "readable", "errors", "warnings", "notes"}
    keys = {e["key"] for e in broken["errors"]}
    assert "developmentStatus" in keys
    assert all(set(e) == {"key", "line", "column", "message"} for e in broken["errors"])


def test_validate_warnings_do_not_fail(run):
    result = run("validate", "--offline", "--format", "json",
                 str(EXAMPLES / "abfallkalender" / "publiccode.yml"))
    assert result.exit_code == 0
    [report] = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["warnings"][0]["key"] == "publiccodeYmlVersion"


def test_validate_accepts_a_directory(run):
    result = run("validate", "--offline", str(VALID.parent))
    assert result.exit_code == 0


def test_validate_missing_path_exits_2(run, tmp_path):
    result = run("validate", "--offline", str(VALID), str(tmp_path / "nope.yml"))
    assert result.exit_code == 2
    assert "cannot read" in result.stdout and "no such file" in result.stdout


def test_validate_without_arguments_is_a_usage_error(run):
    assert run("validate").exit_code == 2


def test_validate_unknown_option_is_a_usage_error(run):
    assert run("validate", "--strict", str(VALID)).exit_code == 2


def test_validate_huge_file_is_refused_without_reading_it(run, tmp_path):
    huge = tmp_path / "publiccode.yml"
    with huge.open("wb") as handle:  # sparse: 5 GB on paper, nothing on disk
        handle.truncate(5 * 1024**3)
    result = run("validate", "--offline", "--format", "json", str(huge))
    assert result.exit_code == 1
    [report] = json.loads(result.stdout)
    assert "5,368,709,120 bytes" in report["errors"][0]["message"]


def test_validate_url_through_the_ssrf_guard_by_default(run, http_server):
    http_server.add("/publiccode.yml", VALID.read_bytes())
    result = run("validate", "--offline", http_server.url("/publiccode.yml"))
    assert result.exit_code == 1
    assert "refused" in result.stdout
    assert http_server.requests == []


def test_validate_url_when_private_addresses_are_allowed(run, http_server, tmp_path):
    http_server.add("/publiccode.yml", VALID.read_bytes())
    config = tmp_path / "closed-network.toml"
    config.write_text("allow_private_addresses = true\n")
    result = run("--config", str(config), "validate", "--offline",
                 http_server.url("/publiccode.yml"))
    assert result.exit_code == 0, result.stdout


def test_validate_needs_no_configuration_or_database(run, tmp_path):
    run("validate", "--offline", str(VALID))
    assert not (tmp_path / "data").exists()


# --- configuration errors ---------------------------------------------------------------------

def test_broken_configuration_exits_2_with_the_reason(run, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[[sources]]\nname = "x"\ntype = "github"\ntoken = "ghp_secret"\n')
    result = run("--config", str(config), "export")
    assert result.exit_code == 2
    assert "tokens never go into the configuration file" in result.stderr
    assert "ghp_secret" not in result.stderr


# --- db, harvest, export ----------------------------------------------------------------------

@pytest.fixture
def demo_config(tmp_path) -> Path:
    config = tmp_path / "allmende.toml"
    config.write_text(f'[[sources]]\nname = "demo"\ntype = "files"\npath = "{EXAMPLES}"\n'
                      '[[sources]]\nname = "opencode"\ntype = "gitlab"\n'
                      'url = "https://gitlab.opencode.de"\n')
    return config


def test_a_harvest_matches_the_open_needs_again(run, demo_config, database_url):
    """After the index follows the catalogue, every open need is matched again, so a town's
    need finds a solution the night it is harvested."""
    from sqlalchemy import create_engine
    from sqlmodel import Session, select

    from registry.accounts import accounts, organisations
    from registry.models import NeedMatch, Solution
    from registry.needs.service import post_need

    env = {"ALLMENDE_DATABASE_URL": database_url}
    assert run("--config", str(demo_config), "db", "upgrade", env=env).exit_code == 0
    engine = create_engine(database_url)
    with Session(engine) as session:
        admin = accounts.create_account(session, email="admin@allmende.example",
                                        password="correct horse battery staple", name="A",
                                        verified=True, admin=True)
        town = organisations.create_organisation(
            session, actor_id=admin.id, name="Stadt Musterstadt", kind="municipality",
            state="Bayern", official_key="09162000", email_domain="musterstadt.de")
        member = accounts.create_account(session, email="it@musterstadt.de",
                                         password="correct horse battery staple", name="M",
                                         verified=True)
        organisations.join(session, member, town)
        post_need(session, member, town, title="Termine im Bürgeramt online buchen",
                  description="Bürgerinnen und Bürger sollen Termine im Bürgeramt selbst "
                              "online buchen können.", field_of_action="administration")
        session.commit()

    directory = EXAMPLES / "marketplace" / "gv100ad_demo.txt"
    assert run("--config", str(demo_config), "organisations", "import", str(directory),
               env=env).exit_code == 0

    harvest = run("--config", str(demo_config), "harvest", "--source", "demo", env=env)

    assert harvest.exit_code == 0, harvest.output
    assert ("linked to official organisations: 2 publisher(s), 6 usedBy name(s); 2 region(s) "
            "filled") in harvest.stdout  # the demo towns are in the demo directory
    assert "needs matched: 1, new matches:" in harvest.stdout
    with Session(engine) as session:
        first = session.exec(select(Solution.name).join(
            NeedMatch, NeedMatch.target_id == Solution.id).where(
            NeedMatch.kind == "solution", NeedMatch.rank == 1)).one()
    assert first == "Terminbuchung Bürgeramt"
    engine.dispose()


def test_export_before_upgrade_says_what_to_do(run, demo_config):
    result = run("--config", str(demo_config), "export")
    assert result.exit_code == 2
    assert "allmende db upgrade" in result.stderr


def test_upgrade_harvest_export(run, demo_config, database_url):
    env = {"ALLMENDE_DATABASE_URL": database_url}
    assert run("--config", str(demo_config), "db", "upgrade", env=env).exit_code == 0
    assert run("--config", str(demo_config), "db", "upgrade", env=env).exit_code == 0  # idempotent

    harvest = run("--config", str(demo_config), "harvest", "--source", "demo", env=env)
    assert harvest.exit_code == 0, harvest.output
    assert "demo: ok; seen 5, new 5" in harvest.stdout

    again = run("--config", str(demo_config), "harvest", "--source", "demo", env=env)
    assert "unchanged 5" in again.stdout

    exported = json.loads(run("--config", str(demo_config), "export", env=env).stdout)
    assert len(exported) == 5
    by_name = {row["name"]: row for row in exported}
    row = by_name["Terminbuchung Bürgeramt"]
    assert row["url"] == "https://git.example/allmende-demo/terminbuchung"
    assert row["publisher"] == "Kommunale IT Beispielland"
    assert row["source"] == "demo"
    assert row["valid"] is True
    assert row["development_status"] == "stable"
    assert row["last_harvested_at"].endswith("Z")

    text = run("--config", str(demo_config), "export", "--format", "csv", env=env).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["name"] for r in rows} == set(by_name)

    table = run("--config", str(demo_config), "export", "--format", "text", env=env)
    assert "Terminbuchung Bürgeramt" in table.stdout


def test_harvest_records_invalid_files_and_export_all_shows_them(run, tmp_path, invalid_file,
                                                                 database_url):
    config = tmp_path / "files.toml"
    config.write_text(f'[[sources]]\nname = "inbox"\ntype = "files"\npath = "{tmp_path}"\n')
    env = {"ALLMENDE_DATABASE_URL": database_url}
    run("--config", str(config), "db", "upgrade", env=env)
    harvest = run("--config", str(config), "harvest", env=env)
    assert "invalid 1" in harvest.stdout
    assert json.loads(run("--config", str(config), "export", env=env).stdout) == []
    [row] = json.loads(run("--config", str(config), "export", "--all", env=env).stdout)
    assert (row["status"], row["valid"]) == ("invalid", False)


READABLE_BUT_INVALID = """publiccodeYmlVersion: 0.2
name: Hinweisgebersystem
url: "https://git.example/town/hinweise"
description:
  de:
    shortDescription: Meldestelle für Hinweisgebende nach dem HinSchG
"""


def test_a_readable_invalid_file_is_exported_and_reread_restores_its_grade(run, tmp_path,
                                                                          database_url):
    folder = tmp_path / "inbox" / "hinweise"
    folder.mkdir(parents=True)
    (folder / "publiccode.yml").write_text(READABLE_BUT_INVALID)
    config = tmp_path / "files.toml"
    config.write_text(f'[[sources]]\nname = "inbox"\ntype = "files"\n'
                      f'path = "{tmp_path / "inbox"}"\n')
    env = {"ALLMENDE_DATABASE_URL": database_url}
    run("--config", str(config), "db", "upgrade", env=env)
    assert "invalid 1" in run("--config", str(config), "harvest", env=env).stdout
    [row] = json.loads(run("--config", str(config), "export", env=env).stdout)
    assert (row["name"], row["valid"], row["quality"]) == ("Hinweisgebersystem", False,
                                                           "readable")

    import sqlalchemy as sa

    from registry import db
    engine = db.connect(database_url)
    with engine.begin() as connection:  # as an older catalogue would have it
        connection.execute(sa.text("UPDATE solution SET quality = 'unreadable', read_with = NULL"))
    engine.dispose()
    assert json.loads(run("--config", str(config), "export", env=env).stdout) == []
    reread = run("--config", str(config), "reread", env=env)
    assert reread.exit_code == 0 and "reread 1 stored files: 1 changed" in reread.stdout
    [row] = json.loads(run("--config", str(config), "export", env=env).stdout)
    assert row["quality"] == "readable"


def test_validate_reports_lenient_readings_as_notes(run, tmp_path):
    path = tmp_path / "publiccode.yml"
    path.write_text(READABLE_BUT_INVALID)
    [report] = json.loads(run("validate", "--offline", "--format", "json", str(path)).stdout)
    assert (report["valid"], report["readable"]) == (False, True)
    assert report["notes"] == [{"key": "publiccodeYmlVersion", "line": 1, "column": 23,
                                "message": 'read the number 0.2 as the text "0.2"'}]
    text = run("validate", "--offline", str(path)).stdout
    assert f'{path}:1:23: note: publiccodeYmlVersion: read the number 0.2 as the text "0.2"' \
        in text
    path.write_text('publiccodeYmlVersion: "0.4"\nname: Nur ein Name\n')
    assert (f"{path}:0:0: note: not shown in the catalogue: publiccode.yml has no usable "
            "description" in run("validate", "--offline", str(path)).stdout)


def test_harvest_unknown_source_exits_2(run, demo_config):
    run("--config", str(demo_config), "db", "upgrade")
    result = run("--config", str(demo_config), "harvest", "--source", "nowhere")
    assert result.exit_code == 2
    assert 'no source named "nowhere"' in result.stderr


def test_harvest_missing_folder_fails_the_source(run, tmp_path):
    config = tmp_path / "gone.toml"
    config.write_text('[[sources]]\nname = "gone"\ntype = "files"\npath = "does-not-exist"\n')
    run("--config", str(config), "db", "upgrade")
    result = run("--config", str(config), "harvest")
    assert result.exit_code == 1
    assert "gone: failed" in result.stdout


# --- the installed command --------------------------------------------------------------------

def test_console_script_runs_and_keeps_exit_codes(invalid_file):
    allmende = Path(sys.executable).with_name("allmende")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
    ok = subprocess.run([allmende, "validate", "--offline", str(VALID)], env=env,
                        capture_output=True, text=True, timeout=60)
    bad = subprocess.run([allmende, "validate", "--offline", str(invalid_file)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert (ok.returncode, bad.returncode) == (0, 1)
    assert "developmentStatus" in bad.stdout
