//! Reading input documents: .txt files, directories of them, JSONL files and stdin.
//!
//! Every input document becomes exactly one [`InputDoc`], in input order: either its text or
//! the reason it could not be read, so that no document is ever silently dropped.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

/// A document as read, before any processing.
#[derive(Debug, Clone)]
pub struct InputDoc {
    pub id: String,
    pub content: Result<String, InputError>,
    /// Fields of a JSONL record other than `id` and `text`, carried through under `meta`.
    pub meta: Option<Map<String, Value>>,
}

/// Why a document could not be read; becomes an error record in the output.
#[derive(Debug, Clone)]
pub struct InputError {
    pub kind: &'static str,
    pub message: String,
}

fn err(kind: &'static str, message: impl Into<String>) -> Result<String, InputError> {
    Err(InputError { kind, message: message.into() })
}

/// One source named on the command line, expanded to concrete files.
enum Source {
    Text(PathBuf),
    Jsonl(PathBuf),
    Stdin,
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
            out.push(if is_jsonl(input) { Source::Jsonl(input.clone()) } else { Source::Text(input.clone()) });
        } else {
            bail!("input {} does not exist", input.display());
        }
    }
    Ok(out)
}

/// Parse one JSONL line into a document. `line_no` is 1-based.
pub fn parse_jsonl_line(line: &[u8], origin: &str, line_no: usize) -> InputDoc {
    let fallback_id = format!("{origin}:{line_no}");
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            return InputDoc {
                id: fallback_id,
                content: err("invalid_utf8", format!("line {line_no}: {e}")),
                meta: None,
            }
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return InputDoc {
                id: fallback_id,
                content: err("malformed_json", format!("line {line_no}: {e}")),
                meta: None,
            }
        }
    };
    let Value::Object(mut map) = value else {
        return InputDoc {
            id: fallback_id,
            content: err("malformed_json", format!("line {line_no}: not a JSON object")),
            meta: None,
        };
    };
    let id = match map.remove("id") {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    let content = match map.remove("text") {
        Some(Value::String(s)) => Ok(s),
        Some(_) => err("bad_text", format!("line {line_no}: \"text\" is not a string")),
        None => err("missing_text", format!("line {line_no}: no \"text\" field")),
    };
    InputDoc { id, content, meta: (!map.is_empty()).then_some(map) }
}

fn read_text_doc(id: String, bytes: Vec<u8>) -> InputDoc {
    let content = match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => err("invalid_utf8", format!("{} (at byte {})", e.utf8_error(), e.utf8_error().valid_up_to())),
    };
    InputDoc { id, content, meta: None }
}

fn jsonl_docs(bytes: &[u8], origin: &str, out: &mut Vec<InputDoc>) {
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.push(parse_jsonl_line(line, origin, n + 1));
    }
}

/// Read every input document, in order. Stdin is JSONL when its first non-blank byte is `{`,
/// else one plain-text document with id `stdin`. Duplicate ids get `#2`, `#3`... appended
/// (with a warning) so every output line can be told apart.
pub fn read_inputs(inputs: &[PathBuf]) -> Result<Vec<InputDoc>> {
    let mut docs = Vec::new();
    for source in expand(inputs)? {
        match source {
            Source::Text(path) => {
                let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                docs.push(read_text_doc(id, bytes));
            }
            Source::Jsonl(path) => {
                let bytes = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                jsonl_docs(&bytes, &path.display().to_string(), &mut docs);
            }
            Source::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).context("cannot read stdin")?;
                if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
                    jsonl_docs(&bytes, "stdin", &mut docs);
                } else {
                    docs.push(read_text_doc("stdin".into(), bytes));
                }
            }
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for doc in &mut docs {
        let n = seen.entry(doc.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            let new_id = format!("{}#{}", doc.id, n);
            eprintln!("warning: duplicate document id {:?}; this one is written as {:?}", doc.id, new_id);
            doc.id = new_id;
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_become_docs_or_errors() {
        let mut out = Vec::new();
        jsonl_docs(
            b"{\"id\":\"a\",\"text\":\"x\",\"source\":\"w\"}\n\nnot json\n{\"id\":\"c\"}\n{\"text\":5}\r\n",
            "f",
            &mut out,
        );
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].content.as_deref().unwrap(), "x");
        assert_eq!(out[0].meta.as_ref().unwrap()["source"], "w");
        assert_eq!(out[1].content.as_ref().unwrap_err().kind, "malformed_json");
        assert_eq!(out[1].id, "f:3");
        assert_eq!(out[2].content.as_ref().unwrap_err().kind, "missing_text");
        assert_eq!(out[3].content.as_ref().unwrap_err().kind, "bad_text");
    }

    #[test]
    fn invalid_utf8_is_an_error_record() {
        let d = read_text_doc("x".into(), vec![b'a', 0xff, b'b']);
        assert_eq!(d.content.unwrap_err().kind, "invalid_utf8");
    }
}
