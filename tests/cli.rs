//! The command line contract: one line per input document in order, error records, exit codes.

mod common;

use common::{lines, repo, run_with_stdin, whosaid};

fn quote<'a>(doc: &'a serde_json::Value, fragment: &str) -> &'a serde_json::Value {
    doc["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().contains(fragment))
        .unwrap_or_else(|| panic!("no quotation containing {fragment:?} in {doc}"))
}

#[test]
fn attributes_the_bundled_examples() {
    let out = whosaid().arg("attribute").arg(repo("examples/articles")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out);
    assert_eq!(
        docs.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ["01_harbor_bridge", "02_trade_talks"]
    );
    let bridge = &docs[0];
    assert_eq!(quote(bridge, "forty thousand people")["speaker"]["name"], "Elena Vasquez");
    assert_eq!(quote(bridge, "forty thousand people")["kind"], "direct");
    assert_eq!(quote(bridge, "same conversation")["speaker"]["name"], "David Okafor");
    assert_eq!(quote(bridge, "I hope I'm wrong")["speaker"]["name"], "David Okafor");
    assert_eq!(quote(bridge, "throwing good money")["kind"], "indirect");
    let trade = &docs[1];
    assert_eq!(quote(trade, "real progress")["kind"], "mixed");
    assert_eq!(quote(trade, "real progress")["speaker"]["name"], "Johan Berg");
    assert_eq!(quote(trade, "patience has limits")["speaker"]["name"], "Amara Diallo");
    let speakers = trade["speakers"].as_array().unwrap();
    assert!(speakers.iter().any(|s| s["name"] == "Johan Berg" && s["quotes"].as_u64().unwrap() >= 2));
}

#[test]
fn bad_lines_become_error_records_in_order() {
    let input = b"{\"id\": \"a\", \"text\": \"\\\"We will rebuild the bridge,\\\" Mayor Ann Lee said.\", \"source\": \"wire\"}\n\
not json\n{\"id\": \"c\"}\n{\"id\": \"d\", \"text\": 7}\n{\"id\": \"e\", \"text\": \"   \"}\n";
    let out = run_with_stdin(whosaid().arg("attribute"), input);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out);
    assert_eq!(docs.len(), 5);
    assert_eq!(docs[0]["id"], "a");
    assert_eq!(docs[0]["meta"]["source"], "wire");
    assert_eq!(quote(&docs[0], "rebuild the bridge")["speaker"]["name"], "Ann Lee");
    assert_eq!(docs[1]["error"]["kind"], "malformed_json");
    assert_eq!(docs[2]["error"]["kind"], "missing_text");
    assert_eq!(docs[3]["error"]["kind"], "bad_text");
    assert_eq!(docs[4]["id"], "e");
    assert_eq!(docs[4]["quotes"].as_array().unwrap().len(), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 of 5 documents failed"));
}

#[test]
fn invalid_utf8_file_is_reported_not_dropped() {
    let dir = std::env::temp_dir().join(format!("whosaid-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.txt"), b"Pompeo said \xff\xfe hello.").unwrap();
    std::fs::write(dir.join("good.txt"), "Pompeo said the talks went well.").unwrap();
    let out = whosaid().arg("attribute").arg(&dir).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let docs = lines(&out);
    assert_eq!(docs[0]["id"], "bad");
    assert_eq!(docs[0]["error"]["kind"], "invalid_utf8");
    assert_eq!(docs[1]["id"], "good");
}

#[test]
fn missing_model_is_a_setup_error_naming_the_directory() {
    let out = run_with_stdin(whosaid().args(["attribute", "--model", "/nonexistent/model-dir"]), b"Some text.");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/model-dir") && err.contains("config.json"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn eval_ner_reports_json_scores() {
    let dir = std::env::temp_dir().join(format!("whosaid-conll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tiny.txt");
    std::fs::write(
        &file,
        "Angela B-PER\nMerkel I-PER\nvisited O\nParis B-LOC\n. O\n\nThe O\nUnited B-ORG\nNations I-ORG\nmet O\n. O\n",
    )
    .unwrap();
    let out = whosaid().args(["eval-ner", "--json"]).arg(&file).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["micro", "PER", "LOC", "ORG"] {
        let f1 = v[key]["f1"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&f1));
    }
    assert_eq!(v["PER"]["f1"].as_f64().unwrap(), 1.0);
}

#[test]
fn help_explains_every_command() {
    for cmd in ["attribute", "entities", "eval", "eval-ner"] {
        let out = whosaid().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("--model"));
    }
}
