"""whosaid on Apache Spark: quotations of a DataFrame of documents, one row per quotation.

    from whosaid.spark import attribute
    quotes = attribute(spark.read.json("articles.jsonl"), text_col="text", id_col="id")

Each Python worker process loads one ``whosaid.Pipeline`` the first time it needs it and keeps
it for every later batch and task (not one per row or batch). Documents run in Arrow batches
through ``mapInPandas``. A document that cannot be processed becomes one row with
``error_kind`` and ``error_message`` set (and no quotation fields): the task does not fail.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, Tuple

from . import COLUMNS, Pipeline, _frame

#: The output schema (Spark DDL): the columns of ``whosaid.to_frame``.
SCHEMA = ", ".join(f"`{name}` {kind}" for name, kind in COLUMNS)

# One Pipeline per worker process and set of options (Spark reuses Python workers).
_PIPELINES: Dict[Tuple[Tuple[str, Any], ...], Pipeline] = {}


def _pipeline(options: Dict[str, Any]) -> Pipeline:
    key = tuple(sorted(options.items()))
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(**options)
    return _PIPELINES[key]


def attribute(df, text_col: str = "text", id_col: str = "id", batch_size: int = 64, **pipeline_options):
    """Quotations of the documents in ``df`` (columns ``id_col`` and ``text_col``) as a
    DataFrame with schema ``SCHEMA``, one row per quotation (``doc_id`` is the document's id as a
    string). ``pipeline_options`` go to ``whosaid.Pipeline`` (``model``, ``fast``, ``threads``,
    ``backend``, ``precision``, ``max_chars``); ``threads`` defaults to 1, since Spark already
    runs a task per core. On a cluster, ship the model with ``--archives`` and pass
    ``model="./ARCHIVE_NAME/MODEL_DIR"`` (see the README)."""
    options = dict(pipeline_options)
    options.setdefault("threads", 1)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pipeline = _pipeline(options)
        for frame in batches:
            items = [(str(i), t) for i, t in zip(frame[id_col], frame[text_col])]
            yield _frame(pipeline.attribute_iter(items, batch_size=batch_size), "Int32")

    return df.select(id_col, text_col).mapInPandas(run, schema=SCHEMA)
