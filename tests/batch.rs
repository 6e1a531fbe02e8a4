//! Batch runs: output is byte-identical whatever the threads, batch size and chunk, and a run
//! killed or interrupted mid-way continues with --resume to exactly the uninterrupted output.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{shared, whosaid};

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("whosaid-batch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The first `n` documents of the PolNeAR training fixtures, as a JSONL file in `dir`.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let docs = std::fs::File::open(shared("fixtures/polnear-train/docs.jsonl")).unwrap();
    let path = dir.join("docs.jsonl");
    let mut out = std::fs::File::create(&path).unwrap();
    for line in BufReader::new(docs).lines().take(n) {
        writeln!(out, "{}", line.unwrap()).unwrap();
    }
    path
}

fn run_to_file(input: &Path, output: &Path, job: &str, args: &[&str]) -> Vec<u8> {
    let status = whosaid().arg(job).arg(input).arg("-o").arg(output).args(args).status().unwrap();
    assert!(status.success());
    std::fs::read(output).unwrap()
}

#[test]
fn output_is_identical_for_any_threads_batch_size_and_chunk() {
    let dir = work_dir("determinism");
    let input = corpus(&dir, 20);
    let out = dir.join("out.jsonl");
    for job in ["entities", "attribute"] {
        let reference = run_to_file(&input, &out, job, &["--threads", "2", "--batch-size", "32", "--chunk", "64"]);
        assert_eq!(reference.iter().filter(|&&b| b == b'\n').count(), 20);
        for args in [
            ["--threads", "1", "--batch-size", "1", "--chunk", "3"],
            ["--threads", "2", "--batch-size", "7", "--chunk", "10"],
        ] {
            let other = run_to_file(&input, &out, job, &args);
            assert!(
                other == reference,
                "`whosaid {job} {}` differs from threads 2, batch 32, chunk 64",
                args.join(" ")
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn count_lines(path: &Path) -> usize {
    std::fs::read(path).map(|b| b.iter().filter(|&&c| c == b'\n').count()).unwrap_or(0)
}

/// Start a run writing to `output`, stop it with `signal` once it has written `after`
/// lines, and return its exit code.
fn stop_midway(input: &Path, output: &Path, resume: bool, after: usize, signal: &str) -> Option<i32> {
    let mut cmd = whosaid();
    cmd.args(["attribute", "--chunk", "4", "--threads", "2"]).arg(input).arg("-o").arg(output);
    if resume {
        cmd.arg("--resume");
    }
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    while count_lines(output) < after && start.elapsed() < Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill").arg(signal).arg(child.id().to_string()).status().unwrap();
    assert!(sent.success());
    child.wait().unwrap().code()
}

#[test]
fn resume_after_sigint_and_after_kill_gives_the_uninterrupted_output() {
    let dir = work_dir("resume");
    let n = 48;
    let input = corpus(&dir, n);
    let reference = run_to_file(&input, &dir.join("reference.jsonl"), "attribute", &[]);

    let out = dir.join("out.jsonl");
    // Ctrl-C: the chunks in flight are finished, the rest is left; exit 130.
    let code = stop_midway(&input, &out, false, 8, "-INT");
    let written = count_lines(&out);
    assert!(written < n, "the run finished before it could be interrupted");
    assert_eq!(code, Some(130));
    assert_eq!(written % 4, 0, "whole chunks only");

    // SIGKILL while resuming, then a cut-off last line as a killed writer can leave.
    let code = stop_midway(&input, &out, true, written + 8, "-KILL");
    assert_eq!(code, None, "killed by a signal");
    std::fs::OpenOptions::new().append(true).open(&out).unwrap().write_all(b"{\"id\": \"cut-off").unwrap();

    let status =
        whosaid().args(["attribute", "--resume", "--chunk", "4"]).arg(&input).arg("-o").arg(&out).status().unwrap();
    assert!(status.success());
    let resumed = std::fs::read(&out).unwrap();
    assert!(resumed == reference, "resumed output differs from the uninterrupted run");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn resume_refuses_an_output_of_another_configuration() {
    let dir = work_dir("resume-guard");
    let input = corpus(&dir, 3);
    let out = dir.join("out.jsonl");
    let first = run_to_file(&input, &out, "attribute", &[]);
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out.jsonl.run.json")).unwrap()).expect("a JSON run record");
    assert_eq!(record["model"]["name"], "whosaid-minilm-l4");
    assert_eq!(record["model"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(
        (record["engine"]["backend"].as_str(), record["engine"]["precision"].as_str()),
        (Some("onnx"), Some("int8"))
    );
    assert_eq!(record["options"]["reported"], "both");

    let resume = |extra: &[&str]| {
        whosaid().args(["attribute", "--resume"]).args(extra).arg(&input).arg("-o").arg(&out).output().unwrap()
    };
    // The same configuration resumes (nothing left to add).
    assert!(resume(&[]).status.success());
    assert_eq!(std::fs::read(&out).unwrap(), first);
    // Another flag that changes results, another model: refused, exit 2, nothing appended.
    for (extra, named) in [(&["--reported", "rules"][..], "--reported"), (&["--fast"][..], "model")] {
        let refused = resume(extra);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(named) && stderr.contains("--force-resume"), "{stderr}");
        assert_eq!(std::fs::read(&out).unwrap(), first);
    }
    // Unless forced.
    assert!(resume(&["--reported", "rules", "--force-resume"]).status.success());
    // An output without its record is refused too.
    std::fs::remove_file(dir.join("out.jsonl.run.json")).unwrap();
    let refused = resume(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is missing"));
    std::fs::remove_dir_all(&dir).ok();
}
