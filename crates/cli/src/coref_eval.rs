//! `whosaid eval-coref`: how well the pipeline resolves pronouns and descriptions, on GAP rows
//! or GUM documents; and the resolver's training examples from them (`--dump`).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;
use whosaid_attribution::coref::resolver::{AnaphorExample, Resolver};
use whosaid_attribution::eval_coref::{
    gap_labels, gap_predict, gum_labels, read_gap, resolved_labels, score_gap, score_gum_document,
    score_resolved_document, Accuracy, GapRow, GoldMention, GumScore, ResolvedMention,
};
use whosaid_attribution::{attribute_and_resolve, CorefReport};
use whosaid_ner::{recognize, NerOptions};
use whosaid_pipeline::conllu::read_conllu;
use whosaid_tokenize::Document;

use crate::pipeline::Job;
use crate::ModelArgs;

#[derive(Args)]
pub struct EvalCorefArgs {
    /// A GAP TSV file (gap-development.tsv, gap-validation.tsv): F1 of "the pronoun refers to
    /// A / to B", overall, masculine and feminine, and bias (feminine F1 / masculine F1).
    #[arg(long, value_name = "FILE", required_unless_present_any = ["gum", "resolved"], conflicts_with_all = ["gum", "resolved"])]
    gap: Option<PathBuf>,
    /// A hand-resolved source fixture (JSONL of {doc, source_start, source_end, name}, such as
    /// tests/fixtures/polnear-dev-resolved-speakers.jsonl) with the documents it refers to
    /// (--docs): the share of its sources whose resolved name has the fixture name's surname.
    #[arg(long, value_name = "FILE", requires = "docs", conflicts_with = "gum")]
    resolved: Option<PathBuf>,
    /// The documents of --resolved (a JSONL of {id, text}).
    #[arg(long, value_name = "FILE")]
    docs: Option<PathBuf>,
    /// GUM CoNLL-U files, or folders of them: antecedent accuracy of the pronouns and definite
    /// descriptions of people and organisations that whosaid resolves.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    gum: Vec<PathBuf>,
    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,
    /// Write what the resolver saw of each pronoun and description, with which candidates the
    /// gold says are right, to this JSONL file (and their encoder states to FILE.states, f32),
    /// for scripts/train_coref.py.
    #[arg(long, value_name = "FILE")]
    dump: Option<PathBuf>,
    /// Resolve with this resolver (a coref.json) instead of the model directory's.
    #[arg(long, value_name = "FILE")]
    resolver: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

/// What a document is scored against.
enum Gold {
    Gap(GapRow),
    Gum(Vec<GoldMention>),
    Resolved(Vec<ResolvedMention>),
}

/// The documents of a hand-resolved fixture, each with its records.
fn resolved_documents(fixture: &Path, docs: &Path) -> Result<Vec<(String, String, Gold)>> {
    let text = fs::read_to_string(fixture).with_context(|| format!("cannot read {}", fixture.display()))?;
    let mut by_doc: std::collections::BTreeMap<String, Vec<ResolvedMention>> = Default::default();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let r: ResolvedMention = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a resolved-source record", fixture.display(), n + 1))?;
        let records = by_doc.entry(r.doc.clone()).or_default();
        if !records.iter().any(|x| (x.source_start, x.source_end) == (r.source_start, r.source_end)) {
            records.push(r);
        }
    }
    let mut out = Vec::new();
    for doc in crate::input::DocReader::open(&[docs.to_path_buf()])? {
        if let (Some(records), Ok(text)) = (by_doc.remove(&doc.id), doc.content) {
            out.push((doc.id, text, Gold::Resolved(records)));
        }
    }
    if let Some(missing) = by_doc.keys().next() {
        bail!("{} names document {missing:?}, which is not in {}", fixture.display(), docs.display());
    }
    Ok(out)
}

/// The documents of the named GUM files and folders, with their gold mentions.
fn gum_documents(paths: &[PathBuf]) -> Result<Vec<(String, String, Gold)>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("conllu"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut docs = Vec::new();
    for f in files {
        let text = fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        for d in read_conllu(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))? {
            let gold = d
                .mentions
                .into_iter()
                .map(|m| GoldMention { start: m.start, end: m.end, entity: m.entity, etype: m.etype })
                .collect();
            docs.push((d.id, d.text, Gold::Gum(gold)));
        }
    }
    if docs.is_empty() {
        bail!("no GUM documents in {}", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    }
    Ok(docs)
}

fn gap_documents(path: &Path) -> Result<Vec<(String, String, Gold)>> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows = read_gap(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(rows.into_iter().map(|r| (r.id.clone(), r.text.clone(), Gold::Gap(r))).collect())
}

/// Writes training examples: JSON lines, and their states to a binary file of f32.
struct Dump {
    lines: BufWriter<fs::File>,
    states: BufWriter<fs::File>,
    /// States written so far.
    count: usize,
}

impl Dump {
    fn create(path: &Path) -> Result<Dump> {
        let states_path = PathBuf::from(format!("{}.states", path.display()));
        let open = |p: &Path| fs::File::create(p).with_context(|| format!("cannot write {}", p.display()));
        Ok(Dump { lines: BufWriter::new(open(path)?), states: BufWriter::new(open(&states_path)?), count: 0 })
    }

    /// The index of a state written to the states file (-1 for none).
    fn state(&mut self, state: &[f32]) -> Result<i64> {
        if state.is_empty() {
            return Ok(-1);
        }
        for v in state {
            self.states.write_all(&v.to_le_bytes())?;
        }
        self.count += 1;
        Ok(self.count as i64 - 1)
    }

