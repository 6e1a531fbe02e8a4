//! The learned scorer: a logistic model over what each quotation's decision rests on (how
//! the speaker was found, what kind of mention it is, the quotation's shape, the role head's
//! score). Its probability that the quotation is right (a real quotation with the right
//! speaker) is the quotation's confidence, and a reported clause it gives less than the
//! model's threshold is rejected.
//!
//! It is trained by `scripts/train_scorer.py` from the features this crate itself computes
//! (`whosaid attribute --with-features`) and the outcomes `whosaid eval --outcomes` assigns
//! on polnear-train, so training and inference see the same candidates; the weights live in
//! the model directory (`scorer.json`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::candidates::{ranker_features, SpeakerRanker};
use crate::clause::ClauseOpener;
use crate::coref::MentionKind;
use crate::lexicon::{cue_class, CueClass};
use crate::output::{Quotation, QuoteKind};
use crate::speaker_type::SpeakerType;
use crate::state::{Evidence, State};

/// What a quotation's decision rests on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Basis {
    /// The speaker mention, when one was found.
    pub mention: Option<usize>,
    pub evidence: Evidence,
    /// Words inside the quotation.
    pub words: usize,
    /// The quotation's marks do not pair up.
    pub unbalanced: bool,
    /// The role head's mean probability over a tagged reported clause (0 for rule clauses).
    pub role_score: f32,
    /// Reported speech: it reads as a statement ([`crate::clause::clause_like`]).
    pub clause_like: bool,
    /// Reported speech: how the clause opens.
    pub opener: Option<ClauseOpener>,
    /// Reported speech: it holds a verb ([`crate::clause::has_verb`]).
    pub has_verb: bool,
    /// The speaker ranker's softmax share for the chosen speaker (1 without a ranker or a rival).
    pub speaker_share: f32,
    /// Other speaker candidates of a quoted span.
    pub rivals: usize,
    /// A transcript turn (`crate::layout`): its confidence is set by its label, not by the
    /// scorer, which PolNeAR cannot train for turns (it annotates them as reported speech).
    pub transcript_turn: bool,
}

impl Basis {
    /// The basis of a quoted span or a rule clause (no role score; `clause_like` set by the caller).
    pub fn new(mention: Option<usize>, evidence: Evidence, words: usize) -> Basis {
        Basis {
            mention,
            evidence,
            words,
            unbalanced: false,
            role_score: 0.0,
            clause_like: false,
            opener: None,
            has_verb: false,
            speaker_share: 1.0,
            rivals: 0,
            transcript_turn: false,
        }
    }
}

/// What a scorer feature reads: a decided quotation and what its decision rests on.
struct QuoteView<'a, 'd> {
    st: &'a State<'d>,
    q: &'a Quotation,
    basis: &'a Basis,
    /// The kind of its speaker mention, when it has one.
    mention: Option<MentionKind>,
    /// What kind of act its cue reports (`lexicon::cue_class` of the cue's first word that has
    /// a class), when it has a cue.
    cue_class: Option<CueClass>,
}

fn flag(b: bool) -> f32 {
    f32::from(u8::from(b))
}

fn mention_is(v: &QuoteView, kind: fn(&MentionKind) -> bool) -> f32 {
    flag(v.mention.as_ref().is_some_and(kind))
}

fn speaker_is(v: &QuoteView, kind: SpeakerType) -> f32 {
    flag(v.q.speaker.as_ref().is_some_and(|s| s.kind == kind))
}

/// A scorer feature's function.
type FeatureFn = fn(&QuoteView) -> f32;

