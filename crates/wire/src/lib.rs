//! The output format, in one place: the line `whosaid attribute` (and `whosaid entities`)
//! writes for each input document, in input order, both to write it (the pipeline builds
//! [`Line`]s; the CLI's files and the Python binding's strings serialise them) and to read it
//! back ([`Line::from_json`]: `whosaid render`, `whosaid speakers`).
//!
//! A line is `{"id", "quotes", "speakers"}` (attribute), `{"id", "entities"}` (entities) or
//! `{"id", "error": {"kind", "message"}}`, with `"meta"` last when the input record carried
//! fields besides id and text. Keys come in that order (serde_json keeps insertion order).
//!
//! `whosaid eval` alone reads quotations more leniently than this (it also scores other
//! tools' outputs, which lack confidences or cues: `whosaid_attribution::eval::SystemQuote`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whosaid_attribution::{Gender, GenderEvidence, Quotation, SpeakerSummary};
use whosaid_tokenize::Entity;

/// Why a line could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not a whosaid output line: {0}")]
pub struct WireError(#[from] serde_json::Error);

/// One output line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "RawLine")]
pub struct Line {
    pub id: String,
    #[serde(flatten)]
    pub result: LineResult,
    /// The input record's other fields, carried through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}

/// A line as read, before it is known which kind it is.
#[derive(Deserialize)]
struct RawLine {
    id: String,
    quotes: Option<Vec<Quotation>>,
    speakers: Option<Vec<SpeakerSummary>>,
    entities: Option<Vec<Entity>>,
    error: Option<LineError>,
    meta: Option<Map<String, Value>>,
}

impl TryFrom<RawLine> for Line {
    type Error = String;

    fn try_from(raw: RawLine) -> Result<Line, String> {
        let result = match (raw.error, raw.entities, raw.quotes) {
            (Some(error), _, _) => LineResult::Error { error },
            (None, Some(entities), None) => LineResult::Entities { entities },
            (None, None, Some(quotes)) => {
                LineResult::Attribution { quotes, speakers: raw.speakers.unwrap_or_default() }
            }
            (None, Some(_), Some(_)) => return Err("a line holds either quotes or entities, not both".into()),
            (None, None, None) => return Err("a line holds quotes, entities or an error".into()),
        };
        Ok(Line { id: raw.id, result, meta: raw.meta })
    }
}

/// What a line holds for its document.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum LineResult {
    Attribution { quotes: Vec<Quotation>, speakers: Vec<SpeakerSummary> },
    Entities { entities: Vec<Entity> },
    Error { error: LineError },
}

/// Why a document has no result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LineError {
    pub kind: ErrorKind,
    pub message: String,
}

/// The kinds of document error, as the output names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file could not be read (an I/O error).
    Unreadable,
    /// The file or JSONL line is not UTF-8.
    InvalidUtf8,
    /// A JSONL line that is not a JSON object.
    MalformedJson,
    /// A JSONL record without a "text".
    MissingText,
    /// A "text" that is not a string.
    BadText,
    /// Longer than --max-chars.
    TooLong,
    /// The NER model failed on this document.
    NerFailed,
    /// A bug: a stage panicked on this document (the others go on).
    Internal,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::Unreadable,
        ErrorKind::InvalidUtf8,
        ErrorKind::MalformedJson,
        ErrorKind::MissingText,
        ErrorKind::BadText,
        ErrorKind::TooLong,
        ErrorKind::NerFailed,
        ErrorKind::Internal,
    ];

    /// The kind the output calls `name`, if any.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// As the output writes it ("too_long").
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::MalformedJson => "malformed_json",
            ErrorKind::MissingText => "missing_text",
            ErrorKind::BadText => "bad_text",
            ErrorKind::TooLong => "too_long",
            ErrorKind::NerFailed => "ner_failed",
            ErrorKind::Internal => "internal",
        }
    }
}

impl Line {
    pub fn error(id: &str, kind: ErrorKind, message: impl Into<String>) -> Line {
        Line {
            id: id.to_string(),
            result: LineResult::Error { error: LineError { kind, message: message.into() } },
            meta: None,
        }
    }

    /// The line's error, if it is an error line.
    pub fn error_of(&self) -> Option<&LineError> {
        match &self.result {
            LineResult::Error { error } => Some(error),
            _ => None,
        }
    }

    /// Read one line of output.
    pub fn from_json(line: &str) -> Result<Line, WireError> {
        Ok(serde_json::from_str(line)?)
    }

    /// Move every offset of the line through `span` (start, end) -> (start, end): an HTML
    /// page's text offsets to the page's (`crate::html::SourceMap::span`). Texts stay as
    /// they are: the visible text.
    pub fn map_offsets(&mut self, span: impl Fn(usize, usize) -> (usize, usize)) {
        let map = |start: &mut usize, end: &mut usize| (*start, *end) = span(*start, *end);
        match &mut self.result {
            LineResult::Attribution { quotes, .. } => {
                for q in quotes {
                    map(&mut q.start, &mut q.end);
                    if let Some(s) = &mut q.speaker {
                        map(&mut s.start, &mut s.end);
                    }
                    if let Some(c) = &mut q.cue {
                        map(&mut c.start, &mut c.end);
                    }
                    if let Some(Some(c)) = &mut q.clause {
                        map(&mut c.start, &mut c.end);
                    }
                    for c in q.candidates.iter_mut().flatten() {
                        map(&mut c.speaker.start, &mut c.speaker.end);
                    }
                }
            }
            LineResult::Entities { entities } => entities.iter_mut().for_each(|e| map(&mut e.start, &mut e.end)),
            LineResult::Error { .. } => {}
        }
    }

