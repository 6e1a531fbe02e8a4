//! Reading input documents: text files, HTML pages, JSONL and CoNLL-U files, each plain or
//! compressed (`.gz`, `.zst`, `.bz2`), directories of them (walked recursively, filtered by
//! `--glob`), and stdin.
//!
//! [`DocReader`] streams: it holds one JSONL line or one file at a time, so memory does not
//! grow with the corpus. Every input document becomes exactly one [`InputDoc`], in input
//! order: either its text or the reason it could not be read, so that no document is ever
//! silently dropped.

use std::collections::{HashMap, VecDeque};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use whosaid_wire::ErrorKind;

use crate::error::PipelineError;
use crate::html::{visible_text, SourceMap};

type Result<T, E = PipelineError> = std::result::Result<T, E>;

/// What a file (or stdin) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// From the file name: `.jsonl`/`.ndjson` JSONL, `.html`/`.htm` HTML, `.conllu`
    /// CoNLL-U, anything else text (a compression suffix looked through); stdin is JSONL
    /// when it starts with `{`, else text.
    #[default]
    Auto,
    Text,
    Html,
    Jsonl,
    Conllu,
}

/// How inputs are read.
#[derive(Clone, Debug)]
pub struct InputOptions {
    /// Which files of a directory are documents: glob patterns (`*` and `?` within a name,
    /// `**` across folders), matched without regard to letter case against each file's
    /// path below the directory (its name alone for a pattern without `/`).
    pub globs: Vec<String>,
    /// The JSONL field holding the text; a dotted path (`article.body`) reaches into objects.
    pub text_field: String,
    /// The JSONL field holding the id (dotted as `text_field`).
    pub id_field: String,
    pub format: Format,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            globs: vec![DEFAULT_GLOB.to_string()],
            text_field: "text".into(),
            id_field: "id".into(),
            format: Format::Auto,
        }
    }
}

/// The files of a directory that are read by default: text files, in any letter case.
pub const DEFAULT_GLOB: &str = "*.txt";

/// A document as read, before any processing.
#[derive(Debug, Clone)]
pub struct InputDoc {
    pub id: String,
    pub content: Result<String, InputError>,
    /// Fields of a JSONL record other than `id` and `text`, carried through under `meta`.
    pub meta: Option<Map<String, Value>>,
    /// For an HTML page: where each character of `content` (its visible text) is in the
    /// HTML, so that output offsets point into the page.
    pub source: Option<Arc<SourceMap>>,
}

impl InputDoc {
    pub fn new(id: String, content: Result<String, InputError>) -> Self {
        InputDoc { id, content, meta: None, source: None }
    }
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
    /// A file of one document: text or HTML.
    Single {
        path: PathBuf,
        id: String,
        html: bool,
    },
    Jsonl(PathBuf),
    /// A CoNLL-U file (GUM's): its documents, their running text rebuilt (`crate::conllu`).
    Conllu(PathBuf),
    Stdin,
}

/// Compression suffixes read through.
const COMPRESSED: &[&str] = &["gz", "zst", "bz2"];

/// The file name's extensions, lower-cased, a compression suffix set apart:
/// `("jsonl", Some("gz"))` for `a.JSONL.gz`.
fn extensions(path: &Path) -> (Option<String>, Option<String>) {
    let lower = |e: &std::ffi::OsStr| e.to_string_lossy().to_lowercase();
    let ext = path.extension().map(lower);
    match ext {
        Some(e) if COMPRESSED.contains(&e.as_str()) => {
            (path.file_stem().map(Path::new).and_then(Path::extension).map(lower), Some(e))
        }
        other => (other, None),
    }
}

/// The format of `path` under `format`.
fn format_of(path: &Path, format: Format) -> Format {
    if format != Format::Auto {
        return format;
    }
    match extensions(path).0.as_deref() {
        Some("jsonl") | Some("ndjson") => Format::Jsonl,
        Some("html") | Some("htm") | Some("xhtml") => Format::Html,
        Some("conllu") => Format::Conllu,
        _ => Format::Text,
    }
}

