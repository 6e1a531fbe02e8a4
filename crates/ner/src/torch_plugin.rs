//! The libtorch backend (`--backend torch`), loaded at run time from its plugin library
//! (`libwhosaid_torch.so`, the `whosaid-torch` crate) through the C ABI of
//! [`crate::torch_abi`]. Nothing of libtorch is in the process until a torch model loads.

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libloading::Library;

use crate::error::NerError;
use crate::model::{BatchInput, BatchOutput, Capabilities, Encoder, HeadOutput, Precision};
use crate::torch_abi::*;

/// The environment variable that names the plugin file (the Python package sets it to the
/// copy it carries).
pub const PLUGIN_VAR: &str = "WHOSAID_TORCH_PLUGIN";
/// The plugin's file name.
pub const PLUGIN_FILE: &str = "libwhosaid_torch.so";

/// The places the plugin is looked for, in order: `$WHOSAID_TORCH_PLUGIN`; next to the
/// executable (and in `../lib` beside it); this checkout's release and debug builds.
pub fn plugin_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(PLUGIN_VAR) {
        out.push(PathBuf::from(p));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        out.push(dir.join(PLUGIN_FILE));
        out.push(dir.join("../lib").join(PLUGIN_FILE));
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    out.push(target.join("release").join(PLUGIN_FILE));
    out.push(target.join("debug").join(PLUGIN_FILE));
    out
}

/// The plugin's entry points, with the library kept open for the process's life.
struct Plugin {
    load: LoadFn,
    forward: ForwardFn,
    free: FreeFn,
    // Keeps the function pointers above valid.
    _library: Library,
}

static PLUGIN: OnceLock<Result<Plugin, String>> = OnceLock::new();

const FIX: &str = "the torch backend needs libtorch 2.4 (PyPI's torch==2.4.0: `pip install 'whosaid[torch]'` for \
                   the Python package, scripts/setup.sh in a checkout)";

fn open_plugin() -> Result<Plugin, String> {
    let candidates = plugin_candidates();
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "the torch backend's plugin {PLUGIN_FILE} was not found (looked in: {}); build it with `cargo build \
             --release --workspace`, point {PLUGIN_VAR} at it, or use the default backend (onnx)",
            looked.join(", ")
        ));
    };
    // SAFETY: the plugin is whosaid's own library; its initialisers only set up libtorch.
    let library = unsafe { Library::new(path) }
        .map_err(|e| format!("cannot load the torch backend's plugin {}: {e}; {FIX}", path.display()))?;
    let symbol_error = |e: libloading::Error| format!("{} is not a whosaid torch plugin: {e}", path.display());
    // SAFETY: the symbols have the types torch_abi declares (checked by the ABI version first).
    unsafe {
        let version = library.get::<AbiVersionFn>(SYMBOL_ABI_VERSION).map_err(symbol_error)?();
        if version != ABI_VERSION {
            return Err(format!(
                "{} speaks plugin interface {version}, this whosaid {ABI_VERSION}: rebuild it with this whosaid",
                path.display()
            ));
        }
        Ok(Plugin {
            load: *library.get::<LoadFn>(SYMBOL_LOAD).map_err(symbol_error)?,
            forward: *library.get::<ForwardFn>(SYMBOL_FORWARD).map_err(symbol_error)?,
            free: *library.get::<FreeFn>(SYMBOL_FREE).map_err(symbol_error)?,
            _library: library,
        })
    }
}

fn plugin() -> Result<&'static Plugin, NerError> {
    PLUGIN.get_or_init(open_plugin).as_ref().map_err(|e| NerError::Unsupported(e.clone()))
}

const ERROR_CAPACITY: usize = 4096;

fn error_buffer(bytes: &mut [u8]) -> ErrorBuffer {
    ErrorBuffer { text: bytes.as_mut_ptr(), capacity: bytes.len(), len: 0 }
}

/// A model loaded in the plugin: rust-bert's BERT encoder with whosaid's heads.
pub(crate) struct TorchEncoder {
    plugin: &'static Plugin,
    model: *mut c_void,
    hidden_size: usize,
    /// The role head's label count (0: none).
    role_labels: usize,
}

// SAFETY: the plugin's model is read-only after loading and runs under no_grad; libtorch's
// inference on distinct inputs may run from any thread (as the linked backend did before).
unsafe impl Send for TorchEncoder {}
unsafe impl Sync for TorchEncoder {}

impl TorchEncoder {
    pub(crate) fn load(
        dir: &Path,
        precision: Precision,
        entity_labels: usize,
        role_labels: Option<usize>,
        threads: usize,
    ) -> Result<Self, NerError> {
        let plugin = plugin()?;
        let dir_text = dir.to_string_lossy();
        let request = LoadRequest {
            dir: dir_text.as_ptr(),
            dir_len: dir_text.len(),
            bf16: precision == Precision::Bf16,
            entity_labels,
            role_labels: role_labels.unwrap_or(0),
            threads: threads.max(1),
        };
        let mut info = LoadedInfo::default();
        let mut bytes = vec![0u8; ERROR_CAPACITY];
        let mut error = error_buffer(&mut bytes);
        // SAFETY: every pointer is valid for the call; the plugin copies what it keeps.
        let model = unsafe { (plugin.load)(&request, &mut info, &mut error) };
        if model.is_null() {
            let message = String::from_utf8_lossy(&bytes[..error.len]).into_owned();
            return Err(NerError::Weights { path: dir.join("model.safetensors"), message });
        }
        Ok(TorchEncoder { plugin, model, hidden_size: info.hidden_size, role_labels: role_labels.unwrap_or(0) })
    }
}

impl Drop for TorchEncoder {
    fn drop(&mut self) {
        // SAFETY: `model` came from this plugin's load and is freed once.
        unsafe { (self.plugin.free)(self.model) }
    }
}

impl Encoder for TorchEncoder {
    fn capabilities(&self) -> Capabilities {
        Capabilities { sessions: 1, batch_dependent: false, min_rows: 2 }
    }

    fn forward(&self, input: BatchInput, _session: usize) -> Result<BatchOutput, NerError> {
        let positions = input.rows * input.width;
        let mut entities = HeadOutput { prob: vec![0.0; positions], label: vec![0; positions] };
        let mut roles = (self.role_labels > 0).then(|| vec![0f32; positions * self.role_labels]);
        let mut hidden = input.with_hidden.then(|| vec![0f32; positions * self.hidden_size]);
        let request = ForwardRequest {
            ids: input.ids.as_ptr(),
            types: input.types.as_ptr(),
            mask: input.mask.as_ptr(),
            rows: input.rows,
            width: input.width,
        };
        let out = ForwardBuffers {
            entity_prob: entities.prob.as_mut_ptr(),
            entity_label: entities.label.as_mut_ptr(),
            role_log_probs: roles.as_mut().map_or(std::ptr::null_mut(), |r| r.as_mut_ptr()),
            hidden: hidden.as_mut().map_or(std::ptr::null_mut(), |h| h.as_mut_ptr()),
        };
        let mut bytes = vec![0u8; ERROR_CAPACITY];
        let mut error = error_buffer(&mut bytes);
        // SAFETY: the inputs hold rows * width values and the buffers are sized as
        // ForwardBuffers documents; the plugin writes nothing else.
        let status = unsafe { (self.plugin.forward)(self.model, &request, &out, &mut error) };
        if status != 0 {
            return Err(NerError::Inference(String::from_utf8_lossy(&bytes[..error.len]).into_owned()));
        }
        Ok(BatchOutput { entities, roles, states: hidden })
    }
}
