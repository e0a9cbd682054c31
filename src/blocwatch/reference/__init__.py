"""The curated reference base: data files, loader and validation."""

from blocwatch.reference.loader import bundled_data_dir, load_reference
from blocwatch.reference.model import DEFAULT_STATUSES, MEMBERSHIP_STATUSES, ReferenceBase

__all__ = [
    "DEFAULT_STATUSES",
    "MEMBERSHIP_STATUSES",
    "ReferenceBase",
    "bundled_data_dir",
    "load_reference",
]