/// A file's document id: its path below the directory it was found in (or its name),
/// without its extensions (`sub/a` for `DIR/sub/a.txt.gz`).
fn id_of(path: &Path, below: Option<&Path>) -> String {
    let rel = below
        .and_then(|b| path.strip_prefix(b).ok())
        .unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()));
    let mut rel = rel.to_path_buf();
    let (_, compressed) = extensions(&rel);
    if compressed.is_some() {
        rel.set_extension("");
    }
    rel.set_extension("");
    rel.to_string_lossy().into_owned()
}

/// Open a file, decompressing by its suffix.
fn open_decoded(path: &Path) -> std::io::Result<Box<dyn Read + Send>> {
    let file = File::open(path)?;
    Ok(match extensions(path).1.as_deref() {
        Some("gz") => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        Some("zst") => Box::new(zstd::stream::read::Decoder::new(file)?),
        Some("bz2") => Box::new(bzip2::read::MultiBzDecoder::new(BufReader::new(file))),
        _ => Box::new(file),
    })
}

fn read_decoded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_decoded(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Does `name` (a path below the walked directory, `/`-separated) match `pattern`?
/// `*` and `?` stay within one path component, `**` spans any; letter case is ignored.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => {
                let rest = if p.get(2) == Some(&'/') { &p[3..] } else { &p[2..] };
                (0..=n.len()).any(|k| go(rest, &n[k..]))
            }
            Some('*') => (0..=n.len()).take_while(|&k| k == 0 || n[k - 1] != '/').any(|k| go(&p[1..], &n[k..])),
            Some('?') => n.first().is_some_and(|&c| c != '/') && go(&p[1..], &n[1..]),
            Some(&c) => n.first().is_some_and(|&m| m.to_lowercase().eq(c.to_lowercase())) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let name = if pattern.contains('/') { name } else { name.rsplit('/').next().unwrap_or(name) };
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// The files below `dir` that match any of `globs`, in path order; hidden files and
/// folders (names starting with `.`) are skipped, and symbolic links to folders not followed.
fn walk(dir: &Path, globs: &[String]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let unreadable = |cause| PipelineError::Read { path: folder.clone(), cause };
        for entry in fs::read_dir(&folder).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|cause| PipelineError::Read { path: path.clone(), cause })?;
            if kind.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                if globs.iter().any(|g| glob_matches(g, &rel)) {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn expand(inputs: &[PathBuf], options: &InputOptions) -> Result<Vec<Source>> {
    if inputs.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let source = |path: PathBuf, below: Option<&Path>| match format_of(&path, options.format) {
        Format::Jsonl => Source::Jsonl(path),
        Format::Conllu => Source::Conllu(path),
        Format::Html => Source::Single { id: id_of(&path, below), path, html: true },
        Format::Text | Format::Auto => Source::Single { id: id_of(&path, below), path, html: false },
    };
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if input.is_dir() {
            let files = walk(input, &options.globs)?;
            if files.is_empty() {
                return Err(PipelineError::NoFiles { dir: input.clone(), globs: options.globs.join(" or ") });
            }
            out.extend(files.into_iter().map(|f| source(f, Some(input))));
        } else if input.is_file() {
            out.push(source(input.clone(), None));
        } else {
            return Err(PipelineError::MissingInput(input.clone()));
        }
    }
    Ok(out)
}

/// The value at a dotted `path` of a JSON object, taken out of it.
fn take_field(map: &mut Map<String, Value>, path: &str) -> Option<Value> {
    match path.split_once('.') {
        None => map.remove(path),
        Some((head, rest)) => match map.get_mut(head) {
            Some(Value::Object(inner)) => {
                let value = take_field(inner, rest);
                if inner.is_empty() {
                    map.remove(head);
                }
                value
            }
            _ => map.remove(path),
        },
    }
}

