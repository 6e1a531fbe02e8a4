//! `libwhosaid_torch.so`: whosaid's libtorch backend as a plugin library. The ner crate loads
//! it with `dlopen` when a model runs on `--backend torch` (`whosaid_ner::torch_plugin`), so
//! that nothing else in whosaid links libtorch. The C interface is `whosaid_ner::torch_abi`'s;
//! every entry point catches panics and libtorch's exceptions and reports them as text.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use tch::{nn, Device, Kind, Tensor};
use whosaid_ner::torch_abi::{ErrorBuffer, ForwardBuffers, ForwardRequest, LoadRequest, LoadedInfo, ABI_VERSION};

/// rust-bert's BERT encoder with whosaid's heads (`classifier`, `role_classifier`; the
/// names of Hugging Face's BertForTokenClassification and of scripts/train_roles.py).
struct TorchTagger {
    bert: BertModel<BertEmbeddings>,
    entity_head: nn::Linear,
    role_head: Option<nn::Linear>,
    hidden_size: usize,
    // Keeps the weights alive; the modules hold views into it.
    _vs: nn::VarStore,
}

/// libtorch errors carry a C++ backtrace after the first line; users need only the first.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .map(|m| first_line(&m))
        .unwrap_or_else(|| "libtorch raised an error".into())
}

/// Run `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(panic_message(panic)))
}

fn load(request: &LoadRequest) -> Result<TorchTagger, String> {
    // SAFETY: the host passes `dir_len` bytes of UTF-8 at `dir`.
    let dir = unsafe { std::slice::from_raw_parts(request.dir, request.dir_len) };
    let dir = PathBuf::from(std::str::from_utf8(dir).map_err(|e| format!("model directory is not UTF-8: {e}"))?);
    tch::set_num_threads(request.threads.max(1) as i32);
    let config_path = dir.join("config.json");
    let config_text =
        std::fs::read_to_string(&config_path).map_err(|e| format!("cannot read {}: {e}", config_path.display()))?;
    let config: BertConfig = serde_json::from_str(&config_text)
        .map_err(|e| format!("{} is not a BERT config: {e}", config_path.display()))?;
    let mut vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let bert = BertModel::<BertEmbeddings>::new_with_optional_pooler(&root / "bert", &config, false);
    let entity_head =
        nn::linear(&root / "classifier", config.hidden_size, request.entity_labels as i64, Default::default());
    let role_head = (request.role_labels > 0).then(|| {
        nn::linear(&root / "role_classifier", config.hidden_size, request.role_labels as i64, Default::default())
    });
    // read_safetensors copies into the fp32 variables (fp16 on disk loads exactly);
    // VarStore::load would switch the variables to the file's dtype.
    let weights = dir.join("model.safetensors");
    tch::no_grad(|| vs.read_safetensors(&weights)).map_err(|e| first_line(&e.to_string()))?;
    if request.bf16 {
        vs.bfloat16();
    }
    Ok(TorchTagger { bert, entity_head, role_head, hidden_size: config.hidden_size as usize, _vs: vs })
}

/// Each position's best label and its probability, written to `prob` and `label`.
fn best_into(hidden: &Tensor, head: &nn::Linear, prob: *mut f32, label: *mut i64) -> Result<(), tch::TchError> {
    let probs = hidden.apply(head).f_softmax(-1, Kind::Float)?;
    let (best_prob, best_label) = probs.f_max_dim(-1, false)?;
    let best_prob = best_prob.f_flatten(0, -1)?;
    let best_label = best_label.f_flatten(0, -1)?;
    let n = best_prob.numel();
    // SAFETY: the host sized each buffer rows * width, the number of positions.
    unsafe {
        best_prob.f_copy_data(std::slice::from_raw_parts_mut(prob, n), n)?;
        best_label.f_copy_data(std::slice::from_raw_parts_mut(label, n), n)?;
    }
    Ok(())
}

