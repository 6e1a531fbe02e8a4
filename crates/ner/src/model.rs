//! Loading a Hugging Face BERT token-classification directory and running it with ONNX
//! Runtime or rust-bert/libtorch (a plugin, [`crate::torch_plugin`]): one encoder pass, an
//! entity head and (when the model has one) an attribution-role head over the same hidden
//! states.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tokenizers::Tokenizer;
use whosaid_tokenize::EntityLabel;

use crate::casing::casing_type;
use crate::error::NerError;
use crate::onnx::OnnxEncoder;
use crate::role_decoding::{log_softmax, RoleDecoder, RoleDecoding};
use crate::torch_plugin::TorchEncoder;
use crate::windows::{windows, Window};

/// Wordpieces per window, [CLS] and [SEP] excluded (the model saw 128 in all in training).
pub const MAX_PIECES: usize = 126;

/// Wordpieces per paragraph window of a model with a role head, [CLS] and [SEP] excluded
/// (`ROLE_MAX_PIECES` of scripts/train_roles.py).
pub const ROLE_MAX_PIECES: usize = 200;

/// One entity label of the model's `id2label`: `O`, or a B-/I- prefix and a type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tag {
    Outside,
    Begin(String),
    Inside(String),
}

impl Tag {
    pub(crate) fn parse(label: &str) -> Option<Tag> {
        if label == "O" {
            return Some(Tag::Outside);
        }
        let (prefix, typ) = label.split_once('-')?;
        if typ.is_empty() {
            return None;
        }
        match prefix {
            "B" => Some(Tag::Begin(typ.to_string())),
            "I" => Some(Tag::Inside(typ.to_string())),
            _ => None,
        }
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tag::Outside => f.write_str("O"),
            Tag::Begin(t) => write!(f, "B-{t}"),
            Tag::Inside(t) => write!(f, "I-{t}"),
        }
    }
}

/// A word's predicted label and its probability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WordLabel {
    pub label: usize,
    pub prob: f32,
}

/// The number format the model computes in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// 32-bit floats: the reference.
    #[default]
    Fp32,
    /// bfloat16 weights and activations (libtorch backend; fast on CPUs with AVX-512 BF16 or AMX).
    Bf16,
    /// int8 weights, activations quantised on the fly (ONNX Runtime backend; uses VNNI/AMX).
    Int8,
}

impl Precision {
    /// As the command line and the outputs name it ("int8"; what `FromStr` reads).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Bf16 => "bf16",
            Precision::Int8 => "int8",
        }
    }
}

impl std::str::FromStr for Precision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fp32" | "f32" => Ok(Precision::Fp32),
            "bf16" => Ok(Precision::Bf16),
            "int8" => Ok(Precision::Int8),
            _ => Err(format!("unknown precision {s:?}: fp32, bf16 (torch backend) or int8 (onnx backend)")),
        }
    }
}

impl Precision {
    /// Whether this CPU computes in this precision natively. Only bf16 can be missing: libtorch
    /// runs bf16 with AVX-512 BF16 (and AMX, whose CPUs have it too); without it libtorch
    /// emulates bf16 arithmetic, and on an AVX2-only CPU that measured 22 times slower than
    /// fp32 (CoNLL++ test: 141 against 3,163 wordpieces/s), with the same results.
    pub fn is_native(self) -> bool {
        match self {
            Precision::Fp32 | Precision::Int8 => true,
            Precision::Bf16 => cpu_has_avx512_bf16(),
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn cpu_has_avx512_bf16() -> bool {
    std::arch::is_x86_feature_detected!("avx512bf16")
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_has_avx512_bf16() -> bool {
    false
}

/// The library that runs the encoder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    /// rust-bert on libtorch, weights from `model.safetensors`.
    #[default]
    Torch,
    /// ONNX Runtime, the graph from `onnx/model.onnx` (`onnx/model.int8.onnx` for int8).
    Onnx,
}

impl Backend {
    /// As the command line and the outputs name it ("onnx"; what `FromStr` reads).
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Torch => "torch",
            Backend::Onnx => "onnx",
        }
    }
}

impl std::str::FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "torch" | "libtorch" => Ok(Backend::Torch),
            "onnx" | "ort" => Ok(Backend::Onnx),
            _ => Err(format!("unknown backend {s:?}: torch or onnx")),
        }
    }
}

