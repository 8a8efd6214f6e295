"""Ingestion: files in any supported format → validated records → one transaction → a report."""

from app.ingest.pipeline import IngestFailed, IngestReport, ingest

__all__ = ["IngestFailed", "IngestReport", "ingest"]
