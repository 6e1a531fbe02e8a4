//! Presenting `whosaid attribute` results to people.
//!
//! - [`page`]: one self-contained HTML page per document (the article with its quotations
//!   highlighted in their speakers' colours) and [`index_page`] for a corpus.
//! - [`SpeakerIndex`]: the corpus-level speaker index (`whosaid speakers`), merged across
//!   documents by canonical name.
//!
//! Both read [`DocResult`], one line of `whosaid attribute` output. Nothing here runs a model.

mod html;
mod report;
mod speakers;

use whosaid_attribution::{Quotation, SpeakerSummary};
use whosaid_wire::{Line, LineResult};

pub use html::{file_name_for, index_page, page, speaker_colour, IndexEntry, PageSpeakers, DOM_CONTRACT};
pub use report::{report_page, ReportOptions};
pub use speakers::{
    merge_key, row_index_by_name, rows_to_csv, rows_to_jsonl, GenderCount, GenderSummary, MergedName, SpeakerIndex,
    SpeakerRow,
};
pub use whosaid_identity::AliasTable;

/// What the renderer shows of one line of `whosaid attribute` output (a [`Line`]): a
/// document's quotations and speakers, or the error that kept it from being processed.
#[derive(Clone, Debug)]
pub struct DocResult {
    pub id: String,
    pub quotes: Vec<Quotation>,
    pub speakers: Vec<SpeakerSummary>,
    pub error: Option<DocError>,
    /// The input record's other fields (an outlet, a date), for the corpus report.
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Clone, Debug)]
pub struct DocError {
    pub kind: String,
    pub message: String,
}

impl From<Line> for DocResult {
    /// An `entities` line shows as a document without quotations.
    fn from(line: Line) -> DocResult {
        let (quotes, speakers, error) = match line.result {
            LineResult::Attribution { quotes, speakers } => (quotes, speakers, None),
            LineResult::Entities { .. } => (Vec::new(), Vec::new(), None),
            LineResult::Error { error } => (
                Vec::new(),
                Vec::new(),
                Some(DocError { kind: error.kind.as_str().to_string(), message: error.message }),
            ),
        };
        DocResult { id: line.id, quotes, speakers, error, meta: line.meta }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("line {line}: {source}")]
    BadLine { line: usize, source: whosaid_wire::WireError },
    #[error("document {id}: quotation {start}..{end} lies outside its text ({len} characters); are the results for this text?")]
    OutOfText { id: String, start: usize, end: usize, len: usize },
}

/// Parse `whosaid attribute` output (JSONL); blank lines are skipped.
pub fn parse_results(jsonl: &str) -> Result<Vec<DocResult>, RenderError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            Line::from_json(l).map(DocResult::from).map_err(|source| RenderError::BadLine { line: n + 1, source })
        })
        .collect()
}
