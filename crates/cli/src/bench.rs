//! `whosaid bench`: throughput of configurations compared fairly.
//!
//! Each measurement is a fresh process (`whosaid bench-run`, hidden), so that its cold start
//! (process start and model load) and its peak memory are its own. Configurations run
//! alternately, round by round, because the machine's speed drifts: a configuration measured
//! after another in a slow spell would otherwise look slower than it is. Per configuration it
//! reports the min, median and max over rounds of documents/s and wordpieces/s, the cold
//! start, per-document latency (documents run one at a time, as a service would see them),
//! peak RSS and where the time goes; with a header naming the machine and the libraries.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser};
use serde::{Deserialize, Serialize};
use whosaid_ner::Backend;

use crate::input::DocReader;
use crate::pipeline::{Config, Job, RunOptions};
use crate::{positive, ModelArgs};

#[derive(Args)]
pub struct BenchArgs {
    /// The corpus: any input `whosaid attribute` takes (JSONL, text files, folders).
    #[arg(required = true, value_name = "CORPUS")]
    corpus: Vec<PathBuf>,
    /// Configurations to compare, each one string of `attribute`'s model and attribution
    /// flags: "" is the default, then for example "--fast", "--model models/whosaid-minilm-l6",
    /// "--backend torch --precision bf16", "--reported rules --no-scorer". Flags are split at
    /// whitespace. The list ends at the next argument that is one of bench's own flags or
    /// neither empty nor a flag (such as CORPUS). Default: the default configuration alone.
    #[arg(long, num_args = 1, action = clap::ArgAction::Append, value_name = "FLAGS", allow_hyphen_values = true)]
    compare: Vec<String>,
    /// Rounds: each round runs every configuration once, in turn.
    #[arg(long, default_value_t = 3, value_parser = positive)]
    rounds: usize,
    /// Thread counts to measure each configuration with, comma-separated (default: all cores).
    #[arg(long, value_delimiter = ',', value_parser = positive)]
    threads: Vec<usize>,
    /// NER batch sizes to measure, comma-separated. Where the engine runs each window alone
    /// (int8), batch size has no effect: bench says so and measures one.
    #[arg(long, value_delimiter = ',', default_values_t = [32], value_parser = positive)]
    batch_sizes: Vec<usize>,
    /// Documents per chunk.
    #[arg(long, default_value_t = 64, value_parser = positive)]
    chunk: usize,
    /// Measure only the first N documents.
    #[arg(long, value_parser = positive)]
    limit: Option<usize>,
    /// Documents timed one at a time, each alone through the pipeline, for the per-document
    /// latency percentiles (0: none).
    #[arg(long, default_value_t = 50)]
    latency_docs: usize,
    /// Print everything as JSON (else a Markdown table, ready for BENCHMARKS.md).
    #[arg(long)]
    json: bool,
}

/// One measurement in its own process: `whosaid bench-run`, started by `whosaid bench`.
#[derive(Args)]
pub struct BenchRunArgs {
    #[arg(required = true)]
    corpus: Vec<PathBuf>,
    #[arg(long, allow_hyphen_values = true, default_value = "")]
    flags: String,
    #[arg(long)]
    threads: usize,
    #[arg(long)]
    batch_size: usize,
    #[arg(long)]
    chunk: usize,
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long)]
    latency_docs: usize,
}

/// bench's own flags, which end a `--compare` list.
const OWN_FLAGS: &[&str] = &[
    "--compare",
    "--rounds",
    "--threads",
    "--batch-sizes",
    "--chunk",
    "--limit",
    "--latency-docs",
    "--json",
    "--help",
];

