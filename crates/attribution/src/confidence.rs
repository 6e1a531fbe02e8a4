//! Every hand-set confidence in one table.
//!
//! A quotation's confidence is the trained scorer's probability that it is right
//! (`crate::scorer`). These numbers are what a quotation gets where no scorer decides: every
//! quotation when the model directory has no `scorer.json` (or with `--no-scorer`), and
//! transcript turns always (PolNeAR, the scorer's training data, annotates transcript turns as
//! reported speech, so no scorer learns them). They were set by hand, ordered by how often
//! each kind of evidence names the right speaker on PolNeAR; their calibration is what
//! `whosaid eval --no-scorer` reports.
//!
//! The types follow each value's use: those rounded with the other scores are `f32`, those
//! written as they are `f64`.

use crate::coref::MentionKind;
use crate::state::Evidence;

/// A quoted span, by how its speaker was found: a cue beside it naming a name, a pronoun or
/// a description; a colon, label or dash; a continuation; the sentence's subject or a role
/// source; nothing that names a speaker.
pub(crate) fn quoted(found: Option<(Evidence, MentionKind)>) -> f32 {
    match found {
        Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Name)) => 0.92,
        Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Pronoun(_))) => 0.85,
        Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Description)) => 0.75,
        Some((Evidence::Colon | Evidence::Label | Evidence::Dash, _)) => 0.7,
        Some((Evidence::Continuation, _)) => 0.7,
        Some((Evidence::Subject | Evidence::RoleSource, _)) => 0.45,
        Some(_) | None => 0.1,
    }
}

/// A quoted span whose marks do not pair up is more often a fragment of something else.
pub(crate) const QUOTED_UNBALANCED_FACTOR: f32 = 0.8;

/// A quoted span under three words is more often a title or a scare quote.
pub(crate) const QUOTED_SHORT_FACTOR: f32 = 0.85;

/// A transcript turn: its label names the speaker, with near certainty; a paragraph that goes
/// on with the turn before it a little less; a Q/A turn given to a person the introduction
/// names less again; without a speaker, hardly right.
pub(crate) fn transcript_turn(has_speaker: bool, labelled: bool, question_answer: bool) -> f64 {
    match (has_speaker, labelled, question_answer) {
        (false, _, _) => 0.1,
        (true, true, _) => 0.95,
        (true, false, true) => 0.85,
        (true, false, false) => 0.9,
    }
}

/// A paragraph of the form "Speaker: clause" (a headline's or a lead's attribution).
pub(crate) const SPEAKER_COLON_PARAGRAPH: f64 = 0.6;

/// A reported clause the rules found after a cue, by its speaker mention's kind.
pub(crate) fn rule_clause(speaker: MentionKind, core_speech_cue: bool) -> f32 {
    let by_kind: f32 = match speaker {
        MentionKind::Name => 0.7,
        MentionKind::Pronoun(_) => 0.6,
        MentionKind::Description => 0.5,
    };
    // A cue that is not plainly speech ("believes", "hopes") reports less often a statement.
    by_kind * if core_speech_cue { 1.0 } else { 0.8 }
}

/// A reported clause the role head tagged, as a share of its content score: with the speaker
/// of the rules' clause over the same words; with a tagged source that is a name; with any
/// other source or none.
pub(crate) const ROLE_CLAUSE_RULE_SPEAKER: f32 = 0.85;
pub(crate) const ROLE_CLAUSE_NAMED_SOURCE: f32 = 0.8;
pub(crate) const ROLE_CLAUSE_OTHER_SOURCE: f32 = 0.6;