/// The scorer's features, one row each (name in `scorer.json`, function), in the order of
/// [`features`]'s vector.
const FEATURE_TABLE: &[(&str, FeatureFn)] = &[
    ("kind_direct", |v| flag(v.q.kind == QuoteKind::Direct)),
    ("kind_mixed", |v| flag(v.q.kind == QuoteKind::Mixed)),
    ("kind_indirect", |v| flag(v.q.kind == QuoteKind::Indirect)),
    // How the speaker was found.
    ("ev_label", |v| flag(v.basis.evidence == Evidence::Label)),
    ("ev_dash", |v| flag(v.basis.evidence == Evidence::Dash)),
    ("ev_cue", |v| flag(v.basis.evidence == Evidence::Cue)),
    ("ev_colon", |v| flag(v.basis.evidence == Evidence::Colon)),
    ("ev_cue_before", |v| flag(v.basis.evidence == Evidence::CueBefore)),
    ("ev_continuation", |v| flag(v.basis.evidence == Evidence::Continuation)),
    ("ev_subject", |v| flag(v.basis.evidence == Evidence::Subject)),
    ("ev_none", |v| flag(v.basis.evidence == Evidence::Unattributed)),
    ("ev_clause_core", |v| flag(v.basis.evidence == Evidence::ClauseCore)),
    ("ev_clause_other", |v| flag(v.basis.evidence == Evidence::ClauseOther)),
    ("ev_colon_paragraph", |v| flag(v.basis.evidence == Evidence::ColonParagraph)),
    ("ev_role_rule_speaker", |v| flag(v.basis.evidence == Evidence::RoleRuleSpeaker)),
    ("ev_role_source", |v| flag(v.basis.evidence == Evidence::RoleSource)),
    ("ev_role_unsourced", |v| flag(v.basis.evidence == Evidence::RoleUnsourced)),
    // The speaker mention and what it resolves to.
    ("mention_name", |v| mention_is(v, |k| *k == MentionKind::Name)),
    ("mention_pronoun", |v| mention_is(v, |k| matches!(k, MentionKind::Pronoun(_)))),
    ("mention_description", |v| mention_is(v, |k| *k == MentionKind::Description)),
    ("speaker_per", |v| speaker_is(v, SpeakerType::PERSON)),
    ("speaker_org", |v| speaker_is(v, SpeakerType::ORGANISATION)),
    ("speaker_unresolved", |v| speaker_is(v, SpeakerType::Other)),
    // The quotation's shape.
    ("log_words", |v| (1.0 + v.basis.words as f32).ln()),
    ("words_lt3", |v| flag(v.basis.words < 3)),
    ("words_lt4", |v| flag(v.basis.words < 4)),
    ("unbalanced", |v| flag(v.basis.unbalanced)),
    ("role_score", |v| v.basis.role_score),
    ("clause_like", |v| flag(v.basis.clause_like)),
    ("opens_that", |v| flag(v.basis.opener == Some(ClauseOpener::That))),
    ("opens_question", |v| flag(v.basis.opener == Some(ClauseOpener::Question))),
    ("opens_infinitive", |v| flag(v.basis.opener == Some(ClauseOpener::Infinitive))),
    ("opens_preposition", |v| flag(v.basis.opener == Some(ClauseOpener::Preposition))),
    ("opens_gerund", |v| flag(v.basis.opener == Some(ClauseOpener::Gerund))),
    // A verbless role-head clause is as often a cue's object ("repeated Moscow's denials")
    // as reported speech (on polnear-train 0.50 right, against 0.84 with a verb); a rule
    // clause is no likelier right with a verb than without.
    ("role_verbless", |v| {
        let role_clause =
            matches!(v.basis.evidence, Evidence::RoleRuleSpeaker | Evidence::RoleSource | Evidence::RoleUnsourced);
        flag(role_clause && v.q.kind == QuoteKind::Indirect && !v.basis.has_verb)
    }),
    ("speaker_share", |v| v.basis.speaker_share),
    ("log_rivals", |v| (1.0 + v.basis.rivals as f32).ln()),
    // How sure coreference is of the name a pronoun or description speaker was given.
    ("coref_confidence", |v| v.basis.mention.map_or(0.0, |m| v.st.coref.confidence_of(m))),
    // What kind of act the cue reports: a reported clause after "believes" or "refused" is
    // no one's words.
    ("cue_speech", |v| flag(v.cue_class == Some(CueClass::Speech))),
    ("cue_writing", |v| flag(v.cue_class == Some(CueClass::Writing))),
    ("cue_belief", |v| flag(v.cue_class == Some(CueClass::Belief))),
    ("cue_intention", |v| flag(v.cue_class == Some(CueClass::Intention))),
    ("cue_perception", |v| flag(v.cue_class == Some(CueClass::Perception))),
    ("cue_refusal", |v| flag(v.cue_class == Some(CueClass::Refusal))),
];

/// The scorer's feature names, in the order of [`features`]'s vector.
pub fn feature_names() -> Vec<&'static str> {
    FEATURE_TABLE.iter().map(|(name, _)| *name).collect()
}

