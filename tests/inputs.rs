//! Inputs as they arrive: folders walked recursively and filtered by --glob, compressed files
//! read transparently, JSONL fields by dotted path, a byte-order mark, and HTML pages read as
//! their visible text with offsets into the HTML.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{lines, run_with_stdin, whosaid};

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-inputs-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn attribute(args: &[&str], inputs: &[&Path]) -> Vec<serde_json::Value> {
    let out = whosaid().arg("attribute").args(args).args(inputs).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    lines(&out)
}

fn ids(docs: &[serde_json::Value]) -> Vec<&str> {
    docs.iter().map(|d| d["id"].as_str().unwrap()).collect()
}

fn speaker(doc: &serde_json::Value) -> &str {
    doc["quotes"][0]["speaker"]["name"].as_str().unwrap_or("")
}

#[test]
fn folders_are_walked_recursively_and_filtered_by_glob() {
    let dir = work_dir("walk");
    write(&dir.join("a.txt"), b"\"We will win,\" Putin said.");
    write(&dir.join("2016/05/B.TXT"), b"\"No deal,\" Lavrov said.");
    write(&dir.join("2016/notes.md"), b"\"Not a document,\" she said.");
    write(&dir.join(".cache/c.txt"), b"\"Hidden,\" he said.");
    let docs = attribute(&[], &[&dir]);
    assert_eq!(ids(&docs), ["2016/05/B", "a"]);
    assert_eq!(speaker(&docs[0]), "Lavrov");
    let docs = attribute(&["--glob", "2016/**/*.txt", "--glob", "*.md"], &[&dir]);
    assert_eq!(ids(&docs), ["2016/05/B", "2016/notes"]);
    // No match is an error that says how to choose files, not an empty run.
    let out = whosaid().arg("attribute").arg("--glob").arg("*.html").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--glob"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compressed_jsonl_and_text_are_read_transparently() {
    let dir = work_dir("compressed");
    let jsonl =
        b"{\"id\":\"one\",\"text\":\"\\\"We will win,\\\" Putin said.\"}\n{\"id\":\"two\",\"text\":\"Nothing.\"}\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(jsonl).unwrap();
    write(&dir.join("docs.jsonl.gz"), &gz.finish().unwrap());
    write(&dir.join("docs.jsonl.zst"), &zstd::stream::encode_all(&jsonl[..], 3).unwrap());
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    bz.write_all(jsonl).unwrap();
    write(&dir.join("docs.jsonl.bz2"), &bz.finish().unwrap());
    let plain = attribute(
        &[],
        &[&dir.join("docs.jsonl")].map(|p| {
            write(p, jsonl);
            p.as_path()
        }),
    );
    for name in ["docs.jsonl.gz", "docs.jsonl.zst", "docs.jsonl.bz2"] {
        assert_eq!(attribute(&[], &[&dir.join(name)]), plain, "{name}");
    }
    assert_eq!(ids(&plain), ["one", "two"]);
    // A compressed text file in a folder, found by its glob; its id drops both suffixes.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"\"No deal,\" Lavrov said.").unwrap();
    write(&dir.join("texts/story.txt.gz"), &gz.finish().unwrap());
    let docs = attribute(&["--glob", "*.txt.gz"], &[&dir.join("texts")]);
    assert_eq!((ids(&docs)[0], speaker(&docs[0])), ("story", "Lavrov"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn fields_by_dotted_path_and_a_byte_order_mark() {
    let input =
        "\u{feff}{\"meta\":{\"uid\":\"a1\"},\"article\":{\"body\":\"\\\"Yes,\\\" Obama said.\",\"outlet\":\"W\"}}\n";
    let out = run_with_stdin(
        whosaid().args(["attribute", "--text-field", "article.body", "--id-field", "meta.uid"]),
        input.as_bytes(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out);
    assert_eq!((ids(&docs), speaker(&docs[0])), (vec!["a1"], "Obama"));
    assert_eq!(docs[0]["meta"], serde_json::json!({"article": {"outlet": "W"}}));
}

#[test]
fn html_pages_are_read_as_visible_text_with_offsets_into_the_html() {
    let dir = work_dir("html");
    let html = "<!DOCTYPE html><html><head><title>Talks</title><script>var q = \"not a quote\";</script></head>\n\
                <body><h1>Talks end</h1><p class=\"lead\">&ldquo;We will not <em>yield</em>,&rdquo; said \
                <a href=\"/p/ruiz\">Mayor Ana Ruiz</a>.</p>\n<p>Caf&eacute; owners said the plan was fine.</p></body></html>";
    write(&dir.join("page.html"), html.as_bytes());
    let docs = attribute(&[], &[&dir.join("page.html")]);
    let chars: Vec<char> = html.chars().collect();
    let at = |v: &serde_json::Value| -> String {
        chars[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize].iter().collect()
    };
    let quotes = docs[0]["quotes"].as_array().unwrap();
    let direct = quotes.iter().find(|q| q["kind"] == "direct").expect("the quotation in entities is found");
    assert_eq!(direct["text"], "We will not yield,");
    assert_eq!(at(direct), "We will not <em>yield</em>,");
    assert_eq!(at(&direct["speaker"]), "Ana Ruiz");
    // Markup never becomes a quotation: no attribute value, no script string.
    assert!(quotes.iter().all(|q| !q["text"].as_str().unwrap().contains("href") && q["text"] != "not a quote"));
    // --format html reads stdin (or a file of any name) the same way.
    let out = run_with_stdin(whosaid().args(["attribute", "--format", "html"]), html.as_bytes());
    assert_eq!(lines(&out)[0]["quotes"], docs[0]["quotes"]);
    std::fs::remove_dir_all(&dir).ok();
}
