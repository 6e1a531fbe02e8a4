"""whosaid: who said what in news articles, from Python.

Find every quotation in news text (direct quotes, quoted fragments inside reported speech,
reported speech without quotation marks) and its speaker, with the Rust pipeline behind the
``whosaid`` command line. Results are the CLI's JSON lines as Python dicts: offsets are code
points, so ``text[q["start"]:q["end"]] == q["text"]`` for a Python ``str``.

    >>> import whosaid
    >>> p = whosaid.Pipeline()
    >>> p.attribute('"We will win," Putin said.')["quotes"][0]["speaker"]["name"]
    'Putin'

``Pipeline`` loads the model once; reuse it. ``to_frame`` makes a pandas DataFrame (one row per
quotation); ``whosaid.spark.attribute`` runs a PySpark DataFrame.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

__all__ = [
    "Pipeline", "to_frame", "WhosaidError", "TooLongError", "BadTextError", "MissingTextError",
    "InvalidUtf8Error", "UnreadableError", "MalformedJsonError", "NerFailedError", "InternalError",
    "ModelError", "ConfigError",
]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _point_at_onnxruntime() -> None:
    """ONNX Runtime is loaded at run time: point ORT_DYLIB_PATH at the onnxruntime wheel's
    library (without importing onnxruntime) unless the user set it."""
    if os.environ.get("ORT_DYLIB_PATH"):
        return
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return
    for location in spec.submodule_search_locations:
        found = sorted(glob.glob(os.path.join(location, "capi", "libonnxruntime.so*")))
        if found:
            os.environ["ORT_DYLIB_PATH"] = found[0]
            return


_point_at_onnxruntime()

# The libtorch backend is a plugin library the package carries; the native module opens it
# only for backend="torch", after torch itself is imported (see ``_require_torch``).
_TORCH_PLUGIN = os.path.join(_PACKAGE_DIR, "libwhosaid_torch.so")
if os.path.isfile(_TORCH_PLUGIN) and not os.environ.get("WHOSAID_TORCH_PLUGIN"):
    os.environ["WHOSAID_TORCH_PLUGIN"] = _TORCH_PLUGIN

from . import _whosaid  # noqa: E402

#: The torch release the libtorch backend is built against (tch 0.17 binds libtorch 2.4).
TORCH_VERSION = "2.4"


def _models_dir() -> Optional[str]:
    """The models bundled in the installed package; None in a source checkout (the native
    module then uses the repository's models/)."""
    bundled = os.path.join(_PACKAGE_DIR, "models")
    return bundled if os.path.isdir(bundled) else None


class WhosaidError(Exception):
    """A document whosaid could not process. ``kind`` is the CLI's error kind (``too_long``,
    ``bad_text``, ``missing_text``, ``invalid_utf8``, ``malformed_json``, ``unreadable``,
    ``ner_failed``, ``internal``); ``id`` the document's id; ``message`` says why."""

    kind = "error"

    def __init__(self, message: str, id: Optional[str] = None, kind: Optional[str] = None):
        super().__init__(message if id is None else f"document {id!r}: {message}")
        self.message = message
        self.id = id
        if kind is not None:
            self.kind = kind


class TooLongError(WhosaidError):
    """The text is longer than ``max_chars`` code points."""
    kind = "too_long"


class BadTextError(WhosaidError):
    """The text is not a ``str``."""
    kind = "bad_text"


class MissingTextError(WhosaidError):
    kind = "missing_text"


class InvalidUtf8Error(WhosaidError):
    kind = "invalid_utf8"


class MalformedJsonError(WhosaidError):
    kind = "malformed_json"


class UnreadableError(WhosaidError):
    kind = "unreadable"


class NerFailedError(WhosaidError):
    """The NER model failed on this document."""
    kind = "ner_failed"


class InternalError(WhosaidError):
    """whosaid panicked on this document: a bug in whosaid; please report it with the text."""
    kind = "internal"


class ModelError(WhosaidError):
    """The model could not be loaded (a missing, truncated or corrupt model directory, or
    the torch backend without its torch)."""
    kind = "model"


class ConfigError(WhosaidError, ValueError):
    """An option has a value whosaid cannot take (an unknown backend, a zero thread count)."""
    kind = "config"


def _pythonic(message: str) -> str:
    """The native side's messages name command-line flags; say them as this API's arguments
    (``--max-chars`` becomes ``max_chars=``, ``--model DIR`` becomes ``model=DIR``)."""
    return re.sub(r"--([a-z][a-z-]*)(?: ([A-Z]+|\d+)\b)?",
                  lambda m: m.group(1).replace("-", "_") + "=" + (m.group(2) or ""), message)


def _setup(call, **kwargs):
    """A native set-up call, its errors as ``WhosaidError``s in this API's words: an option
    the pipeline refuses (``fast=True`` with ``model=``, an unknown backend) is a
    ``ConfigError``, a model that cannot be found or loaded a ``ModelError``."""
    try:
        return call(**kwargs)
    except ValueError as e:
        raise ConfigError(_pythonic(str(e))) from None
    except RuntimeError as e:
        raise ModelError(_pythonic(str(e))) from None


def _require_torch() -> None:
    """Import torch before the torch backend's plugin loads (it links torch's libtorch), and
    refuse a torch release the plugin was not built for."""
    try:
        import torch
    except ImportError:
        raise ModelError(f"backend='torch' needs PyTorch {TORCH_VERSION}: pip install 'whosaid[torch]' "
                         "(or use the default backend, 'onnx', which needs no torch)") from None
    version = torch.__version__.split("+")[0]
    if not (version == TORCH_VERSION or version.startswith(TORCH_VERSION + ".")):
        raise ModelError(f"backend='torch' is built for PyTorch {TORCH_VERSION}.x, and this environment has "
                         f"torch {torch.__version__}: pip install 'whosaid[torch]' (torch=={TORCH_VERSION}.0) in "
                         "an environment of its own, or use the default backend, 'onnx'")


_ERRORS = {cls.kind: cls for cls in (TooLongError, BadTextError, MissingTextError, InvalidUtf8Error,
                                      MalformedJsonError, UnreadableError, NerFailedError, InternalError)}

Result = Dict[str, Any]
Item = Union[str, Tuple[str, str]]


def _raise_for(result: Result) -> None:
    error = result.get("error")
    if error:
        cls = _ERRORS.get(error["kind"], WhosaidError)
        raise cls(error["message"], id=result.get("id"), kind=error["kind"])


class Pipeline:
    """The whosaid pipeline (tokenize, NER, attribution): the constructor loads the model once;
    reuse the object for every document.

    Arguments mirror the CLI's model options and mean the same:

    - ``model``: a local Hugging Face BERT token-classification directory. Default:
      ``$WHOSAID_MODEL``, else the default model bundled with the package.
    - ``fast``: the bundled 3-layer model on ONNX Runtime int8 (the CLI's ``--fast``); not with
      ``model``, ``backend`` or ``precision``.
    - ``threads``: worker threads (default: all cores).
    - ``backend``: ``"onnx"`` or ``"torch"``; ``precision``: ``"int8"`` (onnx), ``"fp32"`` or
      ``"bf16"`` (torch). Default, as in the CLI: ONNX Runtime int8 (the default model's
      accuracy at about five times libtorch fp32's speed); one of the two given, the other
      follows from it (torch: fp32; bf16: torch).
    - ``batch_size``: sentence windows per NER forward pass (default 32); ``max_chars``:
      longer documents are refused (``too_long``, default 2,000,000).
    - ``gender_from``: which evidence each speaker's ``gender`` draws on, as ``whosaid
      attribute --gender-from``: ``"text"`` (default: the document's own references, then
      first-name statistics), ``"text-only"``, ``"names"`` or ``"off"``. It is the gender the
      text refers to a person with, not a statement about identity.
    - ``aliases``: an alias file (CSV: id, name, aliases, optional Wikidata QID, optional
      gender), as ``whosaid attribute --aliases``: speakers it names get its ``id``.

    ``attribute`` gives each document's result as a dict with exactly the keys and values of
    its ``whosaid attribute`` line: ``id``, ``quotes`` (``start``, ``end``, ``text``, ``kind``,
    ``speaker``, ``cue``, ``confidence``) and ``speakers``. Offsets are code points, i.e.
    Python ``str`` indices: ``text[q["start"]:q["end"]] == q["text"]``.
    """

    def __init__(self, model: Optional[str] = None, fast: bool = False, threads: Optional[int] = None,
                 backend: Optional[str] = None, precision: Optional[str] = None, batch_size: int = 32,
                 max_chars: Optional[int] = None, gender_from: str = "text", aliases: Optional[str] = None):
        for name, value in (("threads", threads), ("batch_size", batch_size), ("max_chars", max_chars)):
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ConfigError(f"{name}={value!r}: give a whole number of at least 1")
        model = None if model is None else os.fspath(model)
        if _setup(_whosaid.resolve_backend, models_dir=_models_dir(), model=model, fast=fast, backend=backend,
                  precision=precision) == "torch":
            _require_torch()
        self._native = _setup(
            _whosaid.NativePipeline, models_dir=_models_dir(), model=model, fast=fast, threads=threads,
            backend=backend, precision=precision, batch_size=batch_size,
            max_chars=_whosaid.DEFAULT_MAX_CHARS if max_chars is None else max_chars, gender_from=gender_from,
            aliases=None if aliases is None else os.fspath(aliases))

    @property
    def model_dir(self) -> str:
        """The model directory in use."""
        return self._native.config[0]

    @property
    def backend(self) -> str:
        return self._native.config[1]

    @property
    def precision(self) -> str:
        return self._native.config[2]

    def __repr__(self) -> str:
        d, b, p, t = self._native.config
        return f"whosaid.Pipeline(model={d!r}, backend={b!r}, precision={p!r}, threads={t})"

    def _run(self, items: Sequence[Tuple[str, Any]]) -> List[Result]:
        docs = []
        for doc_id, text in items:
            if text is not None and not isinstance(text, str) and text != text:
                text = None  # NaN: pandas' and Spark's missing value
            if isinstance(text, str):
                docs.append((doc_id, text, None))
            elif text is None:
                docs.append((doc_id, None, ("missing_text", "the text is missing (None)")))
            else:
                docs.append((doc_id, None, ("bad_text", f"the text is not a string (got {type(text).__name__})")))
        try:
            lines = self._native.run(docs)
        except UnicodeEncodeError:
            # A str that is not Unicode text (a lone surrogate, as from a bad decode with
            # errors="surrogateescape"): that document gets an error record, the others run.
            docs = [_checked_text(doc) for doc in docs]
            lines = self._native.run(docs)
        except RuntimeError as e:
            raise WhosaidError(_pythonic(str(e))) from None
        results = [json.loads(line) for line in lines]
        for r in results:
            error = r.get("error")
            if error:
                error["message"] = _pythonic(error["message"])
        return results

    def attribute(self, text: Union[str, Sequence[str]], ids: Optional[Sequence[str]] = None
                  ) -> Union[Result, List[Result]]:
        """Quotations and speakers of one text (returns a dict) or a list of texts (a list of
        dicts, in order). ``ids`` names the documents (default ``"0"``, ``"1"``, ...).

        Raises a ``WhosaidError`` subclass for a document that cannot be processed (its
        ``kind`` is the CLI's error kind); use ``attribute_iter`` to get error records instead.
        """
        if not isinstance(text, (str, list, tuple)):
            raise TypeError(f"attribute takes a str or a list of str, not {type(text).__name__}; "
                            "use attribute_iter for other iterables")
        single = isinstance(text, str)
        texts = [text] if single else list(text)
        if ids is None:
            ids = [str(i) for i in range(len(texts))]
        elif len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        results = self._run(list(zip((str(i) for i in ids), texts)))
        for r in results:
            _raise_for(r)
        return results[0] if single else results

    def attribute_iter(self, items: Iterable[Item], batch_size: int = 64) -> Iterator[Result]:
        """Stream results for texts or ``(id, text)`` pairs, in input order, ``batch_size``
        documents at a time (processed in parallel, without the GIL). A document that cannot be
        processed yields its error record, ``{"id", "error": {"kind", "message"}}``, as the CLI
        writes it; the stream goes on. A bare ``str`` is refused (``TypeError``): it would be
        read as one document per character."""
        if isinstance(items, (str, bytes)):
            raise TypeError("attribute_iter takes an iterable of texts or (id, text) pairs, not a single "
                            f"{type(items).__name__}; use attribute(text) for one document")
        return self._stream(items, batch_size)

    def _stream(self, items: Iterable[Item], batch_size: int) -> Iterator[Result]:
        batch: List[Tuple[str, Any]] = []
        for n, item in enumerate(items):
            if isinstance(item, tuple) and len(item) == 2:
                batch.append((str(item[0]), item[1]))
            else:
                batch.append((str(n), item))
            if len(batch) >= max(1, batch_size):
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)


