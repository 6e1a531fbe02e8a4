#!/usr/bin/env python3
"""Spark overhead, measured: the same corpus through `whosaid attribute` and through
whosaid.spark.attribute on local[N] (one Pipeline per Python worker, threads=1 each).

    .venv/bin/python scripts/spark_bench.py [DOCS.jsonl] [--master local[2]]

Prints each run's wall time and documents/s, and whether both give the same quotations.
"""
import argparse
import json
import os
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("docs", nargs="?", default=os.path.join(root, "..", "shared", "fixtures", "polnear-train", "docs.jsonl"))
ap.add_argument("--master", default="local[2]")
args = ap.parse_args()
docs = [json.loads(line) for line in open(args.docs, encoding="utf-8")]

t = time.time()
out = subprocess.run([os.path.join(root, "target", "release", "whosaid"), "attribute", "--threads", "2", args.docs],
                     check=True, capture_output=True).stdout.decode()
cli_seconds = time.time() - t
cli = [json.loads(line) for line in out.splitlines()]

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
from pyspark.sql import SparkSession  # noqa: E402

import whosaid  # noqa: E402
import whosaid.spark  # noqa: E402

spark = (SparkSession.builder.master(args.master).config("spark.ui.enabled", "false")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
cores = int(args.master[len("local["):-1]) if args.master.startswith("local[") else 2
df = spark.createDataFrame([(d["id"], d["text"]) for d in docs], "id string, text string").repartition(cores).cache()
df.count()
t = time.time()
rows = [r.asDict() for r in whosaid.spark.attribute(df).collect()]
spark_seconds = time.time() - t
spark.stop()


def key(r):
    return (r["doc_id"], r["start"], r["end"], r["kind"], r["speaker_name"], r["cue_text"], r["confidence"])


same = sorted(map(key, whosaid._rows(cli))) == sorted(map(key, rows))
n = len(docs)
print(f"documents: {n}")
print(f"whosaid attribute --threads 2: {cli_seconds:.1f} s, {n / cli_seconds:.2f} documents/s")
print(f"whosaid.spark.attribute on {args.master}: {spark_seconds:.1f} s, {n / spark_seconds:.2f} documents/s "
      f"(includes each worker loading its Pipeline)")
print(f"Spark / CLI wall time: {spark_seconds / cli_seconds:.2f}x; same quotations: {same}")
