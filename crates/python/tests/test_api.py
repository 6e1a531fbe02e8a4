"""whosaid.Pipeline against the CLI, errors, to_frame, and the documentation."""

import glob
import os
import pydoc
import signal
import subprocess
import sys
import time

import pytest

import whosaid
from conftest import CLI, ROOT, SHARED, cli_attribute


def test_the_one_liner_finds_putin(pipeline):
    result = pipeline.attribute('"We will win," Putin said.')
    (quote,) = result["quotes"]
    assert quote["speaker"]["name"] == "Putin"
    assert quote["text"] == "We will win,"


def test_attribute_equals_the_cli_on_seeds_and_polnear(pipeline, documents, cli_results):
    ids = [d for d, _ in documents]
    results = pipeline.attribute([t for _, t in documents], ids=ids)
    assert len(results) == len(cli_results) == 103
    for mine, theirs in zip(results, cli_results):
        assert mine == theirs, mine["id"]
    assert sum(len(r["quotes"]) for r in results) > 500


def test_the_seed_directory_through_the_cli_reads_the_same(pipeline):
    seeds = os.path.join(SHARED, "seeds")
    for expected in cli_attribute(seeds):
        with open(os.path.join(seeds, expected["id"] + ".txt"), encoding="utf-8") as f:
            assert pipeline.attribute(f.read(), ids=[expected["id"]]) == expected


