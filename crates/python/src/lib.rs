//! `whosaid._whosaid`: the native half of the Python package. It turns the Python arguments
//! into the pipeline library's [`Config`] and runs documents through the same [`Pipeline`] as
//! the CLI (the same chunking, containment and serialisation), so a document's JSON here is
//! byte-identical to its `whosaid attribute` line. The Python half (python/whosaid/) adds
//! the public API, errors and pandas/Spark.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use whosaid_ner::{Backend, Precision};
use whosaid_pipeline::input::{InputDoc, InputError};
use whosaid_pipeline::{
    model_search_path, Config, Job, ModelChoice, Pipeline, PipelineError, RunOptions, DEFAULT_MAX_CHARS,
};
use whosaid_wire::{ErrorKind, Line};

/// A document from Python: (id, text, error). `text` is None when the document cannot be
/// processed, and `error` then says why: (kind, message).
type PyDoc = (String, Option<String>, Option<(String, String)>);

/// A loaded pipeline; `run` takes documents and gives their JSON lines.
#[pyclass(module = "whosaid._whosaid", name = "NativePipeline")]
struct NativePipeline {
    // One run at a time: a run interrupted from Python finishes its chunk on its own thread
    // (see `run`), and the next run waits for it here.
    pipeline: Arc<Mutex<Pipeline>>,
    model_dir: PathBuf,
    backend: Backend,
    precision: Precision,
    threads: usize,
}

fn parse<T: std::str::FromStr>(value: &str, what: &str) -> PyResult<T>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
}

/// A setting-up error: an option the pipeline refuses is a ValueError, the rest (a model
/// that cannot be found or loaded) a RuntimeError; the Python side makes them WhosaidErrors.
fn setup_error(e: PipelineError) -> PyErr {
    match e {
        PipelineError::Unsupported(message) => PyValueError::new_err(message),
        other => PyRuntimeError::new_err(other.to_string()),
    }
}

/// The Python arguments as a run's configuration (bundled models looked for in the package's
/// folder `models_dir` first).
fn config(
    models_dir: Option<PathBuf>,
    model: Option<PathBuf>,
    fast: bool,
    backend: Option<&str>,
    precision: Option<&str>,
) -> PyResult<Config> {
    Ok(Config {
        model: ModelChoice {
            fast,
            dir: model,
            backend: backend.map(|b| parse(b, "backend")).transpose()?,
            precision: precision.map(|p| parse(p, "precision")).transpose()?,
        },
        search: model_search_path(false, models_dir.as_deref()),
        ..Config::new(Job::Attribute)
    })
}

