"""Extraction and linking: document -> mentions, dates, meetings, statements."""
