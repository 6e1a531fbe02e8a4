//! `whosaid`: who said what in news articles.

mod bench;
mod coref_eval;
mod evaluate;
mod output;
mod present;
mod record;
mod role_eval;

// The pipeline library (crates/pipeline), shared with the Python binding, and the wire format.
pub(crate) use whosaid_pipeline as pipeline;
pub(crate) use whosaid_pipeline::{html, input};
pub(crate) use whosaid_wire as wire;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use whosaid_attribution::{GenderFrom, ReportedFrom};
use whosaid_ner::conll::{parse_conll, score};
use whosaid_ner::{Backend, NerOptions, NerStats, Precision, RoleDecoding};

use crate::input::{DocReader, Format, InputOptions, DEFAULT_GLOB};
use crate::output::{progress_bar, stop_on_sigint, LineWriter};
use crate::pipeline::{
    load_model, read_known_entities, Config, Job, ModelChoice, Pipeline, RunOptions, RunStats, DEFAULT_MAX_CHARS,
};
use crate::record::RunRecord;

#[derive(Parser)]
#[command(
    name = "whosaid",
    version,
    about = "Find quotations in news articles and say who said them",
    long_about = "Find every quotation in news articles (direct quotes, quoted fragments inside reported \
speech, and reported speech without quotation marks) and link each to its speaker, a named person or \
organisation, also when the text only says \"he added\" or \"the attorney general said\".\n\n\
Documents are .txt files (the id is the file stem), directories of .txt files, JSONL files \
({\"id\", \"text\"} a line; other fields are carried through under \"meta\"), or stdin. \
Output is JSONL, exactly one line per input document, in input order.\n\n\
Exit status: 0 all documents processed; 1 some documents failed (they get an error line); \
2 usage or set-up errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Which model runs, on which engine: every subcommand that runs the model takes these.
#[derive(Args, Clone)]
#[command(next_help_heading = "Model")]
struct EngineArgs {
    /// NER model directory (Hugging Face layout: config.json, tokenizer.json, model.safetensors).
    /// Default: $WHOSAID_MODEL, else the bundled whosaid-minilm-l4 (4 layers, entities and
    /// attribution roles), looked for in models/ next to the executable (or
    /// ../share/whosaid/models), then in $WHOSAID_MODELS, then in the checkout it was built from. models/whosaid-minilm-l6, the 6-layer model it was distilled from,
    /// reads polnear-dev quoted F1 0.900 against 0.905 and reported 0.756 against 0.728,
    /// lower on the hand-checked seeds, at 0.7 times its speed.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Worker threads (document stages run on a rayon pool; libtorch uses as many per forward pass).
    #[arg(long, default_value_t = default_threads(), value_parser = positive)]
    threads: usize,
    /// Sentence windows per NER forward pass. Int8 (and so --fast) runs each window alone, at
    /// its exact length, so that results cannot depend on their neighbours: there it has no effect.
    #[arg(long, default_value_t = 32, value_parser = positive)]
    batch_size: usize,
    /// NER backend: onnx (ONNX Runtime, MODEL/onnx/model.int8.onnx or model.onnx from
    /// scripts/export_onnx.py; libonnxruntime.so from $ORT_DYLIB_PATH, next to the executable
    /// or the checkout venv's onnxruntime wheel) or torch (rust-bert on libtorch,
    /// MODEL/model.safetensors, run by the plugin libwhosaid_torch.so, loaded only then from
    /// $WHOSAID_TORCH_PLUGIN, next to the executable or the checkout's build). Default:
    /// onnx with int8 when the model has its int8 graph (the bundled ones do), else torch fp32;
    /// with only --precision given, the backend that runs it (bf16, fp32: torch; int8: onnx).
    #[arg(long)]
    backend: Option<Backend>,
    /// Number format of the NER model: int8 (onnx backend; the default there), fp32 (the
    /// reference; the default on torch) or bf16 (torch backend; fast where the CPU has AVX-512
    /// BF16 or AMX, emulated and about 20 times slower elsewhere: whosaid warns then).
    /// BENCHMARKS.md gives each one's accuracy and speed.
    #[arg(long)]
    precision: Option<Precision>,
    /// Fast mode, shorthand for --model models/ner-conll03-minilm-l3 (the bundled 3-layer
    /// entity model, no role head) --backend onnx --precision int8: CoNLL++ F1 0.886 against
    /// the default model's 0.887, PolNeAR quotation F1 0.859 against 0.905 and reported 0.664
    /// against 0.728 (the rules alone), at about 1.5 times the default's speed (BENCHMARKS.md).
    #[arg(long, conflicts_with_all = ["model", "backend", "precision"])]
    fast: bool,
    /// How the role head's labels become role spans: sequence (default: each paragraph's most
    /// probable labelling in which every I- continues its span, with the model's learned
    /// tag-to-tag scores) or words (each word's own best label; an ablation: the default
    /// model's span-exact CONTENT F1 on polnear-dev is 0.647 against 0.566).
    #[arg(long, value_enum, default_value = "sequence")]
    role_decoding: RoleDecodingArg,
}

