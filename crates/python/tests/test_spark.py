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
    rows = [(doc_id, text) for doc_id, text in documents] + [("no-text", None), ("quiet", "Nobody spoke.")]
    df = spark.createDataFrame(rows, "id string, text string").repartition(2)
    out = whosaid.spark.attribute(df, text_col="text", id_col="id")
    assert out.schema.simpleString().startswith("struct<doc_id:string,quote_index:int,start:int")
    got = [r.asDict() for r in out.collect()]
    errors = [r for r in got if r["error_kind"]]
    assert [(r["doc_id"], r["error_kind"]) for r in errors] == [("no-text", "missing_text")]
    # Every input row has output: a document without quotations keeps one empty row.
    assert {r["doc_id"] for r in got} == {doc_id for doc_id, _ in rows}
    assert [r for r in got if r["doc_id"] == "quiet"] == [{**{c: None for c, _ in whosaid.COLUMNS}, "doc_id": "quiet"}]
    expected = {key(r) for r in whosaid._rows(cli_results)}
    assert {key(r) for r in got if not r["error_kind"] and r["doc_id"] != "quiet"} == expected
    quiet = sum(1 for r in cli_results if not r["quotes"])
    assert len(got) - len(errors) - 1 == sum(len(r["quotes"]) for r in cli_results) + quiet


def test_the_id_column_is_optional(spark):
    df = spark.createDataFrame([('"We will win," Putin said.',), ("Nothing here.",)], "text string")
    got = whosaid.spark.attribute(df).collect()
    assert len(got) == 2 and len({r["doc_id"] for r in got}) == 2
    assert sorted((r["speaker_name"] or "") for r in got) == ["", "Putin"]


class _LocalContext:
    master = "local[2]"

    def __init__(self, python):
        self.pythonExec = python


def test_local_workers_without_whosaid_are_refused_early():
    # The system interpreter, outside the venv, has no whosaid: say so before Spark fails.
    system = "/usr/bin/python3"
    if not os.path.exists(system) or os.path.realpath(system) == os.path.realpath(sys.executable):
        pytest.skip("no system python3 apart from this one")
    with pytest.raises(whosaid.WhosaidError, match="PYSPARK_PYTHON"):
        whosaid.spark._check_local_workers(_LocalContext(system))
    whosaid.spark._check_local_workers(_LocalContext(sys.executable))
