//! Wiring the stages over a stream of documents.
//!
//! A reader thread pulls documents from the [`DocReader`] into chunks and hands them over a
//! bounded channel; the calling thread runs each chunk through tokenize (in parallel),
//! NER (one set of batches across all the chunk's sentences, sorted by length) and
//! attribution (in parallel); a writer thread receives the finished chunks in input order.
//! At most a few chunks are alive at once, so memory does not grow with the corpus.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The error type of [`run`] and [`load_model`].
pub use anyhow::Error;
use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::Value;
use whosaid_attribution::coref::resolver::Resolver;
pub use whosaid_attribution::Options as AttributionOptions;
use whosaid_attribution::{attribute_timed, scorer::Scorer};
use whosaid_ner::{onnx_graph, recognize_projected, Backend, NerModel, NerOptions, NerStats, Precision, Projection};
use whosaid_tokenize::{Document, Entity};

use crate::contain::{contain, internal_message, test_panic_hook, Stage};
use crate::input::InputDoc;
use crate::wire::{ErrorKind, Line, LineResult};

/// The default model's directory name, under a models folder: the 4-layer joint model (the
/// most accurate configuration at >= 3x textacy's speed on 2 cores; BENCHMARKS.md). The
/// 6-layer one it was distilled from, `whosaid-minilm-l6`, reads the same on PolNeAR at 0.7
/// times its speed.
pub const DEFAULT_MODEL: &str = "whosaid-minilm-l4";
/// The fast model's (`--fast`): 3 layers of the 6-layer entity model, distilled from it.
pub const FAST_MODEL: &str = "ner-conll03-minilm-l3";

/// The environment variable naming a folder of models (holding `whosaid-minilm-l4/` and the
/// others), searched after the executable's and the installed package's.
pub const MODELS_VAR: &str = "WHOSAID_MODELS";
/// The environment variable naming the model directory itself (as `--model` does).
pub const MODEL_VAR: &str = "WHOSAID_MODEL";

/// Where the bundled models are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelPlace {
    /// `models/` next to the executable, or `../share/whosaid/models` beside it (an install
    /// prefix's layout).
    Executable,
    /// The installed Python package's `models/`.
    Package,
    /// `$WHOSAID_MODELS`.
    Environment,
    /// The source checkout the binary was built from (`models/`).
    Checkout,
}

impl ModelPlace {
    fn describe(self) -> &'static str {
        match self {
            ModelPlace::Executable => "next to the executable",
            ModelPlace::Package => "in the installed package",
            ModelPlace::Environment => "in $WHOSAID_MODELS",
            ModelPlace::Checkout => "in the checkout it was built from",
        }
    }
}

/// The folders searched for a bundled model, in order: next to the executable (unless
/// `executable` is false: the Python binding's executable is the interpreter), the
/// installed package's folder `package` when given, `$WHOSAID_MODELS`, then the checkout.
pub fn model_search_path(executable: bool, package: Option<&Path>) -> Vec<(ModelPlace, PathBuf)> {
    let mut out = Vec::new();
    if executable {
        if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
            out.push((ModelPlace::Executable, dir.join("models")));
            out.push((ModelPlace::Executable, dir.join("../share/whosaid/models")));
        }
    }
    if let Some(p) = package {
        out.push((ModelPlace::Package, p.to_path_buf()));
    }
    if let Some(p) = std::env::var_os(MODELS_VAR).filter(|p| !p.is_empty()) {
        out.push((ModelPlace::Environment, PathBuf::from(p)));
    }
    out.push((ModelPlace::Checkout, Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")));
    out
}

/// The bundled model `name` (such as [`DEFAULT_MODEL`]): the first folder of `search` that
/// holds it (its `config.json`), or an error that lists where it looked.
pub fn find_bundled_model(name: &str, search: &[(ModelPlace, PathBuf)]) -> Result<PathBuf> {
    if let Some((_, dir)) = search.iter().find(|(_, dir)| dir.join(name).join("config.json").is_file()) {
        return Ok(dir.join(name));
    }
    let looked: Vec<String> =
        search.iter().map(|(place, dir)| format!("{} ({})", dir.join(name).display(), place.describe())).collect();
    anyhow::bail!(
        "the bundled model {name} was not found; looked {}. Put the models folder next to the executable, set \
         ${MODELS_VAR} to a folder holding {name}/, or pass --model DIR",
        looked.join(", ")
    )
}

/// The model directory, backend and precision the model options name, bundled models found
/// along `search`: `--fast` is the fast model on ONNX Runtime int8; otherwise `model`, else
/// `$WHOSAID_MODEL`, else the default model, on the backend and precision
/// [`resolve_engine`] makes of those given.
pub fn choose_model(
    search: &[(ModelPlace, PathBuf)],
    fast: bool,
    model: Option<&Path>,
    backend: Option<Backend>,
    precision: Option<Precision>,
) -> Result<(PathBuf, Backend, Precision)> {
    if fast {
        return Ok((find_bundled_model(FAST_MODEL, search)?, Backend::Onnx, Precision::Int8));
    }
    let named = model
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(MODEL_VAR).filter(|p| !p.is_empty()).map(PathBuf::from));
    let dir = match named {
        Some(dir) => dir,
        None => find_bundled_model(DEFAULT_MODEL, search)?,
    };
    let (backend, precision) = resolve_engine(&dir, backend, precision);
    Ok((dir, backend, precision))
}

