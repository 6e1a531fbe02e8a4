//! Wiring the stages over a stream of documents.
//!
//! A reader thread pulls documents from the [`DocReader`](crate::input::DocReader) into
//! chunks and hands them over a bounded channel; the calling thread runs each chunk through
//! tokenize (in parallel), NER (one set of batches across all the chunk's sentences, sorted by
//! length) and attribution (in parallel); a writer thread receives the finished chunks in input
//! order. At most a few chunks are alive at once, so memory does not grow with the corpus.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;
use whosaid_attribution::attribute_timed;
pub use whosaid_attribution::Options as AttributionOptions;
use whosaid_ner::{recognize_projected, NerModel, NerOptions, NerStats, Projection};
use whosaid_tokenize::{Document, Entity};
use whosaid_wire::{ErrorKind, Line, LineResult};

use crate::contain::{contain, internal_message, test_panic_hook, Stage};
use crate::error::{PipelineError, SinkError};
use crate::input::InputDoc;

/// What to produce for each document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Entities,
    Attribute,
}

/// Time spent in each stage, for reports.
#[derive(Default, Debug, Clone, Copy)]
pub struct StageTimes {
    pub tokenize: Duration,
    pub ner: Duration,
    pub attribution: Duration,
    /// The part of attribution's time that coreference took (layout, mention proposal,
    /// resolution), its share of the summed per-document times applied to the stage's.
    pub coref: Duration,
}

#[derive(Default, Debug, Clone)]
pub struct RunStats {
    /// Documents written (results and error lines).
    pub documents: usize,
    pub failed: usize,
    /// Failed documents by error kind.
    pub failed_kinds: BTreeMap<ErrorKind, usize>,
    /// Documents skipped because the output already had them (--resume).
    pub skipped: usize,
    /// Word tokens of the documents processed.
    pub words: usize,
    pub ner: NerStats,
    pub times: StageTimes,
    /// The run stopped early on request (SIGINT); everything before was written whole.
    pub interrupted: bool,
}

/// Entities computed earlier (`whosaid entities` output), by document id.
pub type KnownEntities = HashMap<String, Vec<Entity>>;

/// Read a `whosaid entities` JSONL file.
pub fn read_known_entities(path: &Path) -> Result<KnownEntities, PipelineError> {
    let text =
        std::fs::read_to_string(path).map_err(|cause| PipelineError::Read { path: path.to_path_buf(), cause })?;
    let mut out = KnownEntities::new();
    let bad = |line: usize, message: String| PipelineError::BadEntities { path: path.to_path_buf(), line, message };
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|e| bad(n + 1, format!("not JSON: {e}")))?;
        let (Some(id), Some(ents)) = (v.get("id").and_then(Value::as_str), v.get("entities")) else { continue };
        let mut ents: Vec<Entity> =
            serde_json::from_value(ents.clone()).map_err(|e| bad(n + 1, format!("malformed entities: {e}")))?;
        // A document's entities are in text order (`Document::entities`); a file edited by
        // hand need not be.
        ents.sort_by_key(|e| (e.start, e.end));
        out.insert(id.to_string(), ents);
    }
    Ok(out)
}

/// How a run goes.
pub struct RunOptions<'a> {
    pub job: Job,
    pub ner: NerOptions,
    /// What attribution draws on (role tags, rules or both for reported speech).
    pub attribution: AttributionOptions,
    /// Documents per chunk: NER batches span a chunk's sentences.
    pub chunk: usize,
    /// Longer documents (in code points) get a `too_long` error line instead of a result.
    pub max_chars: usize,
    /// Entities to reuse instead of running NER (--entities).
    pub known: Option<&'a KnownEntities>,
    /// Ids already in the output (--resume): skipped, not written again.
    pub skip: Option<&'a HashSet<String>>,
    /// Set (by SIGINT) to stop reading; chunks already read are finished and written.
    pub stop: Option<&'a AtomicBool>,
    /// A user's alias file: its ids (and genders) on the speakers it names (--aliases).
    pub aliases: Option<std::sync::Arc<whosaid_identity::AliasTable>>,
}

impl RunOptions<'_> {
    pub fn new(job: Job, ner: NerOptions) -> Self {
        RunOptions {
            job,
            ner,
            attribution: AttributionOptions::default(),
            chunk: 64,
            max_chars: DEFAULT_MAX_CHARS,
            known: None,
            skip: None,
            stop: None,
            aliases: None,
        }
    }
}

/// Default for --max-chars: far above any news article (a long feature is ~50,000), small
/// enough that one document cannot exhaust memory (the pipeline holds ~100 bytes a character).
pub const DEFAULT_MAX_CHARS: usize = 2_000_000;