    /// Give each speaker found in a user's alias file its id (`speaker.id` on quotations,
    /// `id` in `speakers`), and the file's gender where the document gave none (evidence
    /// `alias`, or where it gave only first-name statistics; not under `--gender-from off`,
    /// where no speaker has a gender field).
    pub fn link_aliases(&mut self, table: &whosaid_identity::AliasTable) {
        let LineResult::Attribution { quotes, speakers } = &mut self.result else { return };
        let alias_gender = |e: &whosaid_identity::AliasEntry| match e.gender {
            Some(whosaid_identity::AliasGender::Female) => Some(Gender::Female),
            Some(whosaid_identity::AliasGender::Male) => Some(Gender::Male),
            _ => None,
        };
        for s in speakers.iter_mut() {
            let Some(entry) = table.lookup(&s.name) else { continue };
            s.id = Some(entry.id.clone());
            // Under the text's own evidence, above first-name statistics.
            let weaker = matches!(s.gender_evidence, None | Some(GenderEvidence::FirstName));
            if let (Some(_), Some(g), true) = (s.gender, alias_gender(entry), weaker) {
                if s.kind == whosaid_attribution::SpeakerType::PERSON {
                    s.gender = Some(g);
                    s.gender_evidence = Some(GenderEvidence::Alias);
                }
            }
        }
        for q in quotes.iter_mut() {
            let Some(speaker) = &mut q.speaker else { continue };
            let Some(entry) = table.lookup(&speaker.name) else { continue };
            speaker.id = Some(entry.id.clone());
            if let Some(summary) = speakers.iter().find(|s| s.name == speaker.name) {
                speaker.gender = summary.gender;
            }
        }
    }

    /// The line as one line of JSON.
    pub fn to_json(&self) -> String {
        // Strings, numbers, lists and string-keyed maps only: serialising cannot fail. Were it
        // to, the document still gets its line.
        serde_json::to_string(self).unwrap_or_else(|e| {
            let message = format!("cannot write the result: {e}");
            serde_json::json!({"id": self.id, "error": {"kind": ErrorKind::Internal, "message": message}}).to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_the_documented_key_order() {
        let mut meta = Map::new();
        meta.insert("source".into(), Value::from("wire"));
        let line = Line {
            id: "a".into(),
            result: LineResult::Attribution { quotes: Vec::new(), speakers: Vec::new() },
            meta: Some(meta),
        };
        assert_eq!(line.to_json(), r#"{"id":"a","quotes":[],"speakers":[],"meta":{"source":"wire"}}"#);
        let error = Line::error("b", ErrorKind::TooLong, "too long");
        assert_eq!(error.to_json(), r#"{"id":"b","error":{"kind":"too_long","message":"too long"}}"#);
        assert_eq!(error.error_of().map(|e| e.kind), Some(ErrorKind::TooLong));
        let entities = Line { id: "c".into(), result: LineResult::Entities { entities: Vec::new() }, meta: None };
        assert_eq!(entities.to_json(), r#"{"id":"c","entities":[]}"#);
    }

    #[test]
    fn lines_read_back_as_written() {
        for json in [
            r#"{"id":"a","quotes":[{"start":1,"end":13,"text":"We will win,","kind":"direct","speaker":{"name":"Putin","start":15,"end":20,"text":"Putin","type":"PER"},"cue":{"start":21,"end":25,"text":"said"},"confidence":0.908}],"speakers":[{"name":"Putin","type":"PER","mentions":1,"quotes":1}],"meta":{"source":"wire"}}"#,
            r#"{"id":"m","quotes":[{"start":5,"end":9,"text":"sham","kind":"mixed","speaker":null,"cue":null,"clause":null,"confidence":0.4},{"start":30,"end":34,"text":"fair","kind":"mixed","speaker":null,"cue":{"start":20,"end":24,"text":"said"},"clause":{"start":25,"end":40},"confidence":0.5}],"speakers":[]}"#,
            r#"{"id":"b","error":{"kind":"too_long","message":"too long"}}"#,
            r#"{"id":"c","entities":[{"start":0,"end":5,"text":"Putin","label":"PER","score":0.99}]}"#,
        ] {
            assert_eq!(Line::from_json(json).unwrap().to_json(), json);
        }
        assert!(Line::from_json(r#"{"id":"d"}"#).is_err());
    }

    #[test]
    fn alias_files_give_speakers_ids_and_a_missing_gender() {
        let json = r#"{"id":"a","quotes":[{"start":1,"end":13,"text":"We will win,","kind":"direct","speaker":{"name":"Ana Ruiz","start":15,"end":23,"text":"Ana Ruiz","type":"PER","gender":"unknown"},"cue":null,"confidence":0.9}],"speakers":[{"name":"Ana Ruiz","type":"PER","mentions":1,"quotes":1,"gender":"unknown"}]}"#;
        let mut line = Line::from_json(json).unwrap();
        let table = whosaid_identity::AliasTable::parse("P9,Ana Ruiz,,,female\n").unwrap();
        line.link_aliases(&table);
        let out = line.to_json();
        assert!(out.contains(r#""type":"PER","gender":"female","id":"P9"}"#), "{out}");
        assert!(out.contains(r#""gender":"female","gender_evidence":"alias","id":"P9"}"#), "{out}");
        assert!(Line::from_json(r#"{"quotes":[]}"#).is_err());
    }
}
