//! Speaker candidates of a quoted span and the choice among them.
//!
//! *Suggest*: every rule that can name a quotation's speaker runs (a transcript label, a dash
//! attribution, the nearest cues, a colon, a cue sentence ending in a colon, the role head's
//! tagged sources, the sentence's subject, the nearest name before it, the previous
//! quotation's speaker), and each mention any of them proposes becomes one [`Candidate`]
//! that records every rule that proposed it. *Decide*: a trained [`SpeakerRanker`] (a linear
//! model over [`RANKER_FEATURES`], trained by `scripts/train_scorer.py` from candidates this
//! code dumps and outcomes `whosaid eval --outcomes` assigns) takes the best-scored one;
//! without one, the first candidate in [`Proposer`] order wins, as the rules ranked them.

use serde::{Deserialize, Serialize};
use whosaid_tokenize::{EntityLabel, Span};

use crate::coref::MentionKind;
use crate::mentions::QuoteSite;
use crate::speaker_type::SpeakerType;
use crate::state::{Evidence, State};

/// The speaker rules and the ranker's features in one table: each rule (a [`Proposer`]
/// variant, in the order the rules alone trust them) with its feature ("proposed by this
/// rule"), then the candidate's other features ([`CandidateFeature`]). [`RANKER_FEATURES`]
/// is both lists in that order, so a rule added to the table has its feature by construction.
macro_rules! speaker_rules_and_ranker_features {
    (
        rules { $($(#[$doc:meta])* $rule:ident => $rule_feature:literal,)* }
        candidate { $($feature:ident => $name:literal,)* }
    ) => {
        /// A rule that proposes a quoted span's speaker, in the order the rules alone trust them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub(crate) enum Proposer {
            $($(#[$doc])* $rule,)*
        }

        impl Proposer {
            /// Every rule, in order; a rule's discriminant is its index here and in
            /// [`RANKER_FEATURES`].
            pub const ALL: &'static [Proposer] = &[$(Proposer::$rule,)*];
        }

        /// A ranker feature of the candidate itself; its index in the feature vector is
        /// `Proposer::ALL.len()` plus its discriminant.
        #[derive(Clone, Copy, Debug)]
        enum CandidateFeature {
            $($feature,)*
        }

        /// Feature names, in the order of [`features`]'s vector.
        pub const RANKER_FEATURES: &[&str] = &[$($rule_feature,)* $($name,)*];
    };
}

speaker_rules_and_ranker_features! {
    rules {
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
    candidate {
        ChainChoice => "chain_choice",
        Proposers => "proposers",
        MentionName => "mention_name",
        MentionPronoun => "mention_pronoun",
        MentionDescription => "mention_description",
        SpeakerPer => "speaker_per",
        SpeakerOrg => "speaker_org",
        SpeakerLocMisc => "speaker_loc_misc",
        SpeakerUnresolved => "speaker_unresolved",
        InQuote => "in_quote",
        AfterQuote => "after_quote",
        LogDistance => "log_distance",
        InSentences => "in_sentences",
        InTaggedSource => "in_tagged_source",
        LogClusterMentions => "log_cluster_mentions",
        HasCue => "has_cue",
    }
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
    let m = &st.coref.mentions[c.mention];
    let mut x = vec![0f32; RANKER_FEATURES.len()];
    let flag = |b: bool| f32::from(u8::from(b));
    for &p in Proposer::ALL {
        x[p as usize] = flag(c.proposed_by(p));
    }
    let mut set = |feature: CandidateFeature, value: f32| x[Proposer::ALL.len() + feature as usize] = value;
    set(CandidateFeature::ChainChoice, flag(i == 0 && c.first.in_chain()));
    set(CandidateFeature::Proposers, c.proposers.count_ones() as f32);
    set(CandidateFeature::MentionName, flag(m.kind == MentionKind::Name));
    set(CandidateFeature::MentionPronoun, flag(matches!(m.kind, MentionKind::Pronoun(_))));
    set(CandidateFeature::MentionDescription, flag(m.kind == MentionKind::Description));
    let (_, kind) = st.resolve(c.mention);
    set(CandidateFeature::SpeakerPer, flag(kind == SpeakerType::PERSON));
    set(CandidateFeature::SpeakerOrg, flag(kind == SpeakerType::ORGANISATION));
    set(
        CandidateFeature::SpeakerLocMisc,
        flag(matches!(kind, SpeakerType::Entity(EntityLabel::Location | EntityLabel::Misc))),
    );
    set(CandidateFeature::SpeakerUnresolved, flag(kind == SpeakerType::Other));
    let inside = m.tok_start >= site.open_tok && m.tok_end <= site.close_tok + 1;
    set(CandidateFeature::InQuote, flag(inside || m.in_quote));
    set(CandidateFeature::AfterQuote, flag(m.tok_start > site.close_tok));
    let distance =
        if m.tok_end <= site.open_tok { site.open_tok - m.tok_end } else { m.tok_start.saturating_sub(site.close_tok) };
    set(CandidateFeature::LogDistance, (1.0 + distance as f32).ln());
    set(CandidateFeature::InSentences, flag(m.tok_start >= site.lo && m.tok_end <= site.hi));
    set(CandidateFeature::InTaggedSource, flag(st.roles.in_source(st.doc, m.tok_start, m.tok_end)));
    let cluster_mentions = st.coref.cluster_of(c.mention).map_or(0, |k| st.coref.clusters[k].mentions);
    set(CandidateFeature::LogClusterMentions, (1.0 + cluster_mentions as f32).ln());
    set(CandidateFeature::HasCue, flag(c.cue.is_some()));
    x
}

/// A trained linear ranker over speaker candidates (part of `scorer.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRanker {
    /// The feature names it was trained on; they must be [`RANKER_FEATURES`].
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