/// `--compare A B C` as clap takes it, `--compare=A --compare=B --compare=C`: clap cannot tell
/// where a list of values that look like flags ends, so it ends here at bench's own next flag
/// or at a value that is neither empty nor a flag (CORPUS).
pub fn split_compare_lists(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).and_then(|a| a.to_str()) != Some("bench") {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter().peekable();
    while let Some(arg) = iter.next() {
        if arg.to_str() != Some("--compare") {
            out.push(arg);
            continue;
        }
        while let Some(next) = iter.peek() {
            let text = next.to_string_lossy();
            let own = OWN_FLAGS.iter().any(|f| text == *f || text.starts_with(&format!("{f}=")));
            if own || !(text.is_empty() || text.starts_with('-')) {
                break;
            }
            let mut joined = std::ffi::OsString::from("--compare=");
            joined.push(iter.next().expect("peeked"));
            out.push(joined);
        }
    }
    out
}

/// A configuration's flags, parsed as `attribute` parses them.
#[derive(Parser)]
#[command(no_binary_name = true)]
struct FlagSet {
    #[command(flatten)]
    model: ModelArgs,
}

/// Parse one --compare string; threads and batch size belong to bench's own lists.
fn parse_flags(flags: &str) -> Result<ModelArgs> {
    let words: Vec<&str> = flags.split_whitespace().collect();
    let matches = FlagSet::command()
        .try_get_matches_from(&words)
        .map_err(|e| anyhow::anyhow!("--compare {flags:?}: {}", e.render().to_string().trim()))?;
    for own in ["threads", "batch_size"] {
        if matches.value_source(own) == Some(ValueSource::CommandLine) {
            bail!(
                "--compare {flags:?}: give thread counts and batch sizes with bench's own --threads and --batch-sizes"
            );
        }
    }
    Ok(FlagSet::from_arg_matches(&matches)?.model)
}

/// What one process measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunMeasurement {
    pub model: PathBuf,
    pub backend: String,
    pub precision: String,
    /// Rows of one batch change each other's results on this engine: batch size has no effect.
    pub batch_dependent: bool,
    pub documents: usize,
    pub words: usize,
    pub wordpieces: usize,
    /// The corpus run after warm-up, seconds.
    pub seconds: f64,
    /// From the process's start to the model loaded, as measured inside it.
    pub load_seconds: f64,
    /// From the process's start to its report.
    pub total_seconds: f64,
    pub share_tokenize: f64,
    pub share_ner: f64,
    pub share_attribution: f64,
    pub share_coref: f64,
    pub padding_ratio: f64,
    /// Each latency document's time alone through the pipeline, milliseconds.
    pub latencies_ms: Vec<f64>,
    pub peak_rss_mib: Option<f64>,
    /// The libtorch this process loaded (torch configurations), from torch's version.py.
    pub libtorch: Option<String>,
}

/// The length the warm-up documents are cut to, in characters.
const WARM_UP_CHARS: usize = 5_000;

/// The process's peak resident set size in MiB (VmHWM), where /proc has it.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The version of the libtorch mapped into this process (PyPI torch's `version.py` beside
/// its `lib/`), if one is.
fn loaded_libtorch() -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let lib = maps.lines().filter_map(|l| l.split_whitespace().nth(5)).find(|p| p.ends_with("/libtorch_cpu.so"))?;
    let version = Path::new(lib).parent()?.parent()?.join("version.py");
    let text = std::fs::read_to_string(version).ok()?;
    let line = text.lines().find(|l| l.starts_with("__version__"))?;
    Some(line.split('\'').nth(1).or_else(|| line.split('"').nth(1))?.to_string())
}

