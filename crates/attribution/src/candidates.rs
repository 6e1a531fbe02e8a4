//! Speaker candidates of a quoted span and the choice among them.
//!
//! *Suggest*: every rule that can name a quotation's speaker runs (a transcript label, a dash
//! attribution, the nearest cues, a colon, a cue sentence ending in a colon, the role head's
//! tagged sources, the sentence's subject, the nearest name before it, the previous
//! quotation's speaker), and each mention any of them proposes becomes one [`Candidate`]
//! that records every rule that proposed it. *Decide*: a trained [`SpeakerRanker`] (a linear
//! model over [`ranker_features`], trained by `scripts/train_scorer.py` from candidates this
//! code dumps and outcomes `whosaid eval --outcomes` assigns) takes the best-scored one;
//! without one, the first candidate in [`Proposer`] order wins, as the rules ranked them.

use serde::{Deserialize, Serialize};
use whosaid_tokenize::{EntityLabel, Span};

use crate::coref::{Mention, MentionKind};
use crate::mentions::QuoteSite;
use crate::speaker_type::SpeakerType;
use crate::state::{Evidence, State};

/// The speaker rules in one table: each rule's rank (a [`Proposer`] variant, in the order the
/// rules alone trust them) with its ranker feature ("proposed by this rule"). The rules
/// themselves are `crate::speaker_rules`; the candidate's other features are
/// [`CANDIDATE_FEATURES`]. [`ranker_features`] is both lists in that order, so a rule added
/// to the table has its feature by construction.
macro_rules! speaker_rules {
    ($($(#[$doc:meta])* $rule:ident => $rule_feature:literal,)*) => {
        /// A rule that proposes a quoted span's speaker, in the order the rules alone trust them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub(crate) enum Proposer {
            $($(#[$doc])* $rule,)*
        }

        impl Proposer {
            /// Every rule, in order; a rule's discriminant is its index here and in
            /// [`ranker_features`].
            pub const ALL: &'static [Proposer] = &[$(Proposer::$rule,)*];
        }

        /// The rules' feature names, in [`Proposer`] order.
        const RULE_FEATURES: &[&str] = &[$($rule_feature,)*];
    };
}

speaker_rules! {
    /// A transcript label opening the quotation ("WALLACE: ...").
    Label => "by_label",
    /// A dash attribution after it ("..." ― Carla Sanchez).
    Dash => "by_dash",
    /// The subject of the nearest cue in its sentences.
    Cue => "by_cue",
    /// A name before the colon that introduces it, or the subject of that clause.
    Colon => "by_colon",
    /// The cue of the sentence before, which ends in a colon.
    CueBefore => "by_cue_before",
    /// The role head's tagged source beside a tagged speech cue in its sentences.
    RoleSource => "by_role_source",
    /// The previous quotation's speaker (same paragraph, or it opens the next one).
    Continuation => "by_continuation",
    /// For a quotation opening its paragraph, the speaker named in the paragraph before:
    /// the subject of its last sentence's cue, else of that sentence ("The mayor, Robert
    /// Chen, spoke to reporters on Monday." then the quotation).
    PreviousParagraph => "by_previous_paragraph",
    /// The subject of the sentence a quoted fragment sits in.
    Subject => "by_subject",
    /// The subject of the second-nearest cue in its sentences.
    SecondCue => "by_second_cue",
    /// Any other tagged source in its sentences.
    TaggedSource => "by_tagged_source",
    /// The nearest person or organisation named before it in its paragraph.
    NearestName => "by_nearest_name",
}

/// What a candidate feature reads: candidate `i` of a quoted span at `site`.
struct CandidateView<'a, 'd> {
    st: &'a State<'d>,
    i: usize,
    site: QuoteSite,
    c: &'a Candidate,
    m: &'a Mention,
    /// The type of the speaker it resolves to.
    kind: SpeakerType,
}

fn flag(b: bool) -> f32 {
    f32::from(u8::from(b))
}

/// A candidate feature's function.
type CandidateFeatureFn = fn(&CandidateView) -> f32;

/// The candidate's own features, one row each (name, function), after the rules' features.
const CANDIDATE_FEATURES: &[(&str, CandidateFeatureFn)] = &[
    ("chain_choice", |v| flag(v.i == 0 && v.c.first.in_chain())),
    ("proposers", |v| v.c.proposers.count_ones() as f32),
    ("mention_name", |v| flag(v.m.kind == MentionKind::Name)),
    ("mention_pronoun", |v| flag(matches!(v.m.kind, MentionKind::Pronoun(_)))),
    ("mention_description", |v| flag(v.m.kind == MentionKind::Description)),
    ("speaker_per", |v| flag(v.kind == SpeakerType::PERSON)),
    ("speaker_org", |v| flag(v.kind == SpeakerType::ORGANISATION)),
    ("speaker_loc_misc", |v| flag(matches!(v.kind, SpeakerType::Entity(EntityLabel::Location | EntityLabel::Misc)))),
    ("speaker_unresolved", |v| flag(v.kind == SpeakerType::Other)),
    ("in_quote", |v| {
        let inside = v.m.tok_start >= v.site.open_tok && v.m.tok_end <= v.site.close_tok + 1;
        flag(inside || v.m.in_quote)
    }),
    ("after_quote", |v| flag(v.m.tok_start > v.site.close_tok)),
    ("log_distance", |v| {
        let (m, site) = (v.m, v.site);
        let distance = if m.tok_end <= site.open_tok {
            site.open_tok - m.tok_end
        } else {
            m.tok_start.saturating_sub(site.close_tok)
        };
        (1.0 + distance as f32).ln()
    }),
    ("in_sentences", |v| flag(v.m.tok_start >= v.site.lo && v.m.tok_end <= v.site.hi)),
    ("in_tagged_source", |v| flag(v.st.roles.in_source(v.st.doc, v.m.tok_start, v.m.tok_end))),
    ("log_cluster_mentions", |v| {
        let cluster_mentions = v.st.coref.cluster_of(v.c.mention).map_or(0, |k| v.st.coref.clusters[k].mentions);
        (1.0 + cluster_mentions as f32).ln()
    }),
    ("has_cue", |v| flag(v.c.cue.is_some())),
];

/// The ranker's feature names, in the order of [`features`]'s vector: the rules' (in
/// [`Proposer`] order), then the candidate's own ([`CANDIDATE_FEATURES`]).
pub fn ranker_features() -> Vec<&'static str> {
    RULE_FEATURES.iter().copied().chain(CANDIDATE_FEATURES.iter().map(|(name, _)| *name)).collect()
}

// A candidate records its rules in a u16, one bit each.
const _: () = assert!(Proposer::ALL.len() <= 16);

impl Proposer {
    /// Is it one of the rules of the chain the rules alone decide by? (The others only widen
    /// the ranker's choice: a quotation only they attribute counts as unattributed.)
    pub fn in_chain(self) -> bool {
        self < Proposer::SecondCue
    }

    /// What the scorer is told about a quotation whose speaker this rule found first.
    pub fn evidence(self) -> Evidence {
        match self {
            Proposer::Label => Evidence::Label,
            Proposer::Dash => Evidence::Dash,
            Proposer::Cue | Proposer::SecondCue => Evidence::Cue,
            Proposer::Colon => Evidence::Colon,
            Proposer::CueBefore => Evidence::CueBefore,
            Proposer::RoleSource | Proposer::TaggedSource => Evidence::RoleSource,
            Proposer::Continuation | Proposer::PreviousParagraph => Evidence::Continuation,
            Proposer::Subject | Proposer::NearestName => Evidence::Subject,
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// One speaker mention proposed for a quoted span.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub mention: usize,
    /// The cue of the first rule that proposed it, if that rule has one.
    pub cue: Option<Span>,
    /// The first rule (in [`Proposer`] order) that proposed it.
    pub first: Proposer,
    /// Every rule that proposed it, one bit per [`Proposer`].
    proposers: u16,
}

impl Candidate {
    pub fn proposed_by(&self, p: Proposer) -> bool {
        self.proposers & p.bit() != 0
    }
}

/// The candidates of one quoted span, in [`Proposer`] order of their first proposer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Candidates {
    pub list: Vec<Candidate>,
}

impl Candidates {
    /// Record that `proposer` names `mention` (with `cue`).
    pub fn propose(&mut self, proposer: Proposer, mention: usize, cue: Option<Span>) {
        if let Some(c) = self.list.iter_mut().find(|c| c.mention == mention) {
            c.proposers |= proposer.bit();
            if proposer < c.first {
                c.first = proposer;
                c.cue = cue;
            }
        } else {
            self.list.push(Candidate { mention, cue, first: proposer, proposers: proposer.bit() });
        }
        self.list.sort_by_key(|c| c.first);
    }

    /// The rules' choice: the candidate of the first rule of the chain that found one.
    pub fn chain_choice(&self) -> Option<usize> {
        self.list.first().filter(|c| c.first.in_chain()).map(|_| 0)
    }
}

/// The feature vector of candidate `i` of a quoted span at `site`.
pub(crate) fn features(st: &State, cands: &Candidates, i: usize, site: QuoteSite) -> Vec<f32> {
    let c = &cands.list[i];
    let (_, kind) = st.resolve(c.mention);
    let view = CandidateView { st, i, site, c, m: &st.coref.mentions[c.mention], kind };
    let by_rule = Proposer::ALL.iter().map(|&p| flag(c.proposed_by(p)));
    by_rule.chain(CANDIDATE_FEATURES.iter().map(|(_, f)| f(&view))).collect()
}

/// A trained linear ranker over speaker candidates (part of `scorer.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRanker {
    /// The feature names it was trained on; they must be [`ranker_features`].
    pub features: Vec<String>,
    pub weights: Vec<f32>,
}

impl SpeakerRanker {
    pub fn score(&self, x: &[f32]) -> f32 {
        self.weights.iter().zip(x).map(|(w, v)| w * v).sum()
    }

    /// The index of the best-scored candidate (the first of equals), and its softmax share.
    pub fn choose(&self, xs: &[Vec<f32>]) -> Option<(usize, f32)> {
        let scores: Vec<f32> = xs.iter().map(|x| self.score(x)).collect();
        let mut best: Option<(usize, f32)> = None;
        for (i, &s) in scores.iter().enumerate() {
            if best.is_none_or(|(_, top)| s > top) {
                best = Some((i, s));
            }
        }
        let (best, top) = best?;
        let total: f32 = scores.iter().map(|s| (s - top).exp()).sum();
        Some((best, 1.0 / total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_proposed_twice_is_one_candidate_under_its_first_rule() {
        let mut c = Candidates::default();
        c.propose(Proposer::Subject, 4, None);
        c.propose(Proposer::Cue, 7, Some(Span::new(10, 14)));
        c.propose(Proposer::Continuation, 7, None);
        c.propose(Proposer::NearestName, 4, None);
        assert_eq!(c.list.len(), 2);
        assert_eq!((c.list[0].mention, c.list[0].first), (7, Proposer::Cue));
        assert_eq!(c.list[0].cue, Some(Span::new(10, 14)));
        assert!(c.list[0].proposed_by(Proposer::Continuation) && !c.list[0].proposed_by(Proposer::Subject));
        assert!(c.list[1].proposed_by(Proposer::NearestName));
        assert_eq!(c.chain_choice(), Some(0));
    }

    #[test]
    fn only_widening_rules_leave_the_chain_without_a_choice() {
        let mut c = Candidates::default();
        c.propose(Proposer::NearestName, 3, None);
        assert_eq!(c.chain_choice(), None);
    }

    #[test]
    fn the_ranker_takes_the_best_score_and_its_softmax_share() {
        let r = SpeakerRanker { features: vec!["a".into(), "b".into()], weights: vec![1.0, -1.0] };
        let (best, share) = r.choose(&[vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 0.0]]).unwrap();
        assert_eq!(best, 1);
        let e = std::f32::consts::E;
        assert!((share - e / (2.0 * e + 1.0 / e)).abs() < 1e-5, "{share}");
        assert_eq!(r.choose(&[]), None);
    }
}
