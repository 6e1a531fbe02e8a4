//! The run record: what produced an output file. `attribute -o OUT` and `entities -o OUT`
//! write it beside the output as `OUT.run.json` (the output keeps exactly one line per
//! document), and `--resume` compares it with the new run's before appending, so that an
//! output can never silently mix two configurations.
//!
//! It holds what changes results: whosaid's version, the job, the model (its directory's
//! name and a SHA-256 of the files the run reads), the engine, and the flags that change
//! output. Threads, batch size and chunk size are not in it: output is byte-identical
//! whatever they are (tests/batch.rs).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use whosaid_ner::{onnx_graph, Backend, Precision};

use crate::pipeline::{Job, RESOLVER_FILE, SCORER_FILE};

/// What produced an output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub whosaid: String,
    pub job: String,
    pub model: ModelRecord,
    pub engine: EngineRecord,
    /// The flags that change results, by their command-line names (without `--`), as given
    /// or defaulted.
    pub options: BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelRecord {
    /// The model directory as the run found it.
    pub dir: PathBuf,
    /// Its last component (`whosaid-minilm-l4`).
    pub name: String,
    /// SHA-256 over the files the run reads, each as its name, its length and its bytes.
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngineRecord {
    pub backend: String,
    pub precision: String,
}

/// The model files a run on `backend`/`precision` reads, in a fixed order (those present).
fn model_files(dir: &Path, backend: Backend, precision: Precision) -> Vec<PathBuf> {
    let weights = match backend {
        Backend::Onnx => onnx_graph(dir, precision),
        Backend::Torch => dir.join("model.safetensors"),
    };
    [dir.join("config.json"), dir.join("tokenizer.json"), weights, dir.join(SCORER_FILE), dir.join(RESOLVER_FILE)]
        .into_iter()
        .filter(|p| p.is_file())
        .collect()
}

fn hash_files(files: &[PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    for path in files {
        let mut file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        hasher.update(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
        hasher.update(len.to_le_bytes());
        loop {
            let n = file.read(&mut buf).with_context(|| format!("cannot read {}", path.display()))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

impl RunRecord {
    pub fn new(
        job: Job,
        dir: &Path,
        backend: Backend,
        precision: Precision,
        options: BTreeMap<String, serde_json::Value>,
    ) -> Result<Self> {
        Ok(RunRecord {
            whosaid: env!("CARGO_PKG_VERSION").to_string(),
            job: match job {
                Job::Attribute => "attribute",
                Job::Entities => "entities",
            }
            .to_string(),
            model: ModelRecord {
                dir: dir.to_path_buf(),
                name: dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                sha256: hash_files(&model_files(dir, backend, precision))?,
            },
            engine: EngineRecord { backend: backend.as_str().to_string(), precision: precision.as_str().to_string() },
            options,
        })
    }

    /// Where the record of `output` lives.
    pub fn path_for(output: &Path) -> PathBuf {
        let mut name = output.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".run.json");
        output.with_file_name(name)
    }

    pub fn read(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a whosaid run record", path.display()))
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("a record serialises");
        fs::write(path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
    }

    /// How `self` (an earlier run's record) differs from `new` in what changes results: one
    /// line a difference, empty when an output of one may be continued by the other. The
    /// model directory's path may differ (a moved model with the same files is the same).
    pub fn differences(&self, new: &RunRecord) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |what: &str, old: &dyn std::fmt::Display, new: &dyn std::fmt::Display| {
            if old.to_string() != new.to_string() {
                out.push(format!("{what}: {old} before, {new} now"));
            }
        };
        differ("whosaid version", &self.whosaid, &new.whosaid);
        differ("job", &self.job, &new.job);
        differ("model", &self.model.name, &new.model.name);
        differ("model files (SHA-256)", &self.model.sha256, &new.model.sha256);
        differ("backend", &self.engine.backend, &new.engine.backend);
        differ("precision", &self.engine.precision, &new.engine.precision);
        let keys: std::collections::BTreeSet<&String> = self.options.keys().chain(new.options.keys()).collect();
        for key in keys {
            let show = |v: Option<&serde_json::Value>| v.map_or("unset".to_string(), |v| v.to_string());
            differ(&format!("--{key}"), &show(self.options.get(key)), &show(new.options.get(key)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(reported: &str) -> RunRecord {
        RunRecord {
            whosaid: "0.1.0".into(),
            job: "attribute".into(),
            model: ModelRecord { dir: "/a/m".into(), name: "m".into(), sha256: "ab".into() },
            engine: EngineRecord { backend: "onnx".into(), precision: "int8".into() },
            options: BTreeMap::from([("reported".to_string(), serde_json::Value::from(reported))]),
        }
    }

    #[test]
    fn a_moved_model_is_the_same_and_a_changed_flag_is_not() {
        let old = record("both");
        let moved = RunRecord { model: ModelRecord { dir: "/b/m".into(), ..old.model.clone() }, ..old.clone() };
        assert!(old.differences(&moved).is_empty());
        assert_eq!(old.differences(&record("rules")), ["--reported: \"both\" before, \"rules\" now"]);
        let torch =
            RunRecord { engine: EngineRecord { backend: "torch".into(), precision: "fp32".into() }, ..old.clone() };
        assert_eq!(old.differences(&torch).len(), 2);
        assert_eq!(RunRecord::path_for(Path::new("out/x.jsonl")), Path::new("out/x.jsonl.run.json"));
    }
}