#[pymethods]
impl NativePipeline {
    #[new]
    #[pyo3(signature = (models_dir=None, model=None, fast=false, threads=None, backend=None, precision=None, batch_size=32, max_chars=DEFAULT_MAX_CHARS, chunk=64, gender_from="text", aliases=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        models_dir: Option<PathBuf>,
        model: Option<PathBuf>,
        fast: bool,
        threads: Option<usize>,
        backend: Option<&str>,
        precision: Option<&str>,
        batch_size: usize,
        max_chars: usize,
        chunk: usize,
        gender_from: &str,
        aliases: Option<PathBuf>,
    ) -> PyResult<Self> {
        let base = config(models_dir, model, fast, backend, precision)?;
        let gender_from = parse(gender_from, "gender_from")?;
        let aliases = aliases
            .map(|p| whosaid_identity::AliasTable::read(&p))
            .transpose()
            .map_err(|e| PyValueError::new_err(format!("aliases: {e}")))?
            .map(Arc::new);
        let config = Config {
            threads: threads.unwrap_or(base.threads),
            batch_size,
            max_chars,
            chunk,
            gender_from,
            aliases,
            ..base
        };
        let pipeline = py.allow_threads(|| config.load()).map_err(setup_error)?;
        let (dir, backend, precision) = pipeline.engine();
        Ok(NativePipeline {
            model_dir: dir.to_path_buf(),
            backend,
            precision,
            threads: config.threads,
            pipeline: Arc::new(Mutex::new(pipeline)),
        })
    }

    /// Run documents given as (id, text, error): `text` is None when the document cannot be
    /// processed, and `error` is then (kind, message). Returns one JSON line per document, in
    /// order, exactly as `whosaid attribute` writes it. The GIL is released while Rust works.
    fn run(&self, py: Python<'_>, docs: Vec<PyDoc>) -> PyResult<Vec<String>> {
        let inputs: Vec<InputDoc> = docs
            .into_iter()
            .map(|(id, text, error)| {
                let content = match (text, error) {
                    (Some(text), _) => Ok(text),
                    (None, Some((kind, message))) => {
                        // The Python side reads documents itself and names its errors with
                        // the CLI's kinds; an unknown one is a text it could not take.
                        Err(InputError { kind: ErrorKind::from_name(&kind).unwrap_or(ErrorKind::BadText), message })
                    }
                    (None, None) => Err(InputError { kind: ErrorKind::MissingText, message: "no text given".into() }),
                };
                InputDoc::new(id, content)
            })
            .collect();
        // The pipeline runs on its own thread while this one, every 50 ms, lets Python look
        // at its signals: Ctrl-C raises KeyboardInterrupt here at once. The run is then asked
        // to stop after the chunk in flight, which finishes in the background; its lines are
        // dropped, and the next call waits for the pipeline until it is done.
        let stop = Arc::new(AtomicBool::new(false));
        let (done_tx, done_rx) = channel();
        // A Mutex makes the receiver shareable with the GIL-free wait below.
        let done_rx = Mutex::new(done_rx);
        let (pipeline, stop_flag) = (self.pipeline.clone(), stop.clone());
        std::thread::Builder::new()
            .name("whosaid-run".into())
            .spawn(move || {
                let result = match pipeline.lock() {
                    Err(_) => Err("an earlier run panicked while holding the model; create a new Pipeline".to_string()),
                    Ok(pipeline) => {
                        let options = RunOptions { stop: Some(&stop_flag), ..pipeline.run_options() };
                        let mut lines = Vec::with_capacity(inputs.len());
                        pipeline
                            .run(inputs.into_iter(), &options, |chunk| {
                                lines.extend(chunk.iter().map(Line::to_json));
                                Ok(())
                            })
                            .map(|_| lines)
                            .map_err(|e| e.to_string())
                    }
                };
                // The receiver is gone when the call was interrupted: nothing to deliver.
                let _ = done_tx.send(result);
            })
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start the run: {e}")))?;
        loop {
            let waited = py.allow_threads(|| match done_rx.lock() {
                Ok(rx) => rx.recv_timeout(Duration::from_millis(50)),
                Err(_) => Err(RecvTimeoutError::Disconnected),
            });
            match waited {
                Ok(result) => return result.map_err(PyRuntimeError::new_err),
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        stop.store(true, Ordering::SeqCst);
                        return Err(interrupt);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyRuntimeError::new_err("the run ended without a result (a bug in whosaid)"))
                }
            }
        }
    }

    /// The model directory, backend, precision and threads in use.
    #[getter]
    fn config(&self) -> (String, String, String, usize) {
        (
            self.model_dir.display().to_string(),
            self.backend.as_str().to_string(),
            self.precision.as_str().to_string(),
            self.threads,
        )
    }
}

/// The backend ("onnx" or "torch") that a Pipeline with these options would load, without
/// loading anything: the Python side needs torch imported before a torch model loads.
#[pyfunction]
#[pyo3(signature = (models_dir=None, model=None, fast=false, backend=None, precision=None))]
fn resolve_backend(
    models_dir: Option<PathBuf>,
    model: Option<PathBuf>,
    fast: bool,
    backend: Option<&str>,
    precision: Option<&str>,
) -> PyResult<String> {
    let (_, backend, _) = config(models_dir, model, fast, backend, precision)?.choose().map_err(setup_error)?;
    Ok(backend.as_str().to_string())
}

/// The folders a Pipeline looks in for the bundled models, in order (`package` first).
#[pyfunction]
fn model_search(package: Option<PathBuf>) -> Vec<String> {
    model_search_path(false, package.as_deref()).into_iter().map(|(_, p)| p.display().to_string()).collect()
}

#[pymodule]
fn _whosaid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePipeline>()?;
    m.add_function(wrap_pyfunction!(resolve_backend, m)?)?;
    m.add_function(wrap_pyfunction!(model_search, m)?)?;
    m.add("DEFAULT_MAX_CHARS", DEFAULT_MAX_CHARS)?;
    Ok(())
}
