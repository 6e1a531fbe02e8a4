//! The C ABI between whosaid and its libtorch backend plugin (`crates/torch`, built as
//! `libwhosaid_torch.so`).
//!
//! Why a plugin: libtorch is about 1 GB of shared libraries (with CUDA's runtime, more) and
//! costs a few hundred MB of memory and a third of a second just to load. The default engine
//! (ONNX Runtime) needs none of it, so the `whosaid` binary and the Python extension do not
//! link it; `--backend torch` loads the plugin with `dlopen`, and the plugin links libtorch.
//!
//! The interface is plain C so that nothing depends on both sides being built by the same
//! compiler: the host hands the plugin flat `i64` inputs and buffers it has sized itself, the
//! plugin fills them, and no allocation crosses the boundary. Errors come back as UTF-8 text
//! in a host buffer. [`ABI_VERSION`] changes whenever any of this does; the host refuses a
//! plugin of another version.

use std::ffi::c_void;

/// The version of this interface; [`SYMBOL_ABI_VERSION`] returns the plugin's.
pub const ABI_VERSION: u32 = 2;

/// `extern "C" fn() -> u32`: the plugin's [`ABI_VERSION`].
pub const SYMBOL_ABI_VERSION: &[u8] = b"whosaid_torch_abi_version\0";
/// [`LoadFn`].
pub const SYMBOL_LOAD: &[u8] = b"whosaid_torch_load\0";
/// [`ForwardFn`].
pub const SYMBOL_FORWARD: &[u8] = b"whosaid_torch_forward\0";
/// [`FreeFn`].
pub const SYMBOL_FREE: &[u8] = b"whosaid_torch_free\0";

/// What to load: a model directory's `config.json` and `model.safetensors`, with an entity
/// head of `entity_labels` outputs and, when `role_labels > 0`, a role head.
#[repr(C)]
pub struct LoadRequest {
    /// The model directory, UTF-8, not NUL-terminated.
    pub dir: *const u8,
    pub dir_len: usize,
    /// Run in bfloat16 (else fp32).
    pub bf16: bool,
    pub entity_labels: usize,
    /// 0: the model has no role head.
    pub role_labels: usize,
    /// libtorch's intra-op threads (process-wide in libtorch).
    pub threads: usize,
}

/// What the plugin reports about a loaded model.
#[repr(C)]
#[derive(Default)]
pub struct LoadedInfo {
    /// The width of the encoder's last layer (the `hidden` buffer's third dimension).
    pub hidden_size: usize,
}

/// One padded batch, `rows` x `width` row-major.
#[repr(C)]
pub struct ForwardRequest {
    pub ids: *const i64,
    pub types: *const i64,
    pub mask: *const i64,
    pub rows: usize,
    pub width: usize,
}

/// Buffers the host sized for a batch: `rows * width` for the entity head (each position's
/// best label and its probability), `rows * width * role_labels` for the role head (each
/// position's log-softmax over its labels, which the host decodes as a sequence), and
/// `rows * width * hidden_size` for the last layer, or null when not wanted. The role buffer
/// is null for a model without a role head.
#[repr(C)]
pub struct ForwardBuffers {
    pub entity_prob: *mut f32,
    pub entity_label: *mut i64,
    pub role_log_probs: *mut f32,
    pub hidden: *mut f32,
}

/// A host buffer for an error message: the plugin writes up to `capacity` bytes of UTF-8
/// and sets `len`.
#[repr(C)]
pub struct ErrorBuffer {
    pub text: *mut u8,
    pub capacity: usize,
    pub len: usize,
}

impl ErrorBuffer {
    /// Write `message` (cut at a character boundary if it does not fit).
    ///
    /// # Safety
    /// `self.text` must point to `self.capacity` writable bytes.
    pub unsafe fn write(&mut self, message: &str) {
        let mut n = message.len().min(self.capacity);
        while !message.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: the caller guarantees `capacity` writable bytes at `text`; n <= capacity.
        unsafe { std::ptr::copy_nonoverlapping(message.as_ptr(), self.text, n) };
        self.len = n;
    }
}

/// Load a model; null on failure (the reason in `error`).
pub type LoadFn =
    unsafe extern "C" fn(request: *const LoadRequest, info: *mut LoadedInfo, error: *mut ErrorBuffer) -> *mut c_void;
/// Run one batch into `out`; 0 on success, else nonzero with the reason in `error`.
pub type ForwardFn = unsafe extern "C" fn(
    model: *mut c_void,
    request: *const ForwardRequest,
    out: *const ForwardBuffers,
    error: *mut ErrorBuffer,
) -> i32;
/// Release a loaded model.
pub type FreeFn = unsafe extern "C" fn(model: *mut c_void);
/// The plugin's [`ABI_VERSION`].
pub type AbiVersionFn = unsafe extern "C" fn() -> u32;