/// Inference settings.
#[derive(Clone, Copy, Debug)]
pub struct NerOptions {
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Run the model only on sentences that can hold a name: some word with a capital
    /// letter, other than a capitalised common word opening the sentence (see
    /// `crate::may_hold_names`). The others get no entities without being run.
    pub only_capitalised: bool,
    /// Keep each word's state from the encoder's last layer (its first wordpiece's), for
    /// speaker coreference.
    pub with_states: bool,
    /// How the role head's labels become spans.
    pub role_decoding: RoleDecoding,
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions {
            batch_size: 32,
            only_capitalised: false,
            with_states: false,
            role_decoding: RoleDecoding::Sequence,
        }
    }
}

/// Counters for throughput reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct NerStats {
    pub windows: usize,
    /// Real wordpieces, [CLS]/[SEP] included.
    pub wordpieces: usize,
    /// Wordpieces including padding.
    pub padded_wordpieces: usize,
    pub batches: usize,
}

impl NerStats {
    pub fn add(&mut self, other: &NerStats) {
        self.windows += other.windows;
        self.wordpieces += other.wordpieces;
        self.padded_wordpieces += other.padded_wordpieces;
        self.batches += other.batches;
    }
}

/// A linear map of the encoder's states (`rows` x `cols`, row-major), applied to each word's
/// state as it leaves the encoder so that only `rows` floats a word are kept: speaker
/// coreference's own projection, which it would apply anyway (its first layer is linear).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Projection {
    pub rows: usize,
    pub cols: usize,
    pub weights: Vec<f32>,
}

impl Projection {
    /// Each `cols`-float row of `states` through the map: `rows` floats a row, row-major.
    pub fn apply_rows(&self, states: &[f32]) -> Vec<f32> {
        let n = states.len() / self.cols.max(1);
        let x = ndarray::ArrayView2::from_shape((n, self.cols), states).expect("whole rows");
        let w = ndarray::ArrayView2::from_shape((self.rows, self.cols), &self.weights).expect("a rows x cols map");
        x.dot(&w.t()).as_standard_layout().iter().copied().collect()
    }
}

/// What [`NerModel::tag_words`] gives: each sequence's words' best entity labels; for a
/// model with a role head, each word's role log-probabilities (`role_labels` values a word,
/// word after word; [`NerModel::decode_roles`] reads them); and with
/// `NerOptions::with_states` each word's state from the encoder's last layer.
#[derive(Clone, Debug, Default)]
pub struct Tagged {
    pub entities: Vec<Vec<WordLabel>>,
    pub role_log_probs: Option<Vec<Vec<f32>>>,
    pub states: Option<WordStates>,
}

/// Per sequence, its words' states, `dim` floats a word (the first wordpiece's vector in the
/// encoder's last layer), word after word.
#[derive(Clone, Debug, Default)]
pub struct WordStates {
    pub dim: usize,
    pub sequences: Vec<Vec<f32>>,
}

/// A loaded model: tokenizer, label sets and the BERT encoder with its heads, on the CPU.
pub struct NerModel {
    dir: PathBuf,
    tokenizer: Tokenizer,
    tags: Vec<Tag>,
    labels: Vec<String>,
    /// The role head's tags (`config.json`'s `role_labels`), when the model has one.
    role_tags: Option<Vec<Tag>>,
    /// The role head's sequence decoder, when the model has one.
    role_decoder: Option<RoleDecoder>,
    encoder: Box<dyn Encoder>,
    type_vocab_size: i64,
    cls: u32,
    sep: u32,
    unk: u32,
}

/// What a backend can do, which decides how [`NerModel`] batches and schedules its windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Independent sessions that run batches side by side (1: one batch at a time, with the
    /// backend's own threads inside each pass).
    pub sessions: usize,
    /// Rows of one batch can change each other's results (int8 with activation scales per
    /// batch): each window then runs alone, at its exact length, and batch size has no effect.
    pub batch_dependent: bool,
    /// The fewest rows a batch needs for its results not to depend on its size (libtorch
    /// takes other kernels for a single row: a lone window runs beside a copy of itself).
    pub min_rows: usize,
}

/// A backend that runs the encoder and its heads over a padded batch: ONNX Runtime
/// ([`OnnxEncoder`]) or libtorch (the plugin, [`TorchEncoder`]).
pub(crate) trait Encoder: Send + Sync {
    /// Per position: the entity head's best label and its probability, and the role head's
    /// log-probabilities; `session` picks one of the backend's parallel sessions (below
    /// [`Capabilities::sessions`]).
    fn forward(&self, input: BatchInput, session: usize) -> Result<BatchOutput, NerError>;

