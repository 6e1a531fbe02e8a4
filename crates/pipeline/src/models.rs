//! Which model runs: the bundled models found along a documented search path, the engine
//! (backend and precision) chosen for a model directory, and loading a model with its
//! trained scorer and speaker resolver.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use whosaid_attribution::coref::resolver::Resolver;
use whosaid_attribution::scorer::Scorer;
pub use whosaid_ner::resolve_engine;
use whosaid_ner::{Backend, NerModel, Precision};

use crate::error::PipelineError;

/// The default model's directory name, under a models folder: the 4-layer joint model (the
/// most accurate configuration at >= 3x textacy's speed on 2 cores; BENCHMARKS.md). The
/// 6-layer one it was distilled from, `whosaid-minilm-l6`, reads the same on PolNeAR at 0.7
/// times its speed.
pub const DEFAULT_MODEL: &str = "whosaid-minilm-l4";
/// The fast model's (`--fast`): 3 layers of the 6-layer entity model, distilled from it.
pub const FAST_MODEL: &str = "ner-conll03-minilm-l3";

/// The environment variable naming a folder of models (holding `whosaid-minilm-l4/` and the
/// others), searched after the executable's and the installed package's.
pub const MODELS_VAR: &str = "WHOSAID_MODELS";
/// The environment variable naming the model directory itself (as `--model` does).
pub const MODEL_VAR: &str = "WHOSAID_MODEL";

/// Where the bundled models are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelPlace {
    /// `models/` next to the executable, or `../share/whosaid/models` beside it (an install
    /// prefix's layout).
    Executable,
    /// The installed Python package's `models/`.
    Package,
    /// `$WHOSAID_MODELS`.
    Environment,
    /// The source checkout the binary was built from (`models/`).
    Checkout,
}

impl ModelPlace {
    fn describe(self) -> &'static str {
        match self {
            ModelPlace::Executable => "next to the executable",
            ModelPlace::Package => "in the installed package",
            ModelPlace::Environment => "in $WHOSAID_MODELS",
            ModelPlace::Checkout => "in the checkout it was built from",
        }
    }
}

/// The folders searched for a bundled model, in order: next to the executable (unless
/// `executable` is false: the Python binding's executable is the interpreter), the
/// installed package's folder `package` when given, `$WHOSAID_MODELS`, then the checkout.
pub fn model_search_path(executable: bool, package: Option<&Path>) -> Vec<(ModelPlace, PathBuf)> {
    let mut out = Vec::new();
    if executable {
        if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
            out.push((ModelPlace::Executable, dir.join("models")));
            out.push((ModelPlace::Executable, dir.join("../share/whosaid/models")));
        }
    }
    if let Some(p) = package {
        out.push((ModelPlace::Package, p.to_path_buf()));
    }
    if let Some(p) = std::env::var_os(MODELS_VAR).filter(|p| !p.is_empty()) {
        out.push((ModelPlace::Environment, PathBuf::from(p)));
    }
    out.push((ModelPlace::Checkout, Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")));
    out
}

/// The bundled model `name` (such as [`DEFAULT_MODEL`]): the first folder of `search` that
/// holds it (its `config.json`), or an error that lists where it looked.
pub fn find_bundled_model(name: &str, search: &[(ModelPlace, PathBuf)]) -> Result<PathBuf, PipelineError> {
    if let Some((_, dir)) = search.iter().find(|(_, dir)| dir.join(name).join("config.json").is_file()) {
        return Ok(dir.join(name));
    }
    let looked: Vec<String> =
        search.iter().map(|(place, dir)| format!("{} ({})", dir.join(name).display(), place.describe())).collect();
    Err(PipelineError::ModelNotFound { name: name.to_string(), looked: looked.join(", ") })
}

/// The model directory, backend and precision the model options name, bundled models found
/// along `search`: `--fast` is the fast model on ONNX Runtime int8; otherwise `model`, else
/// `$WHOSAID_MODEL`, else the default model, on the backend and precision
/// [`resolve_engine`] makes of those given.
pub fn choose_model(
    search: &[(ModelPlace, PathBuf)],
    fast: bool,
    model: Option<&Path>,
    backend: Option<Backend>,
    precision: Option<Precision>,
) -> Result<(PathBuf, Backend, Precision), PipelineError> {
    if fast {
        return Ok((find_bundled_model(FAST_MODEL, search)?, Backend::Onnx, Precision::Int8));
    }
    let named = model
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(MODEL_VAR).filter(|p| !p.is_empty()).map(PathBuf::from));
    let dir = match named {
        Some(dir) => dir,
        None => find_bundled_model(DEFAULT_MODEL, search)?,
    };
    let (backend, precision) = resolve_engine(&dir, backend, precision);
    Ok((dir, backend, precision))
}

