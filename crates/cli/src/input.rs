//! Reading input documents: .txt files, directories of them, JSONL files and stdin.
//!
//! [`DocReader`] streams: it holds one JSONL line or one .txt file at a time, so memory does
//! not grow with the corpus. Every input document becomes exactly one [`InputDoc`], in input
//! order: either its text or the reason it could not be read, so that no document is ever
//! silently dropped.

use std::collections::{HashMap, VecDeque};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

use crate::wire::ErrorKind;

/// A document as read, before any processing.
#[derive(Debug, Clone)]
pub struct InputDoc {
    pub id: String,
    pub content: Result<String, InputError>,
    /// Fields of a JSONL record other than `id` and `text`, carried through under `meta`.
    pub meta: Option<Map<String, Value>>,
}

/// Why a document could not be read; becomes an error record in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub kind: ErrorKind,
    pub message: String,
}

fn err(kind: ErrorKind, message: impl Into<String>) -> Result<String, InputError> {
    Err(InputError { kind, message: message.into() })
}

/// One source named on the command line, expanded to concrete files.
#[derive(Debug)]
enum Source {
    Text(PathBuf),
    Jsonl(PathBuf),
    /// A CoNLL-U file (GUM's): its documents, their running text rebuilt (`crate::conllu`).
    Conllu(PathBuf),
    Stdin,
}

fn is_conllu(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("conllu")
}

fn is_jsonl(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("jsonl") | Some("ndjson"))
}

fn expand(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    if inputs.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if input.is_dir() {
            let mut files: Vec<PathBuf> = fs::read_dir(input)
                .with_context(|| format!("cannot list directory {}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()) == Some("txt"))
                .collect();
            files.sort();
            if files.is_empty() {
                bail!("directory {} holds no .txt files", input.display());
            }
            out.extend(files.into_iter().map(Source::Text));
        } else if input.is_file() {
            out.push(if is_jsonl(input) {
                Source::Jsonl(input.clone())
            } else if is_conllu(input) {
                Source::Conllu(input.clone())
            } else {
                Source::Text(input.clone())
            });
        } else {
            bail!("input {} does not exist", input.display());
        }
    }
    Ok(out)
}

/// Parse one JSONL line into a document. `line_no` is 1-based.
pub fn parse_jsonl_line(line: &[u8], origin: &str, line_no: usize) -> InputDoc {
    let fallback_id = format!("{origin}:{line_no}");
    let failed = |kind, message: String| InputDoc { id: fallback_id.clone(), content: err(kind, message), meta: None };
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => return failed(ErrorKind::InvalidUtf8, format!("line {line_no}: {e}")),
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return failed(ErrorKind::MalformedJson, format!("line {line_no}: {e}")),
    };
    let Value::Object(mut map) = value else {
        return failed(ErrorKind::MalformedJson, format!("line {line_no}: not a JSON object"));
    };
    let id = match map.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id.clone(),
    };
    let content = match map.remove("text") {
        Some(Value::String(s)) => Ok(s),
        Some(_) => err(ErrorKind::BadText, format!("line {line_no}: \"text\" is not a string")),
        None => err(ErrorKind::MissingText, format!("line {line_no}: no \"text\" field")),
    };
    InputDoc { id, content, meta: (!map.is_empty()).then_some(map) }
}

fn text_doc(id: String, bytes: Vec<u8>) -> InputDoc {
    let content = match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => err(ErrorKind::InvalidUtf8, format!("{} (at byte {})", e.utf8_error(), e.utf8_error().valid_up_to())),
    };
    InputDoc { id, content, meta: None }
}

/// An open JSONL stream.
struct JsonlStream {
    reader: Box<dyn BufRead + Send>,
    origin: String,
    line_no: usize,
}

/// Streams the documents of the inputs, in order.
///
/// Ids: a .txt file's id is its stem, stdin text is `stdin`, a JSONL line without an id (or
/// with an empty one) gets `FILE:LINE`. A repeated id gets `#2`, `#3`... appended, with a
/// warning, so that every output line can be told apart (and `--resume` can find it).
pub struct DocReader {
    sources: VecDeque<Source>,
    jsonl: Option<JsonlStream>,
    /// Documents of a CoNLL-U file not yet handed out.
    pending: VecDeque<InputDoc>,
    seen: HashMap<String, usize>,
    /// Set when reading failed in a way no single document can carry (stdin or a file
    /// vanished mid-read); the run stops with this error after the documents before it.
    pub fatal: Option<anyhow::Error>,
}

impl DocReader {
    pub fn open(inputs: &[PathBuf]) -> Result<Self> {
        Ok(DocReader {
            sources: expand(inputs)?.into(),
            jsonl: None,
            pending: VecDeque::new(),
            seen: HashMap::new(),
            fatal: None,
        })
    }

