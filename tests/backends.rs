//! The two NER backends give the same entities: CoNLL++ test F1 of libtorch (fp32) and ONNX
//! Runtime (fp32) within 0.1 points, int8 and bf16 within 0.5, through `whosaid eval-ner`. The
//! fast model (`--fast`) holds the accuracy it was shipped with.

mod common;

use common::{shared, whosaid};

fn conllpp_f1(args: &[&str]) -> f64 {
    eval_ner(&shared("data/conll2003/conllpp_test.txt"), args).0
}

/// `whosaid eval-ner FILE --json ARGS`: micro F1, and what it wrote on stderr.
fn eval_ner(file: &std::path::Path, args: &[&str]) -> (f64, String) {
    let out = whosaid().arg("eval-ner").arg(file).arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scores: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (scores["micro"]["f1"].as_f64().unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn backends_and_precisions_agree_on_conllpp() {
    let torch = conllpp_f1(&["--backend", "torch"]);
    let onnx = conllpp_f1(&["--backend", "onnx", "--precision", "fp32"]);
    assert!(torch > 0.88, "torch F1 {torch}");
    assert!((torch - onnx).abs() * 100.0 <= 0.1, "torch F1 {torch} vs onnx F1 {onnx}");
    // Reduced precision is held to the hardware issue's bound: within 0.5 points of fp32.
    let int8 = conllpp_f1(&["--backend", "onnx", "--precision", "int8"]);
    assert!((torch - int8).abs() * 100.0 <= 0.5, "torch F1 {torch} vs onnx int8 F1 {int8}");
    if whosaid_ner::Precision::Bf16.is_native() {
        let bf16 = conllpp_f1(&["--precision", "bf16"]);
        assert!((torch - bf16).abs() * 100.0 <= 0.5, "torch F1 {torch} vs bf16 F1 {bf16}");
    }
}

/// Where the CPU has no AVX-512 BF16, libtorch emulates bf16 about 20 times slower than fp32
/// (the whole CoNLL++ test took 460 s there): the check runs on CoNLL++'s first documents, and
/// the user is told why such a run is slow.
#[test]
fn emulated_bf16_agrees_with_fp32_and_says_it_is_emulated() {
    if whosaid_ner::Precision::Bf16.is_native() {
        return;
    }
    let text = std::fs::read_to_string(shared("data/conll2003/conllpp_test.txt")).unwrap();
    // The first six documents (137 sentences).
    let cut = text.match_indices("-DOCSTART-").nth(6).map_or(text.len(), |(at, _)| at);
    let slice = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("conllpp_test_first_documents.txt");
    std::fs::write(&slice, &text[..cut]).unwrap();
    let (fp32, fp32_stderr) = eval_ner(&slice, &["--backend", "torch"]);
    let (bf16, bf16_stderr) = eval_ner(&slice, &["--precision", "bf16"]);
    assert!(fp32 > 0.9, "fp32 F1 {fp32} on the first documents");
    assert!((fp32 - bf16).abs() * 100.0 <= 0.5, "fp32 F1 {fp32} vs bf16 F1 {bf16}");
    assert!(bf16_stderr.contains("emulates bf16"), "{bf16_stderr}");
    assert!(!fp32_stderr.contains("emulates"), "{fp32_stderr}");
}

#[test]
fn mismatched_backend_and_precision_is_a_usage_error() {
    let out = whosaid().args(["attribute", "--backend", "onnx", "--precision", "bf16"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("torch backend"));
}

#[test]
fn fast_model_holds_its_measured_accuracy() {
    // Measured at release: CoNLL++ F1 0.8855 (default model 0.8965); seeds quoted F1 as the default's.
    let fast = conllpp_f1(&["--fast"]);
    assert!(fast > 0.88, "--fast CoNLL++ F1 {fast}");
    let out = whosaid().arg("eval").arg(shared("fixtures/seeds")).args(["--fast", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let quoted = report["quoted"]["f1"].as_f64().unwrap();
    assert!(quoted >= 0.95, "--fast quoted end-to-end F1 {quoted} < 0.95: {report}");
}

#[test]
fn fast_conflicts_with_an_explicit_model_choice() {
    let out = whosaid().args(["attribute", "--fast", "--backend", "torch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fast"));
}

/// Reported clauses, with their speakers, from `whosaid attribute` on the seeds.
fn reported_on_seeds(args: &[&str]) -> Vec<(u64, u64, String)> {
    let out = whosaid().arg("attribute").arg(shared("fixtures/seeds")).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::lines(&out)
        .iter()
        .flat_map(|doc| doc["quotes"].as_array().unwrap().clone())
        .filter(|q| q["kind"] == "indirect")
        .map(|q| (q["start"].as_u64().unwrap(), q["end"].as_u64().unwrap(), q["speaker"]["name"].to_string()))
        .collect()
}

#[test]
fn backends_agree_on_the_role_head() {
    // The default model's role head comes out of the same encoder pass on both backends, and
    // reported speech is built from it: libtorch and ONNX Runtime (fp32) give the same clauses.
    let torch = reported_on_seeds(&["--backend", "torch"]);
    let onnx = reported_on_seeds(&["--backend", "onnx", "--precision", "fp32"]);
    assert!(torch.len() >= 5, "{torch:?}");
    assert_eq!(torch, onnx);
    // The rules alone propose other clauses: the switch is real.
    assert_ne!(torch, reported_on_seeds(&["--reported", "rules"]));
}

/// The default engine needs no libtorch: the binary does not link it (the torch backend is a
/// plugin opened only for --backend torch).
#[test]
fn the_binary_does_not_link_libtorch() {
    let out = std::process::Command::new("ldd").arg(env!("CARGO_BIN_EXE_whosaid")).output().expect("ldd runs");
    let libraries = String::from_utf8_lossy(&out.stdout);
    assert!(!libraries.contains("torch") && !libraries.contains("libc10"), "{libraries}");
}

/// Span-exact F1 per role of `whosaid eval-roles` on polnear-dev's raw attributions.
fn role_f1(args: &[&str]) -> [f64; 3] {
    let out =
        whosaid().arg("eval-roles").arg(shared("data/polnear/dev.jsonl")).arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scores: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    ["CUE", "SOURCE", "CONTENT"].map(|role| scores[role]["f1"].as_f64().unwrap())
}

#[test]
fn the_role_head_holds_its_span_accuracy_on_both_backends() {
    // Measured at release (the default model, sequence decoding with its transitions): int8
    // CUE 0.720, SOURCE 0.789, CONTENT 0.647. The floors leave room for retraining noise.
    let int8 = role_f1(&[]);
    for (role, (f1, floor)) in ["CUE", "SOURCE", "CONTENT"].iter().zip(int8.iter().zip([0.70, 0.77, 0.62])) {
        assert!(*f1 >= floor, "{role} span F1 {f1} < {floor}");
    }
    let torch = role_f1(&["--backend", "torch"]);
    for (role, (a, b)) in ["CUE", "SOURCE", "CONTENT"].iter().zip(int8.iter().zip(torch)) {
        assert!((a - b).abs() <= 0.01, "{role}: int8 {a} against libtorch fp32 {b}");
    }
}
