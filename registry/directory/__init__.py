"""Organisations from official data: the Federal Statistical Office's municipality directory.

``gv100ad`` reads the GV100AD file (pure, streaming), ``official`` turns its records into the
organisations Allmende keeps and knows which names certainly mean which of them (pure),
``importer`` writes them into the Organisation table in one transaction, and ``linking`` links
catalogue publishers and ``usedBy`` names to them where the match is certain. The command is
``allmende organisations import FILE``; operators' documentation: docs/organisations.md.
"""

from .gv100ad import DirectoryError, Reading, Record, read_file, read_stream
from .importer import ImportReport, import_file, write_organisations
from .linking import LinkReport, link_catalogue
from .official import OfficialOrganisation, certain_names, official_organisations

__all__ = ["DirectoryError", "ImportReport", "LinkReport", "OfficialOrganisation", "Reading",
           "Record", "certain_names", "import_file", "link_catalogue", "official_organisations",
           "read_file", "read_stream", "write_organisations"]