    fn example(&mut self, source: &str, doc: &str, example: &AnaphorExample, labels: &[bool]) -> Result<()> {
        let state = self.state(&example.state)?;
        let mut candidate_states = Vec::new();
        for c in &example.candidates {
            candidate_states.push(self.state(&c.state)?);
        }
        let line = json!({
            "source": source,
            "doc": doc,
            "start": example.start,
            "end": example.end,
            "kind": example.kind,
            "names": example.candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "spans": example.candidates.iter().map(|c| &c.spans).collect::<Vec<_>>(),
            "features": example.candidates.iter().map(|c| &c.features).collect::<Vec<_>>(),
            "labels": labels,
            "chosen": example.chosen,
            "state": state,
            "candidate_states": candidate_states,
            "dim": example.state.len(),
        });
        writeln!(self.lines, "{line}")?;
        Ok(())
    }
}

pub fn eval_coref(mut args: EvalCorefArgs) -> Result<ExitCode> {
    // A resolver named here replaces the model directory's, which is then not read; the
    // scorer plays no part in coreference.
    args.model.attribution.coref_rules |= args.resolver.is_some();
    args.model.attribution.no_scorer = true;
    let docs = match (&args.gap, &args.resolved, &args.docs) {
        (Some(path), _, _) => gap_documents(path)?,
        (None, Some(fixture), Some(docs)) => resolved_documents(fixture, docs)?,
        _ => gum_documents(&args.gum)?,
    };
    let pipeline = args.model.config(Job::Attribute).load()?;
    let (model, pool) = (pipeline.model(), pipeline.pool());
    let mut options = pipeline.run_options().attribution;
    if let Some(path) = &args.resolver {
        options.resolver = Some(Arc::new(Resolver::load(path)?));
    }
    let wants_states = options.resolver.as_ref().is_some_and(|r| r.wants_states());
    let ner = NerOptions { with_states: wants_states, only_capitalised: false, ..pipeline.config().ner_options() };
    let mut dump = args.dump.as_deref().map(Dump::create).transpose()?;
    let mut gap_rows = Vec::new();
    let mut gap_predictions = Vec::new();
    let mut gum = GumScore::default();
    let mut resolved = Accuracy::default();
    let mut examples = 0usize;
    for chunk in docs.chunks(64) {
        let mut documents: Vec<Document> =
            chunk.iter().map(|(id, text, _)| Document::new(id.clone(), text.clone())).collect();
        recognize(model, &mut documents, ner).context("the NER model failed")?;
        let reports: Vec<CorefReport> = pool.install(|| {
            use rayon::prelude::*;
            documents.par_iter().map(|d| attribute_and_resolve(d, &options, dump.is_some()).1).collect()
        });
        for ((id, _, gold), report) in chunk.iter().zip(&reports) {
            match gold {
                Gold::Gap(row) => {
                    gap_predictions.push(gap_predict(row, report));
                    gap_rows.push(row.clone());
                    if let Some(d) = dump.as_mut() {
                        for e in &report.examples {
                            if let Some(labels) = gap_labels(row, e) {
                                d.example("gap", id, e, &labels)?;
                                examples += 1;
                            }
                        }
                    }
                }
                Gold::Resolved(records) => {
                    score_resolved_document(&mut resolved, report, records);
                    if let Some(d) = dump.as_mut() {
                        for e in &report.examples {
                            if let Some(labels) = resolved_labels(records, e) {
                                d.example("resolved", id, e, &labels)?;
                                examples += 1;
                            }
                        }
                    }
                }
                Gold::Gum(mentions) => {
                    score_gum_document(&mut gum, report, mentions);
                    if let Some(d) = dump.as_mut() {
                        for e in &report.examples {
                            if let Some(labels) = gum_labels(report, mentions, e) {
                                d.example("gum", id, e, &labels)?;
                                examples += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(mut d) = dump {
        d.lines.flush()?;
        d.states.flush()?;
        eprintln!("wrote {examples} examples ({} states)", d.count);
    }
    let resolver = if options.resolver.is_some() { "trained resolver" } else { "rules" };
    if args.gap.is_some() {
        let s = score_gap(&gap_rows, &gap_predictions);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&s)?);
        } else {
            println!("GAP, {} rows ({} pronouns not taken as mentions), {resolver}:", s.rows, s.pronoun_missed);
            println!("{:<10} {:>9} {:>9} {:>9}", "", "precision", "recall", "f1");
            for (name, p) in [("overall", s.overall), ("masculine", s.masculine), ("feminine", s.feminine)] {
                println!("{name:<10} {:>9.3} {:>9.3} {:>9.3}", p.precision, p.recall, p.f1);
            }
            println!("bias (feminine F1 / masculine F1): {:.3}", s.bias);
        }
    } else if args.resolved.is_some() {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&resolved)?);
        } else {
            println!(
                "hand-resolved sources, {resolver}: {} of {} resolved to the name's surname: accuracy {:.3}",
                resolved.right, resolved.total, resolved.accuracy
            );
        }
    } else if args.json {
        println!("{}", serde_json::to_string_pretty(&gum)?);
    } else {
        println!("GUM, {} documents, {resolver}: antecedent accuracy", gum.documents);
        for (name, a) in [
            ("pronouns, people", gum.pronoun_person),
            ("pronouns, organisations", gum.pronoun_organisation),
            ("descriptions, people", gum.description_person),
            ("descriptions, organisations", gum.description_organisation),
            ("all", gum.overall),
        ] {
            println!("{name:<28} {:>6.3} ({}/{})", a.accuracy, a.right, a.total);
        }
    }
    Ok(ExitCode::SUCCESS)
}