    fn capabilities(&self) -> Capabilities;
}

impl Encoder for OnnxEncoder {
    fn capabilities(&self) -> Capabilities {
        Capabilities { sessions: self.sessions(), batch_dependent: self.quantized(), min_rows: 1 }
    }

    fn forward(&self, input: BatchInput, session: usize) -> Result<BatchOutput, NerError> {
        let logits =
            self.logits(session, input.ids, input.mask, input.types, input.rows, input.width, input.with_hidden)?;
        Ok(BatchOutput {
            entities: best_of(&logits.entities, self.labels()),
            roles: logits.roles.map(|r| log_softmax(&r, self.role_labels())),
            states: logits.hidden,
        })
    }
}

/// The fields of a Hugging Face BERT `config.json` this side reads (the torch plugin reads the
/// rest of the architecture itself).
#[derive(Deserialize)]
struct ConfigFields {
    /// Label ids (as JSON object keys, "0", "1", ...) to labels.
    id2label: Option<HashMap<String, String>>,
    #[serde(default = "default_type_vocab_size")]
    type_vocab_size: i64,
}

fn default_type_vocab_size() -> i64 {
    2
}

fn read(path: &Path) -> Result<String, NerError> {
    std::fs::read_to_string(path).map_err(|cause| NerError::Io { path: path.to_path_buf(), cause })
}

