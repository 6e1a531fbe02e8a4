//! `whosaid eval`: score quotations against a gold JSONL.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use whosaid_attribution::eval::{
    score, score_genders, score_resolved, GenderRecord, GenderScore, GoldRecord, GroupScore, Report, ResolvedRecord,
    ResolvedScore, SystemQuote, SystemSpeakerGender,
};

use crate::input::DocReader;
use crate::output::LineWriter;
use crate::pipeline::{read_known_entities, Job, RunOptions};
use crate::wire::LineResult;
use crate::ModelArgs;

type SystemOutput = HashMap<String, Vec<(SystemQuote, Option<f32>)>>;

/// Every record of a JSONL file of gold records (`what` names them in errors).
fn read_records<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<Vec<T>> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {what} file {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}: not a {what} record", path.display(), n + 1))
        })
        .collect()
}

/// Add one output line to the system output; returns its document id.
fn add_system_line(line: &Value, out: &mut SystemOutput) -> Result<String> {
    let id = line.get("id").and_then(Value::as_str).context("output line without an id")?.to_string();
    let mut quotes = Vec::new();
    for q in line.get("quotes").and_then(Value::as_array).into_iter().flatten() {
        let conf = q.get("confidence").and_then(Value::as_f64).map(|c| c as f32);
        quotes.push((
            serde_json::from_value::<SystemQuote>(q.clone()).context("malformed quotation in system output")?,
            conf,
        ));
    }
    out.insert(id.clone(), quotes);
    Ok(id)
}

/// Is this file a system output (its lines carry "quotes" or "error")?
fn is_system_output(path: &Path) -> Result<bool> {
    if path.is_dir() {
        return Ok(false);
    }
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else { bail!("{} is empty", path.display()) };
    let v: Value = serde_json::from_str(first).unwrap_or(Value::Null);
    Ok(v.get("quotes").is_some() || (v.get("error").is_some() && v.get("text").is_none()))
}

/// `whosaid eval`'s own arguments (the model's are [`ModelArgs`]).
pub struct EvalArgs {
    pub input: PathBuf,
    pub gold: Option<PathBuf>,
    pub json: bool,
    pub errors: bool,
    pub save_output: Option<PathBuf>,
    pub entities: Option<PathBuf>,
    pub outcomes: Option<PathBuf>,
    pub resolved: Option<PathBuf>,
    pub genders: Option<PathBuf>,
}

