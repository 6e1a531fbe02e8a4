use std::path::PathBuf;

use whosaid_attribution::coref::resolver::ResolverError;
use whosaid_attribution::scorer::ScorerError;
use whosaid_ner::NerError;

/// What a sink (the caller's writer of output lines) can fail with.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Errors of the pipeline as a whole: setting up, reading inputs, writing. A document that
/// cannot be processed is not one of these: it gets its error line and the run goes on.
/// Messages name the command line's flags; the Python binding rephrases them.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(
        "the bundled model {name} was not found; looked {looked}. Put the models folder next to the \
         executable, set $WHOSAID_MODELS to a folder holding {name}/, or pass --model DIR"
    )]
    ModelNotFound { name: String, looked: String },
    #[error("cannot load the NER model from {}: {cause}", dir.display())]
    Model { dir: PathBuf, cause: NerError },
    #[error(transparent)]
    Scorer(#[from] ScorerError),
    #[error(transparent)]
    Resolver(#[from] ResolverError),
    #[error("{0}")]
    Unsupported(String),
    #[error("cannot read {}: {cause}", path.display())]
    Read { path: PathBuf, cause: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    BadEntities { path: PathBuf, line: usize, message: String },
    #[error("input {} does not exist", .0.display())]
    MissingInput(PathBuf),
    #[error(
        "directory {} holds no file matching {globs} (in any folder below it); choose files with --glob",
        dir.display()
    )]
    NoFiles { dir: PathBuf, globs: String },
    #[error("cannot read stdin: {0}")]
    Stdin(std::io::Error),
    #[error("cannot start the thread pool: {0}")]
    ThreadPool(String),
    /// The sink failed (the output could not be written); the run stopped.
    #[error("{0}")]
    Sink(SinkError),
}