/// The feature vector of a decided quotation.
pub(crate) fn features(st: &State, q: &Quotation, basis: &Basis) -> Vec<f32> {
    let mention = basis.mention.map(|m| st.coref.mentions[m].kind);
    let cue_class = q.cue.as_ref().and_then(|c| c.text.split_whitespace().find_map(|w| cue_class(&w.to_lowercase())));
    let view = QuoteView { st, q, basis, mention, cue_class };
    FEATURE_TABLE.iter().map(|(_, f)| f(&view)).collect()
}

/// Where reported speech (without quotation marks) comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportedFrom {
    /// The role head's clauses (`Document::role_spans`) alone.
    Roles,
    /// The rules alone: role tags are not used at all (quoted speakers included).
    Rules,
    /// The role head's clauses and the rules' clauses that none of them covers.
    #[default]
    Both,
}

/// Could not load a scorer.
#[derive(Debug, thiserror::Error)]
pub enum ScorerError {
    #[error("cannot read {path}: {cause}")]
    Io { path: String, cause: std::io::Error },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
}

/// A trained logistic scorer (`scorer.json` in a model directory).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorer {
    /// The feature names it was trained on; they must be [`feature_names`].
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Reported clauses scored below this are rejected (selected on polnear-dev).
    pub reject_reported_below: f32,
    /// The sources of reported speech whose candidates it was trained on (for a model
    /// without a role head, all three: they are the same).
    pub reported: Vec<ReportedFrom>,
    /// The ranker that chooses quoted spans' speakers among their candidates; without one,
    /// the rules' chain chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_ranker: Option<SpeakerRanker>,
}

impl Scorer {
    pub fn load(path: &Path) -> Result<Scorer, ScorerError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|cause| ScorerError::Io { path: name.clone(), cause })?;
        let scorer: Scorer = serde_json::from_str(&text)
            .map_err(|e| ScorerError::Format { path: name.clone(), message: e.to_string() })?;
        let features = feature_names();
        if scorer.features != features || scorer.weights.len() != features.len() {
            return Err(ScorerError::Format {
                path: name,
                message:
                    "trained on other features than this whosaid computes: retrain it with scripts/train_scorer.py"
                        .into(),
            });
        }
        if let Some(r) = &scorer.speaker_ranker {
            let features = ranker_features();
            if r.features != features || r.weights.len() != features.len() {
                return Err(ScorerError::Format {
                    path: name,
                    message: "speaker ranker trained on other features than this whosaid computes: retrain it \
                              with scripts/train_scorer.py"
                        .into(),
                });
            }
        }
        Ok(scorer)
    }

    /// The probability that a quotation with these features is right.
    pub fn probability(&self, x: &[f32]) -> f32 {
        let z = self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("whosaid-scorer-test-{}-{name}.json", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn probability_is_the_logistic_of_the_weighted_sum() {
        let scorer = Scorer {
            features: feature_names().iter().map(|f| f.to_string()).collect(),
            weights: (0..feature_names().len()).map(|i| if i == 0 { 2.0 } else { 0.0 }).collect(),
            bias: -2.0,
            reject_reported_below: 0.5,
            reported: vec![ReportedFrom::Both],
            speaker_ranker: None,
        };
        let mut x = vec![0.0; feature_names().len()];
        assert!((scorer.probability(&x) - 1.0 / (1.0 + 2f32.exp())).abs() < 1e-6);
        x[0] = 1.0;
        assert!((scorer.probability(&x) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn a_scorer_for_other_features_is_refused_with_a_reason() {
        let path = write(
            "other",
            r#"{"features": ["a"], "weights": [1.0], "bias": 0.0, "reject_reported_below": 0.5, "reported": ["both"]}"#,
        );
        let err = Scorer::load(&path).unwrap_err().to_string();
        assert!(err.contains("train_scorer.py"), "{err}");
        let path = write("broken", "{not json");
        assert!(matches!(Scorer::load(&path), Err(ScorerError::Format { .. })));
        assert!(matches!(Scorer::load(Path::new("/nonexistent/scorer.json")), Err(ScorerError::Io { .. })));
        for name in ["other", "broken"] {
            std::fs::remove_file(
                std::env::temp_dir().join(format!("whosaid-scorer-test-{}-{name}.json", std::process::id())),
            )
            .ok();
        }
    }
}
