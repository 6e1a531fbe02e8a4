//! `whosaid bench`: where the time goes, across thread counts and batch sizes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Args;
use serde::Serialize;
use whosaid_ner::{Backend, NerOptions, Precision};

use crate::input::DocReader;
use crate::pipeline::{choose_model, load_model, model_search_path, run, Job, RunOptions};

#[derive(Args)]
pub struct BenchArgs {
    /// The corpus: any input `whosaid attribute` takes (JSONL, .txt files, directories).
    #[arg(required = true, value_name = "CORPUS")]
    corpus: Vec<PathBuf>,
    /// Thread counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = default_thread_counts(), value_parser = crate::positive)]
    threads: Vec<usize>,
    /// NER batch sizes (sentence windows per forward pass) to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [32], value_parser = crate::positive)]
    batch_sizes: Vec<usize>,
    /// Documents per chunk.
    #[arg(long, default_value_t = 64, value_parser = crate::positive)]
    chunk: usize,
    /// Measure only the first N documents.
    #[arg(long)]
    limit: Option<usize>,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// NER model directory (default as for `attribute`).
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Run NER on every sentence (as `attribute --all-sentences`).
    #[arg(long)]
    all_sentences: bool,
    /// NER backend: onnx or torch (default as for `attribute`: onnx int8 where the model has
    /// its int8 graph).
    #[arg(long)]
    backend: Option<Backend>,
    /// Number format of the NER model: int8 (onnx), fp32 or bf16 (torch).
    #[arg(long)]
    precision: Option<Precision>,
    /// The fast configuration, as `attribute --fast`.
    #[arg(long, conflicts_with_all = ["model", "backend", "precision"])]
    fast: bool,
}

fn default_thread_counts() -> Vec<usize> {
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    if n > 1 {
        vec![1, n]
    } else {
        vec![1]
    }
}

/// One measured configuration.
#[derive(Serialize)]
struct BenchRow {
    threads: usize,
    batch_size: usize,
    documents: usize,
    words: usize,
    seconds: f64,
    documents_per_s: f64,
    words_per_s: f64,
    /// Real wordpieces (no padding) per second of NER time.
    ner_wordpieces_per_s: f64,
    /// Share of the wall time per stage; `other` is reading, writing and JSON.
    share_tokenize: f64,
    share_ner: f64,
    share_attribution: f64,
    /// The part of attribution that is coreference (layout, mention proposal, resolution).
    share_coref: f64,
    share_other: f64,
    /// Wordpieces fed to the model including padding, over real wordpieces.
    padding_ratio: f64,
    peak_rss_mib: Option<f64>,
}