/// `whosaid bench-run`: one configuration, measured in this process; prints one JSON line.
pub fn bench_run(args: BenchRunArgs, started: Instant) -> Result<ExitCode> {
    let model_args = parse_flags(&args.flags)?;
    let config = Config {
        threads: args.threads,
        batch_size: args.batch_size,
        chunk: args.chunk,
        ..model_args.config(Job::Attribute)
    };
    let pipeline = config.load()?;
    let load_seconds = started.elapsed().as_secs_f64();
    let limit = args.limit.unwrap_or(usize::MAX);
    let options = pipeline.run_options();
    // Warm-up: the first passes allocate and pick kernels. A few documents, each cut short,
    // so that a corpus of one long document is not run twice.
    let warm_up = DocReader::open(&args.corpus)?.take(args.chunk.min(limit).min(8)).map(|mut d| {
        if let Ok(text) = &mut d.content {
            *text = text.chars().take(WARM_UP_CHARS).collect();
        }
        d
    });
    pipeline.run(warm_up, &options, |_| Ok(()))?;
    let mut reader = DocReader::open(&args.corpus)?;
    let mut bytes = Vec::new();
    let t = Instant::now();
    let stats = pipeline.run(reader.by_ref().take(limit), &options, |lines| {
        // Serialised as `attribute` would, then dropped.
        bytes.clear();
        for line in &lines {
            bytes.extend_from_slice(line.to_json().as_bytes());
            bytes.push(b'\n');
        }
        Ok(())
    })?;
    let seconds = t.elapsed().as_secs_f64();
    if let Some(e) = reader.fatal {
        return Err(e.into());
    }
    // Latency: documents one at a time, each alone through the whole pipeline.
    let mut latencies_ms = Vec::new();
    let single = RunOptions { chunk: 1, ..pipeline.run_options() };
    for doc in DocReader::open(&args.corpus)?.take(args.latency_docs.min(limit)) {
        let t = Instant::now();
        pipeline.run(std::iter::once(doc), &single, |_| Ok(()))?;
        latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let share = |d: std::time::Duration| d.as_secs_f64() / seconds;
    let (dir, backend, precision) = pipeline.engine();
    let measurement = RunMeasurement {
        model: dir.to_path_buf(),
        backend: backend.as_str().to_string(),
        precision: precision.as_str().to_string(),
        batch_dependent: pipeline.model().capabilities().batch_dependent,
        documents: stats.documents,
        words: stats.words,
        wordpieces: stats.ner.wordpieces,
        seconds,
        load_seconds,
        total_seconds: 0.0,
        share_tokenize: share(stats.times.tokenize),
        share_ner: share(stats.times.ner),
        share_attribution: share(stats.times.attribution),
        share_coref: share(stats.times.coref),
        padding_ratio: if stats.ner.wordpieces > 0 {
            stats.ner.padded_wordpieces as f64 / stats.ner.wordpieces as f64
        } else {
            1.0
        },
        latencies_ms,
        peak_rss_mib: peak_rss_mib(),
        libtorch: if backend == Backend::Torch { loaded_libtorch() } else { None },
    };
    let measurement = RunMeasurement { total_seconds: started.elapsed().as_secs_f64(), ..measurement };
    println!("{}", serde_json::to_string(&measurement)?);
    Ok(ExitCode::SUCCESS)
}

/// A value's min, median and max over rounds.
#[derive(Clone, Copy, Debug, Serialize)]
struct Spread {
    min: f64,
    median: f64,
    max: f64,
}

fn spread(values: &[f64]) -> Spread {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let median = if v.is_empty() {
        f64::NAN
    } else if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    };
    Spread { min: *v.first().unwrap_or(&f64::NAN), median, max: *v.last().unwrap_or(&f64::NAN) }
}

/// The `q` quantile (0..1) of `values`, nearest rank.
fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len().max(1));
    v.get(rank - 1).copied()
}

/// One round's figures for one configuration.
#[derive(Serialize)]
struct Round {
    round: usize,
    documents_per_s: f64,
    wordpieces_per_s: f64,
    /// Process start to model loaded (the parent's wall time less what ran after the load).
    cold_start_s: f64,
    seconds: f64,
    peak_rss_mib: Option<f64>,
    latency_ms: Option<Latency>,
}

#[derive(Clone, Copy, Serialize)]
struct Latency {
    p50: f64,
    p90: f64,
    p99: f64,
}