/// The backend and precision to run a model directory on, from those the user named (if
/// any). Neither named: ONNX Runtime int8 when the directory has its int8 graph (the
/// default model's accuracy on every benchmark, at about five times libtorch fp32's speed:
/// BENCHMARKS.md), else libtorch fp32. Only one named: the other follows from it (torch ->
/// fp32, onnx -> int8; bf16 and fp32 -> torch, int8 -> onnx).
pub fn resolve_engine(dir: &Path, backend: Option<Backend>, precision: Option<Precision>) -> (Backend, Precision) {
    match (backend, precision) {
        (Some(b), Some(p)) => (b, p),
        (Some(Backend::Torch), None) => (Backend::Torch, Precision::Fp32),
        (Some(Backend::Onnx), None) => (Backend::Onnx, Precision::Int8),
        (None, Some(Precision::Int8)) => (Backend::Onnx, Precision::Int8),
        (None, Some(p)) => (Backend::Torch, p),
        (None, None) if onnx_graph(dir, Precision::Int8).is_file() => (Backend::Onnx, Precision::Int8),
        (None, None) => (Backend::Torch, Precision::Fp32),
    }
}

/// Load the model, naming the directory in any error.
pub fn load_model(dir: &Path, threads: usize, backend: Backend, precision: Precision) -> Result<NerModel> {
    NerModel::load_with(dir, backend, precision, threads)
        .with_context(|| format!("cannot load the NER model from {}", dir.display()))
}

/// The trained attribution scorer of a model directory (`scorer.json`), if it has one.
pub fn load_scorer(dir: &Path) -> Result<Option<Arc<Scorer>>> {
    let path = dir.join(SCORER_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some(Arc::new(Scorer::load(&path)?)))
}

/// The file in a model directory that holds its attribution scorer.
pub const SCORER_FILE: &str = "scorer.json";

/// The trained speaker-coreference resolver of a model directory (`coref.json`), if it has one.
pub fn load_resolver(dir: &Path) -> Result<Option<Arc<Resolver>>> {
    let path = dir.join(RESOLVER_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some(Arc::new(Resolver::load(&path)?)))
}

/// The file in a model directory that holds its speaker-coreference resolver.
pub const RESOLVER_FILE: &str = "coref.json";

/// What to produce for each document.
#[derive(Clone, Copy, PartialEq, Eq)]
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
pub fn read_known_entities(path: &Path) -> Result<KnownEntities> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = KnownEntities::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let (Some(id), Some(ents)) = (v.get("id").and_then(Value::as_str), v.get("entities")) else { continue };
        let ents: Vec<Entity> = serde_json::from_value(ents.clone())
            .with_context(|| format!("{}:{}: malformed entities", path.display(), n + 1))?;
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
    sink: impl FnMut(Vec<Line>) -> Result<()> + Send,
) -> Result<RunStats> {
    let chunk = options.chunk.max(1);
    let mut stats = RunStats::default();
    std::thread::scope(|scope| -> Result<RunStats> {
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
        let writer = scope.spawn(move || -> Result<()> {
            for lines in line_rx {
                sink(lines)?;
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
                        Line {
                            id: doc.id.clone(),
                            result: LineResult::Attribution { quotes: a.quotes, speakers: a.speakers },
                            meta: None,
                        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_models_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
    }

    #[test]
    fn bundled_models_are_found_in_search_order() {
        let empty = std::env::temp_dir().join(format!("whosaid-no-models-{}", std::process::id()));
        let search = vec![(ModelPlace::Package, empty.clone()), (ModelPlace::Checkout, bundled_models_dir())];
        assert_eq!(find_bundled_model(DEFAULT_MODEL, &search).unwrap(), bundled_models_dir().join(DEFAULT_MODEL));
        let search = vec![(ModelPlace::Package, bundled_models_dir()), (ModelPlace::Checkout, empty.clone())];
        assert_eq!(find_bundled_model(FAST_MODEL, &search).unwrap(), bundled_models_dir().join(FAST_MODEL));
        let message = find_bundled_model(DEFAULT_MODEL, &[(ModelPlace::Environment, empty)]).unwrap_err().to_string();
        assert!(message.contains("in $WHOSAID_MODELS") && message.contains("--model DIR"), "{message}");
    }

    #[test]
    fn the_default_engine_is_int8_where_the_model_has_the_graph() {
        let bundled = bundled_models_dir().join(DEFAULT_MODEL);
        // The bundled model's int8 graph is made by scripts/setup.sh, which every test run follows.
        assert_eq!(resolve_engine(&bundled, None, None), (Backend::Onnx, Precision::Int8));
        // A model without an exported graph runs on libtorch rather than failing.
        let bare = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(resolve_engine(bare, None, None), (Backend::Torch, Precision::Fp32));
    }

    #[test]
    fn one_named_half_of_the_engine_picks_the_other() {
        let dir = bundled_models_dir().join(DEFAULT_MODEL);
        assert_eq!(resolve_engine(&dir, Some(Backend::Torch), None), (Backend::Torch, Precision::Fp32));
        assert_eq!(resolve_engine(&dir, Some(Backend::Onnx), None), (Backend::Onnx, Precision::Int8));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Bf16)), (Backend::Torch, Precision::Bf16));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Fp32)), (Backend::Torch, Precision::Fp32));
        assert_eq!(resolve_engine(&dir, None, Some(Precision::Int8)), (Backend::Onnx, Precision::Int8));
        assert_eq!(resolve_engine(&dir, Some(Backend::Onnx), Some(Precision::Fp32)), (Backend::Onnx, Precision::Fp32));
    }
}
