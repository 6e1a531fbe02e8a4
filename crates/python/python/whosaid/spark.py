"""whosaid on Apache Spark: quotations of a DataFrame of documents, one row per quotation.

    from whosaid.spark import attribute
    quotes = attribute(spark.read.json("articles.jsonl"), text_col="text", id_col="id")

Each Python worker process loads one ``whosaid.Pipeline`` the first time it needs it and keeps
it for every later batch and task (not one per row or batch). Documents run in Arrow batches
through ``mapInPandas``. Every input row yields output: a document without quotations is one
row with only ``doc_id`` set, and a document that cannot be processed one row with
``error_kind`` and ``error_message`` set (and no quotation fields): the task does not fail.

In local mode the workers are Python processes that Spark starts with ``$PYSPARK_PYTHON``
(default: the ``python3`` on the PATH, which may not have whosaid). ``attribute`` checks this
and, when that interpreter cannot import whosaid, says so before Spark fails inside a worker:
set ``os.environ["PYSPARK_PYTHON"] = sys.executable`` before the SparkSession starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any, Dict, Iterator, Optional, Tuple

from . import COLUMNS, Pipeline, WhosaidError, _frame

#: The output schema (Spark DDL): the columns of ``whosaid.to_frame``.
SCHEMA = ", ".join(f"`{name}` {kind}" for name, kind in COLUMNS)

# One Pipeline per worker process and set of options (Spark reuses Python workers).
_PIPELINES: Dict[Tuple[Tuple[str, Any], ...], Pipeline] = {}


def _pipeline(options: Dict[str, Any]) -> Pipeline:
    key = tuple(sorted(options.items()))
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(**options)
    return _PIPELINES[key]


def _check_local_workers(spark_context) -> None:
    """In local mode, refuse early when the workers' Python cannot import whosaid."""
    if not str(spark_context.master).startswith("local"):
        return
    worker = getattr(spark_context, "pythonExec", None) or os.environ.get("PYSPARK_PYTHON") or "python3"
    resolved = shutil.which(worker) or worker
    if os.path.realpath(resolved) == os.path.realpath(sys.executable):
        return
    probe = subprocess.run([resolved, "-c", "import whosaid"], capture_output=True)
    if probe.returncode != 0:
        raise WhosaidError(
            f"Spark's Python workers run {worker!r}, which cannot import whosaid (it is installed for "
            f"{sys.executable}). Set os.environ['PYSPARK_PYTHON'] = sys.executable before the SparkSession "
            "starts, or install whosaid for that interpreter")


def attribute(df, text_col: str = "text", id_col: Optional[str] = "id", batch_size: int = 64,
              **pipeline_options):
    """Quotations of the documents in ``df`` (columns ``id_col`` and ``text_col``) as a
    DataFrame with schema ``SCHEMA``, one row per quotation (``doc_id`` is the document's id as a
    string); a document without quotations keeps one row with only ``doc_id``. Without an
    ``id_col`` column (or with ``id_col=None``), ids are Spark's
    ``monotonically_increasing_id()`` as strings: unique, not consecutive.
    ``pipeline_options`` go to ``whosaid.Pipeline`` (``model``, ``fast``, ``threads``,
    ``backend``, ``precision``, ``max_chars``); ``threads`` defaults to 1, since Spark already
    runs a task per core. On a cluster, ship the environment and the model with ``--archives``
    and pass ``model="./ARCHIVE_NAME/MODEL_DIR"`` (see the README)."""
    from pyspark.sql import functions as F

    _check_local_workers(df.sparkSession.sparkContext)
    options = dict(pipeline_options)
    options.setdefault("threads", 1)
    if text_col not in df.columns:
        raise WhosaidError(f"the DataFrame has no text column {text_col!r} (columns: {', '.join(df.columns)}); "
                           "pass text_col=")
    if id_col is None or id_col not in df.columns:
        df = df.withColumn("__whosaid_id", F.monotonically_increasing_id().cast("string"))
        id_col = "__whosaid_id"

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pipeline = _pipeline(options)
        for frame in batches:
            items = [(str(i), t) for i, t in zip(frame[id_col], frame[text_col])]
            yield _frame(pipeline.attribute_iter(items, batch_size=batch_size), "Int32")

    return df.select(id_col, text_col).mapInPandas(run, schema=SCHEMA)
