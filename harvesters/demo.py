"""The demo source (``type = "demo"``): the bundled examples as real Git repositories.

So that a fresh installation shows a filled catalogue without any network, and shows it the
way production works: each folder under ``path`` (``examples/``) becomes a bare repository in
``<data_dir>/demo/`` with a short synthetic history, and is then harvested like any plain Git
source over ``file://``. The history depends on the example's ``developmentStatus`` so the
maintenance signals have something to show: a stable solution has several active authors and
a recent release, an obsolete one has not moved for over a year.

Re-running notices edited examples and commits the new version, like a maintainer would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from registry.publiccode.loader import load

from .base import HarvestError
from .plain_git import PlainGitHarvester

AUTHORS = (("Erika Mustermann", "erika@musterstadt.example"),
           ("Max Beispiel", "max@beispielheim.example"),
           ("Ada Kommunal", "ada@kommunal-it.example"))

# developmentStatus → (commit ages in days, oldest first; how many authors; the age in days from
# which on a release is tagged, or None)
HISTORIES: dict[str, tuple[tuple[int, ...], int, int | None]] = {
    "stable": ((170, 120, 90, 75, 60, 41, 30, 22, 14, 6), 3, 21),
    "beta": ((150, 110, 80, 45, 20, 9), 2, None),
    "development": ((60, 44, 30, 16, 5), 1, 10),
    "concept": ((40, 12), 1, None),
    "obsolete": ((900, 700, 420), 2, 700),
}


class DemoHarvester(PlainGitHarvester):
    type = "demo"

    def clone_urls(self) -> tuple[str, ...]:
        if self.source.path is None or not self.source.path.is_dir():
            raise HarvestError(f"the demo folder {self.source.path} does not exist")
        target = self.settings.data_dir / "demo"
        return tuple(repo.as_uri() for repo in build_demo_repositories(self.source.path, target))


def build_demo_repositories(examples: Path, target: Path) -> list[Path]:
    """A bare repository per example folder, created or brought up to date; their paths."""
    target.mkdir(parents=True, exist_ok=True)
    repos = []
    for folder in sorted(p for p in examples.iterdir() if (p / "publiccode.yml").is_file()):
        bare = target / f"{folder.name}.git"
        if not bare.is_dir():
            _create(folder, bare)
        elif _git_show(bare, "HEAD:publiccode.yml") != (folder / "publiccode.yml").read_bytes():
            _commit_update(folder, bare)
        repos.append(bare)
    return repos


def _create(folder: Path, bare: Path) -> None:
    status = _development_status(folder)
    ages, author_count, tag_age = HISTORIES.get(status, HISTORIES["development"])
    now = datetime.now(UTC)
    tagged = next((i for i, age in enumerate(ages) if tag_age is not None and age <= tag_age),
                  None)  # the release: the first commit no older than the tag age
    with tempfile.TemporaryDirectory(prefix="allmende-demo-") as scratch:
        work = Path(scratch) / folder.name
        shutil.copytree(folder, work)
        _git(work, "init", "--quiet", "--initial-branch=main")
        for number, age in enumerate(ages):
            when = now - timedelta(days=age)
            changelog = work / "CHANGELOG.md"
            with changelog.open("a", encoding="utf-8") as handle:
                handle.write(f"- {when:%Y-%m-%d}: change {number + 1}\n")
            _git(work, "add", "--all")
            author = AUTHORS[number % author_count]
            _git(work, "commit", "--quiet", "-m", f"Change {number + 1}", when=when,
                 author=author)
            if number == tagged:
                _git(work, "tag", f"v1.{number}", when=when, author=author)
        tmp_bare = bare.with_name(bare.name + ".tmp")
        shutil.rmtree(tmp_bare, ignore_errors=True)
        _git(work, "clone", "--quiet", "--bare", str(work), str(tmp_bare))
        tmp_bare.rename(bare)  # appears whole or not at all


def _commit_update(folder: Path, bare: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="allmende-demo-") as scratch:
        work = Path(scratch) / "work"
        _git(Path(scratch), "clone", "--quiet", str(bare), str(work))
        for item in folder.iterdir():
            destination = work / item.name
            if item.is_dir():
                shutil.copytree(item, destination, dirs_exist_ok=True)
            else:
                shutil.copy2(item, destination)
        _git(work, "add", "--all")
        _git(work, "commit", "--quiet", "--allow-empty", "-m", "Update from examples/",
             when=datetime.now(UTC), author=AUTHORS[0])
        _git(work, "push", "--quiet", "origin", "HEAD")


def _development_status(folder: Path) -> str:
    root = load((folder / "publiccode.yml").read_bytes()).root
    node = root.get("developmentStatus") if root is not None else None
    return node.text if node is not None and node.kind == "scalar" else "development"


def _git_show(bare: Path, spec: str) -> bytes | None:
    result = subprocess.run(["git", "--git-dir", str(bare), "show", spec],  # noqa: S603,S607
                            env=_env(),
                            capture_output=True, timeout=60, check=False)
    return result.stdout if result.returncode == 0 else None


def _git(cwd: Path, *args: str, when: datetime | None = None,
         author: tuple[str, str] = AUTHORS[0]) -> None:
    env = _env()
    name, email = author
    stamp = f"{int((when or datetime.now(UTC)).timestamp())} +0000"
    env.update({"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
                "GIT_COMMITTER_DATE": stamp})
    result = subprocess.run(["git", *args],  # noqa: S603,S607 (our arguments, git from PATH)
                            cwd=cwd, env=env, capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        raise HarvestError(f"creating the demo repositories failed: git {args[0]}: "
                           f"{result.stderr.decode(errors='replace').strip()}")


def _env() -> dict[str, str]:
    """Our own repositories, made with no user or system configuration."""
    return {"PATH": os.environ.get("PATH", os.defpath), "HOME": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