impl NerModel {
    /// Load `config.json`, `tokenizer.json` and `model.safetensors` from a model directory.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, NerError> {
        Self::load_with(dir, Backend::Torch, Precision::Fp32, 1)
    }

    /// Load a model directory to run on `backend` in `precision`; `threads` is ONNX Runtime's
    /// intra-op thread count, and libtorch's (process-wide there).
    pub fn load_with(
        dir: impl AsRef<Path>,
        backend: Backend,
        precision: Precision,
        threads: usize,
    ) -> Result<Self, NerError> {
        let dir = dir.as_ref();
        match (backend, precision) {
            (Backend::Torch, Precision::Int8) => {
                return Err(NerError::Unsupported("int8 runs on the onnx backend (--backend onnx)".into()))
            }
            (Backend::Onnx, Precision::Bf16) => {
                return Err(NerError::Unsupported("bf16 runs on the torch backend (--backend torch)".into()))
            }
            _ => {}
        }
        if !dir.is_dir() {
            return Err(NerError::MissingDir(dir.to_path_buf()));
        }
        let config_path = dir.join("config.json");
        let config_text = read(&config_path)?;
        // Parsed once: the fields below, the role head's labels and its decoder read it.
        let config_value: serde_json::Value = serde_json::from_str(&config_text)
            .map_err(|e| NerError::Config { path: config_path.clone(), message: e.to_string() })?;
        let config = ConfigFields::deserialize(&config_value)
            .map_err(|e| NerError::Config { path: config_path.clone(), message: e.to_string() })?;
        let id2label = config.id2label.clone().ok_or_else(|| NerError::Config {
            path: config_path.clone(),
            message: "no id2label: not a token-classification model".into(),
        })?;
        let labels = (0..id2label.len())
            .map(|i| {
                id2label.get(&i.to_string()).cloned().ok_or_else(|| NerError::Config {
                    path: config_path.clone(),
                    message: format!("id2label has no id {i}: ids must run 0..{}", id2label.len()),
                })
            })
            .collect::<Result<Vec<String>, NerError>>()?;
        let tags = parse_tags(&labels, "id2label", &config_path)?;
        // Attribution reads the CoNLL-2003 types; a model tagging others cannot serve it.
        if let Some(other) = tags.iter().find_map(|t| match t {
            Tag::Begin(x) | Tag::Inside(x) if EntityLabel::from_conll(x).is_none() => Some(x),
            _ => None,
        }) {
            return Err(NerError::Config {
                path: config_path.clone(),
                message: format!(
                    "id2label type {other:?} is not one of the CoNLL-2003 entity types whosaid reads (PER, ORG, LOC, MISC)"
                ),
            });
        }
        let role_tags = read_role_tags(&config_value, &config_path)?;
        let role_decoder =
            role_tags.as_deref().map(|t| RoleDecoder::from_config(t, &config_value, &config_path)).transpose()?;

        let tokenizer_path = dir.join("tokenizer.json");
        if !tokenizer_path.is_file() {
            return Err(NerError::Io {
                path: tokenizer_path,
                cause: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the model directory"),
            });
        }
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|e| NerError::Tokenizer { path: tokenizer_path.clone(), message: e.to_string() })?;
        // Windows are made here; the tokenizer must neither cut nor pad.
        tokenizer
            .with_truncation(None)
            .map_err(|e| NerError::Tokenizer { path: tokenizer_path.clone(), message: e.to_string() })?;
        tokenizer.with_padding(None);
        let special = |name: &str| {
            tokenizer.token_to_id(name).ok_or_else(|| NerError::Tokenizer {
                path: tokenizer_path.clone(),
                message: format!("vocabulary has no {name} token"),
            })
        };
        let (cls, sep, unk) = (special("[CLS]")?, special("[SEP]")?, special("[UNK]")?);

        let role_count = role_tags.as_ref().map(Vec::len);
        let encoder: Box<dyn Encoder> = match backend {
            Backend::Torch => {
                let weights = dir.join("model.safetensors");
                if !weights.is_file() {
                    return Err(NerError::Io {
                        path: weights,
                        cause: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file in the model directory"),
                    });
                }
                Box::new(TorchEncoder::load(dir, precision, labels.len(), role_count, threads)?)
            }
            Backend::Onnx => {
                let quantized = precision == Precision::Int8;
                let path = onnx_graph(dir, precision);
                Box::new(OnnxEncoder::load(&path, threads, labels.len(), role_count, quantized)?)
            }
        };
        Ok(NerModel {
            dir: dir.to_path_buf(),
            tokenizer,
            tags,
            labels,
            role_tags,
            role_decoder,
            encoder,
            type_vocab_size: config.type_vocab_size,
            cls,
            sep,
            unk,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the loaded backend can do (sessions, whether batch size matters).
    pub fn capabilities(&self) -> Capabilities {
        self.encoder.capabilities()
    }

    /// The model's labels, indexed like [`WordLabel::label`].
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The role head's tags, when the model has an attribution-role head.
    pub fn role_tags(&self) -> Option<&[Tag]> {
        self.role_tags.as_deref()
    }

    /// Wordpiece ids of each word (at least one per word: `[UNK]` for a word the tokenizer drops).
    fn word_pieces(&self, words: &[&str]) -> Result<Vec<Vec<u32>>, NerError> {
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        if words.is_empty() {
            return Ok(out);
        }
        let encoding = self
            .tokenizer
            .encode(words, false)
            .map_err(|e| NerError::Tokenizer { path: self.dir.join("tokenizer.json"), message: e.to_string() })?;
        for (id, word) in encoding.get_ids().iter().zip(encoding.get_word_ids()) {
            if let Some(w) = word {
                out[*w as usize].push(*id);
            }
        }
        for pieces in &mut out {
            if pieces.is_empty() {
                pieces.push(self.unk);
            }
        }
        Ok(out)
    }

    /// Label every word of every sentence with its entity label (windows of [`MAX_PIECES`]).
    pub fn label_words(
        &self,
        sentences: &[Vec<&str>],
        options: NerOptions,
        stats: &mut NerStats,
    ) -> Result<Vec<Vec<WordLabel>>, NerError> {
        let tagged =
            self.tag_words(sentences, MAX_PIECES, NerOptions { with_states: false, ..options }, None, stats)?;
        Ok(tagged.entities)
    }

    /// Tag every word of every sequence (sentences or paragraphs) with both heads in one
    /// pass. Sequences are windowed (`max_pieces` wordpieces), all windows sorted by length
    /// and run in batches of `options.batch_size`. With `options.with_states`, each word's
    /// state from the encoder's last layer comes too, through `projection` when given.
    pub fn tag_words(
        &self,
        sentences: &[Vec<&str>],
        max_pieces: usize,
        options: NerOptions,
        projection: Option<&Projection>,
        stats: &mut NerStats,
    ) -> Result<Tagged, NerError> {
        struct Job {
            sentence: usize,
            window: Window,
            ids: Vec<i64>,
            types: Vec<i64>,
            first_piece: Vec<usize>,
        }
        let mut jobs = Vec::new();
        for (s, words) in sentences.iter().enumerate() {
            let pieces = self.word_pieces(words)?;
            let counts: Vec<usize> = pieces.iter().map(Vec::len).collect();
            for window in windows(&counts, max_pieces) {
                let mut ids = vec![self.cls as i64];
                let mut types = vec![0];
                let mut first_piece = Vec::with_capacity(window.end - window.start);
                for w in window.start..window.end {
                    let wp = &pieces[w][..pieces[w].len().min(max_pieces)];
                    let t = casing_type(words[w]).min(self.type_vocab_size - 1);
                    first_piece.push(ids.len());
                    ids.extend(wp.iter().map(|&p| p as i64));
                    types.extend(std::iter::repeat_n(t, wp.len()));
                }
                ids.push(self.sep as i64);
                types.push(0);
                jobs.push(Job { sentence: s, window, ids, types, first_piece });
            }
        }
        jobs.sort_by_key(|j| j.ids.len());

        let none = WordLabel { label: 0, prob: 0.0 };
        let mut entities: Vec<Vec<WordLabel>> = sentences.iter().map(|w| vec![none; w.len()]).collect();
        let role_labels = self.role_tags.as_ref().map_or(0, Vec::len);
        let mut role_log_probs: Option<Vec<Vec<f32>>> =
            self.role_tags.as_ref().map(|_| sentences.iter().map(|w| vec![0.0; w.len() * role_labels]).collect());
        // int8 ONNX quantises activations with one scale per batch: windows run alone so that
        // none depends on its neighbours (on CoNLL++ that is also faster than batching).
        let caps = self.encoder.capabilities();
        let batch_size = if caps.batch_dependent { 1 } else { options.batch_size.max(1) };
        // libtorch takes other kernels for a single row, so there a lone window runs beside
        // a copy of itself; ONNX Runtime gives the same results for any number of rows.
        let min_rows = caps.min_rows.max(1);
        // A window that always runs alone needs no padding.
        let width_of = |batch: &[Job]| {
            if batch_size == 1 && min_rows == 1 {
                batch[0].ids.len()
            } else {
                padded_width(batch[0].ids.len())
            }
        };
        // Batches never mix padded widths, so a window's padded width (and so its floating
        // point results) does not depend on the batch size or on the other documents.
        let groups: Vec<&[Job]> = jobs
            .chunk_by(|a, b| padded_width(a.ids.len()) == padded_width(b.ids.len()))
            .flat_map(|same_width| same_width.chunks(batch_size))
            .collect();
        let mut inputs = Vec::with_capacity(groups.len());
        for batch in &groups {
            let width = width_of(batch);
            let rows = batch.len().max(min_rows);
            let mut input = BatchInput {
                ids: vec![0i64; rows * width],
                types: vec![0i64; rows * width],
                mask: vec![0i64; rows * width],
                rows,
                width,
                with_hidden: options.with_states,
            };
            for (r, job) in batch.iter().cycle().take(rows).enumerate() {
                let row = r * width;
                input.ids[row..row + job.ids.len()].copy_from_slice(&job.ids);
                input.types[row..row + job.types.len()].copy_from_slice(&job.types);
                input.mask[row..row + job.ids.len()].fill(1);
            }
            stats.wordpieces += batch.iter().map(|j| j.ids.len()).sum::<usize>();
            stats.padded_wordpieces += rows * width;
            stats.windows += batch.len();
            stats.batches += 1;
            inputs.push(input);
        }
        let results = self.forward_all(inputs, projection)?;
        let mut states: Option<WordStates> = None;
        for (batch, result) in groups.iter().zip(results) {
            let width = width_of(batch);
            let rows = batch.len().max(min_rows);
            let batch_states = result.states.as_deref().map(|flat| (flat, flat.len() / (rows * width).max(1)));
            if let (Some((_, dim)), None) = (batch_states, &states) {
                states = Some(WordStates {
                    dim,
                    sequences: sentences.iter().map(|words| vec![0.0; words.len() * dim]).collect(),
                });
            }
            for (r, job) in batch.iter().enumerate() {
                for (k, &piece) in job.first_piece.iter().enumerate() {
                    let w = job.window.start + k;
                    if w >= job.window.keep_start && w < job.window.keep_end {
                        let at = r * width + piece;
                        entities[job.sentence][w] = result.entities.at(at);
                        if let (Some(from), Some(to)) = (result.roles.as_deref(), role_log_probs.as_mut()) {
                            to[job.sentence][w * role_labels..(w + 1) * role_labels]
                                .copy_from_slice(&from[at * role_labels..(at + 1) * role_labels]);
                        }
                        if let (Some((flat, dim)), Some(states)) = (batch_states, states.as_mut()) {
                            states.sequences[job.sentence][w * dim..(w + 1) * dim]
                                .copy_from_slice(&flat[at * dim..(at + 1) * dim]);
                        }
                    }
                }
            }
        }
        Ok(Tagged { entities, role_log_probs, states })
    }

    /// Run every batch: in order on a backend with one session (libtorch, which parallelises
    /// inside each pass), or spread over the sessions (ONNX Runtime's, one thread each: small
    /// batches scale better across batches than inside one).
    /// States leave each batch through `projection` at once, so that no more than the batch's
    /// full-width states are ever held.
    fn forward_all(
        &self,
        inputs: Vec<BatchInput>,
        projection: Option<&Projection>,
    ) -> Result<Vec<BatchOutput>, NerError> {
        let project = |mut out: BatchOutput| {
            if let (Some(p), Some(flat)) = (projection, out.states.as_deref()) {
                if flat.len() % p.cols.max(1) == 0 {
                    out.states = Some(p.apply_rows(flat));
                }
            }
            out
        };
        let encoder = self.encoder.as_ref();
        let sessions = encoder.capabilities().sessions;
        if sessions <= 1 || inputs.len() <= 1 {
            return inputs.into_iter().map(|b| encoder.forward(b, 0).map(project)).collect();
        }
        // Each session's thread takes the next batch not yet taken and keeps its results by
        // index; batches are put back in order afterwards.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<std::sync::Mutex<Option<BatchInput>>> =
            inputs.into_iter().map(|b| std::sync::Mutex::new(Some(b))).collect();
        let mut done: Vec<(usize, Result<BatchOutput, NerError>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..sessions.min(slots.len()))
                .map(|session| {
                    let (next, slots) = (&next, &slots);
                    scope.spawn(move || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(slot) = slots.get(i) else { break done };
                            let input = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
                            let input = input.expect("each batch is taken once");
                            done.push((i, encoder.forward(input, session).map(project)));
                        }
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().expect("a session's worker does not panic")).collect()
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, result)| result).collect()
    }

    /// Group word labels into entities with conlleval semantics: an I- tag that does not
    /// continue an entity of its type begins a new one. Returns (first word, end word, type, mean prob).
    pub fn decode(&self, labels: &[WordLabel]) -> Vec<(usize, usize, String, f32)> {
        decode_tags(&self.tags, labels)
    }

    /// One sequence's role spans from its words' role log-probabilities (a sequence of
    /// [`Tagged::role_log_probs`]): by default the best label sequence in which every I-
    /// continues its span ([`RoleDecoder`]), grouped like [`NerModel::decode`]. Empty for a
    /// model without a role head.
    /// `words`: the sequence's words, whose log-probabilities these are.
    pub fn decode_roles(
        &self,
        words: &[&str],
        log_probs: &[f32],
        decoding: RoleDecoding,
    ) -> Vec<(usize, usize, String, f32)> {
        match self.role_tags.as_deref() {
            Some(tags) => decode_tags(tags, &self.decode_role_labels(words, log_probs, decoding)),
            None => Vec::new(),
        }
    }

    /// One sequence's role labels (indices into [`NerModel::role_tags`]) as
    /// [`NerModel::decode_roles`] reads them, each CONTENT starting at what was said
    /// ([`start_contents_at_the_words`]); empty for a model without a role head.
    pub fn decode_role_labels(&self, words: &[&str], log_probs: &[f32], decoding: RoleDecoding) -> Vec<WordLabel> {
        let mut labels =
            self.role_decoder.as_ref().map_or_else(Vec::new, |decoder| decoder.decode(log_probs, decoding));
        if let Some(tags) = self.role_tags.as_deref() {
            start_contents_at_the_words(tags, words, &mut labels);
        }
        labels
    }
}