def _checked_text(doc: Tuple[str, Optional[str], Any]) -> Tuple[str, Optional[str], Any]:
    """``doc`` unchanged, or as a ``bad_text`` error when its text cannot be encoded as UTF-8."""
    doc_id, text, error = doc
    if text is None:
        return doc
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return (doc_id, None, ("bad_text", f"the text is not Unicode text: {e.reason} at index {e.start} "
                                           f"(U+{ord(text[e.start]):04X})"))
    return doc


#: The columns of ``to_frame`` and of ``whosaid.spark.attribute``'s rows, with their types.
COLUMNS: List[Tuple[str, str]] = [
    ("doc_id", "string"), ("quote_index", "int"), ("start", "int"), ("end", "int"), ("text", "string"),
    ("kind", "string"), ("speaker_name", "string"), ("speaker_type", "string"), ("speaker_gender", "string"),
    ("speaker_id", "string"), ("speaker_start", "int"),
    ("speaker_end", "int"), ("speaker_text", "string"), ("cue_start", "int"), ("cue_end", "int"),
    ("cue_text", "string"), ("clause_start", "int"), ("clause_end", "int"), ("confidence", "double"),
    ("error_kind", "string"), ("error_message", "string"),
]


def _rows(results: Iterable[Result]) -> Iterator[Dict[str, Any]]:
    """One row per quotation; a document without quotations is one row with its ``doc_id``
    and every quotation field empty, and a failed document one row with its error, so that
    every document processed has a row."""
    empty = {name: None for name, _ in COLUMNS}
    for r in results:
        error = r.get("error")
        if error:
            yield {**empty, "doc_id": r.get("id"), "error_kind": error.get("kind"), "error_message": error.get("message")}
            continue
        if not r.get("quotes"):
            yield {**empty, "doc_id": r.get("id")}
            continue
        for i, q in enumerate(r.get("quotes", [])):
            s = q.get("speaker") or {}
            c = q.get("cue") or {}
            yield {
                **empty, "doc_id": r["id"], "quote_index": i, "start": q["start"], "end": q["end"], "text": q["text"],
                "kind": q["kind"], "speaker_name": s.get("name"), "speaker_type": s.get("type"),
                "speaker_gender": s.get("gender"), "speaker_id": s.get("id"),
                "speaker_start": s.get("start"), "speaker_end": s.get("end"), "speaker_text": s.get("text"),
                "cue_start": c.get("start"), "cue_end": c.get("end"), "cue_text": c.get("text"),
                "clause_start": (q.get("clause") or {}).get("start"), "clause_end": (q.get("clause") or {}).get("end"),
                "confidence": q["confidence"],
            }


