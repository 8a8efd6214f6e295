"""Ingestion: files in any supported format → validated records → one transaction → a report.

files (which files) → readers (raw items) → validation and rows (checked rows, perhaps in a
reader_process) → pipeline (the one transaction): definitions, upsert (with snapshots, revisions,
links), all through bulk writes → report.
"""

from app.ingest.pipeline import ingest
from app.ingest.report import IngestFailed, IngestReport

__all__ = ["IngestFailed", "IngestReport", "ingest"]
