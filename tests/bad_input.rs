//! Dirty input never takes a run down and never vanishes: every document gets exactly one
//! line, in order, its result or an error record; broken models are set-up errors (exit 2).

mod common;

use std::path::{Path, PathBuf};

use common::{lines, repo, run_with_stdin, whosaid};
use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every quotation's text, speaker mention and cue is the code-point slice of the input.
fn assert_offsets_hold(text: &str, doc: &Value) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |v: &Value| -> String {
        let (s, e) = (v["start"].as_u64().unwrap() as usize, v["end"].as_u64().unwrap() as usize);
        assert!(s <= e && e <= chars.len(), "span {s}..{e} out of bounds in {doc}");
        chars[s..e].iter().collect()
    };
    for q in doc["quotes"].as_array().expect("a result line") {
        assert_eq!(slice(q), q["text"].as_str().unwrap());
        for part in ["speaker", "cue"] {
            if !q[part].is_null() {
                assert_eq!(slice(&q[part]), q[part]["text"].as_str().unwrap());
            }
        }
    }
}

/// Run `attribute` over JSONL documents `(id, text)` on stdin; returns the exit code and lines.
fn attribute_texts(docs: &[(&str, &str)], args: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let mut input = Vec::new();
    for (id, text) in docs {
        serde_json::to_writer(&mut input, &json!({"id": id, "text": text})).unwrap();
        input.push(b'\n');
    }
    let out = run_with_stdin(whosaid().arg("attribute").args(args), &input);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let docs_out = lines(&out);
    assert_eq!(docs_out.len(), docs.len(), "one line per document");
    for ((id, text), line) in docs.iter().zip(&docs_out) {
        assert_eq!(line["id"], *id);
        if line.get("quotes").is_some() {
            assert_offsets_hold(text, line);
        }
    }
    (out.status.code(), docs_out, stderr)
}

fn speaker_of<'a>(doc: &'a Value, fragment: &str) -> &'a Value {
    let q = doc["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().contains(fragment))
        .unwrap_or_else(|| panic!("no quotation containing {fragment:?} in {doc}"));
    &q["speaker"]["name"]
}

#[test]
fn malformed_lines_and_fields_become_error_records_in_order() {
    let mut input = Vec::new();
    input.extend_from_slice(
        b"{\"id\": \"ok\", \"text\": \"\\\"We will rebuild the bridge,\\\" Mayor Ann Lee said.\"}\n",
    );
    input.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9 \xff\"}\n");
    input.extend_from_slice(b"{\"id\": \"cut\", \"text\": \"no end\n");
    input.extend_from_slice(b"[1, 2]\n");
    input.extend_from_slice(b"{\"id\": \"no-text\"}\n");
    input.extend_from_slice(b"{\"id\": \"number\", \"text\": 42}\n");
    input.extend_from_slice(b"{\"text\": \"An unnamed document.\"}\n");
    input.extend_from_slice(b"{\"id\": \"ok\", \"text\": \"The same id again.\"}\n");
    let out = run_with_stdin(whosaid().arg("attribute"), &input);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("5 of 8 documents failed"), "{stderr}");
    assert!(stderr.contains("2 malformed_json"), "{stderr}");
    assert!(stderr.contains("duplicate document id \"ok\""), "{stderr}");
    let docs = lines(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ok", "stdin:2", "stdin:3", "stdin:4", "no-text", "number", "stdin:7", "ok#2"]);
    assert_eq!(speaker_of(&docs[0], "rebuild the bridge"), "Ann Lee");
    let kinds: Vec<&Value> = docs.iter().map(|d| &d["error"]["kind"]).collect();
    assert_eq!(
        kinds[1..6],
        [
            &json!("invalid_utf8"),
            &json!("malformed_json"),
            &json!("malformed_json"),
            &json!("missing_text"),
            &json!("bad_text")
        ]
    );
    assert!(docs[6]["quotes"].is_array() && docs[7]["quotes"].is_array());
}

