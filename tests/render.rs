//! `whosaid render` and `whosaid speakers` from the command line, on the seed articles.

mod common;

use std::collections::BTreeSet;

use common::{shared, whosaid};

#[test]
fn render_and_speakers_from_an_attribute_output() {
    let dir = std::env::temp_dir().join(format!("whosaid-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("out.jsonl");
    let status = whosaid().arg("attribute").arg(shared("fixtures/seeds")).arg("-o").arg(&out).status().unwrap();
    assert!(status.success());
    let results: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();

    let pages = dir.join("pages");
    let status = whosaid()
        .args(["render", "--results"])
        .arg(&out)
        .arg("--docs")
        .arg(shared("fixtures/seeds"))
        .arg("-o")
        .arg(&pages)
        .status()
        .unwrap();
    assert!(status.success());
    let index = std::fs::read_to_string(pages.join("index.html")).unwrap();
    for r in &results {
        let id = r["id"].as_str().unwrap();
        assert!(index.contains(&format!("href=\"{id}.html\"")), "index links {id}");
        let html = std::fs::read_to_string(pages.join(format!("{id}.html"))).unwrap();
        let quotes = r["quotes"].as_array().unwrap();
        assert_eq!(html.matches("<span class=\"quote ").count(), quotes.len(), "{id}: one element per quotation");
        for q in quotes {
            let speaker = q["speaker"]["name"].as_str().unwrap_or("");
            let attrs = format!(
                "data-start=\"{}\" data-end=\"{}\" data-kind=\"{}\" data-speaker=\"{}\"",
                q["start"],
                q["end"],
                q["kind"].as_str().unwrap(),
                speaker.replace('&', "&amp;").replace('"', "&quot;").replace('\'', "&#39;")
            );
            assert!(html.contains(&attrs), "{id}: no element with {attrs}");
        }
    }

    let csv = whosaid().arg("speakers").arg(&out).output().unwrap();
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(
        csv.lines().next(),
        Some(
            "id,name,type,gender,gender_evidence,documents,quotes,direct,mixed,indirect,mean_confidence,\
             first_document,last_document,qid"
        )
    );
    // Every resolved speaker name is one row's name or one of its merged names, once.
    let names: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r["quotes"].as_array().unwrap())
        .filter(|q| q["speaker"].is_object() && q["speaker"]["type"] != "OTHER")
        .map(|q| q["speaker"]["name"].as_str().unwrap())
        .collect();
    let rows = whosaid().args(["speakers", "--format", "jsonl", "--explain"]).arg(&out).output().unwrap();
    let rows: Vec<serde_json::Value> =
        String::from_utf8(rows.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut listed: Vec<String> = Vec::new();
    for r in &rows {
        if !r["merged"].as_array().into_iter().flatten().any(|m| m["name"] == r["name"]) {
            listed.push(r["name"].as_str().unwrap().to_string());
        }
        listed.extend(r["merged"].as_array().into_iter().flatten().map(|m| m["name"].as_str().unwrap().to_string()));
    }
    listed.sort();
    listed.dedup();
    assert_eq!(listed.iter().map(String::as_str).collect::<BTreeSet<_>>(), names);
    assert_eq!(csv.lines().count() - 1, rows.len());
    std::fs::remove_dir_all(&dir).ok();
}

/// Run `whosaid attribute` on (id, text) documents; the output's path.
fn attribute_docs(dir: &std::path::Path, docs: &[(&str, &str)], extra: &[&str]) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let input = dir.join("docs.jsonl");
    let jsonl: String =
        docs.iter().map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n").collect();
    std::fs::write(&input, jsonl).unwrap();
    let out = dir.join("out.jsonl");
    let status = whosaid().arg("attribute").arg(&input).arg("-o").arg(&out).args(extra).status().unwrap();
    assert!(status.success());
    out
}

fn rows_of(args: &[&str], out: &std::path::Path) -> Vec<serde_json::Value> {
    let o = whosaid().arg("speakers").arg(out).args(["--format", "jsonl", "--explain"]).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn speakers_merge_across_documents_but_not_two_people_with_one_surname() {
    let dir = std::env::temp_dir().join(format!("whosaid-merge-{}", std::process::id()));
    let out = attribute_docs(
        &dir,
        &[
            ("a", "\"The harbour will reopen in May,\" Marta K. Oyelaran said on Monday."),
            (
                "b",
                "\"Repairs are ahead of schedule,\" said Marta Oyelaran, the harbour director. \"The cranes are \
                 back,\" Oyelaran said.",
            ),
            ("c", "\"Nobody was hurt,\" Oyelaran said."),
            ("d", "\"The vote was fair,\" Lena Halvorsen said. \"We counted twice,\" she added."),
            ("e", "\"The vote was rigged,\" Tove Halvorsen said on Tuesday. \"We will appeal,\" she said."),
            ("f", "\"It is over,\" Halvorsen said."),
        ],
        &[],
    );
    let rows = rows_of(&[], &out);
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}: {rows:#?}"));
    let marta = row("Marta Oyelaran");
    assert_eq!(
        (marta["id"].as_str(), marta["documents"].as_u64(), marta["quotes"].as_u64()),
        (Some("marta-oyelaran"), Some(3), Some(4))
    );
    let reasons: Vec<&str> =
        marta["merged"].as_array().unwrap().iter().map(|m| m["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["middle_name", "surname_only"], "{marta}");
    // Two Halvorsens quoted alike: a bare "Halvorsen" could be either, and stays apart.
    assert_eq!(row("Halvorsen")["quotes"], 1);
    assert_eq!(row("Lena Halvorsen")["quotes"], 2);
    assert_eq!(
        (row("Lena Halvorsen")["gender"].as_str(), row("Lena Halvorsen")["gender_evidence"].as_str()),
        (Some("female"), Some("pronoun"))
    );
    assert_eq!(row("Tove Halvorsen")["quotes"], 2);

    // An alias file: its id, name and QID; its names are one speaker.
    let aliases = dir.join("aliases.csv");
    std::fs::write(&aliases, "id,name,aliases,qid,gender\nH-2,Tove Halvorsen,Halvorsen,Q99,female\n").unwrap();
    let rows = rows_of(&["--aliases", aliases.to_str().unwrap()], &out);
    let tove = rows.iter().find(|r| r["id"] == "H-2").unwrap_or_else(|| panic!("{rows:#?}"));
    assert_eq!(
        (tove["name"].as_str(), tove["quotes"].as_u64(), tove["qid"].as_str()),
        (Some("Tove Halvorsen"), Some(3), Some("Q99"))
    );
    // `attribute --aliases` puts the id on each quotation's speaker.
    let out = attribute_docs(
        &dir.join("aliased"),
        &[("e", "\"The vote was rigged,\" Tove Halvorsen said on Tuesday.")],
        &["--aliases", aliases.to_str().unwrap()],
    );
    let line: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line["quotes"][0]["speaker"]["id"], "H-2", "{line}");
    assert_eq!(line["speakers"][0]["id"], "H-2", "{line}");
    // A malformed alias file is refused with its line.
    std::fs::write(&aliases, "X,Ana\nY,Ana\n").unwrap();
    let o = whosaid().arg("speakers").arg(&out).arg("--aliases").arg(&aliases).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("alias file line 2"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_dir_all(&dir).ok();
}