    /// How many documents the inputs hold (a line count for JSONL), or None for stdin.
    /// Used only for the progress bar's ETA.
    pub fn count(inputs: &[PathBuf]) -> Option<u64> {
        let mut n = 0u64;
        for source in expand(inputs).ok()? {
            match source {
                Source::Text(_) => n += 1,
                Source::Conllu(path) => {
                    n += fs::read_to_string(path).ok()?.lines().filter(|l| l.starts_with("# newdoc id")).count() as u64
                }
                Source::Jsonl(path) => {
                    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).ok()?);
                    let mut line = Vec::new();
                    while reader.read_until(b'\n', &mut line).ok()? > 0 {
                        n += u64::from(!line.iter().all(u8::is_ascii_whitespace));
                        line.clear();
                    }
                }
                Source::Stdin => return None,
            }
        }
        Some(n)
    }

    fn next_raw(&mut self) -> Result<Option<InputDoc>> {
        loop {
            if let Some(doc) = self.pending.pop_front() {
                return Ok(Some(doc));
            }
            if let Some(stream) = &mut self.jsonl {
                let mut line = Vec::new();
                let read = stream
                    .reader
                    .read_until(b'\n', &mut line)
                    .with_context(|| format!("cannot read {}", stream.origin))?;
                if read == 0 {
                    self.jsonl = None;
                    continue;
                }
                stream.line_no += 1;
                let line = line.strip_suffix(b"\n").unwrap_or(&line);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Ok(Some(parse_jsonl_line(line, &stream.origin, stream.line_no)));
            }
            let Some(source) = self.sources.pop_front() else { return Ok(None) };
            match source {
                Source::Text(path) => {
                    let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    return Ok(Some(match fs::read(&path) {
                        Ok(bytes) => text_doc(id, bytes),
                        Err(e) => InputDoc {
                            id,
                            content: err(ErrorKind::Unreadable, format!("cannot read {}: {e}", path.display())),
                            meta: None,
                        },
                    }));
                }
                Source::Conllu(path) => {
                    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
                    let docs = fs::read(&path)
                        .map_err(|e| (ErrorKind::Unreadable, format!("cannot read {}: {e}", path.display())))
                        .and_then(|bytes| String::from_utf8(bytes).map_err(|e| (ErrorKind::InvalidUtf8, at(&e))))
                        .and_then(|text| crate::conllu::read_conllu(&text).map_err(|e| (ErrorKind::BadText, at(&e))));
                    match docs {
                        Err((kind, message)) => {
                            return Ok(Some(InputDoc { id: stem, content: err(kind, message), meta: None }))
                        }
                        Ok(docs) => self.pending.extend(docs.into_iter().map(|d| InputDoc {
                            id: if d.id.is_empty() { stem.clone() } else { d.id },
                            content: Ok(d.text),
                            meta: None,
                        })),
                    }
                }
                Source::Jsonl(path) => {
                    let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
                    self.jsonl = Some(JsonlStream {
                        reader: Box::new(BufReader::with_capacity(1 << 20, file)),
                        origin: path.display().to_string(),
                        line_no: 0,
                    });
                }
                Source::Stdin => {
                    let mut reader = BufReader::with_capacity(1 << 20, std::io::stdin());
                    // JSONL when the first non-blank byte is `{`, else one plain-text document.
                    let mut is_jsonl = false;
                    loop {
                        let buf = reader.fill_buf().context("cannot read stdin")?;
                        if buf.is_empty() {
                            break;
                        }
                        if let Some(b) = buf.iter().find(|b| !b.is_ascii_whitespace()) {
                            is_jsonl = *b == b'{';
                            break;
                        }
                        let n = buf.len();
                        reader.consume(n);
                    }
                    if is_jsonl {
                        self.jsonl = Some(JsonlStream { reader: Box::new(reader), origin: "stdin".into(), line_no: 0 });
                    } else {
                        let mut bytes = Vec::new();
                        reader.read_to_end(&mut bytes).context("cannot read stdin")?;
                        return Ok(Some(text_doc("stdin".into(), bytes)));
                    }
                }
            }
        }
    }
}

impl Iterator for DocReader {
    type Item = InputDoc;

    fn next(&mut self) -> Option<InputDoc> {
        if self.fatal.is_some() {
            return None;
        }
        let mut doc = match self.next_raw() {
            Ok(doc) => doc?,
            Err(e) => {
                self.fatal = Some(e);
                return None;
            }
        };
        let n = self.seen.entry(doc.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let new_id = format!("{}#{}", doc.id, n);
            eprintln!("warning: duplicate document id {:?}; this one is written as {:?}", doc.id, new_id);
            doc.id = new_id;
        }
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl_docs(bytes: &'static [u8]) -> Vec<InputDoc> {
        let mut reader = DocReader::open(&[]).unwrap();
        reader.sources.clear();
        reader.jsonl = Some(JsonlStream { reader: Box::new(bytes), origin: "f".into(), line_no: 0 });
        reader.collect()
    }

    #[test]
    fn jsonl_lines_become_docs_or_errors() {
        let out = jsonl_docs(
            b"{\"id\":\"a\",\"text\":\"x\",\"source\":\"w\"}\n\nnot json\n{\"id\":\"c\"}\n{\"text\":5}\r\n{\"id\":\"a\",\"text\":\"y\"}",
        );
        assert_eq!(out.len(), 5);
        assert_eq!(out[0].content.as_deref().unwrap(), "x");
        assert_eq!(out[0].meta.as_ref().unwrap()["source"], "w");
        assert_eq!(out[1].content.as_ref().unwrap_err().kind, ErrorKind::MalformedJson);
        assert_eq!(out[1].id, "f:3");
        assert_eq!(out[2].content.as_ref().unwrap_err().kind, ErrorKind::MissingText);
        assert_eq!(out[3].content.as_ref().unwrap_err().kind, ErrorKind::BadText);
        assert_eq!(out[3].id, "f:5");
        assert_eq!(out[4].id, "a#2");
        assert_eq!(out[4].content.as_deref().unwrap(), "y");
    }

    #[test]
    fn invalid_utf8_is_an_error_record() {
        let d = text_doc("x".into(), vec![b'a', 0xff, b'b']);
        assert_eq!(d.content.unwrap_err().kind, ErrorKind::InvalidUtf8);
    }
}
