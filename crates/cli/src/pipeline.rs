//! Wiring the stages: documents go through tokenize (in parallel), NER (batched across the
//! documents of a chunk) and attribution (in parallel), one chunk at a time, in input order.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use whosaid_attribution::attribute;
use whosaid_ner::{recognize, NerModel, NerOptions, NerStats};
use whosaid_tokenize::{Document, Entity};

use crate::input::InputDoc;

/// The model directory used when neither --model nor WHOSAID_MODEL is given: the default
/// model committed in this repository.
pub fn default_model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ner-conll03-minilm-l6")
}

pub fn resolve_model_dir(flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os("WHOSAID_MODEL").map(PathBuf::from))
        .unwrap_or_else(default_model_dir)
}

/// Load the model, naming the directory in any error.
pub fn load_model(dir: &Path, threads: usize) -> Result<NerModel> {
    whosaid_ner::set_num_threads(threads);
    NerModel::load(dir).with_context(|| format!("cannot load the NER model from {}", dir.display()))
}

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
}

#[derive(Default, Debug, Clone, Copy)]
pub struct RunStats {
    pub documents: usize,
    pub failed: usize,
    pub ner: NerStats,
    pub times: StageTimes,
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

fn error_line(id: &str, kind: &str, message: &str) -> Value {
    json!({"id": id, "error": {"kind": kind, "message": message}})
}

/// Process `docs` in chunks of `chunk` documents, calling `emit` with each output line in
/// input order.
pub fn run(
    model: &NerModel,
    docs: Vec<InputDoc>,
    job: Job,
    options: NerOptions,
    chunk: usize,
    known: Option<&KnownEntities>,
    mut emit: impl FnMut(Value) -> Result<()>,
) -> Result<RunStats> {
    let mut stats = RunStats::default();
    let mut docs = docs.into_iter().peekable();
    while docs.peek().is_some() {
        let batch: Vec<InputDoc> = docs.by_ref().take(chunk.max(1)).collect();
        let t = Instant::now();
        let mut parsed: Vec<Option<Document>> = batch
            .par_iter()
            .map(|d| d.content.as_ref().ok().map(|text| Document::new(d.id.clone(), text.clone())))
            .collect();
        stats.times.tokenize += t.elapsed();

        let t = Instant::now();
        let mut ready: Vec<Document> = parsed.iter_mut().filter_map(Option::take).collect();
        // Documents whose entities were given (--entities) skip the model.
        let mut need: Vec<usize> = Vec::new();
        for (i, doc) in ready.iter_mut().enumerate() {
            match known.and_then(|k| k.get(&doc.id)) {
                Some(entities) => doc.entities = entities.clone(),
                None => need.push(i),
            }
        }
        let ner_result = if need.len() == ready.len() {
            recognize(model, &mut ready, options)
        } else {
            let mut subset: Vec<Document> =
                need.iter().map(|&i| std::mem::replace(&mut ready[i], Document::new("", ""))).collect();
            let result = recognize(model, &mut subset, options);
            for (&i, doc) in need.iter().zip(subset) {
                ready[i] = doc;
            }
            result
        };
        let ner_error = match ner_result {
            Ok(s) => {
                stats.ner.windows += s.windows;
                stats.ner.wordpieces += s.wordpieces;
                stats.ner.padded_wordpieces += s.padded_wordpieces;
                stats.ner.batches += s.batches;
                None
            }
            Err(e) => Some(e.to_string()),
        };
        stats.times.ner += t.elapsed();

        let t = Instant::now();
        let results: Vec<Value> = ready
            .par_iter()
            .map(|doc| match (&ner_error, job) {
                (Some(e), _) => error_line(&doc.id, "ner_failed", e),
                (None, Job::Entities) => json!({"id": doc.id, "entities": doc.entities}),
                (None, Job::Attribute) => {
                    let a = attribute(doc);
                    json!({"id": doc.id, "quotes": a.quotes, "speakers": a.speakers})
                }
            })
            .collect();
        stats.times.attribution += t.elapsed();

        let mut results = results.into_iter();
        for input in batch {
            let mut line = match &input.content {
                Err(e) => error_line(&input.id, e.kind, &e.message),
                Ok(_) => results.next().expect("one result per readable document"),
            };
            if line.get("error").is_some() {
                stats.failed += 1;
            }
            if let (Some(meta), Some(obj)) = (input.meta, line.as_object_mut()) {
                obj.insert("meta".into(), Value::Object(meta));
            }
            stats.documents += 1;
            emit(line)?;
        }
    }
    Ok(stats)
}
