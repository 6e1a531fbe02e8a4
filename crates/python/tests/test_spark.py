"""whosaid.spark on a local[2] Spark: the rows equal the CLI's quotations."""

import os
import sys

import pytest

pyspark = pytest.importorskip("pyspark")

import whosaid  # noqa: E402
import whosaid.spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("whosaid-test")
               .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    yield session
    session.stop()


def key(row):
    return (row["doc_id"], row["start"], row["end"], row["text"], row["kind"], row["speaker_name"],
            row["speaker_type"], row["speaker_start"], row["cue_text"], row["confidence"])


def test_spark_rows_equal_the_cli_quotations(spark, documents, cli_results):
    rows = [(doc_id, text) for doc_id, text in documents] + [("no-text", None)]
    df = spark.createDataFrame(rows, "id string, text string").repartition(2)
    out = whosaid.spark.attribute(df, text_col="text", id_col="id")
    assert out.schema.simpleString().startswith("struct<doc_id:string,quote_index:int,start:int")
    got = [r.asDict() for r in out.collect()]
    errors = [r for r in got if r["error_kind"]]
    assert [(r["doc_id"], r["error_kind"]) for r in errors] == [("no-text", "missing_text")]
    expected = {key(r) for r in whosaid._rows(cli_results)}
    assert {key(r) for r in got if not r["error_kind"]} == expected
    assert len(got) - len(errors) == sum(len(r["quotes"]) for r in cli_results)
