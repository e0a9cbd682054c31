"""Ingestion: bytes -> pages -> documents."""
