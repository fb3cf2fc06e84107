"""The in-memory forge the fake servers publish: projects, their groups and their files.

Why one model for three forges: a harvester test describes *what exists* (an organisation with
three projects, one archived, one with a publiccode.yml) once, and each fake server renders it
in its own API's words (GitLab ``path_with_namespace``, GitHub and Gitea ``full_name`` …).
Tests mutate the model while a server runs (rename, delete, add files) to exercise moved and
deleted projects.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

DEFAULT_TIME = datetime(2024, 1, 15, 12, 0, 0, tzinfo=UTC)


def git_blob_sha(content: bytes) -> str:
    """The Git object id of a blob, as forges report it (``sha``, ``blob_id``)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def commit_id(project_id: int, files: dict[str, bytes]) -> str:
    """A stable fake commit id that changes whenever the files change."""
    digest = hashlib.sha1(str(project_id).encode(), usedforsecurity=False)
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + git_blob_sha(files[path]).encode())
    return digest.hexdigest()


@dataclass
class Project:
    """One repository. ``path`` is the full path: ``group/subgroup/name`` or ``org/name``."""

    id: int
    path: str
    description: str = ""
    default_branch: str = "main"
    created_at: datetime = DEFAULT_TIME
    updated_at: datetime = DEFAULT_TIME
    pushed_at: datetime = DEFAULT_TIME
    archived: bool = False
    visibility: str = "public"
    """``public``, ``internal`` (GitLab) or ``private``; only public ones are shown anonymously."""
    star_count: int = 0
    forks_count: int = 0
    topics: list[str] = field(default_factory=list)
    license: str | None = None
    """SPDX id, e.g. ``EUPL-1.2``; None when the forge detected none."""
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def namespace(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def last_activity_at(self) -> datetime:
        return max(self.updated_at, self.pushed_at)

    @property
    def head_commit(self) -> str:
        return commit_id(self.id, self.files)

    @property
    def public(self) -> bool:
        return self.visibility == "public"


@dataclass(frozen=True)
class Group:
    """A namespace (GitLab group, GitHub or Gitea organisation); ids are assigned in order."""

    id: int
    path: str

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> str | None:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else None


class ForgeModel:
    """Projects by id, groups derived from their namespaces, renames and deletions remembered.

    Thread-safe: the server's handler threads read while the test thread mutates.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._projects: dict[int, Project] = {}
        self._groups: dict[str, Group] = {}
        self._renamed: dict[str, int] = {}
        """Old full path (lower case) → project id: what a forge keeps after a rename."""
        self._next_id = 1

    # -- building --

    def add(self, path: str, **attributes: object) -> Project:
        """Add a project (``id`` optional: the next free one); its groups appear as needed."""
        with self._lock:
            project_id = int(attributes.pop("id", self._next_id))  # type: ignore[call-overload]
            if project_id in self._projects or self.find(path) is not None:
                raise ValueError(f"project {path!r} or id {project_id} already exists")
            project = Project(id=project_id, path=path, **attributes)  # type: ignore[arg-type]
            self._projects[project_id] = project
            self._next_id = max(self._next_id, project_id) + 1
            self._ensure_groups(project.namespace)
            return project

    def add_many(self, namespace: str, count: int, **attributes: object) -> list[Project]:
        """``count`` projects ``namespace/project-001`` …, for pagination tests."""
        return [self.add(f"{namespace}/project-{n:03d}", **attributes)
                for n in range(1, count + 1)]

    def rename(self, old_path: str, new_path: str) -> Project:
        """Move a project; the old path keeps answering (each forge in its own way)."""
        with self._lock:
            project = self.find(old_path)
            if project is None:
                raise KeyError(old_path)
            project.path = new_path
            self._renamed[old_path.lower()] = project.id
            self._ensure_groups(project.namespace)
            return project

    def delete(self, path: str) -> None:
        """Remove a project; its id, path and old paths answer 404 from now on."""
        with self._lock:
            project = self.find(path)
            if project is None:
                raise KeyError(path)
            del self._projects[project.id]
            self._renamed = {old: pid for old, pid in self._renamed.items() if pid != project.id}

    # -- lookups --

    def projects(self) -> list[Project]:
        """All projects in id order (the order forges list them in)."""
        with self._lock:
            return [self._projects[key] for key in sorted(self._projects)]

    def get(self, project_id: int) -> Project | None:
        with self._lock:
            return self._projects.get(project_id)

    def find(self, path: str) -> Project | None:
        """By current full path, case-insensitively as forges match them."""
        with self._lock:
            wanted = path.lower()
            return next((p for p in self._projects.values() if p.path.lower() == wanted), None)

    def renamed_to(self, old_path: str) -> Project | None:
        """The project that used to live at ``old_path``, if it was renamed."""
        with self._lock:
            project_id = self._renamed.get(old_path.lower())
            return self._projects.get(project_id) if project_id is not None else None

    def group(self, id_or_path: str) -> Group | None:
        with self._lock:
            if id_or_path.isdigit():
                return next((g for g in self._groups.values() if g.id == int(id_or_path)), None)
            return self._groups.get(id_or_path.lower())

    def groups(self) -> list[Group]:
        with self._lock:
            return sorted(self._groups.values(), key=lambda g: g.id)

    def in_namespace(self, namespace: str, *, subgroups: bool = False) -> list[Project]:
        """Projects directly in ``namespace`` (and below it, with ``subgroups``), in id order."""
        wanted = namespace.lower()
        return [p for p in self.projects()
                if p.namespace.lower() == wanted
                or (subgroups and p.namespace.lower().startswith(wanted + "/"))]

    def _ensure_groups(self, namespace: str) -> None:
        parts = namespace.split("/") if namespace else []
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            if path.lower() not in self._groups:
                self._groups[path.lower()] = Group(id=1000 + len(self._groups), path=path)