/// What attribution draws on: the subcommands that find quotations take these.
#[derive(Args, Clone)]
#[command(next_help_heading = "Attribution")]
struct AttributionArgs {
    /// For `attribute` and `eval` with a model without a role head (--fast's): run NER on
    /// every sentence. By default sentences without a capitalised word (other than a common
    /// word opening them) are not run: they hold no names, and attribution's output is the
    /// same (checked on PolNeAR, see BENCHMARKS.md). A model with a role head (the default)
    /// reads every paragraph whole, so this changes nothing there.
    #[arg(long)]
    all_sentences: bool,
    /// For `attribute` and `eval`: where reported speech (without quotation marks) comes
    /// from. roles: the model's attribution-role head (its CONTENT spans after a speech cue
    /// that takes a clause); rules: the hand-written rules only, role tags unused (also for
    /// the speakers of quotations no rule attributes); both (default): the
    /// role head's clauses plus the rules' clauses that none of them covers, all scored by
    /// the model's scorer. A model without a role head (--fast's) always uses the rules.
    /// Quoted speech comes from the quotation marks either way.
    #[arg(long, value_enum, default_value = "both")]
    reported: ReportedArg,
    /// For `attribute` and `eval`: do not use the model's trained attribution scorer
    /// (MODEL/scorer.json). With it, each confidence is the scorer's calibrated probability
    /// that the quotation is right and weak reported clauses are rejected; without it,
    /// confidences are hand-set estimates and nothing is rejected. A scorer applies only to
    /// the --reported sources it was trained on (the default model's: both).
    #[arg(long)]
    no_scorer: bool,
    /// For `attribute` and `eval`: choose each quoted span's speaker by the rules' chain
    /// (the first rule, in a fixed order, that finds one) instead of the scorer's speaker
    /// ranker, which weighs every rule's candidate (an ablation: the default model's quoted
    /// F1 on polnear-dev falls from 0.905 to 0.866).
    #[arg(long, conflicts_with = "no_scorer")]
    no_ranker: bool,
    /// For `attribute` and `eval`: resolve pronouns and descriptions by the hand-written rules
    /// instead of the model's trained speaker-coreference resolver (MODEL/coref.json), an
    /// ablation.
    #[arg(long)]
    coref_rules: bool,
    /// For `attribute`: add each quotation's scorer features to its output (`features`, in
    /// the order of whosaid_attribution::scorer::feature_names()) and each quoted span's speaker
    /// candidates with their ranker features (`candidates`, in the order of
    /// whosaid_attribution::candidates::ranker_features()), for scripts/train_scorer.py.
    #[arg(long)]
    with_features: bool,
    /// For `attribute`: which evidence each speaker's `gender` (female, male or unknown, with
    /// `gender_evidence`) draws on. text (default): how the document itself refers to the
    /// person (a pronoun resolved to them, an honorific such as "Ms.", a gendered title such
    /// as "spokeswoman"), then an alias file's gender, then first-name statistics where the
    /// text says nothing; text-only: no first-name statistics; names: first-name statistics
    /// only; off: no gender fields. This is the gender the text refers to a person with, not
    /// a statement about their identity. Coreference uses all of it whatever this says.
    #[arg(long, value_enum, default_value = "text")]
    gender_from: GenderFromArg,
}

/// --gender-from, as attribution's `GenderFrom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GenderFromArg {
    Text,
    TextOnly,
    Names,
    Off,
}

impl From<GenderFromArg> for GenderFrom {
    fn from(arg: GenderFromArg) -> GenderFrom {
        match arg {
            GenderFromArg::Text => GenderFrom::Text,
            GenderFromArg::TextOnly => GenderFrom::TextOnly,
            GenderFromArg::Names => GenderFrom::Names,
            GenderFromArg::Off => GenderFrom::Off,
        }
    }
}

