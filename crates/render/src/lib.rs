//! Presenting `whosaid attribute` results to people.
//!
//! - [`page`]: one self-contained HTML page per document (the article with its quotations
//!   highlighted in their speakers' colours) and [`index_page`] for a corpus.
//! - [`SpeakerIndex`]: the corpus-level speaker index (`whosaid speakers`), merged across
//!   documents by canonical name.
//!
//! Both read [`DocResult`], one line of `whosaid attribute` output. Nothing here runs a model.

mod html;
mod speakers;

use serde::Deserialize;
use whosaid_attribution::{Quotation, SpeakerSummary};

pub use html::{file_name_for, index_page, page, speaker_colour, IndexEntry, DOM_CONTRACT};
pub use speakers::{rows_to_csv, rows_to_jsonl, SpeakerIndex, SpeakerRow};

/// One line of `whosaid attribute` output: a document's quotations and speakers, or the error
/// that kept it from being processed.
#[derive(Clone, Debug, Deserialize)]
pub struct DocResult {
    pub id: String,
    #[serde(default)]
    pub quotes: Vec<Quotation>,
    #[serde(default)]
    pub speakers: Vec<SpeakerSummary>,
    #[serde(default)]
    pub error: Option<DocError>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DocError {
    pub kind: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("line {line}: not a whosaid attribute output line: {source}")]
    BadLine { line: usize, source: serde_json::Error },
    #[error("document {id}: quotation {start}..{end} lies outside its text ({len} characters); are the results for this text?")]
    OutOfText { id: String, start: usize, end: usize, len: usize },
}

/// Parse `whosaid attribute` output (JSONL); blank lines are skipped.
pub fn parse_results(jsonl: &str) -> Result<Vec<DocResult>, RenderError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|source| RenderError::BadLine { line: n + 1, source }))
        .collect()
}