fn latency(ms: &[f64]) -> Option<Latency> {
    Some(Latency { p50: quantile(ms, 0.5)?, p90: quantile(ms, 0.9)?, p99: quantile(ms, 0.99)? })
}

/// A configuration and what its rounds measured.
#[derive(Serialize)]
struct ConfigReport {
    flags: String,
    threads: usize,
    batch_size: usize,
    model: PathBuf,
    backend: String,
    precision: String,
    documents: usize,
    wordpieces: usize,
    documents_per_s: Spread,
    wordpieces_per_s: Spread,
    cold_start_s: Spread,
    /// Over every round's latency documents together.
    latency_ms: Option<Latency>,
    /// The highest of the rounds'.
    peak_rss_mib: Option<f64>,
    /// Shares of the last round's wall time per stage; `other` is reading, writing and JSON.
    share_tokenize: f64,
    share_ner: f64,
    share_attribution: f64,
    share_coref: f64,
    share_other: f64,
    padding_ratio: f64,
    rounds: Vec<Round>,
    #[serde(skip)]
    measurements: Vec<RunMeasurement>,
}

/// The machine and the software, for the report's header.
#[derive(Serialize)]
struct Header {
    cpu: String,
    /// The CPU flags that decide int8 and bf16 speed.
    cpu_flags: Vec<String>,
    cores: usize,
    onnxruntime: Option<String>,
    libtorch: Option<String>,
    whosaid: String,
    commit: String,
    date: String,
}

