"""Fake forge servers for harvester tests: real HTTP on 127.0.0.1 speaking each forge's API.

``FakeGitLab`` (also Open CoDE), ``FakeGitHub`` and ``FakeGitea`` (also Forgejo) publish one
in-memory :class:`ForgeModel`; ``server.faults`` makes them slow, rate-limited, failing or
stalled, and ``server.log`` records what arrived. The pytest fixtures ``gitlab_server``,
``github_server`` and ``gitea_server`` live in ``tests/harvesters/conftest.py``.
"""

from .base import FakeForgeServer, Faults, Request, Response, SeenRequest
from .gitea import FakeGitea
from .github import FakeGitHub
from .gitlab import FakeGitLab
from .model import ForgeModel, Group, Project, git_blob_sha

__all__ = [
    "FakeForgeServer",
    "FakeGitHub",
    "FakeGitLab",
    "FakeGitea",
    "Faults",
    "ForgeModel",
    "Group",
    "Project",
    "Request",
    "Response",
    "SeenRequest",
    "git_blob_sha",
]