/// Parse one JSONL line into a document, its text and id from `options`' fields. `line_no`
/// is 1-based.
pub fn parse_jsonl_line(line: &[u8], origin: &str, line_no: usize, options: &InputOptions) -> InputDoc {
    let fallback_id = format!("{origin}:{line_no}");
    let failed = |kind, message: String| InputDoc::new(fallback_id.clone(), err(kind, message));
    // A byte-order mark is not JSON; editors and some exporters put one before the first line.
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
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
    let id = match take_field(&mut map, &options.id_field) {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id.clone(),
    };
    let field = &options.text_field;
    let content = match take_field(&mut map, field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => err(ErrorKind::BadText, format!("line {line_no}: \"{field}\" is not a string")),
        None => {
            err(ErrorKind::MissingText, format!("line {line_no}: no \"{field}\" field (choose it with --text-field)"))
        }
    };
    InputDoc { id, content, meta: (!map.is_empty()).then_some(map), source: None }
}

fn text_doc(id: String, bytes: Vec<u8>) -> InputDoc {
    let content = match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => err(ErrorKind::InvalidUtf8, format!("{} (at byte {})", e.utf8_error(), e.utf8_error().valid_up_to())),
    };
    InputDoc::new(id, content)
}

/// An HTML page's document: its visible text, mapped back to the page.
fn html_doc(id: String, bytes: Vec<u8>) -> InputDoc {
    let mut doc = text_doc(id, bytes);
    if let Ok(html) = &doc.content {
        let (text, map) = visible_text(html);
        doc.content = Ok(text);
        doc.source = Some(Arc::new(map));
    }
    doc
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
    options: InputOptions,
    sources: VecDeque<Source>,
    jsonl: Option<JsonlStream>,
    /// Documents of a CoNLL-U file not yet handed out.
    pending: VecDeque<InputDoc>,
    seen: HashMap<String, usize>,
    /// Set when reading failed in a way no single document can carry (stdin or a file
    /// vanished mid-read); the run stops with this error after the documents before it.
    pub fatal: Option<PipelineError>,
}

impl DocReader {
    /// Read `inputs` with the default options.
    pub fn open(inputs: &[PathBuf]) -> Result<Self> {
        Self::with_options(inputs, InputOptions::default())
    }

    pub fn with_options(inputs: &[PathBuf], options: InputOptions) -> Result<Self> {
        Ok(DocReader {
            sources: expand(inputs, &options)?.into(),
            options,
            jsonl: None,
            pending: VecDeque::new(),
            seen: HashMap::new(),
            fatal: None,
        })
    }

