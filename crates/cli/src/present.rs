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
use whosaid_render::{
    file_name_for, index_page, merge_key, page, report_page, row_index_by_name, AliasTable, DocResult, GenderSummary,
    IndexEntry, PageSpeakers, ReportOptions, SpeakerIndex,
};

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
    /// An alias file (CSV: id, name, aliases separated by | or ;, optional Wikidata QID,
    /// optional gender) whose ids and names the index and the pages' info panels use.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
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

/// Documents read for their pages: the texts by id, the HTML pages' maps from visible text
/// to page offsets, and the documents themselves (for the pipeline).
struct PageSources {
    texts: HashMap<String, String>,
    html_maps: HashMap<String, std::sync::Arc<crate::html::SourceMap>>,
    docs: Vec<InputDoc>,
}

/// Read documents once, the way `attribute` reads them, so that ids agree.
fn read_page_sources(sources: &[PathBuf], input: &crate::InputArgs) -> Result<PageSources> {
    let mut reader = DocReader::with_options(sources, input.options())?;
    let mut docs: Vec<InputDoc> = (&mut reader).collect();
    if let Some(e) = reader.fatal {
        return Err(e.into());
    }
    // HTML pages are shown as their visible text: the pipeline's offsets stay in that text,
    // and a saved output's (which point into the HTML) are mapped back to it.
    let html_maps = docs.iter_mut().filter_map(|d| Some((d.id.clone(), d.source.take()?))).collect();
    let texts = docs.iter().filter_map(|d| Some((d.id.clone(), d.content.as_ref().ok()?.clone()))).collect();
    Ok(PageSources { texts, html_maps, docs })
}

/// A saved `attribute` output, its HTML documents' offsets mapped to their visible text.
fn read_results(paths: &[PathBuf], sources: Option<&PageSources>) -> Result<Vec<DocResult>> {
    let mut results = Vec::new();
    for path in paths {
        for_each_line(path, |mut line| {
            if let Some(map) = sources.and_then(|s| s.html_maps.get(&line.id)) {
                line.map_offsets(|start, end| map.text_span(start, end));
            }
            results.push(DocResult::from(line))
        })?;
    }
    Ok(results)
}

/// Write one page per result and index.html into `dir`, coloured by the corpus `rows`;
/// returns (pages, documents with errors).
fn write_pages(
    results: &[DocResult],
    texts: &HashMap<String, String>,
    rows: &[whosaid_render::SpeakerRow],
    dir: &Path,
) -> Result<(usize, usize)> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Each document name's corpus speaker: its id, and its rank (the palette slot it prefers).
    let corpus = row_index_by_name(rows);
    let mut taken: HashSet<String> = HashSet::from(["index.html".to_string()]);
    let mut entries = Vec::new();
    let mut failed = 0;
    for result in results {
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
        let colours =
            PageSpeakers::new(&shown, |name| corpus.get(&merge_key(name)).map(|&rank| (rows[rank].id.clone(), rank)));
        let html = page(text, &shown, Some("index.html"), &colours)?;
        let path = dir.join(&file);
        fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))?;
        entries.push(IndexEntry::new(&shown, file));
    }
    let index = dir.join("index.html");
    fs::write(&index, index_page(&entries, rows)).with_context(|| format!("cannot write {}", index.display()))?;
    Ok((entries.len(), failed))
}

/// The corpus speaker rows of `results`.
fn corpus_rows(results: &[DocResult], aliases: Option<&Path>) -> Result<Vec<whosaid_render::SpeakerRow>> {
    let aliases = aliases.map(AliasTable::read).transpose()?;
    let mut speakers = SpeakerIndex::new(false);
    results.iter().for_each(|r| speakers.add(r));
    Ok(speakers.rows(aliases.as_ref(), false))
}