def test_offsets_are_python_string_indices(pipeline):
    text = "«Ça ira», dit-elle. 😀 “We will not yield,” said Mayor Ana Ruiz of Zürich."
    result = pipeline.attribute(text)
    assert result["quotes"]
    for q in result["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
        if q["speaker"]:
            assert text[q["speaker"]["start"]:q["speaker"]["end"]] == q["speaker"]["text"]


def test_attribute_iter_streams_in_order_and_keeps_going_past_errors(pipeline, documents, cli_results):
    items = [documents[0], ("bad", 42), ("none", None), documents[1]]
    out = list(pipeline.attribute_iter(items, batch_size=2))
    assert [r["id"] for r in out] == [documents[0][0], "bad", "none", documents[1][0]]
    assert out[0] == cli_results[0] and out[3] == cli_results[1]
    assert out[1]["error"]["kind"] == "bad_text"
    assert out[2]["error"]["kind"] == "missing_text"
    # Plain texts get their position as id.
    assert [r["id"] for r in pipeline.attribute_iter(["Hello.", "He said so."])] == ["0", "1"]


def test_bad_input_raises_errors_with_the_cli_kinds(pipeline):
    with pytest.raises(whosaid.BadTextError) as e:
        pipeline.attribute(["fine text", 3], ids=["a", "b"])
    assert e.value.kind == "bad_text" and e.value.id == "b"
    assert isinstance(e.value, whosaid.WhosaidError)
    short = whosaid.Pipeline(max_chars=10, fast=True)
    with pytest.raises(whosaid.TooLongError) as e:
        short.attribute("This text is longer than ten characters.")
    assert e.value.kind == "too_long"
    assert short.attribute("Short.")["quotes"] == []
    with pytest.raises(ValueError):
        pipeline.attribute(["a", "b"], ids=["only one"])


def test_model_errors_and_option_conflicts():
    with pytest.raises(whosaid.ModelError) as e:
        whosaid.Pipeline(model="/nonexistent/model")
    assert "/nonexistent/model" in str(e.value)
    with pytest.raises(whosaid.ConfigError):
        whosaid.Pipeline(fast=True, backend="torch")
    with pytest.raises(whosaid.ConfigError) as e:
        whosaid.Pipeline(backend="tensorflow")
    assert isinstance(e.value, ValueError) and isinstance(e.value, whosaid.WhosaidError)
    for bad in ({"threads": 0}, {"batch_size": 0}, {"max_chars": 0}):
        with pytest.raises(whosaid.ConfigError):
            whosaid.Pipeline(**bad)


def test_a_bare_string_is_not_an_iterable_of_documents(pipeline):
    with pytest.raises(TypeError, match="attribute_iter takes an iterable"):
        pipeline.attribute_iter("He said so.")
    with pytest.raises(TypeError):
        pipeline.attribute(42)


def test_a_lone_surrogate_is_a_whosaid_error_and_the_others_run(pipeline):
    text = '"We will win," Putin said. ' + "\udc80"
    out = list(pipeline.attribute_iter([("bad", text), ("good", '"We will win," Putin said.')]))
    assert out[0]["error"]["kind"] == "bad_text" and "U+DC80" in out[0]["error"]["message"]
    assert out[1]["quotes"][0]["speaker"]["name"] == "Putin"
    with pytest.raises(whosaid.BadTextError):
        pipeline.attribute(text)


def test_messages_name_python_arguments_not_flags():
    with pytest.raises(whosaid.TooLongError) as e:
        whosaid.Pipeline(max_chars=5, fast=True).attribute("Longer than five.")
    assert "max_chars=" in str(e.value) and "--" not in str(e.value)
    with pytest.raises(whosaid.ModelError) as e:
        whosaid.Pipeline(model="/nonexistent/model")
    assert "--" not in str(e.value)


DEV_DOCS = os.path.join(SHARED, "polnear-dev", "docs.jsonl")


def test_ctrl_c_interrupts_a_long_call():
    """SIGINT during one long ``attribute`` call raises KeyboardInterrupt within moments, not
    when the call would have returned (the work would take far longer)."""
    # Python leaves SIGINT ignored when it starts with it ignored (a background job, as CI may
    # run this): the child restores the handler an interactive session has.
    script = (
        "import signal, sys, time, whosaid\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "p = whosaid.Pipeline(fast=True, threads=1)\n"
        "import json\n"
        f"texts = [json.loads(line)['text'] for line in open({DEV_DOCS!r})] * 20\n"
        "print('ready', flush=True)\n"
        "try:\n"
        "    p.attribute(texts)\n"
        "    print('finished', flush=True)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    child.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, _ = child.communicate(timeout=60)
    assert out.strip() == "interrupted"
    assert time.monotonic() - sent < 5


def test_models_come_from_the_installed_package(pipeline):
    assert pipeline.model_dir.startswith(os.path.dirname(whosaid.__file__)), pipeline.model_dir
    # The default engine is ONNX Runtime int8: the package carries the default model's graph.
    assert (pipeline.backend, pipeline.precision) == ("onnx", "int8")
    reference = whosaid.Pipeline(backend="torch")
    assert (reference.backend, reference.precision) == ("torch", "fp32")
    fast = whosaid.Pipeline(fast=True)
    assert (fast.backend, fast.precision) == ("onnx", "int8")
    assert fast.model_dir.endswith("ner-conll03-minilm-l3")


def test_to_frame_has_one_row_per_quotation(pipeline, documents, cli_results):
    frame = whosaid.to_frame(cli_results + [{"id": "broken", "error": {"kind": "too_long", "message": "m"}}])
    assert list(frame.columns) == [name for name, _ in whosaid.COLUMNS]
    quiet = sum(1 for r in cli_results if not r["quotes"])
    assert len(frame) == sum(len(r["quotes"]) for r in cli_results) + quiet + 1
    assert set(frame.doc_id) == {r["id"] for r in cli_results} | {"broken"}
    first = cli_results[0]["quotes"][0]
    row = frame.iloc[0]
    assert (row.doc_id, row.start, row.end, row.text, row.kind) == (
        cli_results[0]["id"], first["start"], first["end"], first["text"], first["kind"])
    assert row.speaker_name == (first["speaker"] or {}).get("name")
    broken = frame[frame.doc_id == "broken"].iloc[0]
    assert broken.error_kind == "too_long" and broken.start is __import__("pandas").NA
    counts = frame.groupby("speaker_name").size()
    assert counts.max() >= 5
    # A document without quotations keeps its row, with every quotation field empty.
    (quiet_row,) = whosaid.to_frame(pipeline.attribute("No quotes here.", ids=["quiet"])).itertuples()
    assert quiet_row.doc_id == "quiet" and quiet_row.quote_index is __import__("pandas").NA


def test_speakers_carry_their_gender_and_alias_ids(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("id,name,aliases,qid,gender\nP-7,Dana Holt,Holt,,\n")
    text = '"The pier reopens on Monday," Dana Holt said. She added that repairs were finished.'
    result = whosaid.Pipeline(aliases=aliases).attribute(text)
    (summary,) = [s for s in result["speakers"] if s["name"] == "Dana Holt"]
    assert (summary["gender"], summary["gender_evidence"], summary["id"]) == ("female", "pronoun", "P-7")
    row = whosaid.to_frame(result).iloc[0]
    assert (row.speaker_name, row.speaker_gender, row.speaker_id) == ("Dana Holt", "female", "P-7")
    off = whosaid.Pipeline(gender_from="off").attribute(text)
    assert all("gender" not in s for s in off["speakers"])
    with pytest.raises(whosaid.ConfigError, match="gender_from"):
        whosaid.Pipeline(gender_from="pronouns")
    aliases.write_text("X,Ana\nY,Ana\n")
    with pytest.raises(whosaid.ConfigError, match="line 2"):
        whosaid.Pipeline(aliases=aliases)


def test_help_explains_itself():
    text = pydoc.render_doc(whosaid.Pipeline, renderer=pydoc.plaintext)
    for words in ("loads the model once", "fast", "attribute_iter", "WhosaidError", "code point"):
        assert words.lower() in text.lower(), words
    assert "one row per quotation" in whosaid.to_frame.__doc__
    stubs = os.path.join(os.path.dirname(whosaid.__file__), "__init__.pyi")
    assert os.path.exists(stubs)


def test_the_cli_binary_is_there():
    assert os.access(CLI, os.X_OK)


def test_the_wheel_installs_and_runs_without_torch(tmp_path):
    """A fresh venv with only the wheel and its dependencies (onnxruntime from PyPI): import
    and the default engine work, torch is not installed, and backend="torch" names the fix."""
    wheels = sorted(glob.glob(os.path.join(ROOT, "target", "wheels", "whosaid-*.whl")))
    assert wheels, "scripts/setup.sh builds the wheel into target/wheels"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheels[-1]],
                   check=True)
    listed = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], check=True, capture_output=True,
                            text=True).stdout
    assert "torch" not in listed.lower(), listed
    script = (
        "import whosaid\n"
        "print(whosaid.Pipeline().attribute('\"We will win,\" Putin said.')['quotes'][0]['speaker']['name'])\n"
        "try:\n"
        "    whosaid.Pipeline(backend='torch')\n"
        "except whosaid.ModelError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([python, "-c", script], check=True, capture_output=True, text=True, cwd=str(tmp_path))
    lines = out.stdout.splitlines()
    assert lines[0] == "Putin"
    assert "whosaid[torch]" in lines[1]
