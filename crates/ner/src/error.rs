use std::path::PathBuf;

/// Errors of the NER stage. Each names the file at fault and, where it helps, what to do.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error(
        "model directory {0} does not exist: pass --model DIR, a Hugging Face BERT token-classification \
         directory with config.json, tokenizer.json and model.safetensors"
    )]
    MissingDir(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a usable BERT token-classification config: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{path} is not a usable WordPiece tokenizer: {message}")]
    Tokenizer { path: PathBuf, message: String },
    #[error("cannot load the weights in {path} (truncated or corrupt, or not this model's): {message}")]
    Weights { path: PathBuf, message: String },
    #[error("NER inference failed: {0}")]
    Inference(String),
}