fn header(libtorch: Option<String>) -> Header {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let flags = field("flags");
    let cpu_flags = ["avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"]
        .into_iter()
        .filter(|f| flags.split_whitespace().any(|x| x == *f))
        .map(str::to_string)
        .collect();
    let onnxruntime = whosaid_ner::onnx::find_dylib().and_then(|p| {
        let name = p.file_name()?.to_string_lossy().into_owned();
        name.strip_prefix("libonnxruntime.so.").map(str::to_string)
    });
    Header {
        cpu: field("model name"),
        cpu_flags,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        onnxruntime,
        libtorch,
        whosaid: env!("CARGO_PKG_VERSION").to_string(),
        commit: env!("WHOSAID_GIT_COMMIT").to_string(),
        date: utc_now(),
    }
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Measure `flags` once in a fresh process.
fn measure(args: &BenchArgs, flags: &str, threads: usize, batch_size: usize) -> Result<(RunMeasurement, f64)> {
    let exe = std::env::current_exe().context("cannot find the whosaid executable")?;
    let mut cmd = Command::new(exe);
    cmd.arg("bench-run").args(&args.corpus).arg(format!("--flags={flags}"));
    cmd.args(["--threads", &threads.to_string(), "--batch-size", &batch_size.to_string()]);
    cmd.args(["--chunk", &args.chunk.to_string(), "--latency-docs", &args.latency_docs.to_string()]);
    if let Some(limit) = args.limit {
        cmd.args(["--limit", &limit.to_string()]);
    }
    let t = Instant::now();
    let out = cmd.output().context("cannot start a measurement")?;
    let wall = t.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!("the configuration {flags:?} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let m: RunMeasurement = serde_json::from_str(line.trim()).context("a measurement's report is not JSON")?;
    // Process start and model load: what the parent waited for, less what ran after the load.
    let cold_start = (wall - (m.total_seconds - m.load_seconds)).max(m.load_seconds);
    Ok((m, cold_start))
}

pub fn bench(args: BenchArgs) -> Result<ExitCode> {
    let flag_sets: Vec<String> = if args.compare.is_empty() { vec![String::new()] } else { args.compare.clone() };
    for flags in &flag_sets {
        parse_flags(flags)?.config(Job::Attribute).choose()?;
    }
    let threads = if args.threads.is_empty() {
        vec![std::thread::available_parallelism().map_or(1, |n| n.get())]
    } else {
        args.threads.clone()
    };
    let mut reports: Vec<ConfigReport> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    // Every (flags, threads, batch size), measured in turn within each round.
    let mut plan: Vec<(String, usize, usize)> = Vec::new();
    for flags in &flag_sets {
        for &t in &threads {
            for &b in &args.batch_sizes {
                plan.push((flags.clone(), t, b));
            }
        }
    }
    for round in 1..=args.rounds {
        let mut i = 0;
        while i < plan.len() {
            let (flags, t, b) = plan[i].clone();
            if !args.json {
                eprintln!("round {round}/{}: {flags:?}, {t} threads, batch size {b}", args.rounds);
            }
            let (m, cold_start) = measure(&args, &flags, t, b)?;
            if round == 1 && m.batch_dependent {
                // The engine runs windows alone: other batch sizes would repeat this run.
                let before = plan.len();
                plan.retain(|(f, tt, bb)| !(f == &flags && *tt == t && *bb != b));
                if plan.len() < before {
                    notes.push(format!(
                        "{flags:?} runs on {} {}, which runs each window alone: batch size has no effect, measured at {b} only",
                        m.backend, m.precision
                    ));
                }
            }
            let report = match reports.iter_mut().find(|r| r.flags == flags && r.threads == t && r.batch_size == b) {
                Some(r) => r,
                None => {
                    reports.push(ConfigReport {
                        flags: flags.clone(),
                        threads: t,
                        batch_size: b,
                        model: m.model.clone(),
                        backend: m.backend.clone(),
                        precision: m.precision.clone(),
                        documents: m.documents,
                        wordpieces: m.wordpieces,
                        documents_per_s: spread(&[]),
                        wordpieces_per_s: spread(&[]),
                        cold_start_s: spread(&[]),
                        latency_ms: None,
                        peak_rss_mib: None,
                        share_tokenize: 0.0,
                        share_ner: 0.0,
                        share_attribution: 0.0,
                        share_coref: 0.0,
                        share_other: 0.0,
                        padding_ratio: 1.0,
                        rounds: Vec::new(),
                        measurements: Vec::new(),
                    });
                    reports.last_mut().expect("just pushed")
                }
            };
            report.rounds.push(Round {
                round,
                documents_per_s: m.documents as f64 / m.seconds,
                wordpieces_per_s: m.wordpieces as f64 / m.seconds,
                cold_start_s: cold_start,
                seconds: m.seconds,
                peak_rss_mib: m.peak_rss_mib,
                latency_ms: latency(&m.latencies_ms),
            });
            report.measurements.push(m);
            i += 1;
        }
    }
    let mut libtorch = None;
    for r in &mut reports {
        let rounds = &r.rounds;
        r.documents_per_s = spread(&rounds.iter().map(|x| x.documents_per_s).collect::<Vec<_>>());
        r.wordpieces_per_s = spread(&rounds.iter().map(|x| x.wordpieces_per_s).collect::<Vec<_>>());
        r.cold_start_s = spread(&rounds.iter().map(|x| x.cold_start_s).collect::<Vec<_>>());
        let all: Vec<f64> = r.measurements.iter().flat_map(|m| m.latencies_ms.iter().copied()).collect();
        r.latency_ms = latency(&all);
        r.peak_rss_mib = r.measurements.iter().filter_map(|m| m.peak_rss_mib).reduce(f64::max);
        if let Some(last) = r.measurements.last() {
            r.share_tokenize = last.share_tokenize;
            r.share_ner = last.share_ner;
            r.share_attribution = last.share_attribution;
            r.share_coref = last.share_coref;
            r.share_other = (1.0 - last.share_tokenize - last.share_ner - last.share_attribution).max(0.0);
            r.padding_ratio = last.padding_ratio;
        }
        libtorch = libtorch.or_else(|| r.measurements.iter().find_map(|m| m.libtorch.clone()));
    }
    let header = header(libtorch);
    if args.json {
        let report = serde_json::json!({
            "machine": header,
            "corpus": args.corpus,
            "rounds": args.rounds,
            "latency_documents": args.latency_docs,
            "configurations": reports,
            "notes": notes,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", markdown(&header, &args, &reports, &notes));
    }
    Ok(ExitCode::SUCCESS)
}

fn markdown(h: &Header, args: &BenchArgs, reports: &[ConfigReport], notes: &[String]) -> String {
    let mut s = String::new();
    let lib = |v: &Option<String>| v.clone().unwrap_or_else(|| "not loaded".into());
    s += &format!(
        "`whosaid bench`, {}, git {}, whosaid {}: {} ({} cores; {}), ONNX Runtime {}, libtorch {}. Corpus {:?}, \
         {} rounds, configurations alternating; latency over {} documents run one at a time.\n\n",
        h.date,
        h.commit,
        h.whosaid,
        h.cpu,
        h.cores,
        if h.cpu_flags.is_empty() { "no AVX-512".to_string() } else { h.cpu_flags.join(", ") },
        lib(&h.onnxruntime),
        lib(&h.libtorch),
        args.corpus,
        args.rounds,
        args.latency_docs
    );
    s += "| configuration | engine | threads | batch | documents/s min / median / max | wordpieces/s median | \
          cold start s median | latency ms p50 / p90 / p99 | peak RSS MiB | NER / attribution / other |\n";
    s += "|---|---|---|---|---|---|---|---|---|---|\n";
    for r in reports {
        let name = if r.flags.is_empty() { "(default)".to_string() } else { format!("`{}`", r.flags) };
        let lat = r.latency_ms.map_or("n/a".to_string(), |l| format!("{:.1} / {:.1} / {:.1}", l.p50, l.p90, l.p99));
        s += &format!(
            "| {name} | {} {} | {} | {} | {:.2} / {:.2} / {:.2} | {:.0} | {:.2} | {lat} | {} | {:.1}% / {:.1}% / {:.1}% |\n",
            r.backend,
            r.precision,
            r.threads,
            r.batch_size,
            r.documents_per_s.min,
            r.documents_per_s.median,
            r.documents_per_s.max,
            r.wordpieces_per_s.median,
            r.cold_start_s.median,
            r.peak_rss_mib.map_or("n/a".to_string(), |m| format!("{m:.0}")),
            100.0 * r.share_ner,
            100.0 * r.share_attribution,
            100.0 * r.share_other,
        );
    }
    for n in notes {
        s += &format!("\nNote: {n}.\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_and_quantiles() {
        let s = spread(&[3.0, 1.0, 2.0]);
        assert_eq!((s.min, s.median, s.max), (1.0, 2.0, 3.0));
        assert_eq!(spread(&[1.0, 2.0]).median, 1.5);
        let ms: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&ms, 0.5), Some(50.0));
        assert_eq!(quantile(&ms, 0.99), Some(99.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert!(utc_now().ends_with('Z') && utc_now().len() == 20);
    }

    #[test]
    fn compare_lists_end_at_benchs_own_flags_and_the_corpus() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let split =
            split_compare_lists(args(&["whosaid", "bench", "--compare", "", "--fast", "--rounds", "3", "c.jsonl"]));
        assert_eq!(split, args(&["whosaid", "bench", "--compare=", "--compare=--fast", "--rounds", "3", "c.jsonl"]));
        let split = split_compare_lists(args(&["whosaid", "bench", "--compare", "--model m", "c.jsonl"]));
        assert_eq!(split, args(&["whosaid", "bench", "--compare=--model m", "c.jsonl"]));
        assert_eq!(split_compare_lists(args(&["whosaid", "attribute", "--compare"])).len(), 3);
    }

    #[test]
    fn compare_flags_parse_as_attribute_flags() {
        assert!(parse_flags("").is_ok());
        assert!(parse_flags("--fast").unwrap().engine.fast);
        assert!(parse_flags("--threads 4").err().expect("refused").to_string().contains("--threads"));
        assert!(parse_flags("--no-such-flag").is_err());
    }
}