/// Where a model directory keeps its ONNX graph for `precision` (`scripts/export_onnx.py`
/// writes both): `onnx/model.int8.onnx` for int8, else `onnx/model.onnx`.
pub fn onnx_graph(dir: &Path, precision: Precision) -> PathBuf {
    let file = if precision == Precision::Int8 { "model.int8.onnx" } else { "model.onnx" };
    dir.join("onnx").join(file)
}

/// The backend and precision to run a model directory on, from those the user named (if
/// any). Neither named: ONNX Runtime int8 when the directory has its int8 graph (the
/// default model's accuracy on every benchmark, at about five times libtorch fp32's speed:
/// BENCHMARKS.md), else libtorch fp32. Only one named: the other follows from it (torch ->
/// fp32, onnx -> int8; bf16 and fp32 -> torch, int8 -> onnx).
pub fn resolve_engine(dir: &Path, backend: Option<Backend>, precision: Option<Precision>) -> (Backend, Precision) {
    match (backend, precision) {
        (Some(b), Some(p)) => (b, p),
        (Some(Backend::Torch), None) => (Backend::Torch, Precision::Fp32),
        (Some(Backend::Onnx), None) => (Backend::Onnx, Precision::Int8),
        (None, Some(Precision::Int8)) => (Backend::Onnx, Precision::Int8),
        (None, Some(p)) => (Backend::Torch, p),
        (None, None) if onnx_graph(dir, Precision::Int8).is_file() => (Backend::Onnx, Precision::Int8),
        (None, None) => (Backend::Torch, Precision::Fp32),
    }
}

