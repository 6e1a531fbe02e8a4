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
