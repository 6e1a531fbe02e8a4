//! The whosaid pipeline as a library: reading input documents ([`input`], with HTML pages
//! through [`html`] and CoNLL-U through [`conllu`]), choosing and loading the model
//! ([`models`]), one configuration for a run ([`config`]), and running the stages over a
//! stream of documents with every document's work contained ([`run`], [`contain`]).
//! The `whosaid` binary and the Python binding (`crates/python`) both run documents through
//! this one implementation, so their output lines ([`whosaid_wire::Line`]) are the same.
//! Neither an argument parser nor a progress bar is part of it: those are the CLI's.

pub mod config;
pub mod conllu;
pub mod contain;
mod error;
pub mod html;
pub mod input;
pub mod models;
pub mod run;

pub use config::{Config, ModelChoice, Pipeline};
pub use error::{PipelineError, SinkError};
pub use models::{
    choose_model, find_bundled_model, load_model, load_resolver, load_scorer, model_search_path, resolve_engine,
    ModelPlace, DEFAULT_MODEL, FAST_MODEL, MODELS_VAR, MODEL_VAR, RESOLVER_FILE, SCORER_FILE,
};
pub use run::{
    read_known_entities, run, AttributionOptions, Job, KnownEntities, RunOptions, RunStats, StageTimes,
    DEFAULT_MAX_CHARS,
};
