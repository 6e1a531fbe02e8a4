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
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("name,type,documents,quotes,direct,mixed,indirect,mean_confidence,first_document,last_document")
    );
    let names: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r["quotes"].as_array().unwrap())
        .filter(|q| q["speaker"].is_object() && q["speaker"]["type"] != "OTHER")
        .map(|q| q["speaker"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(lines.count(), names.len(), "one row per resolved speaker");
    std::fs::remove_dir_all(&dir).ok();
}
