//! Containment: a panic while processing one document becomes that document's `internal`
//! error line; every other line is intact and in order, the run goes on (exit 1), and
//! `--resume` takes the error line as done. The panic is injected with the test-only
//! `WHOSAID_TEST_PANIC=STAGE:ID` hook.

mod common;

use std::path::{Path, PathBuf};

use common::{lines, run_with_stdin, whosaid};
use serde_json::Value;

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-panics-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Ten short documents written for this test, ids d0..d9.
fn corpus(dir: &Path) -> PathBuf {
    let texts = [
        "“We will rebuild the pier,” Mayor Ines Calder said on Monday.",
        "The council voted 7-2. Councillor Tom Reyes said the plan was rushed.",
        "“It is too early to tell,” said Dr. Amara Okafor, a virologist.",
        "Nobody was quoted in this one.",
        "According to the harbour master, Piet de Vries, the channel reopens Friday.",
        "“Prices will fall,” she said. Analyst Lena Holm added that rents would not.",
        "Acme Corp said in a statement that it would appeal.",
        "“No comment,” the spokesman said.",
        "Governor Ruth Alvarez told reporters she would sign the bill.",
        "“We are ready,” Coach Sam Ito said. “The players are ready too.”",
    ];
    let path = dir.join("docs.jsonl");
    let body: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": format!("d{i}"), "text": t}).to_string() + "\n")
        .collect();
    std::fs::write(&path, body).unwrap();
    path
}

fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_panic_in_any_stage_fails_only_its_document() {
    let dir = work_dir("stages");
    let input = corpus(&dir);
    let reference_path = dir.join("reference.jsonl");
    let status = whosaid().args(["attribute", "--chunk", "4"]).arg(&input).arg("-o").arg(&reference_path).status();
    assert!(status.unwrap().success());
    let reference = read_lines(&reference_path);
    assert_eq!(reference.len(), 10);

    for stage in ["tokenize", "ner", "attribute"] {
        let out = dir.join(format!("{stage}.jsonl"));
        let run = whosaid()
            .env("WHOSAID_TEST_PANIC", format!("{stage}:d5"))
            .args(["attribute", "--chunk", "4", "--threads", "2"])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{stage}: some documents failed → exit 1");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("1 of 10 documents failed (1 internal)"), "{stage}: {stderr}");
        assert!(stderr.contains("\"d5\""), "{stage}: stderr names the document: {stderr}");
        let got = read_lines(&out);
        assert_eq!(got.len(), 10, "{stage}: one line per document");
        for (i, (line, want)) in got.iter().zip(&reference).enumerate() {
            if i == 5 {
                assert_eq!(line["id"], "d5");
                assert_eq!(line["error"]["kind"], "internal", "{stage}: {line}");
                let message = line["error"]["message"].as_str().unwrap();
                assert!(message.contains("bug in whosaid") && message.contains("injected panic"), "{message}");
            } else {
                assert_eq!(line, want, "{stage}: document d{i} must be untouched by d5's panic");
            }
        }

        // --resume takes the error line as done: nothing is added or changed.
        let before = std::fs::read(&out).unwrap();
        let status = whosaid().args(["attribute", "--resume"]).arg(&input).arg("-o").arg(&out).status().unwrap();
        assert!(status.success(), "{stage}: resume over a complete output");
        assert_eq!(std::fs::read(&out).unwrap(), before, "{stage}: resume keeps the error line as done");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn text_cut_after_stacked_cues_gets_a_result_line() {
    // Was a crash of the whole run (index out of bounds after the final cue word).
    let input =
        "{\"id\":\"a\",\"text\":\"Putin said in a statement said\"}\n{\"id\":\"b\",\"text\":\"He said \\\"hi.\\\"\"}\n";
    let out = run_with_stdin(whosaid().arg("attribute"), input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["id"], "a");
    assert!(got[0]["quotes"].is_array());
    assert_eq!(got[1]["id"], "b");
    assert_eq!(got[1]["quotes"][0]["text"], "hi.");
}
