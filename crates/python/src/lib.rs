//! `whosaid._whosaid`: the native half of the Python package. It runs documents through the
//! CLI's own pipeline (`whosaid_cli::pipeline::run`: the same chunking, containment and
//! serialisation), so a document's JSON here is byte-identical to its `whosaid attribute`
//! line. The Python half (python/whosaid/) adds the public API, errors and pandas/Spark.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use whosaid_cli::input::{InputDoc, InputError};
use whosaid_cli::pipeline::{
    choose_model, load_model, load_resolver, load_scorer, model_search_path, run, Job, RunOptions, DEFAULT_MAX_CHARS,
};
use whosaid_cli::wire::{ErrorKind, Line};
use whosaid_ner::{Backend, NerModel, Precision};

/// A document from Python: (id, text, error). `text` is None when the document cannot be
/// processed, and `error` then says why: (kind, message).
type PyDoc = (String, Option<String>, Option<(String, String)>);

/// A loaded model and a thread pool; `run` takes documents and gives their JSON lines.
#[pyclass(module = "whosaid._whosaid", name = "NativePipeline")]
struct NativePipeline {
    // One run at a time: a run interrupted from Python finishes its chunk on its own thread
    // (see `run`), and the next run waits for it here.
    model: Arc<Mutex<NerModel>>,
    pool: Arc<rayon::ThreadPool>,
    /// What `RunOptions` holds apart from the per-run stop flag.
    ner: whosaid_ner::NerOptions,
    attribution: whosaid_cli::pipeline::AttributionOptions,
    chunk: usize,
    max_chars: usize,
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

#[pymethods]
impl NativePipeline {
    #[new]
    #[pyo3(signature = (models_dir=None, model=None, fast=false, threads=None, backend=None, precision=None, batch_size=32, max_chars=DEFAULT_MAX_CHARS, chunk=64))]
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
    ) -> PyResult<Self> {
        if fast && (model.is_some() || backend.is_some() || precision.is_some()) {
            return Err(PyValueError::new_err(
                "fast=True is the bundled fast model on ONNX Runtime int8: it cannot be combined with model, backend or precision",
            ));
        }
        let backend = backend.map(|b| parse(b, "backend")).transpose()?;
        let precision = precision.map(|p| parse(p, "precision")).transpose()?;
        let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
        let search = model_search_path(false, models_dir.as_deref());
        let (dir, backend, precision) = choose_model(&search, fast, model.as_deref(), backend, precision)
            .map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start the thread pool: {e}")))?;
        let loaded = py
            .allow_threads(|| load_model(&dir, threads, backend, precision))
            .map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))?;
        let ner = whosaid_ner::NerOptions { batch_size: batch_size.max(1), only_capitalised: true, with_states: false };
        let scorer = load_scorer(&dir).map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))?;
        let resolver = load_resolver(&dir).map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))?;
        let attribution = whosaid_cli::pipeline::AttributionOptions { scorer, resolver, ..Default::default() };
        Ok(NativePipeline {
            model: Arc::new(Mutex::new(loaded)),
            pool: Arc::new(pool),
            ner,
            attribution,
            chunk: chunk.max(1),
            max_chars,
            model_dir: dir,
            backend,
            precision,
            threads,
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
        // dropped, and the next call waits for the model until it is done.
        let stop = Arc::new(AtomicBool::new(false));
        let (done_tx, done_rx) = channel();
        // A Mutex makes the receiver shareable with the GIL-free wait below.
        let done_rx = Mutex::new(done_rx);
        let (model, pool, stop_flag) = (self.model.clone(), self.pool.clone(), stop.clone());
        let options = (self.ner, self.attribution.clone(), self.chunk, self.max_chars);
        std::thread::Builder::new()
            .name("whosaid-run".into())
            .spawn(move || {
                let (ner, attribution, chunk, max_chars) = options;
                let options = RunOptions {
                    attribution,
                    chunk,
                    max_chars,
                    stop: Some(&stop_flag),
                    ..RunOptions::new(Job::Attribute, ner)
                };
                let result = model.lock().map_err(|_| anyhow_poisoned()).and_then(|model| {
                    let mut lines = Vec::with_capacity(inputs.len());
                    run(&model, inputs.into_iter(), &options, &pool, |chunk| {
                        lines.extend(chunk.iter().map(Line::to_json));
                        Ok(())
                    })
                    .map(|_| lines)
                });
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
                Ok(result) => return result.map_err(|e| PyRuntimeError::new_err(format!("{e:#}"))),
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
            backend_name(self.backend).to_string(),
            format!("{:?}", self.precision).to_lowercase(),
            self.threads,
        )
    }
}

fn anyhow_poisoned() -> whosaid_cli::pipeline::Error {
    whosaid_cli::pipeline::Error::msg("an earlier run panicked while holding the model; create a new Pipeline")
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
    let backend: Option<Backend> = backend.map(|b| parse(b, "backend")).transpose()?;
    let precision: Option<Precision> = precision.map(|p| parse(p, "precision")).transpose()?;
    let search = model_search_path(false, models_dir.as_deref());
    let (_, backend, _) = choose_model(&search, fast, model.as_deref(), backend, precision)
        .map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))?;
    Ok(backend_name(backend).to_string())
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Onnx => "onnx",
        Backend::Torch => "torch",
    }
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
