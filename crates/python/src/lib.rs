//! `whosaid._whosaid`: the native half of the Python package. It runs documents through the
//! CLI's own pipeline (`whosaid_cli::pipeline::run`: the same chunking, containment and
//! serialisation), so a document's JSON here is byte-identical to its `whosaid attribute`
//! line. The Python half (python/whosaid/) adds the public API, errors and pandas/Spark.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use whosaid_cli::input::{InputDoc, InputError};
use whosaid_cli::pipeline::{
    bundled_models_dir, choose_model_in, load_model, load_resolver, load_scorer, run, Job, RunOptions,
    DEFAULT_MAX_CHARS,
};
use whosaid_cli::wire::{ErrorKind, Line};
use whosaid_ner::{Backend, NerModel, Precision};

/// A document from Python: (id, text, error). `text` is None when the document cannot be
/// processed, and `error` then says why: (kind, message).
type PyDoc = (String, Option<String>, Option<(String, String)>);

/// A loaded model and a thread pool; `run` takes documents and gives their JSON lines.
#[pyclass(module = "whosaid._whosaid", name = "NativePipeline")]
struct NativePipeline {
    // libtorch modules may move between threads but not be shared: one run at a time.
    model: Mutex<NerModel>,
    pool: rayon::ThreadPool,
    options: RunOptions<'static>,
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
        let models = models_dir.unwrap_or_else(bundled_models_dir);
        let (dir, backend, precision) = choose_model_in(&models, fast, model.as_deref(), backend, precision);
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
        let mut options = RunOptions { chunk: chunk.max(1), max_chars, ..RunOptions::new(Job::Attribute, ner) };
        options.attribution.scorer = scorer;
        options.attribution.resolver = resolver;
        Ok(NativePipeline { model: Mutex::new(loaded), pool, options, model_dir: dir, backend, precision, threads })
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
                InputDoc { id, content, meta: None }
            })
            .collect();
        py.allow_threads(|| {
            let model = self.model.lock().map_err(|_| anyhow_poisoned())?;
            let mut lines = Vec::with_capacity(inputs.len());
            run(&model, inputs.into_iter(), &self.options, &self.pool, |chunk| {
                lines.extend(chunk.iter().map(Line::to_json));
                Ok(())
            })
            .map(|_| lines)
        })
        .map_err(|e| PyRuntimeError::new_err(format!("{e:#}")))
    }

    /// The model directory, backend, precision and threads in use.
    #[getter]
    fn config(&self) -> (String, String, String, usize) {
        (
            self.model_dir.display().to_string(),
            format!("{:?}", self.backend).to_lowercase(),
            format!("{:?}", self.precision).to_lowercase(),
            self.threads,
        )
    }
}

fn anyhow_poisoned() -> whosaid_cli::pipeline::Error {
    whosaid_cli::pipeline::Error::msg("an earlier run panicked while holding the model; create a new Pipeline")
}

/// The folder of this source tree's models (used when the package carries none).
#[pyfunction]
fn source_models_dir() -> String {
    bundled_models_dir().display().to_string()
}

#[pymodule]
fn _whosaid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePipeline>()?;
    m.add_function(wrap_pyfunction!(source_models_dir, m)?)?;
    m.add("DEFAULT_MAX_CHARS", DEFAULT_MAX_CHARS)?;
    Ok(())
}
