//! Cost linear in document length: one document of about 1.99 million characters (the
//! polnear-train articles joined end to end) against the same text as 20 documents (cut at
//! paragraph breaks), through the default pipeline in this process, alternating for 3 rounds.
//! Prints each time and the median ratio one / twenty (1.0 is linear).
//!
//!     cargo bench -p whosaid-cli --bench long_document

use std::io::BufRead;
use std::time::Instant;

use whosaid_pipeline::input::InputDoc;
use whosaid_pipeline::{Config, Job};

const CHARS: usize = 1_990_000;
const PARTS: usize = 20;

fn corpus() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/polnear-train/docs.jsonl");
    let file = std::fs::File::open(path).expect("../shared/fixtures beside the checkout");
    let texts: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.unwrap()).unwrap()["text"].as_str().unwrap().to_string())
        .collect();
    let mut text = String::new();
    for t in texts.iter().cycle() {
        if text.chars().count() >= CHARS {
            break;
        }
        text.push_str(t);
        text.push_str("\n\n");
    }
    text.chars().take(CHARS).collect()
}

/// The text cut at paragraph breaks into `PARTS` documents of about equal length.
fn split(text: &str) -> Vec<String> {
    let per = text.chars().count() / PARTS;
    let mut parts = vec![String::new()];
    for para in text.split("\n\n") {
        let last = parts.last_mut().unwrap();
        if !last.is_empty() {
            last.push_str("\n\n");
        }
        last.push_str(para);
        if last.chars().count() >= per && parts.len() < PARTS {
            parts.push(String::new());
        }
    }
    parts
}

fn main() {
    let text = corpus();
    let parts = split(&text);
    let pipeline = Config::new(Job::Attribute).load().expect("the default model loads");
    let options = pipeline.run_options();
    let time = |docs: Vec<InputDoc>| {
        let t = Instant::now();
        pipeline.run(docs.into_iter(), &options, |_| Ok(())).expect("the run finishes");
        t.elapsed().as_secs_f64()
    };
    let mut ratios = Vec::new();
    println!("one document of {} characters against the same text as {} documents", CHARS, parts.len());
    for round in 1..=3 {
        let one = time(vec![InputDoc::new("long".into(), Ok(text.clone()))]);
        let twenty =
            time(parts.iter().enumerate().map(|(i, p)| InputDoc::new(format!("part{i}"), Ok(p.clone()))).collect());
        println!("round {round}: one {one:.2} s, twenty {twenty:.2} s, ratio {:.3}", one / twenty);
        ratios.push(one / twenty);
    }
    ratios.sort_by(f64::total_cmp);
    println!("median ratio {:.3} (1.0: cost linear in document length)", ratios[ratios.len() / 2]);
}
