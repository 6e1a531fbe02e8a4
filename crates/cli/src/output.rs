//! The output side of a run: whole JSONL lines, flushed after every chunk, `--resume`, the
//! progress bar and SIGINT.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use crate::wire::Line;

use crate::input::DocReader;

/// Where output lines go.
pub struct LineWriter {
    out: Box<dyn Write + Send>,
    buf: Vec<u8>,
}

impl LineWriter {
    pub fn stdout() -> Self {
        LineWriter { out: Box::new(BufWriter::new(std::io::stdout())), buf: Vec::new() }
    }

    /// A new file, or with `resume` the existing one cut back to its last complete line and
    /// opened for appending. Returns the ids its complete lines already hold.
    pub fn file(path: &Path, resume: bool) -> Result<(Self, HashSet<String>)> {
        let mut done = HashSet::new();
        let file = if resume && path.exists() {
            let keep = complete_lines(path, &mut done)?;
            // Appending writes go to the end as it is after the cut.
            let file = OpenOptions::new()
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {} to resume", path.display()))?;
            file.set_len(keep).with_context(|| format!("cannot cut the partial last line of {}", path.display()))?;
            file
        } else {
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?
        };
        Ok((LineWriter { out: Box::new(BufWriter::with_capacity(1 << 16, file)), buf: Vec::new() }, done))
    }

    /// Write the lines of one chunk, each whole, then flush so that a killed run loses at
    /// most the chunks in flight.
    pub fn write_chunk(&mut self, lines: &[Line]) -> Result<()> {
        self.buf.clear();
        for line in lines {
            self.buf.extend_from_slice(line.to_json().as_bytes());
            self.buf.push(b'\n');
        }
        self.out.write_all(&self.buf).context("cannot write the output")?;
        self.out.flush().context("cannot write the output")?;
        Ok(())
    }
}

/// Read an earlier output: collect the ids of its complete lines (newline-terminated JSON
/// with an id) and return the byte length they cover; anything after the first incomplete
/// line is dropped on resume.
fn complete_lines(path: &Path, ids: &mut HashSet<String>) -> Result<u64> {
    let mut reader = BufReader::new(File::open(path).with_context(|| format!("cannot read {}", path.display()))?);
    let mut keep = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        let Ok(v) = serde_json::from_slice::<Value>(&line) else { break };
        let Some(id) = v.get("id").and_then(Value::as_str) else { break };
        ids.insert(id.to_string());
        keep += n as u64;
    }
    Ok(keep)
}

/// A progress bar on stderr with documents/s and ETA when stderr is a terminal, else hidden
/// (and the inputs are not counted).
pub fn progress_bar(reader: &DocReader) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match reader.count() {
        Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} documents, {per_sec}, ETA {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{elapsed_precise} {spinner} {pos} documents, {per_sec}")
                .expect("valid template"),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// On the first Ctrl-C, ask the run to stop reading (the chunks in flight are finished and
/// written); a second one exits at once.
pub fn stop_on_sigint() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let installed = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            eprintln!("whosaid: interrupted again, exiting now");
            std::process::exit(130);
        }
        eprintln!("whosaid: interrupted; finishing the documents in flight (Ctrl-C again to quit at once)");
    });
    if let Err(e) = installed {
        eprintln!("warning: cannot handle Ctrl-C ({e}); an interrupted run may end mid-chunk");
    }
    stop
}