pub fn eval(args: EvalArgs, model_args: ModelArgs) -> Result<ExitCode> {
    let EvalArgs { input, gold, json, errors, save_output, entities, outcomes, resolved, genders } = args;
    let gold_path = match gold {
        Some(g) => g,
        None if input.is_dir() => input.join("gold.jsonl"),
        None => bail!("--gold FILE is needed when INPUT is not a directory holding gold.jsonl"),
    };
    let gold: Vec<GoldRecord> = read_records(&gold_path, "gold")?;
    let resolved: Option<Vec<ResolvedRecord>> =
        resolved.as_deref().map(|p| read_records(p, "resolved-speaker")).transpose()?;
    let genders: Option<Vec<GenderRecord>> =
        genders.as_deref().map(|p| read_records(p, "speaker-gender")).transpose()?;
    let mut system = SystemOutput::new();
    let mut speakers: HashMap<String, Vec<SystemSpeakerGender>> = HashMap::new();
    let mut ids = Vec::new();
    if is_system_output(&input)? {
        let text = fs::read_to_string(&input)?;
        for (n, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let v: Value =
                serde_json::from_str(l).with_context(|| format!("{}:{}: not JSON", input.display(), n + 1))?;
            let id = add_system_line(&v, &mut system)?;
            let listed = v.get("speakers").cloned().unwrap_or(Value::Null);
            let listed: Vec<SystemSpeakerGender> = serde_json::from_value(listed).unwrap_or_default();
            speakers.insert(id.clone(), listed);
            ids.push(id);
        }
    } else {
        let docs_path =
            if input.is_dir() && input.join("docs.jsonl").is_file() { input.join("docs.jsonl") } else { input.clone() };
        let pipeline = model_args.config(Job::Attribute).load()?;
        let mut reader = DocReader::open(&[docs_path])?;
        let mut saved = match &save_output {
            Some(p) => Some(LineWriter::file(p, false)?.0),
            None => None,
        };
        let known = entities.as_deref().map(read_known_entities).transpose()?;
        let options = RunOptions { known: known.as_ref(), ..pipeline.run_options() };
        pipeline.run(&mut reader, &options, |lines| {
            if let Some(w) = saved.as_mut() {
                w.write_chunk(&lines)?;
            }
            for line in &lines {
                let quotes = match &line.result {
                    LineResult::Attribution { quotes, speakers: listed } => {
                        let listed = listed
                            .iter()
                            .map(|s| SystemSpeakerGender {
                                name: s.name.clone(),
                                gender: s.gender.map(|g| g.as_str().to_string()),
                                gender_evidence: s.gender_evidence.map(|e| e.as_str().to_string()),
                            })
                            .collect();
                        speakers.insert(line.id.clone(), listed);
                        quotes.iter().map(|q| (SystemQuote::from(q), Some(q.confidence as f32))).collect()
                    }
                    _ => Vec::new(),
                };
                system.insert(line.id.clone(), quotes);
                ids.push(line.id.clone());
            }
            Ok(())
        })?;
        if let Some(e) = reader.fatal {
            return Err(e.into());
        }
    }
    let report = score(&gold, &system, &ids);
    let resolved = resolved.map(|records| score_resolved(&records, &system));
    let genders = genders.map(|records| score_genders(&records, &speakers));
    if json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(r) = &resolved {
            value["resolved"] = serde_json::to_value(r)?;
        }
        if let Some(g) = &genders {
            value["genders"] = serde_json::to_value(g)?;
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print_report(&report, &gold_path);
        if let Some(r) = &resolved {
            print_resolved(r);
        }
        if let Some(g) = &genders {
            print_genders(g);
        }
    }
    if errors {
        print_errors(&report);
        if let Some(r) = &resolved {
            for (record, got) in &r.wrong {
                println!(
                    "{}\tresolved\twrong_name\t{}..{}\tfixture {:?} ({}), system {:?}",
                    record.doc, record.start, record.end, record.name, record.mention, got
                );
            }
        }
        if let Some(g) = &genders {
            for (doc, name, gold, got) in &g.misses {
                println!("{doc}\tgender\t{name}\tfixture {gold}, system {got}");
            }
        }
    }
    if let Some(path) = outcomes {
        let mut text = String::new();
        for o in &report.outcomes {
            text.push_str(&serde_json::to_string(o)?);
            text.push('\n');
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn row(name: &str, g: &GroupScore) {
    println!(
        "{:<9} {:>6} {:>6} {:>6} {:>9.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
        name,
        g.core_gold,
        g.system,
        g.correct,
        g.span_precision,
        g.span_recall,
        g.speaker_accuracy,
        g.precision,
        g.recall,
        g.f1
    );
}

fn print_report(r: &Report, gold: &Path) {
    println!("{} documents scored against {}", r.documents, gold.display());
    println!(
        "{:<9} {:>6} {:>6} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "group", "gold", "system", "right", "span-P", "span-R", "spk-acc", "e2e-P", "e2e-R", "e2e-F1"
    );
    row("quoted", &r.quoted);
    row("reported", &r.reported);
    // Calibration: of the quotations that count for precision, how often each confidence
    // bin is right (matched, correct speaker).
    let cal = &r.calibration;
    if cal.count > 0 {
        println!("reliability ({} quotations; ECE {:.3}):", cal.count, cal.ece);
        println!("  {:<9} {:>6} {:>10} {:>8}", "conf", "count", "mean-conf", "right");
        for bin in &cal.bins {
            let range = format!("{:.1}-{:.1}", bin.lo, bin.hi);
            println!("  {:<9} {:>6} {:>10.3} {:>8.3}", range, bin.count, bin.confidence, bin.accuracy);
        }
    }
}

fn print_genders(g: &GenderScore) {
    println!(
        "speaker genders: {} fixture speakers, {} listed by the output; {} with a gender in the text: {} right, {} \
         wrong, {} unknown: accuracy {:.3}",
        g.records, g.found, g.stated, g.right, g.wrong, g.unknown, g.accuracy
    );
    for (evidence, (right, all)) in &g.by_system_evidence {
        println!("  output evidence {evidence:<11} {right}/{all} right");
    }
    println!(
        "  {} listed speakers the text gives no gender: the output gives {} of them one",
        g.unstated, g.unstated_given
    );
}

fn print_resolved(r: &ResolvedScore) {
    println!(
        "resolved names: {} fixture quotations, {} matched, {} named right: accuracy {:.3}",
        r.items, r.matched, r.right, r.accuracy
    );
}

fn print_errors(r: &Report) {
    for e in &r.errors {
        let who = match (&e.gold_speaker, &e.system_speaker) {
            (Some(g), Some(s)) => format!("gold {g:?}, system {s:?}"),
            (Some(g), None) => format!("gold {g:?}"),
            (None, Some(s)) => format!("system {s:?}"),
            (None, None) => String::new(),
        };
        let text: String = e.text.chars().take(160).collect();
        println!("{}\t{:?}\t{}\t{}..{}\t{}\t{}", e.doc, e.group, e.kind, e.start, e.end, who, text.replace('\n', " "));
    }
}
