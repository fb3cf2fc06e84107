"""A harvest killed with SIGKILL mid-run leaves a consistent catalogue; the next run finishes.

The harvest runs as a real ``allmende harvest`` process against a fake GitLab that answers
slowly; the test waits (by polling the fake's request log, not by sleeping) until the process is
in the middle of its work, kills it, and then harvests again in-process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from harvesters.gitlab import GitLabHarvester
from harvesters.run import run_source
from registry.config import Settings, SourceConfig
from registry.models import HarvestRun, Solution

REPO = Path(__file__).resolve().parents[2]
VALID = (REPO / "examples" / "terminbuchung" / "publiccode.yml").read_bytes()
PROJECTS = 40


def test_sigkill_mid_harvest_then_the_next_run_completes(gitlab_server, engine, database_url,
                                                         tmp_path):
    settled = datetime.now(UTC) - timedelta(hours=5)
    for number in range(PROJECTS):
        gitlab_server.model.add(
            f"kommune/app-{number:02d}", updated_at=settled, pushed_at=settled,
            files={"publiccode.yml": VALID.replace(b"terminbuchung", f"app-{number}".encode())})
    gitlab_server.max_per_page = 10
    gitlab_server.faults.latency = 0.05  # slow enough to be caught in the middle
    config = tmp_path / "allmende.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\nharvest_workers = 1\n'
                      f'[[sources]]\nname = "opencode"\ntype = "gitlab"\n'
                      f'url = "{gitlab_server.url}"\nactivity = false\n')
    env = {**os.environ, "ALLMENDE_CONFIG": str(config), "ALLMENDE_DATABASE_URL": database_url}
    allmende = Path(sys.executable).with_name("allmende")
    process = subprocess.Popen([str(allmende), "harvest"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(gitlab_server.requests_to("*/repository/files/*")) < PROJECTS // 3:
            assert process.poll() is None, "the harvest ended before it could be killed"
            assert time.monotonic() < deadline, "the harvest never got going"
            time.sleep(0.01)  # polling the fake's log for progress, not waiting out a race
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    with Session(engine) as session:
        [killed] = session.exec(select(HarvestRun)).all()
        stored_before = len(session.exec(select(Solution)).all())
    assert killed.status == "running"  # what a SIGKILL leaves behind
    assert 0 < stored_before < PROJECTS

    gitlab_server.faults.latency = 0
    source = SourceConfig(name="opencode", type="gitlab", url=gitlab_server.url, activity=False)
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, sources=(source,))
    report = run_source(GitLabHarvester(source, settings), engine)

    assert report.status == "ok", report.errors
    assert report.counts["seen"] == PROJECTS
    with Session(engine) as session:
        solutions = session.exec(select(Solution)).all()
        runs = {run.id: run.status for run in session.exec(select(HarvestRun))}
    assert len(solutions) == PROJECTS
    assert len({s.url for s in solutions}) == PROJECTS
    assert all(s.status == "valid" and s.name for s in solutions)
    assert runs[killed.id] == "failed"  # closed honestly by the next run
    assert sorted(runs.values()) == ["failed", "ok"]
