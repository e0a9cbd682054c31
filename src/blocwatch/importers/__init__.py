"""Importers of external datasets (COW IGO) into the store."""