/// The model and attribution options of the subcommands that find quotations.
#[derive(Args, Clone)]
struct ModelArgs {
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    attribution: AttributionArgs,
}

/// Sources of reported speech (--reported), as attribution's `ReportedFrom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ReportedArg {
    Roles,
    Rules,
    Both,
}

impl From<ReportedArg> for ReportedFrom {
    fn from(arg: ReportedArg) -> ReportedFrom {
        match arg {
            ReportedArg::Roles => ReportedFrom::Roles,
            ReportedArg::Rules => ReportedFrom::Rules,
            ReportedArg::Both => ReportedFrom::Both,
        }
    }
}

/// --role-decoding, as the NER stage's `RoleDecoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RoleDecodingArg {
    Sequence,
    Words,
}

impl From<RoleDecodingArg> for RoleDecoding {
    fn from(arg: RoleDecodingArg) -> RoleDecoding {
        match arg {
            RoleDecodingArg::Sequence => RoleDecoding::Sequence,
            RoleDecodingArg::Words => RoleDecoding::Words,
        }
    }
}

impl EngineArgs {
    /// These flags' part of a run's configuration.
    fn config(&self, job: Job) -> Config {
        if let Some(precision) = self.precision {
            warn_if_emulated(precision);
        }
        Config {
            model: ModelChoice {
                fast: self.fast,
                dir: self.model.clone(),
                backend: self.backend,
                precision: self.precision,
            },
            threads: self.threads,
            batch_size: self.batch_size,
            role_decoding: self.role_decoding.into(),
            ..Config::new(job)
        }
    }

    /// Load the model these options name, on their backend and precision.
    fn load(&self) -> Result<whosaid_ner::NerModel> {
        let (dir, backend, precision) = self.choose()?;
        Ok(load_model(&dir, self.threads, backend, precision)?)
    }

    /// The model directory, backend and precision these options name (bundled models found
    /// along the CLI's search path: `pipeline::model_search_path`).
    fn choose(&self) -> Result<(PathBuf, Backend, Precision)> {
        Ok(self.config(Job::Entities).choose()?)
    }

    /// NER settings; `all_sentences` is attribution's --all-sentences (entities always read
    /// every sentence).
    fn ner_options(&self, job: Job, all_sentences: bool) -> NerOptions {
        Config { all_sentences, ..self.config(job) }.ner_options()
    }
}

impl ModelArgs {
    /// These flags as a run's configuration.
    fn config(&self, job: Job) -> Config {
        let a = &self.attribution;
        Config {
            reported: a.reported.into(),
            scorer: !a.no_scorer,
            ranker: !a.no_ranker,
            trained_coref: !a.coref_rules,
            with_features: a.with_features,
            gender_from: a.gender_from.into(),
            all_sentences: a.all_sentences,
            ..self.engine.config(job)
        }
    }
}

/// Says once, on stderr, that the precision asked for is emulated on this CPU, so the run is
/// many times slower than fp32 (`Precision::is_native`).
fn warn_if_emulated(precision: Precision) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    if !precision.is_native() {
        WARNED.call_once(|| {
            eprintln!(
                "whosaid: warning: this CPU has no AVX-512 BF16, so libtorch emulates {}: about 20 times slower \
                 than fp32 on this CPU; --precision fp32 or int8 run at full speed",
                precision.as_str()
            )
        });
    }
}

/// A count that must be at least 1 (--threads, --batch-size, --chunk, --max-chars).
pub(crate) fn positive(value: &str) -> std::result::Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Where documents come from and where their lines go (`attribute`, `entities`).
#[derive(Args)]
struct IoArgs {
    /// Input files or directories; `-` or nothing reads stdin.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write JSONL here instead of stdout (needed for --resume). The run's configuration is
    /// recorded beside it in FILE.run.json (model and its SHA-256, engine, the flags that
    /// change results, whosaid's version).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Continue an interrupted run: keep the complete lines already in --output (a cut-off
    /// last line is removed), skip the documents they cover and append the rest. Refused
    /// (exit 2) when FILE.run.json shows another configuration, or is missing.
    #[arg(long, requires = "output")]
    resume: bool,
    /// With --resume: append even when the configuration differs from the recorded one (the
    /// output then mixes two configurations; the record is replaced by the new one).
    #[arg(long, requires = "resume")]
    force_resume: bool,
    /// Documents processed together: NER batches span their sentences, and at most a few
    /// chunks are in memory at once.
    #[arg(long, default_value_t = 64, value_parser = positive)]
    chunk: usize,
    /// Documents longer than this many characters (Unicode code points) get a `too_long`
    /// error line instead of a result, so one huge document cannot exhaust memory.
    #[arg(long, default_value_t = DEFAULT_MAX_CHARS, value_parser = positive)]
    max_chars: usize,
    #[command(flatten)]
    input: InputArgs,
}

