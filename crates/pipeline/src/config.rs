//! One configuration for a run, and the loaded pipeline it makes. The CLI turns its flags
//! into a [`Config`], the Python binding its arguments; both then run documents through the
//! same [`Pipeline`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use whosaid_attribution::scorer::Scorer;
use whosaid_attribution::{GenderFrom, ReportedFrom};
use whosaid_ner::{Backend, NerModel, NerOptions, Precision, RoleDecoding};
use whosaid_wire::Line;

use crate::error::{PipelineError, SinkError};
use crate::input::InputDoc;
use crate::models::{choose_model, load_model, load_resolver, load_scorer, model_search_path, ModelPlace};
use crate::run::{run, AttributionOptions, Job, RunOptions, RunStats, DEFAULT_MAX_CHARS};

/// Which model runs, on which engine.
#[derive(Clone, Debug, Default)]
pub struct ModelChoice {
    /// The fast configuration: the bundled fast model on ONNX Runtime int8 (the others unset).
    pub fast: bool,
    /// A model directory; default `$WHOSAID_MODEL`, else the bundled default model.
    pub dir: Option<PathBuf>,
    pub backend: Option<Backend>,
    pub precision: Option<Precision>,
}

/// Everything that decides how documents are processed.
#[derive(Clone, Debug)]
pub struct Config {
    pub job: Job,
    pub model: ModelChoice,
    /// Where the bundled models are looked for ([`model_search_path`]).
    pub search: Vec<(ModelPlace, PathBuf)>,
    /// Worker threads: the document stages' pool, and the encoder's sessions or threads.
    pub threads: usize,
    /// Sentence windows per encoder pass (no effect where the backend runs windows alone).
    pub batch_size: usize,
    /// Where reported speech comes from.
    pub reported: ReportedFrom,
    /// Use the model's trained scorer (`scorer.json`) for confidences and rejections.
    pub scorer: bool,
    /// Within the scorer, choose quoted speakers by its trained ranker (else the rules' chain).
    pub ranker: bool,
    /// Resolve pronouns and descriptions by the model's trained resolver (`coref.json`),
    /// else by the hand-written rules.
    pub trained_coref: bool,
    /// Put each quotation's scorer features and speaker candidates in the output.
    pub with_features: bool,
    /// Which gender evidence the output reports.
    pub gender_from: GenderFrom,
    /// A user's alias file, whose ids (and genders) go on the speakers it names.
    pub aliases: Option<Arc<whosaid_identity::AliasTable>>,
    /// Run NER on every sentence, also those without a capitalised word (models without a
    /// role head only; those with one read every paragraph whole).
    pub all_sentences: bool,
    /// How the role head's labels become spans.
    pub role_decoding: RoleDecoding,
    /// Documents per chunk.
    pub chunk: usize,
    /// Longer documents (code points) get a `too_long` error line.
    pub max_chars: usize,
}

impl Config {
    /// The defaults of `whosaid attribute` (or `entities`), bundled models found as the
    /// command line finds them.
    pub fn new(job: Job) -> Config {
        Config {
            job,
            model: ModelChoice::default(),
            search: model_search_path(true, None),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch_size: 32,
            reported: ReportedFrom::Both,
            scorer: true,
            ranker: true,
            trained_coref: true,
            with_features: false,
            gender_from: GenderFrom::default(),
            aliases: None,
            all_sentences: false,
            role_decoding: RoleDecoding::Sequence,
            chunk: 64,
            max_chars: DEFAULT_MAX_CHARS,
        }
    }

    /// The model directory, backend and precision this configuration names.
    pub fn choose(&self) -> Result<(PathBuf, Backend, Precision), PipelineError> {
        let m = &self.model;
        if m.fast && (m.dir.is_some() || m.backend.is_some() || m.precision.is_some()) {
            return Err(PipelineError::Unsupported(
                "--fast is the bundled fast model on ONNX Runtime int8: it takes no --model, --backend or --precision"
                    .into(),
            ));
        }
        choose_model(&self.search, m.fast, m.dir.as_deref(), m.backend, m.precision)
    }

    pub fn ner_options(&self) -> NerOptions {
        NerOptions {
            batch_size: self.batch_size.max(1),
            only_capitalised: self.job == Job::Attribute && !self.all_sentences,
            with_states: false,
            role_decoding: self.role_decoding,
        }
    }

    /// What attribution draws on, with the model directory's trained components.
    pub fn attribution_options(&self, dir: &Path) -> Result<AttributionOptions, PipelineError> {
        let scorer = match (self.scorer, self.ranker) {
            (false, _) => None,
            (true, true) => load_scorer(dir)?,
            (true, false) => load_scorer(dir)?.map(|s| Arc::new(Scorer { speaker_ranker: None, ..(*s).clone() })),
        };
        Ok(AttributionOptions {
            reported: self.reported,
            scorer,
            resolver: if self.trained_coref { load_resolver(dir)? } else { None },
            with_features: self.with_features,
            gender_from: self.gender_from,
        })
    }

    /// Load the model and its trained components and start the thread pool; refuse options
    /// the model cannot honour rather than ignore them.
    pub fn load(&self) -> Result<Pipeline, PipelineError> {
        for (name, value) in [("threads", self.threads), ("chunk", self.chunk), ("max-chars", self.max_chars)] {
            if value == 0 {
                return Err(PipelineError::Unsupported(format!("--{name} must be at least 1")));
            }
        }
        let (dir, backend, precision) = self.choose()?;
        let model = load_model(&dir, self.threads, backend, precision)?;
        if self.job == Job::Attribute && self.reported == ReportedFrom::Roles && model.role_tags().is_none() {
            return Err(PipelineError::Unsupported(format!(
                "--reported roles reads the model's attribution-role head, and {} has none (--fast's model has none): \
                 use --reported rules, or a model with a role head",
                dir.display()
            )));
        }
        let attribution =
            if self.job == Job::Attribute { self.attribution_options(&dir)? } else { AttributionOptions::default() };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| PipelineError::ThreadPool(e.to_string()))?;
        Ok(Pipeline { model, pool, dir, backend, precision, config: self.clone(), attribution })
    }
}

/// A loaded pipeline: the model, its trained components and a thread pool, ready to run
/// documents.
pub struct Pipeline {
    model: NerModel,
    pool: rayon::ThreadPool,
    dir: PathBuf,
    backend: Backend,
    precision: Precision,
    config: Config,
    attribution: AttributionOptions,
}

impl Pipeline {
    pub fn model(&self) -> &NerModel {
        &self.model
    }

    /// The model directory, backend and precision in use.
    pub fn engine(&self) -> (&Path, Backend, Precision) {
        (&self.dir, self.backend, self.precision)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    /// The run options of this configuration; set `known`, `skip` and `stop` on them as needed.
    pub fn run_options(&self) -> RunOptions<'_> {
        RunOptions {
            attribution: self.attribution.clone(),
            aliases: self.config.aliases.clone(),
            chunk: self.config.chunk,
            max_chars: self.config.max_chars,
            ..RunOptions::new(self.config.job, self.config.ner_options())
        }
    }

    /// Run `docs`, giving `sink` each chunk's lines in input order ([`run`]).
    pub fn run(
        &self,
        docs: impl Iterator<Item = InputDoc> + Send,
        options: &RunOptions,
        sink: impl FnMut(Vec<Line>) -> Result<(), SinkError> + Send,
    ) -> Result<RunStats, PipelineError> {
        run(&self.model, docs, options, &self.pool, sink)
    }
}
