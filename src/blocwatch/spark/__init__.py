"""blocwatch on Apache Spark: the local per-page pipeline over archives, in partitions.

``run`` (``blocwatch spark-ingest``) reads WARC, JSON Lines, text and HTML
files from local or Hadoop-compatible paths and writes Parquet tables plus a
manifest; ``load`` (``blocwatch load``) stores them in any store exactly as a
local ingest of the same inputs would. pyspark is imported only when ``run``
starts a job (``pip install 'blocwatch[spark]'``); ``load`` needs pyarrow only.
"""

from __future__ import annotations

from blocwatch.spark.job import RunResult, SparkOptions, run
from blocwatch.spark.loader import load, read_manifest

__all__ = ["RunResult", "SparkOptions", "load", "read_manifest", "run"]