/// BIO labels to (first word, end word, type, mean prob) with conlleval semantics.
/// Moves each CONTENT span's start past a transcript label ("WALLACE:", with the quotation
/// mark before it) that the head took in: the label is not what was said, and PolNeAR's
/// contents start after it.
fn start_contents_at_the_words(tags: &[Tag], words: &[&str], labels: &mut [WordLabel]) {
    let index = |want: Tag| tags.iter().position(|t| *t == want);
    let (Some(outside), Some(begin), Some(inside)) =
        (index(Tag::Outside), index(Tag::Begin("CONTENT".into())), index(Tag::Inside("CONTENT".into())))
    else {
        return;
    };
    let mut i = 0;
    while i < labels.len().min(words.len()) {
        // A span starts at B-CONTENT or at an I-CONTENT that continues nothing (as decode_tags reads it).
        let starts = labels[i].label == begin
            || (labels[i].label == inside && (i == 0 || ![begin, inside].contains(&labels[i - 1].label)));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < labels.len().min(words.len()) && labels[end].label == inside {
            end += 1;
        }
        let start = i + said_from(&words[i..end]);
        if start > i {
            labels[i..start].iter_mut().for_each(|l| l.label = outside);
            labels[start].label = begin;
        }
        i = end;
    }
}

/// Where what was said starts in a content's words: past a label of one to four words in
/// capitals and its colon (and the quotation marks before it), else at its first word;
/// never the whole span.
fn said_from(words: &[&str]) -> usize {
    let mark = |w: &str| {
        !w.is_empty()
            && w.chars().all(|c| matches!(c, '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '\'' | '‹' | '›'))
    };
    let mut start = 0;
    while start + 1 < words.len() && mark(words[start]) {
        start += 1;
    }
    let capitals = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase);
    let label = words[start..].iter().take(4).take_while(|w| capitals(w)).count();
    if label > 0 && start + label + 1 < words.len() && words[start + label] == ":" {
        return start + label + 1;
    }
    // A content that opens with its quotation mark keeps it: PolNeAR's contents do.
    0
}

