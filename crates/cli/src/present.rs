//! `whosaid render` (HTML pages) and `whosaid speakers` (the corpus speaker index): the CLI
//! side of `whosaid-render`, reading documents and `attribute` results.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use whosaid_render::{file_name_for, index_page, page, DocResult, IndexEntry, SpeakerIndex};

use crate::input::{DocReader, InputDoc};
use crate::pipeline::{Config, Job, DEFAULT_MAX_CHARS};
use crate::wire::Line;
use crate::ModelArgs;

#[derive(Args)]
pub struct RenderArgs {
    /// Documents to run the pipeline on and render (any input `attribute` takes). Leave out
    /// with --results.
    #[arg(value_name = "INPUT", conflicts_with_all = ["results", "docs"])]
    inputs: Vec<PathBuf>,
    /// Output folder: one page per document and index.html (created if missing; pages with
    /// the same names are overwritten).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Render an earlier `whosaid attribute` output instead of running the pipeline; needs
    /// --docs, the documents it was run on (their texts are not in the output).
    #[arg(long, value_name = "OUT.jsonl", requires = "docs")]
    results: Option<PathBuf>,
    /// With --results: the documents (files, folders or JSONL, as given to `attribute`).
    #[arg(long, value_name = "DOCS", num_args = 1.., requires = "results")]
    docs: Vec<PathBuf>,
    #[command(flatten)]
    input: crate::InputArgs,
    /// Documents longer than this many characters get an error instead of a page.
    #[arg(long, default_value_t = DEFAULT_MAX_CHARS)]
    max_chars: usize,
    #[command(flatten)]
    model: ModelArgs,
}

/// Read an `attribute` output line by line, giving each result to `each` (blank lines skipped);
/// a line that is not a result stops with an error naming it.
fn for_each_line(path: &Path, mut each: impl FnMut(Line)) -> Result<()> {
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read the line", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        each(Line::from_json(&line).with_context(|| format!("{}:{}", path.display(), n + 1))?);
    }
    Ok(())
}

pub fn render(args: RenderArgs) -> Result<ExitCode> {
    let started = Instant::now();
    // The documents are read once: their texts for the pages and, without --results, the
    // pipeline's input (read the same way `attribute` reads them, so ids agree).
    let sources = if args.results.is_some() { &args.docs } else { &args.inputs };
    let mut reader = DocReader::with_options(sources, args.input.options())?;
    let mut docs: Vec<InputDoc> = (&mut reader).collect();
    if let Some(e) = reader.fatal {
        return Err(e.into());
    }
    // HTML pages are shown as their visible text: the pipeline's offsets stay in that text,
    // and a saved output's (which point into the HTML) are mapped back to it.
    let html_maps: HashMap<String, std::sync::Arc<crate::html::SourceMap>> =
        docs.iter_mut().filter_map(|d| Some((d.id.clone(), d.source.take()?))).collect();
    let texts: HashMap<String, String> =
        docs.iter().filter_map(|d| Some((d.id.clone(), d.content.as_ref().ok()?.clone()))).collect();
    let results = match &args.results {
        Some(path) => {
            let mut results = Vec::new();
            for_each_line(path, |mut line| {
                if let Some(map) = html_maps.get(&line.id) {
                    line.map_offsets(|start, end| map.text_span(start, end));
                }
                results.push(DocResult::from(line))
            })?;
            results
        }
        None => {
            let pipeline = Config { max_chars: args.max_chars, ..args.model.config(Job::Attribute) }.load()?;
            let mut lines = Vec::new();
            pipeline.run(docs.into_iter(), &pipeline.run_options(), |chunk| {
                lines.extend(chunk);
                Ok(())
            })?;
            lines.into_iter().map(DocResult::from).collect()
        }
    };

    fs::create_dir_all(&args.output).with_context(|| format!("cannot create {}", args.output.display()))?;
    let mut taken: HashSet<String> = HashSet::from(["index.html".to_string()]);
    let mut entries = Vec::new();
    let mut speakers = SpeakerIndex::new(false);
    let mut failed = 0;
    for result in &results {
        speakers.add(result);
        let file = file_name_for(&result.id, &mut taken);
        let mut shown = result.clone();
        let text = match texts.get(&result.id) {
            Some(t) => t.as_str(),
            None => {
                eprintln!(
                    "whosaid render: no text for document {:?} in the documents given; its page shows no text",
                    result.id
                );
                shown.quotes.clear();
                shown.error.get_or_insert(whosaid_render::DocError {
                    kind: "missing_text".into(),
                    message: "the document's text was not among the documents given to render".into(),
                });
                ""
            }
        };
        if shown.error.is_some() {
            failed += 1;
        }
        let html = page(text, &shown, Some("index.html"))?;
        let path = args.output.join(&file);
        fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))?;
        entries.push(IndexEntry::new(&shown, file));
    }
    let index = args.output.join("index.html");
    fs::write(&index, index_page(&entries, &speakers)).with_context(|| format!("cannot write {}", index.display()))?;
    eprintln!(
        "whosaid render: {} pages and index.html in {} ({:.1} s){}",
        entries.len(),
        args.output.display(),
        started.elapsed().as_secs_f64(),
        if failed > 0 { format!("; {failed} documents had errors (shown on their pages)") } else { String::new() }
    );
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SpeakerFormat {
    Csv,
    Jsonl,
}

#[derive(Args)]
pub struct SpeakersArgs {
    /// `whosaid attribute` outputs (JSONL), read in order.
    #[arg(value_name = "OUT.jsonl", required = true)]
    inputs: Vec<PathBuf>,
    /// csv (with a header line) or jsonl (one speaker a line).
    #[arg(long, value_enum, default_value = "csv")]
    format: SpeakerFormat,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also list unresolved pronouns and descriptions ("he", "the spokesman", type OTHER),
    /// merged by their text; left out by default because they are not one person across
    /// documents.
    #[arg(long)]
    include_unresolved: bool,
}

pub fn speakers(args: SpeakersArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut index = SpeakerIndex::new(args.include_unresolved);
    let mut quotes = 0;
    for path in &args.inputs {
        for_each_line(path, |line| {
            let result = DocResult::from(line);
            quotes += result.quotes.len();
            index.add(&result);
        })?;
    }
    if index.documents == 0 {
        bail!("no results in {}", args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    }
    let rows = index.rows();
    let text = match args.format {
        SpeakerFormat::Csv => whosaid_render::rows_to_csv(&rows),
        SpeakerFormat::Jsonl => whosaid_render::rows_to_jsonl(&rows),
    };
    match &args.output {
        Some(p) => fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write to stdout")?,
    }
    eprintln!(
        "whosaid speakers: {} documents ({} error lines), {} quotations, {} speakers in {:.2} s; left out: {} \
         quotations without a speaker{}",
        index.documents,
        index.failed_documents,
        quotes,
        rows.len(),
        started.elapsed().as_secs_f64(),
        index.without_speaker,
        if args.include_unresolved {
            String::new()
        } else {
            format!(", {} with an unresolved pronoun or description (--include-unresolved)", index.unresolved)
        }
    );
    Ok(ExitCode::SUCCESS)
}
