//! What attribution returns: quotations with their speakers and cues, per-speaker summaries,
//! and the coreference report of `whosaid eval-coref`. Everything here is serialised as is.

use serde::{Deserialize, Serialize};
use whosaid_tokenize::{Document, Span};

use crate::coref;
use crate::coref::gender::GenderEvidence;
use crate::lexicon::Gender;
use crate::speaker_type::SpeakerType;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Mixed,
    Indirect,
}

impl QuoteKind {
    /// As written in the output: "direct", "mixed" or "indirect".
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// The speaker of a quotation: the canonical name in the document, and the mention the
/// decision rests on (which may be a pronoun or a description).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRef {
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: SpeakerType,
    /// The gender the text refers to the speaker with (see [`SpeakerSummary::gender`]);
    /// absent with `--gender-from off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// The speaker's id in a user's alias file (`--aliases`), when the name is in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What `gender` rests on, for the document's speaker summary (not written here: the
    /// summary says it once per speaker).
    #[serde(skip)]
    pub gender_evidence: Option<GenderEvidence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CueRef {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl CueRef {
    pub(crate) fn new(doc: &Document, span: Span) -> CueRef {
        CueRef { start: span.start, end: span.end, text: doc.slice(span).to_string() }
    }
}

/// A span of the text: a mixed quotation's statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
}

/// A field that is absent (None), null (Some(None)) or a value (Some(Some(_))): `clause` is
/// written on mixed quotations only, null where no statement was found.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Ok(Some(Option::<T>::deserialize(d)?))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quotation {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<SpeakerRef>,
    pub cue: Option<CueRef>,
    /// A mixed quotation's statement: the reported clause that holds the quoted fragment
    /// (`said the sanctions were "economic terrorism" and that ...`), null where none was
    /// found; absent on direct and indirect quotations.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub clause: Option<Option<TextSpan>>,
    /// 0..1 (three decimals): with a trained scorer, its calibrated probability that the
    /// quotation is real and its speaker right; without one, a hand-set estimate.
    pub confidence: f64,
    /// The scorer's input features ([`scorer::feature_names`]), only when asked for
    /// ([`Options::with_features`]), for training a scorer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<f32>>,
    /// The speakers proposed for a quoted span, each with its ranker features
    /// ([`candidates::ranker_features`]), only when features are asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<SpeakerCandidate>>,
}

impl Quotation {
    /// A proposed quotation of the words at `span`: no speaker yet (the decide phase names it),
    /// no features or candidates (asked for separately).
    pub(crate) fn proposed(
        doc: &Document,
        span: Span,
        kind: QuoteKind,
        cue: Option<CueRef>,
        confidence: f64,
    ) -> Quotation {
        Quotation {
            start: span.start,
            end: span.end,
            text: doc.slice(span).to_string(),
            kind,
            speaker: None,
            cue,
            clause: None,
            confidence,
            features: None,
            candidates: None,
        }
    }
}

/// One speaker proposed for a quotation, as training data for the speaker ranker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerCandidate {
    pub speaker: SpeakerRef,
    pub features: Vec<f32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerSummary {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SpeakerType,
    /// Mentions of the speaker in the document (names, resolved pronouns and descriptions).
    pub mentions: usize,
    pub quotes: usize,
    /// female, male or unknown: the gender the text refers to the speaker with (a pronoun
    /// resolved to them, an honorific, a gendered title), else an alias file's, else the
    /// first name's statistics (`--gender-from` chooses); not a statement about identity.
    /// Organisations and groups are unknown. Absent with `--gender-from off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// What `gender` rests on; absent when it is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender_evidence: Option<GenderEvidence>,
    /// The speaker's id in a user's alias file (`--aliases`), when the name is in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub quotes: Vec<Quotation>,
    pub speakers: Vec<SpeakerSummary>,
}

/// A document's coreference as attribution resolved it: every mention with the entity it
/// refers to, for `whosaid eval-coref`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CorefReport {
    pub mentions: Vec<MentionReport>,
    /// Each entity's canonical name and type, indexed by `MentionReport::entity`.
    pub entities: Vec<(String, SpeakerType)>,
    /// What the trained resolver saw of each pronoun and description (with examples asked for).
    pub examples: Vec<coref::resolver::AnaphorExample>,
    /// How long coreference took: layout, mention proposal and resolution.
    #[serde(skip)]
    pub time: std::time::Duration,
}

#[derive(Clone, Debug, Serialize)]
pub struct MentionReport {
    pub start: usize,
    pub end: usize,
    /// "name", "pronoun" or "description".
    pub kind: &'static str,
    /// The entity it refers to (an index into `CorefReport::entities`), if any.
    pub entity: Option<usize>,
    pub confidence: f32,
    /// A third-person pronoun or a definite description: what resolution links to a name.
    pub anaphor: bool,
}
