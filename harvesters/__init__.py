"""Harvesters: one base class (``base.Harvester``), one small subclass per source type."""

from __future__ import annotations

from registry.config import Settings, SourceConfig

from .base import Harvester, HarvestError, RunReport
from .files import FilesHarvester

HARVESTERS: dict[str, type[Harvester]] = {cls.type: cls for cls in (FilesHarvester,)}

__all__ = ["HARVESTERS", "Harvester", "HarvestError", "RunReport", "harvester_for"]


def harvester_for(source: SourceConfig, settings: Settings) -> Harvester | None:
    """The harvester for a source, ``None`` when its type is not harvestable yet."""
    cls = HARVESTERS.get(source.type)
    return cls(source, settings) if cls else None
