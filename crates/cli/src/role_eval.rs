//! `whosaid eval-roles`: the role head scored span by span against annotated attributions
//! (PolNeAR's raw JSONL), as published taggers on PolNeAR are scored.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;
use std::collections::{BTreeSet, HashSet};

use whosaid_ner::conll::{chunks, score};
use whosaid_ner::role_gold::{gold_role_tags, AnnotatedAttribution};
use whosaid_ner::{NerStats, ROLE_MAX_PIECES};
use whosaid_tokenize::Document;

use crate::{print_scores, EngineArgs, Job};

#[derive(Args)]
pub struct EvalRolesArgs {
    /// JSONL of articles, each {"id", "text", "attributions": [{"cue", "source", "content"}]}
    /// with each role's pieces as [start, end] code points (../shared/data/polnear/dev.jsonl).
    file: PathBuf,
    /// Print {"CUE": {"precision", "recall", "f1", ...}, ...} as JSON.
    #[arg(long)]
    json: bool,
    /// Also write each paragraph whose predicted spans differ from the gold ones to this
    /// JSONL file, one line per paragraph and role: {"id", "paragraph", "role", "words",
    /// "gold", "predicted"}, spans as [first word, end word) within the paragraph.
    #[arg(long, value_name = "PATH")]
    errors: Option<PathBuf>,
    #[command(flatten)]
    model: EngineArgs,
}

#[derive(Deserialize)]
struct Article {
    id: String,
    text: String,
    #[serde(default)]
    attributions: Vec<AnnotatedAttribution>,
}

/// Score the model's role head: span-exact precision, recall and F1 per role (CUE, SOURCE,
/// CONTENT), each paragraph read as the pipeline reads it, gold spans from
/// [`gold_role_tags`].
pub fn eval_roles(args: EvalRolesArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut docs = Vec::new();
    let mut gold_tags = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let article: Article = serde_json::from_str(line).with_context(|| {
            format!("{} line {}: not an article with id, text and attributions", args.file.display(), n + 1)
        })?;
        let doc = Document::new(article.id, article.text);
        gold_tags.push(gold_role_tags(&doc, &article.attributions));
        docs.push(doc);
    }
    let model = args.model.load()?;
    let tags = model.role_tags().with_context(|| format!("{} has no role head", model.dir().display()))?;
    let mut words: Vec<Vec<&str>> = Vec::new();
    let mut gold: Vec<Vec<String>> = Vec::new();
    let mut places: Vec<(&str, usize)> = Vec::new();
    for (doc, doc_tags) in docs.iter().zip(&gold_tags) {
        for (paragraph, range) in doc.paragraph_token_ranges().into_iter().enumerate() {
            places.push((doc.id.as_str(), paragraph));
            gold.push(doc_tags[range.clone()].to_vec());
            words.push(range.map(|t| doc.token_text(t)).collect());
        }
    }
    let mut stats = NerStats::default();
    let started = Instant::now();
    let options = args.model.ner_options(Job::Attribute, true);
    let tagged = model.tag_words(&words, ROLE_MAX_PIECES, options, None, &mut stats)?;
    let log_probs = tagged.role_log_probs.unwrap_or_default();
    let predicted: Vec<Vec<String>> = log_probs
        .iter()
        .zip(&words)
        .map(|(sequence, sequence_words)| {
            model
                .decode_role_labels(sequence_words, sequence, options.role_decoding)
                .iter()
                .map(|w| tags[w.label].to_string())
                .collect()
        })
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let scores = score(&gold, &predicted);
    if let Some(path) = &args.errors {
        write_errors(path, &places, &words, &gold, &predicted)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        println!("{}  (model {})", args.file.display(), model.dir().display());
        print_scores("role", scores.iter().filter(|(k, _)| *k != "micro"));
    }
    eprintln!("{} articles, {} paragraphs, {} wordpieces in {seconds:.1} s", docs.len(), words.len(), stats.wordpieces);
    Ok(ExitCode::SUCCESS)
}

/// One line per paragraph and role where the predicted spans are not the gold ones.
fn write_errors(
    path: &std::path::Path,
    places: &[(&str, usize)],
    words: &[Vec<&str>],
    gold: &[Vec<String>],
    predicted: &[Vec<String>],
) -> Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for (((place, words), gold), predicted) in places.iter().zip(words).zip(gold).zip(predicted) {
        let (gold_chunks, predicted_chunks) = (chunks(gold), chunks(predicted));
        let roles: BTreeSet<&str> =
            gold_chunks.iter().chain(&predicted_chunks).map(|(role, _, _)| role.as_str()).collect();
        for role in roles {
            let spans = |set: &HashSet<(String, usize, usize)>| {
                let mut spans: Vec<(usize, usize)> =
                    set.iter().filter(|(r, _, _)| r == role).map(|&(_, start, end)| (start, end)).collect();
                spans.sort_unstable();
                spans
            };
            let (gold_spans, predicted_spans) = (spans(&gold_chunks), spans(&predicted_chunks));
            if gold_spans != predicted_spans {
                let line = serde_json::json!({
                    "id": place.0, "paragraph": place.1, "role": role, "words": words,
                    "gold": gold_spans, "predicted": predicted_spans,
                });
                writeln!(out, "{line}")?;
            }
        }
    }
    out.flush().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