/// How input files are found and read.
#[derive(Args, Clone)]
#[command(next_help_heading = "Input")]
pub(crate) struct InputArgs {
    /// Which files of an INPUT directory are documents (the directory is walked recursively;
    /// names starting with `.` are skipped): a glob matched, in any letter case, against
    /// each file's name, or its path below the directory when the pattern has a `/` (`*` and
    /// `?` within a folder, `**` across folders). Repeat for several. Default: *.txt.
    #[arg(long, value_name = "PATTERN")]
    glob: Vec<String>,
    /// The JSONL field that holds a document's text; a dotted path reaches into objects
    /// (`article.body`).
    #[arg(long, value_name = "FIELD", default_value = "text")]
    text_field: String,
    /// The JSONL field that holds a document's id (dotted as --text-field). A record without
    /// one gets FILE:LINE.
    #[arg(long, value_name = "FIELD", default_value = "id")]
    id_field: String,
    /// What the input files (and stdin) hold. auto: by file name (.jsonl/.ndjson JSONL,
    /// .html/.htm HTML, .conllu CoNLL-U, else text; through .gz, .zst and .bz2, which are
    /// read decompressed), stdin JSONL when it starts with `{`. html: a page's visible text
    /// (tags dropped, scripts and styles skipped, block elements as paragraphs, character
    /// references decoded) with every output offset pointing into the HTML itself.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
}

/// Input formats (--format), as the reader's `input::Format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    Auto,
    Text,
    Html,
    Jsonl,
    Conllu,
}

impl InputArgs {
    pub(crate) fn options(&self) -> InputOptions {
        InputOptions {
            globs: if self.glob.is_empty() { vec![DEFAULT_GLOB.to_string()] } else { self.glob.clone() },
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            format: match self.format {
                FormatArg::Auto => Format::Auto,
                FormatArg::Text => Format::Text,
                FormatArg::Html => Format::Html,
                FormatArg::Jsonl => Format::Jsonl,
                FormatArg::Conllu => Format::Conllu,
            },
        }
    }
}

