//! End-to-end checks on the seed articles in ../shared/fixtures/seeds, with the bundled model.

mod common;

use common::{lines, shared, whosaid};

#[test]
fn seed_people_are_tagged_per() {
    let out = whosaid().arg("entities").arg(shared("fixtures/seeds")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let per: Vec<String> = lines(&out)
        .iter()
        .flat_map(|l| l["entities"].as_array().unwrap().clone())
        .filter(|e| e["label"] == "PER")
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect();
    for name in [
        "Mike Pompeo",
        "Pompeo",
        "Sergey Lavrov",
        "Lavrov",
        "Vladimir Putin",
        "Putin",
        "Rex Tillerson",
        "Brian Hook",
        "Donald Trump",
        "James Comey",
        "Robert Mueller",
        "Sally Yates",
        "William Barr",
        "Michael Cohen",
        "Paul Manafort",
    ] {
        assert!(per.iter().any(|p| p == name), "{name} not tagged PER; PER entities: {per:?}");
    }
}

#[test]
fn seed_quotations_meet_the_floor() {
    let out = whosaid().arg("eval").arg(shared("fixtures/seeds")).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let quoted = report["quoted"]["f1"].as_f64().unwrap();
    let reported = report["reported"]["f1"].as_f64().unwrap();
    assert!(quoted >= 0.95, "quoted end-to-end F1 {quoted} < 0.95: {report}");
    assert!(reported >= 0.80, "reported end-to-end F1 {reported} < 0.80: {report}");
}

#[test]
fn unbalanced_dw_article_is_processed_whole() {
    let path = shared("fixtures/seeds/002_63d0ea6354d272cb.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let len = text.chars().count();
    let out = whosaid().arg("attribute").arg(&path).output().unwrap();
    assert!(out.status.success());
    let doc = &lines(&out)[0];
    let quotes = doc["quotes"].as_array().unwrap();
    // Quotations are found from the first paragraphs to the last ones.
    assert!(quotes.iter().any(|q| q["start"].as_u64().unwrap() < (len / 10) as u64));
    assert!(quotes.iter().any(|q| q["start"].as_u64().unwrap() > (len * 9 / 10) as u64));
    let chars: Vec<char> = text.chars().collect();
    for q in quotes {
        let (s, e) = (q["start"].as_u64().unwrap() as usize, q["end"].as_u64().unwrap() as usize);
        assert_eq!(q["text"].as_str().unwrap(), chars[s..e].iter().collect::<String>());
    }
}