    /// How many documents the sources not yet read hold (a line count for JSONL), or None
    /// for stdin. Used only for the progress bar's ETA, before reading starts: the sources as
    /// this reader expanded them, so folders are not walked again.
    pub fn count(&self) -> Option<u64> {
        let mut n = 0u64;
        for source in &self.sources {
            match source {
                Source::Single { .. } => n += 1,
                Source::Conllu(path) => {
                    let text = String::from_utf8(read_decoded(path).ok()?).ok()?;
                    n += text.lines().filter(|l| l.starts_with("# newdoc id")).count() as u64
                }
                Source::Jsonl(path) => {
                    let mut reader = BufReader::with_capacity(1 << 20, open_decoded(path).ok()?);
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
                    .map_err(|cause| PipelineError::Read { path: PathBuf::from(&stream.origin), cause })?;
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
                return Ok(Some(parse_jsonl_line(line, &stream.origin, stream.line_no, &self.options)));
            }
            let Some(source) = self.sources.pop_front() else { return Ok(None) };
            match source {
                Source::Single { path, id, html } => {
                    return Ok(Some(match read_decoded(&path) {
                        Ok(bytes) if html => html_doc(id, bytes),
                        Ok(bytes) => text_doc(id, bytes),
                        Err(e) => InputDoc::new(
                            id,
                            err(ErrorKind::Unreadable, format!("cannot read {}: {e}", path.display())),
                        ),
                    }));
                }
                Source::Conllu(path) => {
                    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
                    let docs = read_decoded(&path)
                        .map_err(|e| (ErrorKind::Unreadable, format!("cannot read {}: {e}", path.display())))
                        .and_then(|bytes| String::from_utf8(bytes).map_err(|e| (ErrorKind::InvalidUtf8, at(&e))))
                        .and_then(|text| crate::conllu::read_conllu(&text).map_err(|e| (ErrorKind::BadText, at(&e))));
                    match docs {
                        Err((kind, message)) => return Ok(Some(InputDoc::new(stem, err(kind, message)))),
                        Ok(docs) => self.pending.extend(
                            docs.into_iter()
                                .map(|d| InputDoc::new(if d.id.is_empty() { stem.clone() } else { d.id }, Ok(d.text))),
                        ),
                    }
                }
                Source::Jsonl(path) => {
                    let file =
                        open_decoded(&path).map_err(|cause| PipelineError::Read { path: path.clone(), cause })?;
                    self.jsonl = Some(JsonlStream {
                        reader: Box::new(BufReader::with_capacity(1 << 20, file)),
                        origin: path.display().to_string(),
                        line_no: 0,
                    });
                }
                Source::Stdin => {
                    let mut reader = BufReader::with_capacity(1 << 20, std::io::stdin());
                    // JSONL when the first non-blank byte is `{` (after a byte-order mark), else
                    // one plain-text document; unless --format says.
                    let mut is_jsonl = false;
                    loop {
                        if self.options.format != Format::Auto {
                            is_jsonl = self.options.format == Format::Jsonl;
                            break;
                        }
                        let buf = reader.fill_buf().map_err(PipelineError::Stdin)?;
                        if buf.is_empty() {
                            break;
                        }
                        let whole = buf.len();
                        let body = buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(buf);
                        if let Some(b) = body.iter().find(|b| !b.is_ascii_whitespace()) {
                            is_jsonl = *b == b'{';
                            break;
                        }
                        reader.consume(whole);
                    }
                    if is_jsonl {
                        self.jsonl = Some(JsonlStream { reader: Box::new(reader), origin: "stdin".into(), line_no: 0 });
                    } else {
                        let mut bytes = Vec::new();
                        reader.read_to_end(&mut bytes).map_err(PipelineError::Stdin)?;
                        return Ok(Some(if self.options.format == Format::Html {
                            html_doc("stdin".into(), bytes)
                        } else {
                            text_doc("stdin".into(), bytes)
                        }));
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
    fn fields_by_dotted_path_and_a_leading_bom() {
        let options =
            InputOptions { text_field: "article.body".into(), id_field: "meta.uid".into(), ..InputOptions::default() };
        let d = parse_jsonl_line(
            "\u{feff}{\"meta\":{\"uid\":7,\"src\":\"w\"},\"article\":{\"body\":\"x\"}}".as_bytes(),
            "f",
            1,
            &options,
        );
        assert_eq!((d.id.as_str(), d.content.as_deref()), ("7", Ok("x")));
        // What is left of the record is carried through.
        assert_eq!(Value::Object(d.meta.unwrap()), serde_json::json!({"meta": {"src": "w"}}));
        let missing = parse_jsonl_line(b"{\"text\":\"x\"}", "f", 2, &options);
        assert!(missing.content.unwrap_err().message.contains("--text-field"));
    }

    #[test]
    fn globs_match_names_and_paths_in_any_case() {
        assert!(glob_matches("*.txt", "a/b/Story.TXT"));
        assert!(!glob_matches("*.txt", "a/story.txt.gz"));
        assert!(glob_matches("*.jsonl.gz", "x.jsonl.gz"));
        assert!(glob_matches("2016/*.html", "2016/p1.html"));
        assert!(!glob_matches("2016/*.html", "2016/05/p1.html"));
        assert!(glob_matches("2016/**/*.html", "2016/05/p1.html"));
        assert!(glob_matches("**/*.htm?", "p.html"));
        assert_eq!(id_of(Path::new("/d/sub/a.txt.gz"), Some(Path::new("/d"))), "sub/a");
        assert_eq!(id_of(Path::new("/d/a.b.txt"), None), "a.b");
    }

    #[test]
    fn invalid_utf8_is_an_error_record() {
        let d = text_doc("x".into(), vec![b'a', 0xff, b'b']);
        assert_eq!(d.content.unwrap_err().kind, ErrorKind::InvalidUtf8);
    }
}
