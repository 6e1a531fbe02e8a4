//! The ONNX Runtime encoder (`--backend onnx`): the same model exported by
//! `scripts/export_onnx.py`, run through the `ort` crate with `load-dynamic`, so that
//! libonnxruntime.so comes from the PyPI `onnxruntime` wheel (1.31, the ABI ort 2.0.0-rc.15
//! targets) and nothing is downloaded at build time.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;

use crate::error::NerError;

/// The environment variable that names libonnxruntime.so (ort's own convention).
pub const DYLIB_VAR: &str = "ORT_DYLIB_PATH";

/// One ONNX Runtime environment per process (ort allows no more).
static ENVIRONMENT: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

/// The newest `libonnxruntime.so.*` in `dir`, if any.
fn dylib_in(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libonnxruntime.so.")))
        .collect();
    found.sort();
    found.pop()
}

/// Where libonnxruntime.so is: $ORT_DYLIB_PATH; else next to the executable (or in `../lib`
/// beside it), so that a binary shipped with its libraries runs anywhere; else the checkout
/// venv's onnxruntime wheel.
pub fn find_dylib() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(DYLIB_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        if let Some(found) = dylib_in(&dir).or_else(|| dylib_in(&dir.join("../lib"))) {
            return Some(found);
        }
    }
    let venv_lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/lib");
    std::fs::read_dir(venv_lib)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| dylib_in(&e.path().join("site-packages/onnxruntime/capi")))
        .max()
}

fn environment() -> Result<ort::environment::Environment, NerError> {
    ENVIRONMENT
        .get_or_init(|| {
            let dylib = find_dylib().ok_or_else(|| {
                format!(
                    "libonnxruntime.so not found: set {DYLIB_VAR} to it, put it next to the whosaid executable, \
                     or run scripts/setup.sh (it installs the onnxruntime wheel into .venv)"
                )
            })?;
            let builder = ort::init_from(&dylib)
                .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", dylib.display()))?;
            builder.with_name("whosaid").build().map_err(|e| format!("cannot start ONNX Runtime: {e}"))
        })
        .clone()
        .map_err(NerError::Onnx)
}

/// A loaded ONNX token classifier: one single-threaded session per thread, so that batches
/// run side by side (on 2 cores this scales better than 2 threads inside each pass).
pub struct OnnxEncoder {
    // Session::run needs `&mut`: each session serves one batch at a time.
    sessions: Vec<Mutex<Session>>,
    labels: usize,
    /// Role labels of a graph with a `role_logits` output.
    role_labels: Option<usize>,
    /// The width of the graph's `hidden` output (the encoder's last layer), when it has one.
    hidden_size: Option<usize>,
    quantized: bool,
}

/// A batch's logits, flattened: `[rows, width, labels]` per head, and when asked for, the
/// encoder's last layer, `[rows, width, hidden size]`.
pub struct Logits {
    pub entities: Vec<f32>,
    pub roles: Option<Vec<f32>>,
    pub hidden: Option<Vec<f32>>,
}

impl OnnxEncoder {
    /// `labels`/`role_labels`: the heads' label counts (a role head's output is
    /// `role_logits`); `quantized`: the graph quantises activations dynamically (int8).
    pub fn load(
        path: &Path,
        threads: usize,
        labels: usize,
        role_labels: Option<usize>,
        quantized: bool,
    ) -> Result<Self, NerError> {
        if !path.is_file() {
            return Err(NerError::Onnx(format!(
                "{} does not exist: run `.venv/bin/python scripts/export_onnx.py MODEL_DIR` to export the model",
                path.display()
            )));
        }
        let env = environment()?;
        let fail = |e: String| NerError::Weights { path: path.to_path_buf(), message: e };
        let mut sessions = Vec::new();
        let mut hidden_size = None;
        for _ in 0..threads.max(1) {
            let session = Session::builder(&env)
                .map_err(|e| fail(e.to_string()))?
                .with_optimization_level(GraphOptimizationLevel::Level3)
                .map_err(|e| fail(e.to_string()))?
                .with_intra_threads(1)
                .map_err(|e| fail(e.to_string()))?
                .with_inter_threads(1)
                .map_err(|e| fail(e.to_string()))?
                .commit_from_file(path)
                .map_err(|e| fail(e.to_string()))?;
            if role_labels.is_some() && !session.outputs().iter().any(|o| o.name() == "role_logits") {
                return Err(fail(
                    "the model has role_labels but its ONNX graph has no role_logits output: re-export it with \
                     scripts/export_onnx.py"
                        .into(),
                ));
            }
            hidden_size = session.outputs().iter().find(|o| o.name() == "hidden").and_then(|o| {
                o.dtype().tensor_shape().and_then(|shape| shape.last().copied()).and_then(|d| usize::try_from(d).ok())
            });
            sessions.push(Mutex::new(session));
        }
        Ok(OnnxEncoder { sessions, labels, role_labels, hidden_size, quantized })
    }

    /// Activations are quantised per batch: results depend on the batch's other rows.
    pub fn quantized(&self) -> bool {
        self.quantized
    }

    /// How many batches can run at once.
    pub fn sessions(&self) -> usize {
        self.sessions.len()
    }

    pub fn labels(&self) -> usize {
        self.labels
    }

    pub fn role_labels(&self) -> usize {
        self.role_labels.unwrap_or(0)
    }

    /// The width of the encoder's last layer, when the graph gives it (`hidden`).
    pub fn hidden_size(&self) -> Option<usize> {
        self.hidden_size
    }

    /// Both heads' logits of a `rows` x `width` batch, from one run of the graph, and with
    /// `with_hidden` the encoder's last layer.
    #[allow(clippy::too_many_arguments)]
    pub fn logits(
        &self,
        session: usize,
        ids: Vec<i64>,
        mask: Vec<i64>,
        types: Vec<i64>,
        rows: usize,
        width: usize,
        with_hidden: bool,
    ) -> Result<Logits, NerError> {
        let fail = |e: ort::Error| NerError::Inference(e.to_string());
        let shape = [rows, width];
        let ids = Tensor::from_array((shape, ids)).map_err(fail)?;
        let mask = Tensor::from_array((shape, mask)).map_err(fail)?;
        let types = Tensor::from_array((shape, types)).map_err(fail)?;
        let mut session = self.sessions[session].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let outputs = session
            .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask, "token_type_ids" => types])
            .map_err(fail)?;
        let extract = |name: &str, labels: usize| -> Result<Vec<f32>, NerError> {
            let (out_shape, logits) = outputs[name].try_extract_tensor::<f32>().map_err(fail)?;
            if out_shape.iter().map(|&d| d as usize).collect::<Vec<_>>() != [rows, width, labels] {
                return Err(NerError::Inference(format!(
                    "the ONNX model gave {name} of shape {out_shape:?}, expected [{rows}, {width}, {labels}]"
                )));
            }
            Ok(logits.to_vec())
        };
        let entities = extract("logits", self.labels)?;
        let roles = self.role_labels.map(|n| extract("role_logits", n)).transpose()?;
        let hidden = match (with_hidden, self.hidden_size) {
            (false, _) => None,
            (true, Some(size)) => Some(extract("hidden", size)?),
            (true, None) => {
                return Err(NerError::Inference(
                    "the ONNX graph has no hidden output: re-export it with scripts/export_onnx.py".into(),
                ))
            }
        };
        Ok(Logits { entities, roles, hidden })
    }
}