/// Load the model, naming the directory in any error.
pub fn load_model(
    dir: &Path,
    threads: usize,
    backend: Backend,
    precision: Precision,
) -> Result<NerModel, PipelineError> {
    NerModel::load_with(dir, backend, precision, threads)
        .map_err(|cause| PipelineError::Model { dir: dir.to_path_buf(), cause })
}

/// The trained attribution scorer of a model directory (`scorer.json`), if it has one.
pub fn load_scorer(dir: &Path) -> Result<Option<Arc<Scorer>>, PipelineError> {
    let path = dir.join(SCORER_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some(Arc::new(Scorer::load(&path)?)))
}

/// The file in a model directory that holds its attribution scorer.
pub const SCORER_FILE: &str = "scorer.json";

/// The trained speaker-coreference resolver of a model directory (`coref.json`), if it has one.
pub fn load_resolver(dir: &Path) -> Result<Option<Arc<Resolver>>, PipelineError> {
    let path = dir.join(RESOLVER_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some(Arc::new(Resolver::load(&path)?)))
}

/// The file in a model directory that holds its speaker-coreference resolver.
pub const RESOLVER_FILE: &str = "coref.json";

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_models_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
    }

    #[test]
    fn bundled_models_are_found_in_search_order() {
        let empty = std::env::temp_dir().join(format!("whosaid-no-models-{}", std::process::id()));
        let search = vec![(ModelPlace::Package, empty.clone()), (ModelPlace::Checkout, bundled_models_dir())];
        assert_eq!(find_bundled_model(DEFAULT_MODEL, &search).unwrap(), bundled_models_dir().join(DEFAULT_MODEL));
        let search = vec![(ModelPlace::Package, bundled_models_dir()), (ModelPlace::Checkout, empty.clone())];
        assert_eq!(find_bundled_model(FAST_MODEL, &search).unwrap(), bundled_models_dir().join(FAST_MODEL));
        let message = find_bundled_model(DEFAULT_MODEL, &[(ModelPlace::Environment, empty)]).unwrap_err().to_string();
        assert!(message.contains("in $WHOSAID_MODELS") && message.contains("--model DIR"), "{message}");
    }

    #[test]
    fn the_default_engine_is_int8_where_the_model_has_the_graph() {
        let bundled = bundled_models_dir().join(DEFAULT_MODEL);
        // The bundled model's int8 graph is made by scripts/setup.sh, which every test run follows.
        assert_eq!(resolve_engine(&bundled, None, None), (Backend::Onnx, Precision::Int8));
        // A model without an exported graph runs on libtorch rather than failing.
        let bare = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(resolve_engine(bare, None, None), (Backend::Torch, Precision::Fp32));
    }

    #[test]
    fn one_named_half_of_the_engine_picks_the_other() {
        let dir = bundled_models_dir().join(DEFAULT_MODEL);
        assert_eq!(resolve_engine(&dir, Some(Backend::Torch), None), (Backend::Torch, Precision::Fp32));
        assert_eq!(resolve_engine(&dir, Some(Backend::Onnx), None), (Backend::Onnx, Precision::Int8));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Bf16)), (Backend::Torch, Precision::Bf16));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Fp32)), (Backend::Torch, Precision::Fp32));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Int8)), (Backend::Onnx, Precision::Int8));
        assert_eq!(resolve_engine(&dir, Some(Backend::Onnx), Some(Precision::Fp32)), (Backend::Onnx, Precision::Fp32));
    }
}