pub fn render(args: RenderArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut sources = read_page_sources(if args.results.is_some() { &args.docs } else { &args.inputs }, &args.input)?;
    let results = match &args.results {
        Some(path) => read_results(std::slice::from_ref(path), Some(&sources))?,
        None => {
            let pipeline = Config { max_chars: args.max_chars, ..args.model.config(Job::Attribute) }.load()?;
            let mut lines = Vec::new();
            pipeline.run(std::mem::take(&mut sources.docs).into_iter(), &pipeline.run_options(), |chunk| {
                lines.extend(chunk);
                Ok(())
            })?;
            lines.into_iter().map(DocResult::from).collect()
        }
    };
    let rows = corpus_rows(&results, args.aliases.as_deref())?;
    let (pages, failed) = write_pages(&results, &sources.texts, &rows, &args.output)?;
    eprintln!(
        "whosaid render: {} pages and index.html in {} ({:.1} s){}",
        pages,
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
    /// Persons' quotations and distinct speakers by gender, and organisations' (JSON).
    Summary,
}

#[derive(Args)]
pub struct SpeakersArgs {
    /// `whosaid attribute` outputs (JSONL), read in order.
    #[arg(value_name = "OUT.jsonl", required = true)]
    inputs: Vec<PathBuf>,
    /// csv (with a header line), jsonl (one speaker a line) or summary (quotations and
    /// distinct speakers by gender, as JSON).
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
    /// An alias file (CSV, one speaker a line: id, name, aliases separated by | or ;,
    /// optional Wikidata QID, optional gender female/male/unknown; a first line starting
    /// "id," is a header). Its names are one speaker under its id and name, with its QID; its
    /// gender is used where the documents' own references give none.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Add each speaker's merged names with the reason for each merge (middle_name,
    /// nickname, initial, formal_suffix, surname_only, short_name, acronym, spelling,
    /// alias_file): a `merged` column in csv, a `merged` list in jsonl.
    #[arg(long)]
    explain: bool,
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
    let aliases = args.aliases.as_deref().map(AliasTable::read).transpose()?;
    let rows = index.rows(aliases.as_ref(), args.explain);
    let summary = GenderSummary::of(&rows);
    let text = match args.format {
        SpeakerFormat::Csv => whosaid_render::rows_to_csv(&rows, args.explain),
        SpeakerFormat::Jsonl => whosaid_render::rows_to_jsonl(&rows),
        SpeakerFormat::Summary => serde_json::to_string_pretty(&summary)? + "\n",
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
    let line = |what: &str, c: &whosaid_render::GenderCount| {
        format!("{what} {} quotations / {} speakers", c.quotes, c.speakers)
    };
    eprintln!(
        "whosaid speakers: persons by gender as the text refers to them: {}; {}; {}; organisations {} quotations / {} \
         speakers",
        line("female", &summary.female),
        line("male", &summary.male),
        line("unknown", &summary.unknown),
        summary.organisations.quotes,
        summary.organisations.speakers
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ReportArgs {
    /// `whosaid attribute` outputs (JSONL), read in order.
    #[arg(value_name = "OUT.jsonl", required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder (created if missing): report.html is written there.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// A field of the input records (carried in each line's `meta`) to break quotations and
    /// speakers down by, such as an outlet; may be given more than once.
    #[arg(long, value_name = "FIELD")]
    by: Vec<String>,
    /// A field of the input records holding a date (ISO 8601, "2016-09-12..."): quotations
    /// and speakers by month.
    #[arg(long, value_name = "FIELD")]
    date: Option<String>,
    /// How many speakers the most-quoted chart shows.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// An alias file, as `whosaid speakers --aliases` takes it.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// The documents the outputs were run on (files, folders or JSONL, as given to
    /// `attribute`): also write their pages and index.html beside report.html, as `whosaid
    /// render --results` does, so that the report's table links to them.
    #[arg(long, value_name = "DOCS", num_args = 1..)]
    docs: Vec<PathBuf>,
    #[command(flatten)]
    input: crate::InputArgs,
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let sources = if args.docs.is_empty() { None } else { Some(read_page_sources(&args.docs, &args.input)?) };
    let results = read_results(&args.inputs, sources.as_ref())?;
    if results.is_empty() {
        bail!("no results in {}", args.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    }
    let rows = corpus_rows(&results, args.aliases.as_deref())?;
    for field in args.by.iter().chain(&args.date) {
        if !results.iter().any(|r| r.meta.as_ref().is_some_and(|m| m.contains_key(field))) {
            eprintln!(
                "whosaid report: no document has the field {field:?} (input records' fields other than id and text \
                 are carried in each line's meta); its breakdown shows every quotation under (none)"
            );
        }
    }
    let options = ReportOptions { by: args.by, date: args.date, top: args.top };
    let html = report_page(&results, &rows, &options);
    fs::create_dir_all(&args.output).with_context(|| format!("cannot create {}", args.output.display()))?;
    let path = args.output.join("report.html");
    fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))?;
    let pages = match &sources {
        Some(s) => format!(", {} pages and index.html", write_pages(&results, &s.texts, &rows, &args.output)?.0),
        None => String::new(),
    };
    eprintln!(
        "whosaid report: {} documents, {} speakers: {}{pages} ({:.2} s)",
        results.len(),
        rows.len(),
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
