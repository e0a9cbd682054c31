"""The store: schema, migrations, and writing the reference base."""

from blocwatch.store.db import Store, default_db_location, open_store
from blocwatch.store.reference import InitResult, load_reference_into

__all__ = ["InitResult", "Store", "default_db_location", "load_reference_into", "open_store"]
