"""Run spark-ingest as a Spark application.

    spark-submit --master yarn --py-files blocwatch.zip \
        "$(python -c 'import blocwatch.spark.__main__ as m; print(m.__file__)')" \
        s3a://bucket/crawl/ --out s3a://bucket/blocwatch/2024-06-01

or, with a local master, ``python -m blocwatch.spark INPUT... --out DIR``.
The master comes from spark-submit (or --master); see docs/scaling.md.
"""

from __future__ import annotations

import sys

from blocwatch.cli.scale import spark_ingest_command


def main() -> None:
    spark_ingest_command.main(args=sys.argv[1:], prog_name="blocwatch.spark",
                              standalone_mode=True)


if __name__ == "__main__":
    main()