/// Run `docs` through the pipeline on `pool`, giving `sink` each chunk's output lines in
/// input order (on a writer thread). Returns when every document read has been written, or
/// with the first error from `sink`.
pub fn run(
    model: &NerModel,
    docs: impl Iterator<Item = InputDoc> + Send,
    options: &RunOptions,
    pool: &rayon::ThreadPool,
    sink: impl FnMut(Vec<Line>) -> Result<(), SinkError> + Send,
) -> Result<RunStats, PipelineError> {
    let chunk = options.chunk.max(1);
    let mut stats = RunStats::default();
    std::thread::scope(|scope| -> Result<RunStats, PipelineError> {
        let (chunk_tx, chunk_rx) = sync_channel::<Vec<InputDoc>>(2);
        let (line_tx, line_rx) = sync_channel::<Vec<Line>>(2);
        let stop = options.stop;
        let skip = options.skip;
        let reader = scope.spawn(move || {
            let mut skipped = 0;
            let mut interrupted = false;
            let mut batch = Vec::with_capacity(chunk);
            for doc in docs {
                if skip.is_some_and(|s| s.contains(&doc.id)) {
                    skipped += 1;
                    continue;
                }
                batch.push(doc);
                if batch.len() == chunk
                    && chunk_tx.send(std::mem::replace(&mut batch, Vec::with_capacity(chunk))).is_err()
                {
                    return (skipped, false);
                }
                if stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
                    interrupted = true;
                    break;
                }
            }
            if !batch.is_empty() {
                chunk_tx.send(batch).ok();
            }
            (skipped, interrupted)
        });
        let mut sink = sink;
        let writer = scope.spawn(move || -> Result<(), PipelineError> {
            for lines in line_rx {
                sink(lines).map_err(PipelineError::Sink)?;
            }
            Ok(())
        });

        let mut stopped = false;
        for batch in chunk_rx {
            // On a stop request, chunks read ahead but not started are left for --resume.
            if stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
                stopped = true;
                break;
            }
            let lines = process_chunk(model, batch, options, pool, &mut stats);
            if line_tx.send(lines).is_err() {
                break; // the writer failed; its error is returned below
            }
        }
        drop(line_tx);
        writer.join().expect("the writer thread does not panic")?;
        let (skipped, interrupted) = reader.join().expect("the reader thread does not panic");
        stats.skipped = skipped;
        stats.interrupted = interrupted || stopped;
        Ok(stats)
    })
}

