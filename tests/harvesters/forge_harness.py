"""One harness for the GitHub and Gitea harvester tests: fake forge, real git, real catalogue.

``Forge`` wraps a fake forge API (with a required token), a real repository served over smart
HTTP that every listed repository's ``clone_url`` points to (activity signals need a clone),
the settings and a recording ``sleep``. Tests describe repositories with ``forge.add`` and run
the real harvester through ``harvesters.run.run_source``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from harvesters.base import Harvester
from harvesters.gitea import GiteaHarvester
from harvesters.github import GitHubHarvester
from harvesters.run import RunReport, run_source
from registry.config import Settings, SourceConfig
from registry.models import HarvestRun, Solution
from registry.normalise import normalise_repository_url
from tests.harvesters.clock import RecordingSleep

from .conftest import ALICE, BOB, GitHTTPServer, Origin, days_ago
from .forges import FakeGitea, FakeGitHub, Project, SeenRequest

ORG = "kommune"
TOKEN = "s3cr3t-harvest-t0ken-4711"  # noqa: S105 (a test token)
TOKEN_ENV = "ALLMENDE_TEST_FORGE_TOKEN"  # noqa: S105 (an environment variable name)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VALID = (EXAMPLES / "abfallkalender" / "publiccode.yml").read_bytes()
VALID_CHANGED = VALID.replace(b"name: Abfallkalender", b"name: Abfallkalender Plus")
INVALID = b"publiccodeYmlVersion: '0.4'\nname: Unfertig\n"
OVERSIZED = b"# " + b"x" * (1024 * 1024) + b"\n"



@dataclass
class Forge:
    kind: str
    server: FakeGitHub | FakeGitea
    settings: Settings
    clone_url: str
    sleep: RecordingSleep = field(default_factory=RecordingSleep)

    @property
    def source(self) -> SourceConfig:
        url = self.server.url if self.kind == "gitea" else None
        return SourceConfig(name=f"test-{self.kind}", type=self.kind, url=url, orgs=(ORG,),
                            token_env=TOKEN_ENV)

    @property
    def listing_glob(self) -> str:
        return f"{self.server.api_prefix}/orgs/{ORG}/repos"

    def add(self, name: str, files: dict[str, bytes] | None = None, **attributes: object
            ) -> Project:
        """A public repository of the organisation whose clone URL is the real git server."""
        project = self.server.model.add(f"{ORG}/{name}", files=dict(files or {}), **attributes)
        self.server.repo_overrides[project.id] = {"clone_url": self.clone_url}
        return project

    def file_glob(self, project: Project, name: str = "publiccode.y*ml") -> str:
        """Every path that reads ``name`` of ``project`` (raw and metadata endpoints)."""
        if self.kind == "github":
            return f"/repos/{project.path}/contents/{name}"
        return f"{self.server.api_prefix}/repos/{project.path}/*/{name}"

    def download_path(self, project: Project, name: str = "publiccode.yml") -> str:
        """The path the harvester reads ``name`` from (GitHub: contents, raw media type)."""
        if self.kind == "github":
            return f"/repos/{project.path}/contents/{name}"
        return f"{self.server.api_prefix}/repos/{project.path}/raw/{name}"

    def url_of(self, project: Project) -> str:
        return normalise_repository_url(f"{self.server.url}/{project.path}")

    def harvester(self, **client_options: object) -> Harvester:
        """The harvester with a client whose waits are recorded; by default sleeping moves the
        client's clock, ``clock=time.time`` models requests arriving during a pause."""
        client_options.setdefault("clock", self.sleep.time)
        if self.kind == "github":
            client = GitHubHarvester.make_client(self.source, api_url=self.server.url,
                                                 sleep=self.sleep, **client_options)
            return GitHubHarvester(self.source, self.settings, client=client)
        client = GiteaHarvester.make_client(self.source, sleep=self.sleep, **client_options)
        return GiteaHarvester(self.source, self.settings, client=client)

    def run(self, engine: Engine, harvester: Harvester | None = None) -> RunReport:
        return run_source(harvester or self.harvester(), engine, workers=3)

    def requests_since(self, mark: int) -> list[SeenRequest]:
        return self.server.log[mark:]

    def beyond_listing(self, mark: int) -> list[str]:
        """Paths requested after ``mark`` that are not listing pages."""
        return [seen.path for seen in self.requests_since(mark)
                if seen.path != self.listing_glob]


def solution(engine: Engine, url: str) -> Solution | None:
    with Session(engine) as session:
        return session.exec(select(Solution).where(Solution.url == url)).first()


def solutions(engine: Engine) -> dict[str, Solution]:
    with Session(engine) as session:
        return {s.url: s for s in session.exec(select(Solution))}


def last_run(engine: Engine) -> HarvestRun:
    with Session(engine) as session:
        runs = session.exec(select(HarvestRun).order_by(HarvestRun.id.desc())).all()
        return runs[0]


@contextmanager
def running_forge(kind: str, *, tmp_path: Path, make_origin: Callable[[str], Origin],
                  git_http_server: GitHTTPServer, monkeypatch: pytest.MonkeyPatch
                  ) -> Iterator[Forge]:
    """A fake ``kind`` forge that only answers the token, and a real repository to clone."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    origin = make_origin("shared")
    origin.commit(days_ago(40), ALICE, {"README.md": "Abfallkalender"}, "start")
    origin.commit(days_ago(10), BOB, {"publiccode.yml": VALID}, "describe it")
    origin.push()
    fake = FakeGitHub if kind == "github" else FakeGitea
    with fake(tokens=[TOKEN]) as server:
        settings = Settings(data_dir=tmp_path / "data", database_url="sqlite://")
        yield Forge(kind, server, settings, git_http_server.url("shared.git"))
