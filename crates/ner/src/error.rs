use std::path::PathBuf;

/// Errors of the NER stage. Each names the file at fault and, where it helps, what to do.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error(
        "model directory {0} does not exist: pass --model DIR, a Hugging Face BERT token-classification \
         directory with config.json, tokenizer.json and model.safetensors"
    )]
    MissingDir(PathBuf),
    #[error("cannot read {path}: {cause}")]
    Io { path: PathBuf, cause: std::io::Error },
    #[error("{path} is not a usable BERT token-classification config: {message}; fix it or pass --model DIR")]
    Config { path: PathBuf, message: String },
    #[error("{path} is not a usable WordPiece tokenizer: {message}")]
    Tokenizer { path: PathBuf, message: String },
    #[error(
        "cannot load the weights in {path} ({message}): the file is truncated, corrupt or not this \
         config's model; copy it again, or pass --model DIR with a complete model directory"
    )]
    Weights { path: PathBuf, message: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("ONNX Runtime: {0}")]
    Onnx(String),
    #[error("NER inference failed: {0}")]
    Inference(String),
}