/// One chunk through the three stages; one output line per input document, in order.
fn process_chunk(
    model: &NerModel,
    mut batch: Vec<InputDoc>,
    options: &RunOptions,
    pool: &rayon::ThreadPool,
    stats: &mut RunStats,
) -> Vec<Line> {
    // The model is not Sync (libtorch tensors): only the document stages enter the pool.
    let t = Instant::now();
    // Each readable document is parsed, or its reason for not being processed is kept.
    // The texts move into their documents; only ids and meta are read from `batch` later.
    let mut parsed: Vec<Result<Document, (ErrorKind, String)>> = pool.install(|| {
        batch
            .par_iter_mut()
            .map(|d| {
                let text = match &mut d.content {
                    Err(e) => return Err((e.kind, e.message.clone())),
                    Ok(text) => text,
                };
                // Code points need counting only when the bytes could pass the limit.
                if text.len() > options.max_chars {
                    let chars = text.chars().count();
                    if chars > options.max_chars {
                        return Err((ErrorKind::TooLong, too_long_message(chars, options.max_chars)));
                    }
                }
                let text = std::mem::take(text);
                contain(|| {
                    test_panic_hook(Stage::Tokenize, &d.id);
                    Document::new(d.id.clone(), text)
                })
                .map_err(|panic| (ErrorKind::Internal, internal_message(&panic)))
            })
            .collect()
    });
    stats.times.tokenize += t.elapsed();
    stats.words += parsed.iter().filter_map(|d| d.as_ref().ok()).map(|d| d.tokens.len()).sum::<usize>();

    let t = Instant::now();
    // Documents whose entities were given (--entities) skip the model.
    let mut need: Vec<Document> = Vec::new();
    let mut need_at: Vec<usize> = Vec::new();
    for (i, doc) in parsed.iter_mut().enumerate() {
        let Ok(doc) = doc else { continue };
        match options.known.and_then(|k| k.get(&doc.id)) {
            Some(entities) => doc.entities = entities.clone(),
            None => {
                need_at.push(i);
                need.push(std::mem::replace(doc, Document::new("", "")));
            }
        }
    }
    // The encoder's states are kept only for a resolver that reads them.
    let wants_states =
        options.job == Job::Attribute && options.attribution.resolver.as_ref().is_some_and(|r| r.wants_states());
    let ner_options = NerOptions { with_states: wants_states, ..options.ner };
    // Only the resolver's projection of each state is kept (32 floats a word, not 384).
    let projection = options
        .attribution
        .resolver
        .as_ref()
        .and_then(|r| r.state_projection())
        .map(|(rows, cols, weights)| Projection { rows, cols, weights });
    // A failed or panicking batch is retried document by document, so that one document the
    // model cannot take does not fail the others.
    let mut ner_errors: Vec<Option<(ErrorKind, String)>> = vec![None; parsed.len()];
    let recognize_contained = |docs: &mut [Document]| {
        contain(|| {
            docs.iter().for_each(|d| test_panic_hook(Stage::Ner, &d.id));
            recognize_projected(model, docs, ner_options, projection.as_ref())
        })
    };
    match recognize_contained(&mut need) {
        Ok(Ok(s)) => stats.ner.add(&s),
        Ok(Err(_)) | Err(_) => {
            for (doc, &i) in need.iter_mut().zip(&need_at) {
                match recognize_contained(std::slice::from_mut(doc)) {
                    Ok(Ok(s)) => stats.ner.add(&s),
                    Ok(Err(e)) => ner_errors[i] = Some((ErrorKind::NerFailed, e.to_string())),
                    Err(panic) => ner_errors[i] = Some((ErrorKind::Internal, internal_message(&panic))),
                }
            }
        }
    }
    for (i, doc) in need_at.into_iter().zip(need) {
        parsed[i] = Ok(doc);
    }
    stats.times.ner += t.elapsed();

    let t = Instant::now();
    let (coref_nanos, attribution_nanos) = (std::sync::atomic::AtomicU64::new(0), std::sync::atomic::AtomicU64::new(0));
    let lines: Vec<Line> = pool.install(|| {
        parsed
            .par_iter()
            .zip(batch.par_iter())
            .zip(ner_errors.par_iter())
            .map(|((doc, input), ner_error)| {
                let result = contain(|| match (doc, ner_error, options.job) {
                    (Err((kind, message)), _, _) => Line::error(&input.id, *kind, message.as_str()),
                    (Ok(doc), Some((kind, message)), _) => Line::error(&doc.id, *kind, message.as_str()),
                    (Ok(doc), None, Job::Entities) => Line {
                        id: doc.id.clone(),
                        result: LineResult::Entities { entities: doc.entities.clone() },
                        meta: None,
                    },
                    (Ok(doc), None, Job::Attribute) => {
                        test_panic_hook(Stage::Attribute, &doc.id);
                        let (a, coref, all) = attribute_timed(doc, &options.attribution);
                        let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
                        coref_nanos.fetch_add(nanos(coref), Ordering::Relaxed);
                        attribution_nanos.fetch_add(nanos(all), Ordering::Relaxed);
                        let mut line = Line {
                            id: doc.id.clone(),
                            result: LineResult::Attribution { quotes: a.quotes, speakers: a.speakers },
                            meta: None,
                        };
                        if let Some(table) = &options.aliases {
                            line.link_aliases(table);
                        }
                        line
                    }
                });
                let mut line = result
                    .unwrap_or_else(|panic| Line::error(&input.id, ErrorKind::Internal, internal_message(&panic)));
                if let Some(source) = &input.source {
                    line.map_offsets(|start, end| source.span(start, end));
                }
                line.meta = input.meta.clone();
                line
            })
            .collect()
    });
    let wall = t.elapsed();
    stats.times.attribution += wall;
    let (coref, all) = (coref_nanos.load(Ordering::Relaxed), attribution_nanos.load(Ordering::Relaxed));
    if all > 0 {
        stats.times.coref += wall.mul_f64(coref as f64 / all as f64);
    }
    stats.documents += lines.len();
    for line in &lines {
        let Some(error) = line.error_of() else { continue };
        stats.failed += 1;
        *stats.failed_kinds.entry(error.kind).or_default() += 1;
        if error.kind == ErrorKind::Internal {
            eprintln!("whosaid: document {:?}: {}", line.id, error.message);
        }
    }
    lines
}

fn too_long_message(chars: usize, max: usize) -> String {
    format!(
        "the text has {chars} characters, more than --max-chars {max}; raise --max-chars to process it whole \
         (about 100 bytes of memory a character) or split it"
    )
}