fn forward(tagger: &TorchTagger, request: &ForwardRequest, out: &ForwardBuffers) -> Result<(), String> {
    let positions = request.rows * request.width;
    let shape = [request.rows as i64, request.width as i64];
    // SAFETY: the host passes rows * width values in each input.
    let (ids, types, mask) = unsafe {
        (
            std::slice::from_raw_parts(request.ids, positions),
            std::slice::from_raw_parts(request.types, positions),
            std::slice::from_raw_parts(request.mask, positions),
        )
    };
    tch::no_grad(|| -> Result<(), tch::TchError> {
        let ids = Tensor::f_from_slice(ids)?.f_view(shape)?;
        let types = Tensor::f_from_slice(types)?.f_view(shape)?;
        let mask = Tensor::f_from_slice(mask)?.f_view(shape)?;
        let hidden = tagger
            .bert
            .forward_t(Some(&ids), Some(&mask), Some(&types), None, None, None, None, false)
            .map_err(|e| tch::TchError::Kind(e.to_string()))?
            .hidden_state;
        best_into(&hidden, &tagger.entity_head, out.entity_prob, out.entity_label)?;
        if let (Some(head), false) = (&tagger.role_head, out.role_log_probs.is_null()) {
            let log_probs = hidden.apply(head).f_log_softmax(-1, Kind::Float)?.f_flatten(0, -1)?;
            let n = log_probs.numel();
            // SAFETY: the host sized the buffer rows * width * role_labels, the tensor's size.
            log_probs.f_copy_data(unsafe { std::slice::from_raw_parts_mut(out.role_log_probs, n) }, n)?;
        }
        if !out.hidden.is_null() {
            let states = hidden.f_to_kind(Kind::Float)?.f_flatten(0, -1)?;
            let n = positions * tagger.hidden_size;
            // SAFETY: the host sized `hidden` rows * width * hidden_size, as LoadedInfo said.
            states.f_copy_data(unsafe { std::slice::from_raw_parts_mut(out.hidden, n) }, n)?;
        }
        Ok(())
    })
    .map_err(|e| first_line(&e.to_string()))
}

/// The interface version this plugin speaks.
#[no_mangle]
pub extern "C" fn whosaid_torch_abi_version() -> u32 {
    ABI_VERSION
}

/// Load a model (see `whosaid_ner::torch_abi::LoadFn`).
///
/// # Safety
/// Every pointer must be valid as `torch_abi` documents.
#[no_mangle]
pub unsafe extern "C" fn whosaid_torch_load(
    request: *const LoadRequest,
    info: *mut LoadedInfo,
    error: *mut ErrorBuffer,
) -> *mut c_void {
    // SAFETY: valid pointers, per the caller's contract.
    let (request, info, error) = unsafe { (&*request, &mut *info, &mut *error) };
    match guarded(|| load(request)) {
        Ok(tagger) => {
            info.hidden_size = tagger.hidden_size;
            Box::into_raw(Box::new(tagger)).cast()
        }
        Err(message) => {
            // SAFETY: the host's buffer, per the caller's contract.
            unsafe { error.write(&message) };
            std::ptr::null_mut()
        }
    }
}

/// Run one batch (see `whosaid_ner::torch_abi::ForwardFn`).
///
/// # Safety
/// `model` must come from [`whosaid_torch_load`]; every other pointer as `torch_abi` documents.
#[no_mangle]
pub unsafe extern "C" fn whosaid_torch_forward(
    model: *mut c_void,
    request: *const ForwardRequest,
    out: *const ForwardBuffers,
    error: *mut ErrorBuffer,
) -> i32 {
    // SAFETY: valid pointers, per the caller's contract.
    let (tagger, request, out, error) = unsafe { (&*(model as *const TorchTagger), &*request, &*out, &mut *error) };
    match guarded(|| forward(tagger, request, out)) {
        Ok(()) => 0,
        Err(message) => {
            // SAFETY: the host's buffer, per the caller's contract.
            unsafe { error.write(&message) };
            1
        }
    }
}

/// Release a model from [`whosaid_torch_load`].
///
/// # Safety
/// `model` must come from [`whosaid_torch_load`] and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn whosaid_torch_free(model: *mut c_void) {
    if !model.is_null() {
        // SAFETY: a Box made by whosaid_torch_load, freed once.
        drop(unsafe { Box::from_raw(model as *mut TorchTagger) });
    }
}