#[derive(Args)]
struct AttributeArgs {
    #[command(flatten)]
    io: IoArgs,
    /// Reuse entities from an earlier `whosaid entities` run (JSONL by id) instead of running
    /// the model on those documents. The model's role head and scorer then go unused and its
    /// speaker resolver runs without encoder states, so with a role-head model (the default)
    /// it needs --reported rules, which says so.
    #[arg(long, value_name = "FILE")]
    entities: Option<PathBuf>,
    /// An alias file linking speakers to your own ids: CSV, one speaker a line, `id,name,
    /// aliases,qid,gender` (aliases separated by | or ;, qid and gender optional; a first line
    /// starting "id," is a header). A speaker whose canonical name is one of an entry's names
    /// gets its `id` (on each quotation's speaker and in `speakers`), and the entry's gender
    /// where the text gives none (gender_evidence "alias"). `whosaid speakers --aliases` also
    /// merges by it.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(Args)]
struct EntitiesArgs {
    #[command(flatten)]
    io: IoArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Quotations and their speakers, one JSONL line per document.
    ///
    /// Each line: {"id", "quotes": [{"start", "end", "text", "kind", "speaker": {"name", "start",
    /// "end", "text", "type", "gender"} | null, "cue": {"start", "end", "text"} | null, "clause",
    /// "confidence"}], "speakers": [{"name", "type", "mentions", "quotes", "gender",
    /// "gender_evidence"}]}. Offsets are Unicode code points; kind is direct, mixed or indirect;
    /// type is PER, ORG, LOC, MISC or OTHER (a pronoun or description left unresolved: name is
    /// then its text); a mixed quotation (a quoted fragment inside reported speech) has
    /// "clause": {"start", "end"}, the statement that holds the fragment, or null; gender is
    /// female, male or unknown as the text refers to the speaker (see --gender-from);
    /// confidence is the scorer's probability that the quotation and its speaker are right. A document that cannot be
    /// processed gets {"id", "error": {"kind", "message"}} instead, kind one of unreadable,
    /// invalid_utf8, malformed_json, missing_text, bad_text, too_long, ner_failed, internal.
    /// JSONL input records' other fields come back under "meta".
    Attribute(AttributeArgs),
    /// Named entities, one JSONL line per document: {"id", "entities": [{"start", "end", "text", "label", "score"}]}.
    Entities(EntitiesArgs),
    /// Score NER on a CoNLL file (entity level, conlleval semantics), running the Rust inference.
    EvalNer {
        /// CoNLL file: a word and its IOB tag (last column) a line, blank lines between sentences.
        file: PathBuf,
        /// Print {"micro": {"precision", "recall", "f1", ...}, "PER": {...}, ...} as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        model: EngineArgs,
    },
    /// Score quotations and speakers against a gold JSONL (rules in docs/scoring.md).
    ///
    /// INPUT is either a system output JSONL (lines with "quotes") or documents to run the
    /// pipeline on (a docs JSONL, a directory of .txt files). A directory holding gold.jsonl
    /// (and docs.jsonl or .txt files) needs no --gold.
    Eval {
        input: PathBuf,
        /// Gold JSONL; default INPUT/gold.jsonl when INPUT is a directory.
        #[arg(long)]
        gold: Option<PathBuf>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
        /// List every miss, wrong speaker and extra quotation.
        #[arg(long)]
        errors: bool,
        /// Also write the system output that was scored to this file.
        #[arg(long, value_name = "FILE")]
        save_output: Option<PathBuf>,
        /// Reuse entities from an earlier `whosaid entities` run instead of running NER.
        #[arg(long, value_name = "FILE")]
        entities: Option<PathBuf>,
        /// Write each system quotation's outcome to this JSONL file: {doc, start, end, kind,
        /// right, confidence}, right null when it counts neither way; with speaker candidates
        /// in the output (--with-features), also candidates_right, whether each would be a
        /// correct speaker (for scripts/train_scorer.py)
        #[arg(long, value_name = "FILE")]
        outcomes: Option<PathBuf>,
        /// Also score resolved speaker names against a hand-checked fixture of quotations
        /// whose source is a pronoun or a description (JSONL of {doc, kind, start, end,
        /// mention, name}; tests/fixtures/polnear-dev-resolved-speakers.jsonl is one, over
        /// polnear-dev): of the fixture's quotations the output matches, the share whose
        /// speaker name has the fixture name's surname.
        #[arg(long, value_name = "FILE")]
        resolved: Option<PathBuf>,
        /// Also score speakers' genders against a hand-checked fixture (JSONL of {doc, name,
        /// gender, evidence}; tests/fixtures/polnear-dev-speaker-genders.jsonl is one, over
        /// polnear-dev): accuracy on the speakers the article refers to with a pronoun, an
        /// honorific or a gendered title, how many come out unknown, and by the output's
        /// evidence. Use --gender-from names to score first-name statistics alone.
        #[arg(long, value_name = "FILE")]
        genders: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Score speaker coreference: pronoun resolution on GAP rows (F1 and gender bias, as GAP's
    /// scorer counts them) or antecedent accuracy on GUM documents.
    ///
    /// Runs the pipeline (NER and attribution, as `attribute` does) on each GAP passage or
    /// GUM document and reads how it resolved each pronoun and description. With --dump, also
    /// writes the trained resolver's examples (for scripts/train_coref.py).
    EvalCoref(coref_eval::EvalCorefArgs),
    /// Score the model's attribution-role head span by span (CUE, SOURCE, CONTENT; exact
    /// spans, conlleval semantics, each paragraph read as `attribute` reads it) against
    /// annotated attributions, e.g. ../shared/data/polnear/dev.jsonl.
    EvalRoles(role_eval::EvalRolesArgs),
    /// Print the names of a trained component's input features, one a line, in their order
    /// (training scripts read them from here).
    Features {
        /// The speaker-coreference resolver's (MODEL/coref.json).
        #[arg(long, conflicts_with_all = ["ranker", "scorer"])]
        coref: bool,
        /// The speaker ranker's (in MODEL/scorer.json).
        #[arg(long, conflicts_with = "scorer")]
        ranker: bool,
        /// The attribution scorer's (MODEL/scorer.json).
        #[arg(long)]
        scorer: bool,
    },
    /// Compare the throughput of configurations: documents/s and wordpieces/s (min, median and
    /// max over rounds), cold start, per-document latency (p50, p90, p99), peak RSS and each
    /// stage's share of the time.
    ///
    /// Each configuration (--compare "FLAGS" ..., times --threads and --batch-sizes) runs
    /// `attribute` over CORPUS with the output serialised and discarded, after a one-chunk
    /// warm-up, in a fresh process per measurement (so cold start and peak RSS are its own),
    /// configurations alternating round by round (--rounds) because a shared machine's speed
    /// drifts. The header names the CPU and its int8/bf16 flags, the cores, the ONNX Runtime and
    /// libtorch versions, whosaid's git commit and the date. --json carries everything;
    /// otherwise a Markdown table for BENCHMARKS.md.
    Bench(bench::BenchArgs),
    /// One measurement of `whosaid bench`, in its own process (internal).
    #[command(hide = true)]
    BenchRun(bench::BenchRunArgs),
    /// Show who said what as HTML: one self-contained page per document and index.html.
    ///
    /// Either runs the pipeline on INPUT... or renders an earlier `attribute` output
    /// (--results OUT.jsonl --docs DOCS). Each page shows the article with every quotation
    /// highlighted in its speaker's colour (the same speaker has the same colour on every
    /// page), the cue underlined and the speaker's mention marked and linked to the quotation;
    /// hovering or focusing a quotation shows its speaker, type, kind, cue and confidence;
    /// low-confidence quotations are striped. index.html lists the documents and every speaker
    /// across them. Pages load nothing from the network. DOM contract (for tests and tools):
    /// each quotation is one element with class="quote" and data-start, data-end (code points),
    /// data-kind and data-speaker (canonical name, empty when none); see README.md.
    Render(present::RenderArgs),
    /// The corpus speaker index from `attribute` outputs: who was quoted, how often, how, where.
    ///
    /// One row per speaker across documents: id, name, type, gender, gender_evidence,
    /// documents, quotes, direct, mixed, indirect, mean_confidence, first_document,
    /// last_document, qid; sorted by quotation count. Names are merged across documents: name
    /// variants of one person (middle initials, nicknames, a suffix written only in the formal
    /// style: "Donald J. Trump" = "Donald Trump", "Joseph R. Biden Jr." = "Joe Biden"), a
    /// surname alone where the corpus holds one full name it fits or one quoted more than
    /// twice as often as the others ("Obama"; "Bush" with George W. and Jeb Bush both quoted
    /// alike stays apart), organisation short names and acronyms that fit one organisation
    /// ("The Times"), and the names of an --aliases file; --explain shows each merge and why.
    /// Gender is the one the documents' text refers to the person with (not a statement about
    /// identity). Unresolved pronouns and descriptions (type OTHER) are left out unless
    /// --include-unresolved. The summary of quotations and distinct speakers by gender goes to
    /// stderr (and is --format summary).
    Speakers(present::SpeakersArgs),
    /// A corpus report: one self-contained HTML page (DIR/report.html) with charts drawn as
    /// SVG, loading nothing from outside: the most-quoted speakers, persons' quotations and
    /// distinct speakers by gender, the same by any --by meta field (an outlet) and by month
    /// of a --date meta field, and a table of documents linking to their pages (written
    /// beside it with --docs, as `whosaid render --results OUT.jsonl --docs DOCS -o DIR` writes
    /// them). Its numbers are `whosaid speakers`' numbers (each bar carries its value in
    /// data-value).
    Report(present::ReportArgs),
}

fn main() -> ExitCode {
    // A reader that goes away (`whosaid eval ... | head`) ends the process quietly, as it
    // ends other Unix tools, instead of a panic in println!. (Rust ignores SIGPIPE by default.)
    // SAFETY: restoring a signal's default disposition before any thread starts.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let started = Instant::now();
    let cli = Cli::parse_from(bench::split_compare_lists(std::env::args_os().collect()));
    match dispatch(cli, started) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("whosaid: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli, started: Instant) -> Result<ExitCode> {
    match cli.command {
        Command::Attribute(args) => attribute(args),
        Command::Entities(args) => {
            let config =
                Config { chunk: args.io.chunk, max_chars: args.io.max_chars, ..args.engine.config(Job::Entities) };
            let pipeline = config.load()?;
            let record = run_record(&pipeline, BTreeMap::from([opt("max-chars", args.io.max_chars)]))?;
            run_job(&args.io, &pipeline, pipeline.run_options(), record)
        }
        Command::EvalNer { file, json, model } => eval_ner(file, json, model),
        Command::Eval { input, gold, json, errors, save_output, entities, outcomes, resolved, genders, model } => {
            let args =
                evaluate::EvalArgs { input, gold, json, errors, save_output, entities, outcomes, resolved, genders };
            evaluate::eval(args, model)
        }
        Command::EvalCoref(args) => coref_eval::eval_coref(args),
        Command::EvalRoles(args) => role_eval::eval_roles(args),
        Command::Features { coref, ranker, scorer } => {
            let names: Vec<&str> = if coref {
                whosaid_attribution::coref::resolver::feature_names()
            } else if ranker {
                whosaid_attribution::candidates::ranker_features()
            } else if scorer {
                whosaid_attribution::scorer::feature_names()
            } else {
                anyhow::bail!("name the component: --coref, --ranker or --scorer")
            };
            names.iter().for_each(|n| println!("{n}"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => bench::bench(args),
        Command::BenchRun(args) => bench::bench_run(args, started),
        Command::Render(args) => present::render(args),
        Command::Speakers(args) => present::speakers(args),
        Command::Report(args) => present::report(args),
    }
}

/// One recorded option's name and value.
fn opt(name: &str, value: impl Into<serde_json::Value>) -> (String, serde_json::Value) {
    (name.to_string(), value.into())
}

fn run_record(pipeline: &Pipeline, options: BTreeMap<String, serde_json::Value>) -> Result<RunRecord> {
    let (dir, backend, precision) = pipeline.engine();
    RunRecord::new(pipeline.config().job, dir, backend, precision, options)
}

fn attribute(args: AttributeArgs) -> Result<ExitCode> {
    let aliases = args.aliases.as_deref().map(whosaid_identity::AliasTable::read).transpose()?.map(std::sync::Arc::new);
    let config =
        Config { chunk: args.io.chunk, max_chars: args.io.max_chars, aliases, ..args.model.config(Job::Attribute) };
    let pipeline = config.load()?;
    let a = &args.model.attribution;
    if args.entities.is_some() && pipeline.model().role_tags().is_some() {
        if a.reported != ReportedArg::Rules {
            anyhow::bail!(
                "--entities reuses entities instead of running the model, so the model's attribution-role head (its \
                 reported speech), its scorer and the encoder states its speaker resolver reads go unused, and the \
                 output differs from a run without --entities; add --reported rules to run that way"
            );
        }
        eprintln!(
            "whosaid: --entities: the model's role head and scorer are unused (--reported rules), and its speaker \
             resolver runs without encoder states"
        );
    }
    let known = args.entities.as_deref().map(read_known_entities).transpose()?;
    let reported = match a.reported {
        ReportedArg::Roles => "roles",
        ReportedArg::Rules => "rules",
        ReportedArg::Both => "both",
    };
    let recorded = BTreeMap::from([
        opt("max-chars", args.io.max_chars),
        opt("reported", reported),
        opt("role-decoding", RoleDecoding::from(args.model.engine.role_decoding).as_str()),
        opt("no-scorer", a.no_scorer),
        opt("no-ranker", a.no_ranker),
        opt("coref-rules", a.coref_rules),
        opt("with-features", a.with_features),
        opt("gender-from", GenderFrom::from(a.gender_from).as_str()),
        opt("all-sentences", a.all_sentences),
        opt("entities", args.entities.as_ref().map(|p| p.display().to_string())),
        opt("aliases", args.aliases.as_ref().map(|p| p.display().to_string())),
    ]);
    let record = run_record(&pipeline, recorded)?;
    let options = RunOptions { known: known.as_ref(), ..pipeline.run_options() };
    run_job(&args.io, &pipeline, options, record)
}

/// Check an earlier output's record before `--resume` appends to it; exit 2 (an error) on a
/// mismatch unless `--force-resume`.
fn check_resume(output: &std::path::Path, record: &RunRecord, force: bool) -> Result<()> {
    let has_lines = std::fs::metadata(output).map(|m| m.len() > 0).unwrap_or(false);
    if !has_lines {
        return Ok(());
    }
    let path = RunRecord::path_for(output);
    let problems = if path.is_file() {
        RunRecord::read(&path)?.differences(record)
    } else {
        vec![format!("{} is missing, so the configuration that wrote {} is unknown", path.display(), output.display())]
    };
    if problems.is_empty() {
        return Ok(());
    }
    if force {
        eprintln!(
            "whosaid: warning: --force-resume: appending to {} despite: {}",
            output.display(),
            problems.join("; ")
        );
        return Ok(());
    }
    anyhow::bail!(
        "--resume would append to {} lines made by another configuration:\n  {}\nRun with the same flags and \
         model, write to a new file, or pass --force-resume to append anyway",
        output.display(),
        problems.join("\n  ")
    )
}

fn run_job(io: &IoArgs, pipeline: &Pipeline, options: RunOptions, record: RunRecord) -> Result<ExitCode> {
    let mut reader = DocReader::with_options(&io.inputs, io.input.options())?;
    if let (Some(output), true) = (&io.output, io.resume) {
        check_resume(output, &record, io.force_resume)?;
    }
    let (mut out, done) = match &io.output {
        Some(p) => {
            let opened = LineWriter::file(p, io.resume)?;
            record.write(&RunRecord::path_for(p))?;
            opened
        }
        None => (LineWriter::stdout(), HashSet::new()),
    };
    let progress = progress_bar(&reader);
    progress.set_position(done.len() as u64);
    let stop = stop_on_sigint();
    let options = RunOptions { skip: io.resume.then_some(&done), stop: Some(&stop), ..options };
    let stats = pipeline.run(&mut reader, &options, |lines| {
        out.write_chunk(&lines)?;
        progress.inc(lines.len() as u64);
        Ok(())
    })?;
    progress.finish_and_clear();
    if stats.skipped > 0 {
        eprintln!("whosaid: resumed: {} documents were already in the output", stats.skipped);
    }
    if let Some(e) = reader.fatal {
        let e = anyhow::Error::new(e);
        return Err(e.context(format!("reading stopped after {} documents (all written)", stats.documents)));
    }
    if stats.interrupted {
        eprintln!(
            "whosaid: interrupted after {} documents, all written whole; run again with --resume to continue",
            stats.documents
        );
        return Ok(ExitCode::from(130));
    }
    Ok(finish(&stats))
}

/// Summarise failures on stderr; exit 1 when any document failed.
fn finish(stats: &RunStats) -> ExitCode {
    if stats.failed > 0 {
        let kinds: Vec<String> = stats.failed_kinds.iter().map(|(k, n)| format!("{n} {}", k.as_str())).collect();
        eprintln!(
            "whosaid: {} of {} documents failed ({}); see their error lines",
            stats.failed,
            stats.documents,
            kinds.join(", ")
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A table of span-level scores, one row per type (`first_column` names the column).
fn print_scores<'a>(first_column: &str, rows: impl Iterator<Item = (&'a String, &'a whosaid_ner::conll::Prf)>) {
    println!(
        "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        first_column, "precision", "recall", "f1", "correct", "pred", "gold"
    );
    for (name, s) in rows {
        println!(
            "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}",
            name, s.precision, s.recall, s.f1, s.correct, s.predicted, s.gold
        );
    }
}

fn eval_ner(file: PathBuf, json: bool, model_args: EngineArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let sentences = parse_conll(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let model = model_args.load()?;
    let words: Vec<Vec<&str>> = sentences.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
    let mut stats = NerStats::default();
    let t = Instant::now();
    let labels = model.label_words(&words, model_args.ner_options(Job::Entities, false), &mut stats)?;
    let seconds = t.elapsed().as_secs_f64();
    let predicted: Vec<Vec<String>> =
        labels.iter().map(|ls| ls.iter().map(|l| model.labels()[l.label].clone()).collect()).collect();
    let gold: Vec<Vec<String>> = sentences.iter().map(|s| s.tags.clone()).collect();
    let scores = score(&gold, &predicted);
    let throughput = format!(
        "{} sentences, {} words, {} wordpieces ({} with padding) in {:.2} s: {:.0} wordpieces/s, {} threads, batch size {}",
        sentences.len(),
        words.iter().map(Vec::len).sum::<usize>(),
        stats.wordpieces,
        stats.padded_wordpieces,
        seconds,
        stats.wordpieces as f64 / seconds,
        model_args.threads,
        model_args.batch_size
    );
    if json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
        eprintln!("{throughput}");
    } else {
        println!("{}  (model {})", file.display(), model.dir().display());
        print_scores("type", scores.iter().filter(|(k, _)| *k != "micro").chain(scores.get_key_value("micro")));
        println!("{throughput}");
    }
    Ok(ExitCode::SUCCESS)
}
