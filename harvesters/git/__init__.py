"""The harvesters' git layer: hardened, time-limited git over a cache of partial clones.

``GitCache`` clones and fetches (``sync``), detects change cheaply (``ls_remote_head``), reads
publiccode.yml with a size cap (``read_file``) and measures the default branch's history
(``activity``); ``maintenance_signals`` turns that into explainable maintenance levels.
Everything raises :class:`GitError` with a message fit for users and free of credentials.
"""

from harvesters.git.activity import Activity
from harvesters.git.cache import MAX_FILE_BYTES, FileBlob, GitCache, RemoteHead
from harvesters.git.errors import GitError, redact
from harvesters.git.maintenance import Signal, maintenance_level, maintenance_signals

__all__ = [
    "MAX_FILE_BYTES",
    "Activity",
    "FileBlob",
    "GitCache",
    "GitError",
    "RemoteHead",
    "Signal",
    "maintenance_level",
    "maintenance_signals",
    "redact",
]