fn decode_tags(tags: &[Tag], labels: &[WordLabel]) -> Vec<(usize, usize, String, f32)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String, f32)> = None;
    for (i, wl) in labels.iter().enumerate() {
        let (begins, typ) = match &tags[wl.label] {
            Tag::Outside => (false, None),
            Tag::Begin(t) => (true, Some(t)),
            Tag::Inside(t) => (current.as_ref().is_none_or(|c| &c.1 != t), Some(t)),
        };
        if let Some((start, t, sum)) = current.take() {
            if begins || typ.is_none() {
                out.push((start, i, t.clone(), sum / (i - start) as f32));
            } else {
                current = Some((start, t, sum + wl.prob));
            }
        }
        if begins {
            current = Some((i, typ.cloned().unwrap_or_default(), wl.prob));
        }
    }
    if let Some((start, t, sum)) = current {
        out.push((start, labels.len(), t, sum / (labels.len() - start) as f32));
    }
    out
}

/// Per position of a batch, one head's best label and its probability.
pub(crate) struct HeadOutput {
    pub(crate) prob: Vec<f32>,
    pub(crate) label: Vec<i64>,
}

impl HeadOutput {
    fn at(&self, position: usize) -> WordLabel {
        WordLabel { label: self.label[position] as usize, prob: self.prob[position] }
    }
}