/// The process's peak resident set size in MiB (VmHWM), where /proc has it.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Reset the peak RSS to the current RSS (Linux >= 4.0); false where that is not possible.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub fn bench(args: BenchArgs) -> Result<ExitCode> {
    if args.threads.contains(&0) || args.batch_sizes.contains(&0) {
        bail!("--threads and --batch-sizes take positive numbers");
    }
    let search = model_search_path(true, None);
    let (model_dir, backend, precision) =
        choose_model(&search, args.fast, args.model.as_deref(), args.backend, args.precision)?;
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    let resets = reset_peak_rss();
    for &threads in &args.threads {
        // Loaded per thread count: ONNX Runtime fixes its threads when a session is made.
        let model = load_model(&model_dir, threads, backend, precision)?;
        let pool = crate::thread_pool(threads)?;
        // Warm-up: the first passes allocate and pick kernels.
        let options = RunOptions { chunk: args.chunk, ..RunOptions::new(Job::Attribute, NerOptions::default()) };
        run(&model, DocReader::open(&args.corpus)?.take(args.chunk.min(limit)), &options, &pool, |_| Ok(()))?;
        for &batch_size in &args.batch_sizes {
            let options = RunOptions {
                chunk: args.chunk,
                ..RunOptions::new(
                    Job::Attribute,
                    NerOptions { batch_size, only_capitalised: !args.all_sentences, with_states: false },
                )
            };
            let mut reader = DocReader::open(&args.corpus)?;
            reset_peak_rss();
            let t = Instant::now();
            let mut sink_bytes = Vec::new();
            let stats = run(&model, reader.by_ref().take(limit), &options, &pool, |lines| {
                // Serialise as `attribute` would, then drop.
                sink_bytes.clear();
                for line in &lines {
                    sink_bytes.extend_from_slice(line.to_json().as_bytes());
                    sink_bytes.push(b'\n');
                }
                Ok(())
            })?;
            let seconds = t.elapsed().as_secs_f64();
            if let Some(e) = reader.fatal {
                return Err(e.into());
            }
            let ner_s = stats.times.ner.as_secs_f64();
            let share = |d: std::time::Duration| d.as_secs_f64() / seconds;
            let (tok, ner, att) = (share(stats.times.tokenize), share(stats.times.ner), share(stats.times.attribution));
            let row = BenchRow {
                threads,
                batch_size,
                documents: stats.documents,
                words: stats.words,
                seconds,
                documents_per_s: stats.documents as f64 / seconds,
                words_per_s: stats.words as f64 / seconds,
                ner_wordpieces_per_s: if ner_s > 0.0 { stats.ner.wordpieces as f64 / ner_s } else { 0.0 },
                share_tokenize: tok,
                share_ner: ner,
                share_attribution: att,
                share_coref: share(stats.times.coref),
                share_other: (1.0 - tok - ner - att).max(0.0),
                padding_ratio: if stats.ner.wordpieces > 0 {
                    stats.ner.padded_wordpieces as f64 / stats.ner.wordpieces as f64
                } else {
                    1.0
                },
                peak_rss_mib: peak_rss_mib(),
            };
            if !args.json {
                eprintln!(
                    "measured threads {threads}, batch size {batch_size}: {:.2} documents/s",
                    row.documents_per_s
                );
            }
            rows.push(row);
        }
    }

    if args.json {
        let report = serde_json::json!({
            "corpus": args.corpus,
            "model": model_dir,
            "all_sentences": args.all_sentences,
            "backend": format!("{:?}", backend).to_lowercase(),
            "precision": format!("{:?}", precision).to_lowercase(),
            "peak_rss_is_per_run": resets,
            "runs": rows,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "corpus {:?}, model {}, backend {:?}, precision {:?}",
            args.corpus,
            model_dir.display(),
            backend,
            precision
        );
        println!(
            "{:>7} {:>5} {:>6} {:>8} {:>8} {:>7} {:>9} {:>10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>9}",
            "threads",
            "batch",
            "docs",
            "words",
            "seconds",
            "docs/s",
            "words/s",
            "ner-wp/s",
            "tok%",
            "ner%",
            "attr%",
            "coref%",
            "other%",
            "padding",
            "peak-MiB"
        );
        for r in &rows {
            println!(
                "{:>7} {:>5} {:>6} {:>8} {:>8.2} {:>7.2} {:>9.0} {:>10.0} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>7.3} {:>9}",
                r.threads,
                r.batch_size,
                r.documents,
                r.words,
                r.seconds,
                r.documents_per_s,
                r.words_per_s,
                r.ner_wordpieces_per_s,
                100.0 * r.share_tokenize,
                100.0 * r.share_ner,
                100.0 * r.share_attribution,
                100.0 * r.share_coref,
                100.0 * r.share_other,
                r.padding_ratio,
                r.peak_rss_mib.map(|m| format!("{m:.0}")).unwrap_or_else(|| "n/a".into())
            );
        }
        if !resets {
            println!("(peak RSS is the process's high-water mark so far: /proc/self/clear_refs was not writable)");
        }
    }
    Ok(ExitCode::SUCCESS)
}
