"""Harvesters: one base class (``base.Harvester``), one small subclass per source type.

``harvester_for`` picks the subclass for a configured source; ``run.run_source`` runs it.
"""

from __future__ import annotations

from registry.config import Settings, SourceConfig

from .base import FetchedFile, Harvester, HarvestError, RepositoryRef
from .demo import DemoHarvester
from .files import FilesHarvester
from .gitea import GiteaHarvester
from .github import GitHubHarvester
from .gitlab import GitLabHarvester
from .plain_git import PlainGitHarvester
from .registered import RegisteredHarvester

HARVESTERS: dict[str, type[Harvester]] = {
    cls.type: cls for cls in (GitLabHarvester, GitHubHarvester, GiteaHarvester,
                              PlainGitHarvester, DemoHarvester, FilesHarvester,
                              RegisteredHarvester)}

__all__ = ["HARVESTERS", "FetchedFile", "HarvestError", "Harvester", "RepositoryRef",
           "harvester_for"]


def harvester_for(source: SourceConfig, settings: Settings) -> Harvester:
    """The harvester for a configured source (the configuration only admits known types)."""
    return HARVESTERS[source.type](source, settings)