/// Both heads' results for a batch (the role head's as log-probabilities, `[rows, width,
/// role labels]` flattened), and the encoder's last layer when asked for (`[rows, width,
/// hidden size]`, flattened).
pub(crate) struct BatchOutput {
    pub(crate) entities: HeadOutput,
    pub(crate) roles: Option<Vec<f32>>,
    pub(crate) states: Option<Vec<f32>>,
}

/// Softmax argmax of flattened `[positions, labels]` logits, reduced like the libtorch pass.
fn best_of(logits: &[f32], labels: usize) -> HeadOutput {
    let positions = logits.len() / labels.max(1);
    let mut out = HeadOutput { prob: Vec::with_capacity(positions), label: Vec::with_capacity(positions) };
    for position in logits.chunks_exact(labels) {
        let (arg, max) =
            position
                .iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, &v)| if v > best.1 { (i, v) } else { best });
        let sum: f32 = position.iter().map(|&v| (v - max).exp()).sum();
        out.prob.push(1.0 / sum);
        out.label.push(arg as i64);
    }
    out
}

/// The tags of a head's labels (`field` of config.json, in id order): each `O` or
/// B-TYPE/I-TYPE, and `O` among them.
fn parse_tags(labels: &[String], field: &str, config_path: &Path) -> Result<Vec<Tag>, NerError> {
    let fail = |message: String| NerError::Config { path: config_path.to_path_buf(), message };
    let tags = labels
        .iter()
        .map(|label| {
            Tag::parse(label)
                .ok_or_else(|| fail(format!("{field} label {label:?} is neither O nor B-TYPE/I-TYPE (IOB2)")))
        })
        .collect::<Result<Vec<Tag>, NerError>>()?;
    if !tags.contains(&Tag::Outside) {
        return Err(fail(format!("{field} has no O label")));
    }
    Ok(tags)
}

/// `role_labels` of a parsed config.json: the role head's BIO labels, in id order.
fn read_role_tags(config: &serde_json::Value, config_path: &Path) -> Result<Option<Vec<Tag>>, NerError> {
    let fail = |message: String| NerError::Config { path: config_path.to_path_buf(), message };
    let Some(labels) = config.get("role_labels") else { return Ok(None) };
    let labels = labels
        .as_array()
        .and_then(|l| l.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<String>>>())
        .ok_or_else(|| fail("role_labels is not a list of label strings".into()))?;
    parse_tags(&labels, "role_labels", config_path).map(Some)
}

/// One padded batch of windows, row-major `rows` x `width`.
pub(crate) struct BatchInput {
    pub(crate) ids: Vec<i64>,
    pub(crate) types: Vec<i64>,
    pub(crate) mask: Vec<i64>,
    pub(crate) rows: usize,
    pub(crate) width: usize,
    /// Return the encoder's last layer too.
    pub(crate) with_hidden: bool,
}

/// Windows are padded to a multiple of this many wordpieces.
const WIDTH_STEP: usize = 8;

fn padded_width(len: usize) -> usize {
    len.div_ceil(WIDTH_STEP) * WIDTH_STEP
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(tags: &[Tag], names: &[&str]) -> Vec<WordLabel> {
        names
            .iter()
            .map(|n| WordLabel { label: tags.iter().position(|t| *t == Tag::parse(n).unwrap()).unwrap(), prob: 0.9 })
            .collect()
    }

    #[test]
    fn a_content_starts_after_a_transcript_label_and_keeps_its_quotation_mark() {
        let tags: Vec<Tag> = ["O", "B-CONTENT", "I-CONTENT"].iter().map(|t| Tag::parse(t).unwrap()).collect();
        let words = ["\"", "REYES", ":", "We", "will", "sign", "it", ".", "\"", "We", "will", "."];
        let mut got = labels(
            &tags,
            &[
                "B-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "B-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
                "I-CONTENT",
            ],
        );
        start_contents_at_the_words(&tags, &words, &mut got);
        let spans = decode_tags(&tags, &got);
        let bounds: Vec<(usize, usize)> = spans.iter().map(|s| (s.0, s.1)).collect();
        assert_eq!(bounds, vec![(3, 8), (8, 12)]);
        // A label alone is left as it is.
        assert_eq!(said_from(&["REYES", ":"]), 0);
        assert_eq!(said_from(&["The", "CEO", ":", "no"]), 0);
    }
}
