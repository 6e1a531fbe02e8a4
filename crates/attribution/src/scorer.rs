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

use crate::candidates::{SpeakerRanker, RANKER_FEATURES};
use crate::clause::ClauseOpener;
use crate::coref::MentionKind;
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

/// One row per scorer feature: its variant and its name in `scorer.json`, in the order of
/// [`features`]'s vector. Features are set by variant, so a misspelt one is a compile error.
macro_rules! scorer_features {
    ($($variant:ident => $name:literal,)*) => {
        /// A scorer feature; its discriminant is its index in the feature vector.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Feature {
            $($variant,)*
        }

        /// Feature names, in the order of [`features`]'s vector.
        pub const FEATURES: &[&str] = &[$($name,)*];
    };
}

scorer_features! {
    KindDirect => "kind_direct",
    KindMixed => "kind_mixed",
    KindIndirect => "kind_indirect",
    EvLabel => "ev_label",
    EvDash => "ev_dash",
    EvCue => "ev_cue",
    EvColon => "ev_colon",
    EvCueBefore => "ev_cue_before",
    EvContinuation => "ev_continuation",
    EvSubject => "ev_subject",
    EvNone => "ev_none",
    EvClauseCore => "ev_clause_core",
    EvClauseOther => "ev_clause_other",
    EvColonParagraph => "ev_colon_paragraph",
    EvRoleRuleSpeaker => "ev_role_rule_speaker",
    EvRoleSource => "ev_role_source",
    EvRoleUnsourced => "ev_role_unsourced",
    MentionName => "mention_name",
    MentionPronoun => "mention_pronoun",
    MentionDescription => "mention_description",
    SpeakerPer => "speaker_per",
    SpeakerOrg => "speaker_org",
    SpeakerUnresolved => "speaker_unresolved",
    LogWords => "log_words",
    WordsLt3 => "words_lt3",
    WordsLt4 => "words_lt4",
    Unbalanced => "unbalanced",
    RoleScore => "role_score",
    ClauseLike => "clause_like",
    OpensThat => "opens_that",
    OpensQuestion => "opens_question",
    OpensInfinitive => "opens_infinitive",
    OpensPreposition => "opens_preposition",
    OpensGerund => "opens_gerund",
    RoleVerbless => "role_verbless",
    SpeakerShare => "speaker_share",
    LogRivals => "log_rivals",
    CorefConfidence => "coref_confidence",
}

/// The scorer feature that says how a quotation's speaker was found.
fn evidence_feature(evidence: Evidence) -> Feature {
    match evidence {
        Evidence::Label => Feature::EvLabel,
        Evidence::Dash => Feature::EvDash,
        Evidence::Cue => Feature::EvCue,
        Evidence::Colon => Feature::EvColon,
        Evidence::CueBefore => Feature::EvCueBefore,
        Evidence::Continuation => Feature::EvContinuation,
        Evidence::Subject => Feature::EvSubject,
        Evidence::Unattributed => Feature::EvNone,
        Evidence::ClauseCore => Feature::EvClauseCore,
        Evidence::ClauseOther => Feature::EvClauseOther,
        Evidence::ColonParagraph => Feature::EvColonParagraph,
        Evidence::RoleRuleSpeaker => Feature::EvRoleRuleSpeaker,
        Evidence::RoleSource => Feature::EvRoleSource,
        Evidence::RoleUnsourced => Feature::EvRoleUnsourced,
    }
}

/// The feature vector of a decided quotation.
pub(crate) fn features(st: &State, q: &Quotation, basis: &Basis) -> Vec<f32> {
    let mut x = vec![0f32; FEATURES.len()];
    let mut set = |feature: Feature, value: f32| x[feature as usize] = value;
    set(
        match q.kind {
            QuoteKind::Direct => Feature::KindDirect,
            QuoteKind::Mixed => Feature::KindMixed,
            QuoteKind::Indirect => Feature::KindIndirect,
        },
        1.0,
    );
    set(evidence_feature(basis.evidence), 1.0);
    if let Some(m) = basis.mention {
        set(
            match st.coref.mentions[m].kind {
                MentionKind::Name => Feature::MentionName,
                MentionKind::Pronoun(_) => Feature::MentionPronoun,
                MentionKind::Description => Feature::MentionDescription,
            },
            1.0,
        );
    }
    if let Some(s) = &q.speaker {
        match s.kind {
            SpeakerType::PERSON => set(Feature::SpeakerPer, 1.0),
            SpeakerType::ORGANISATION => set(Feature::SpeakerOrg, 1.0),
            SpeakerType::Other => set(Feature::SpeakerUnresolved, 1.0),
            SpeakerType::Entity(_) => {}
        }
    }
    set(Feature::LogWords, (1.0 + basis.words as f32).ln());
    set(Feature::WordsLt3, f32::from(u8::from(basis.words < 3)));
    set(Feature::WordsLt4, f32::from(u8::from(basis.words < 4)));
    set(Feature::Unbalanced, f32::from(u8::from(basis.unbalanced)));
    set(Feature::RoleScore, basis.role_score);
    set(Feature::ClauseLike, f32::from(u8::from(basis.clause_like)));
    match basis.opener {
        Some(ClauseOpener::That) => set(Feature::OpensThat, 1.0),
        Some(ClauseOpener::Question) => set(Feature::OpensQuestion, 1.0),
        Some(ClauseOpener::Infinitive) => set(Feature::OpensInfinitive, 1.0),
        Some(ClauseOpener::Preposition) => set(Feature::OpensPreposition, 1.0),
        Some(ClauseOpener::Gerund) => set(Feature::OpensGerund, 1.0),
        Some(ClauseOpener::Other) | None => {}
    }
    // A verbless role-head clause is as often a cue's object ("repeated Moscow's denials") as
    // reported speech (on polnear-train 0.50 right, against 0.84 with a verb); a rule clause
    // is no likelier right with a verb than without.
    let role_clause =
        matches!(basis.evidence, Evidence::RoleRuleSpeaker | Evidence::RoleSource | Evidence::RoleUnsourced);
    set(Feature::RoleVerbless, f32::from(u8::from(role_clause && q.kind == QuoteKind::Indirect && !basis.has_verb)));
    set(Feature::SpeakerShare, basis.speaker_share);
    set(Feature::LogRivals, (1.0 + basis.rivals as f32).ln());
    // How sure coreference is of the name a pronoun or description speaker was given.
    set(Feature::CorefConfidence, basis.mention.map_or(0.0, |m| st.coref.confidence_of(m)));
    x
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
    /// The feature names it was trained on; they must be [`FEATURES`].
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
        if scorer.features != FEATURES || scorer.weights.len() != FEATURES.len() {
            return Err(ScorerError::Format {
                path: name,
                message:
                    "trained on other features than this whosaid computes: retrain it with scripts/train_scorer.py"
                        .into(),
            });
        }
        if let Some(r) = &scorer.speaker_ranker {
            if r.features != RANKER_FEATURES || r.weights.len() != RANKER_FEATURES.len() {
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
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            weights: (0..FEATURES.len()).map(|i| if i == 0 { 2.0 } else { 0.0 }).collect(),
            bias: -2.0,
            reject_reported_below: 0.5,
            reported: vec![ReportedFrom::Both],
            speaker_ranker: None,
        };
        let mut x = vec![0.0; FEATURES.len()];
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
