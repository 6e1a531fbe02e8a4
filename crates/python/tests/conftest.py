"""Shared fixtures: the CLI's own output for the seed articles and 100 polnear-train articles
(../shared beside the checkout), and one Pipeline for the whole session."""

import json
import os
import subprocess
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "fixtures")
CLI = os.path.join(ROOT, "target", "release", "whosaid")


def cli_attribute(path):
    out = subprocess.run([CLI, "attribute", path], check=True, capture_output=True).stdout.decode("utf-8")
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="session")
def documents():
    """(id, text) pairs: the three seed articles, then the first 100 polnear-train articles."""
    seeds = os.path.join(SHARED, "seeds")
    docs = []
    for name in sorted(os.listdir(seeds)):
        if name.endswith(".txt"):
            with open(os.path.join(seeds, name), encoding="utf-8") as f:
                docs.append((name[:-4], f.read()))
    with open(os.path.join(SHARED, "polnear-train", "docs.jsonl"), encoding="utf-8") as f:
        for line, _ in zip(f, range(100)):
            d = json.loads(line)
            docs.append((d["id"], d["text"]))
    return docs


@pytest.fixture(scope="session")
def cli_results(documents):
    """`whosaid attribute` over the same documents (one JSONL input), parsed."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for doc_id, text in documents:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    try:
        return cli_attribute(f.name)
    finally:
        os.unlink(f.name)


@pytest.fixture(scope="session")
def pipeline():
    import whosaid

    return whosaid.Pipeline()