def to_frame(results: Union[Result, Iterable[Result]]):
    """A pandas DataFrame with one row per quotation: ``doc_id``, ``quote_index``, ``start``,
    ``end``, ``text``, ``kind``, ``speaker_name``, ``speaker_type``, ``speaker_gender`` (female,
    male or unknown, as the text refers to the speaker), ``speaker_id`` (from an alias file),
    ``speaker_start``,
    ``speaker_end``, ``speaker_text``, ``cue_start``, ``cue_end``, ``cue_text``, ``clause_start``,
    ``clause_end`` (a mixed quotation's statement, see the README), ``confidence``;
    a document without quotations is one row with only ``doc_id`` set (``quote_index`` is
    null), and a document that failed one row with ``error_kind`` and ``error_message`` set. Offsets are
    code points (Python ``str`` indices). Needs pandas (``pip install whosaid[pandas]``)."""
    if isinstance(results, dict):
        results = [results]
    return _frame(results, "Int64")


def _frame(results: Iterable[Result], int_dtype: str):
    """The rows of ``results`` as a DataFrame with the ``COLUMNS``, integer columns as the
    nullable pandas type ``int_dtype`` (Spark's ``int`` columns take ``Int32``)."""
    import pandas as pd

    frame = pd.DataFrame(list(_rows(results)), columns=[name for name, _ in COLUMNS])
    for name, kind in COLUMNS:
        if kind == "int":
            frame[name] = frame[name].astype(int_dtype)
    return frame
