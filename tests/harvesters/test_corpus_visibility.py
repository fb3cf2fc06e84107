"""Every readable real-world publiccode.yml is shown; hostile files are recorded, never shown.

The shared corpus (178 files from public GitLab and GitHub repositories, most of them invalid
against the reference rules) is served by the fake GitLab and harvested as Open CoDE would be.
What a town may see is what is readable: the visible count must equal the number of files the
reader can take a name and a description from, whatever the validator says of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from harvesters.gitlab import GitLabHarvester
from harvesters.run import run_source
from registry.config import Settings, SourceConfig
from registry.models import Solution, shown_in_catalogue
from registry.publiccode import validate_bytes
from registry.publiccode.loader import MAX_BYTES

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "publiccode"

HOSTILE = {
    "alias-bomb": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode()
        for i in range(8)) + b"name: Bombe\n",
    "oversize": b"name: Riesig\ndescription: {de: {shortDescription: x}}\n#" + b"x" * MAX_BYTES,
    "not-utf8": b"name: B\xfcrgerportal\ndescription: {de: {shortDescription: x}}\n",
    "two-documents": b"name: Eins\ndescription: {de: {shortDescription: x}}\n---\nname: Zwei\n",
    "deep-nesting": b"name: Tief\nx: " + b"[" * 200 + b"]" * 200 + b"\n",
    "binary": b"\x00\x01\x02\x03PNG\x00" * 100,
}


@pytest.fixture
def corpus() -> dict[str, bytes]:
    files = sorted(CORPUS.glob("*.yml"))
    if not files:
        pytest.skip(f"the shared corpus is missing at {CORPUS}")
    return {path.stem.replace("__", "-").lower(): path.read_bytes() for path in files}


def test_every_readable_file_is_shown_and_every_hostile_one_recorded_but_hidden(
        gitlab_server, engine, tmp_path, corpus):
    for name, data in {**corpus, **HOSTILE}.items():
        gitlab_server.model.add(f"corpus/{name}", files={"publiccode.yml": data})
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=engine.url.render_as_string(hide_password=False))
    source = SourceConfig(name="opencode", type="gitlab", url=gitlab_server.url,
                          activity=False)
    report = run_source(GitLabHarvester(source, settings), engine, workers=4)
    assert report.counts["seen"] == len(corpus) + len(HOSTILE) and report.counts["failed"] == 0

    readable = {name for name, data in corpus.items() if validate_bytes(data).readable}
    valid = {name for name, data in corpus.items() if validate_bytes(data).valid}
    with Session(engine) as session:
        shown = {s.url.rsplit("/", 1)[-1] for s in session.exec(
            select(Solution).where(shown_in_catalogue()))}
        stored = {s.url.rsplit("/", 1)[-1]: s for s in session.exec(select(Solution))}
    assert shown == readable
    assert len(readable) > 2 * len(valid)  # far more than the valid files alone
    for name in HOSTILE:
        solution = stored[name]
        assert (solution.status, solution.quality) == ("invalid", "unreadable"), name
        assert solution.status_reason and solution.quality_reasons, name
    assert f"{MAX_BYTES:,} byte limit" in stored["oversize"].status_reason
    grades = {stored[name].quality for name in readable}
    assert grades == {"complete", "valid", "readable"}
    for name in corpus.keys() - readable:  # no name or no description: told why
        assert stored[name].quality == "unreadable" and stored[name].status_reason

