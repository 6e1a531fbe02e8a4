//! Dump the tokenize stage's words and paragraphs for training scripts, so that a model is
//! trained on exactly the words and paragraph windows the pipeline feeds it.
//!
//! stdin: JSONL with `id` and `text`; stdout: one line per document,
//! `{"id", "tokens": [[start, end], ...], "paragraphs": [[first_token, end_token], ...]}`,
//! spans in code points.
//! Run: `cargo run --release -p whosaid-tokenize --example dump_tokens < docs.jsonl`

use std::io::{BufRead, Write};

use whosaid_tokenize::Document;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line)?;
        let id = value["id"].as_str().ok_or("a line without a string id")?;
        let text = value["text"].as_str().ok_or("a line without a string text")?;
        let doc = Document::new(id, text);
        let tokens: Vec<[usize; 2]> = doc.tokens.iter().map(|t| [t.span.start, t.span.end]).collect();
        let paragraphs: Vec<[usize; 2]> = doc.paragraph_token_ranges().iter().map(|r| [r.start, r.end]).collect();
        serde_json::to_writer(&mut out, &serde_json::json!({"id": id, "tokens": tokens, "paragraphs": paragraphs}))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