#[test]
fn invalid_utf8_and_binary_files_are_error_records() {
    let dir = temp_dir("binary");
    std::fs::write(dir.join("a_latin1.txt"), b"Pompeo said \xe9t\xe9 was long.").unwrap();
    // Bytes from a fixed-seed generator: no valid UTF-8 text survives that long.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let garbage: Vec<u8> = (0..20_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    std::fs::write(dir.join("b_binary.txt"), &garbage).unwrap();
    std::fs::write(dir.join("c_good.txt"), "\"The talks went well,\" Pompeo said.").unwrap();
    let out = whosaid().arg("attribute").arg(&dir).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let docs = lines(&out);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["error"]["kind"], "invalid_utf8");
    assert_eq!(docs[1]["id"], "b_binary");
    assert_eq!(docs[1]["error"]["kind"], "invalid_utf8");
    assert_eq!(speaker_of(&docs[2], "talks went well"), "Pompeo");
}

#[test]
fn empty_whitespace_and_nul_texts_are_processed() {
    let docs = [
        ("empty", ""),
        ("blank", "  \n\t \r\n  "),
        ("nul", "\u{0}\"We will rebuild\u{0} the bridge,\" Mayor Ann Lee\u{0} said.\u{0}"),
    ];
    let (code, out, _) = attribute_texts(&docs, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(serde_json::to_string(&out[0]).unwrap(), r#"{"id":"empty","quotes":[],"speakers":[]}"#);
    assert_eq!(serde_json::to_string(&out[1]).unwrap(), r#"{"id":"blank","quotes":[],"speakers":[]}"#);
    assert_eq!(speaker_of(&out[2], "the bridge"), "Ann Lee");
}

#[test]
fn documents_over_max_chars_get_a_too_long_record() {
    let long = "The council met again. ".repeat(40);
    let docs = [("short", "\"Yes,\" Ann Lee said."), ("long", long.as_str())];
    let (code, out, stderr) = attribute_texts(&docs, &["--max-chars", "500"]);
    assert_eq!(code, Some(1));
    assert!(out[0]["quotes"].is_array());
    assert_eq!(out[1]["error"]["kind"], "too_long");
    assert!(out[1]["error"]["message"].as_str().unwrap().contains("--max-chars 500"));
    assert!(stderr.contains("1 too_long"), "{stderr}");
}

#[test]
fn a_50_mb_document_is_refused_by_default_without_running_out_of_memory() {
    let dir = temp_dir("huge");
    let path = dir.join("huge.txt");
    let sentence = "The committee said the budget would be balanced by the end of the year. ";
    let huge = sentence.repeat(50 * 1024 * 1024 / sentence.len() + 1);
    std::fs::write(&path, &huge).unwrap();
    std::fs::write(dir.join("small.txt"), "\"It is done,\" Ann Lee said.").unwrap();
    let out = whosaid().arg("attribute").arg(&dir).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let docs = lines(&out);
    assert_eq!(docs[0]["id"], "huge");
    assert_eq!(docs[0]["error"]["kind"], "too_long");
    assert_eq!(speaker_of(&docs[1], "It is done"), "Ann Lee");
}

#[test]
fn pathological_texts_finish_with_results() {
    let words = ["budget", "council", "Lee", "said", "the", "bridge", "would", "open", "he"];
    let paragraph: Vec<&str> = (0..20_000).map(|i| words[(i * 7 + i / 9) % words.len()]).collect();
    let paragraph = paragraph.join(" ");
    let marks = "\"".repeat(10_000);
    let mixed: String =
        (0..10_000).map(|i| ['"', '“', '”', '\'', '‘', '’', '«', '»', 'x', ' '][(i * 7) % 10]).collect();
    // One sentence of 3,000 cues: each reported clause would run to the sentence's end, making
    // the output quadratic in the input; clauses are bounded instead.
    let cues = "officials say the ".repeat(3_000) + "end.";
    let docs = [
        ("paragraph", paragraph.as_str()),
        ("marks", marks.as_str()),
        ("mixed_marks", mixed.as_str()),
        ("cues", cues.as_str()),
    ];
    let (code, out, _) = attribute_texts(&docs, &[]);
    assert_eq!(code, Some(0));
    assert!(out.iter().all(|d| d["quotes"].is_array()));
    let quoted_chars: usize =
        out[3]["quotes"].as_array().unwrap().iter().map(|q| q["text"].as_str().unwrap().len()).sum();
    assert!(quoted_chars < 300 * cues.len(), "{quoted_chars} characters of quotations for {} of text", cues.len());
}

#[test]
fn crlf_mojibake_and_other_scripts_keep_offsets_and_speakers() {
    let docs = [
        ("crlf", "Mayor Ann Lee spoke on Monday.\r\n\r\n\"We will rebuild the bridge,\" Lee said.\r\n"),
        ("mojibake", "â€œWe will rebuild the bridge,â€\u{9d} Mayor Ann Lee said. â€œSoon.â€ Lee added."),
        ("rtl", "قال الرئيس \"سنعيد بناء الجسر\" يوم الاثنين. Mayor Ann Lee said \"שלום לכולם\" to them."),
        ("cjk", "“我们会重建这座桥，”李市长说。 Mayor Ann Lee said: “桥很重要。”"),
        ("emoji", "\"We will rebuild 🌉 the bridge 👷‍♀️,\" said Mayor Ann Lee. 😀 \"Soon 🇺🇸,\" she added."),
    ];
    let (code, out, _) = attribute_texts(&docs, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(speaker_of(&out[0], "rebuild the bridge"), "Ann Lee");
    let moji = &out[1]["quotes"];
    assert_eq!(moji[0]["text"], "We will rebuild the bridge,");
    assert_eq!(moji[0]["speaker"]["name"], "Ann Lee");
    assert_eq!(moji[1]["text"], "Soon.");
    assert_eq!(speaker_of(&out[2], "שלום"), "Ann Lee");
    assert_eq!(speaker_of(&out[3], "桥很重要"), "Ann Lee");
    assert_eq!(speaker_of(&out[4], "the bridge"), "Ann Lee");
    assert_eq!(speaker_of(&out[4], "Soon"), "Ann Lee");
}

/// A copy of the default model directory with one file replaced.
fn broken_model(name: &str, file: &str, contents: &[u8]) -> PathBuf {
    let dir = temp_dir(name);
    let model = repo("models/whosaid-minilm-l6");
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(model.join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join(file), contents).unwrap();
    dir
}

fn assert_setup_error(model: &Path, names: &str) {
    let out = run_with_stdin(whosaid().arg("attribute").arg("--model").arg(model), b"\"Yes,\" Ann Lee said.");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(names), "{stderr}");
    assert!(stderr.contains("--model"), "says what to do: {stderr}");
}

#[test]
fn broken_models_are_setup_errors_naming_the_file() {
    assert_setup_error(Path::new("/nonexistent/model-dir"), "/nonexistent/model-dir");

    let weights = std::fs::read(repo("models/whosaid-minilm-l6/model.safetensors")).unwrap();
    let truncated = broken_model("truncated", "model.safetensors", &weights[..weights.len() / 3]);
    assert_setup_error(&truncated, "model.safetensors");
    let corrupt = broken_model("corrupt", "model.safetensors", &[0xAB; 4096]);
    assert_setup_error(&corrupt, "model.safetensors");

    let config = std::fs::read_to_string(repo("models/whosaid-minilm-l6/config.json")).unwrap();
    let mut config: Value = serde_json::from_str(&config).unwrap();
    config["id2label"]["1"] = json!("PERSON");
    let labels = broken_model("labels", "config.json", config.to_string().as_bytes());
    assert_setup_error(&labels, "config.json");
    // Well-formed IOB2, but a type attribution cannot read.
    config["id2label"]["1"] = json!("B-PERSON");
    let types = broken_model("types", "config.json", config.to_string().as_bytes());
    assert_setup_error(&types, "\"PERSON\" is not one of the CoNLL-2003 entity types");
    config["id2label"]["1"] = json!("B-PER");
    config["role_labels"] = json!("CUE SOURCE CONTENT");
    let roles = broken_model("roles", "config.json", config.to_string().as_bytes());
    assert_setup_error(&roles, "config.json");

    for dir in [truncated, corrupt, labels, types, roles] {
        std::fs::remove_dir_all(dir).ok();
    }
}
