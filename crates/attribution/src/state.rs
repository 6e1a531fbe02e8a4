//! The state attribution shares while it runs over one document: the document, its frozen
//! coreference, cues, speaker links, layout and headline flags ([`State`]), how a quotation's
//! speaker was found ([`Evidence`]) and the speaker mention a rule found ([`Attributed`]).

use whosaid_tokenize::{Document, Span, TokenKind};

use crate::coref::gender::{GenderBelief, GenderEvidence, GenderFrom};
use crate::coref::{Coref, MentionKind};
use crate::cues::Cues;
use crate::layout::Layout;
use crate::lexicon::{first_name_share_female, gendered_title, lower, CueInfo, Gender, LOWER_IN_TITLES, PREPOSITIONS};
use crate::mentions::SpeakerLinks;
use crate::output::SpeakerRef;
use crate::speaker_type::SpeakerType;

/// How a quotation and its speaker were found: the scorer's main input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// A transcript label opening the quotation ("WALLACE: ...").
    Label,
    /// A dash attribution after the quotation ("... ― Name").
    Dash,
    /// A cue in the quotation's own sentence.
    Cue,
    /// "X: ..." with no verb.
    Colon,
    /// The cue of a sentence ending in a colon before the quotation.
    CueBefore,
    /// Inherited from the previous quotation.
    Continuation,
    /// No cue: the subject of the sentence the quoted fragment sits in.
    Subject,
    /// No speaker found.
    Unattributed,
    /// Reported clause of a core speech cue or "according to" (rules).
    ClauseCore,
    /// Reported clause of another cue (rules).
    ClauseOther,
    /// "Name: clause" paragraph (rules).
    ColonParagraph,
    /// Role-head clause whose speaker a rule clause over the same words gave.
    RoleRuleSpeaker,
    /// Role-head clause spoken by the tagged source; or a quotation no rule attributes,
    /// spoken by the tagged source beside a tagged cue in its sentences.
    RoleSource,
    /// Role-head clause without a tagged source.
    RoleUnsourced,
}

/// A speaker mention a rule found, with the cue it rests on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attributed {
    pub(crate) mention: usize,
    pub(crate) cue: Option<Span>,
}

pub(crate) struct State<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) coref: Coref,
    pub(crate) cues: Cues,
    pub(crate) links: SpeakerLinks,
    pub(crate) layout: Layout,
    /// Per sentence: written in title case (a headline), where capitalised cues count.
    pub(crate) headline: Vec<bool>,
    /// The role head's spans, indexed for lookups by place.
    pub(crate) roles: crate::role_index::RoleIndex,
    /// Which gender evidence the output reports.
    pub(crate) gender_from: GenderFrom,
    /// Per cluster: the "she"/"her" and "he"/"his" outside quotations resolved to it.
    pub(crate) pronoun_votes: Vec<(u32, u32)>,
}

/// Per cluster of `coref`: (female, male) third-person pronouns outside quotations resolved
/// to it, once every pronoun is resolved. The output's pronoun evidence is their majority: the
/// resolver's running gender belief keeps the first confident one, which a single wrong link
/// can set.
pub(crate) fn pronoun_votes(coref: &Coref) -> Vec<(u32, u32)> {
    let mut votes = vec![(0, 0); coref.clusters.len()];
    for (m, mention) in coref.mentions.iter().enumerate() {
        let MentionKind::Pronoun(p) = mention.kind else { continue };
        if mention.in_quote || p.plural {
            continue;
        }
        if let Some(c) = coref.cluster_of(m) {
            match p.gender {
                Gender::Female => votes[c].0 += 1,
                Gender::Male => votes[c].1 += 1,
                Gender::Unknown => {}
            }
        }
    }
    votes
}

impl<'d> State<'d> {
    /// Does code point `pos` lie in a transcript turn or an aside (a caption, a byline, a
    /// link line)?
    pub(crate) fn in_turn_or_aside(&self, pos: usize) -> bool {
        self.layout.turn_at(pos).is_some()
            || self.doc.sentence_of(pos).is_some_and(|s| self.layout.aside[self.doc.sentences[s].paragraph])
    }

    pub(crate) fn cue_at(&self, t: usize) -> Option<CueInfo> {
        self.cues.at(t)
    }

    /// Is token `t` the "according" of "according to"?
    pub(crate) fn according_to(&self, t: usize) -> bool {
        self.cues.according_to(t)
    }

    /// The speaker of the cue at `t` in a sentence starting at `lo`: its subject as proposed;
    /// for a participle ("..., adding that"), the subject of the nearest cue before it in the
    /// sentence, else the subject of the sentence ("Barr cancels ..., citing ...").
    pub(crate) fn speaker_of_cue(&self, t: usize, lo: usize) -> Option<usize> {
        if !self.according_to(t) && self.cue_at(t).is_some_and(|i| i.participle) {
            // "footage of Hillary Clinton asking", "with Boswell stating": a person named
            // right before the participle is its subject, unless another preposition makes
            // them an object ("a letter to Zucker asking", "results in Kasich claiming").
            if let Some(m) = (t > lo).then(|| self.coref.mention_ending_at(t - 1)).flatten() {
                let mention = &self.coref.mentions[m];
                let before = if mention.tok_start > 0 { lower(self.doc, mention.tok_start - 1) } else { String::new() };
                let object = PREPOSITIONS.contains(before.as_str()) && !matches!(before.as_str(), "with" | "of");
                if mention.kind == MentionKind::Name && !mention.in_quote && self.coref.is_person(m) && !object {
                    return Some(m);
                }
            }
            return (lo..t)
                .rev()
                .filter(|&k| self.cue_at(k).is_some_and(|i| !i.participle))
                .find_map(|k| self.speaker_of_cue(k, lo))
                .or_else(|| self.coref.sentence_subject(self.doc, lo, t));
        }
        self.links.cue_subject.get(&t).copied().flatten()
    }

    pub(crate) fn cue_span(&self, t: usize) -> Span {
        self.cues.span(self.doc, t)
    }

    /// A mention's (canonical name, type): its resolved cluster's, else its own words (OTHER).
    pub(crate) fn resolve(&self, m: usize) -> (String, SpeakerType) {
        match self.coref.cluster_of(m) {
            Some(c) => (self.coref.clusters[c].canonical.clone(), self.coref.clusters[c].label),
            None => (self.doc.slice(self.coref.mentions[m].span).to_string(), SpeakerType::Other),
        }
    }

    pub(crate) fn speaker_ref(&self, m: usize) -> SpeakerRef {
        let (name, kind) = self.resolve(m);
        let span = self.coref.mentions[m].span;
        let (gender, gender_evidence) = GenderBelief::output_fields(self.gender_of(m));
        SpeakerRef {
            name,
            start: span.start,
            end: span.end,
            text: self.doc.slice(span).to_string(),
            kind,
            gender,
            id: None,
            gender_evidence,
        }
    }

    /// The gender the output reports for mention `m`'s speaker, as `gender_from` chooses: a
    /// person's from their cluster (the text's evidence, the first name's statistics); an
    /// unresolved "she" or "the spokeswoman" from its own word; organisations unknown.
    pub(crate) fn gender_of(&self, m: usize) -> Option<GenderBelief> {
        let mention = &self.coref.mentions[m];
        let (stated, by_name) = match self.coref.cluster_of(m) {
            Some(c) => {
                let cluster = &self.coref.clusters[c];
                if cluster.label != SpeakerType::PERSON {
                    (None, None)
                } else {
                    let (female, male) = self.pronoun_votes.get(c).copied().unwrap_or((0, 0));
                    let by_pronouns = match female.cmp(&male) {
                        std::cmp::Ordering::Greater => {
                            Some(GenderBelief::stated(Gender::Female, GenderEvidence::Pronoun))
                        }
                        std::cmp::Ordering::Less => Some(GenderBelief::stated(Gender::Male, GenderEvidence::Pronoun)),
                        std::cmp::Ordering::Equal => None,
                    };
                    let held =
                        Some(cluster.gender).filter(|b| b.evidence.is_some_and(|e| e != GenderEvidence::FirstName));
                    // An honorific ("Ms.") outranks the pronouns' majority; the pronouns
                    // outrank a title, and the resolver's first confident pronoun.
                    let stated = match held {
                        Some(h) if h.evidence == Some(GenderEvidence::Honorific) => Some(h),
                        _ => by_pronouns.or(held),
                    };
                    let by_name =
                        cluster.first.as_deref().and_then(first_name_share_female).map(GenderBelief::from_first_name);
                    (stated, by_name)
                }
            }
            None => {
                let stated = match mention.kind {
                    MentionKind::Pronoun(p) => Some(GenderBelief::stated(p.gender, GenderEvidence::Pronoun)),
                    MentionKind::Description => gendered_title(&lower(self.doc, mention.head))
                        .map(|g| GenderBelief::stated(g, GenderEvidence::Title)),
                    MentionKind::Name => None,
                };
                (stated, None)
            }
        };
        self.gender_from.choose(stated, by_name)
    }
}

/// Confidences are coarse estimates: three decimals say all there is.
pub(crate) fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// At least four words, four in five of them capitalised, not counting the short function
/// words that title case leaves in lower case ("Ministers Fail to Agree on Tariffs").
pub(crate) fn is_title_case_sentence(doc: &Document, lo: usize, hi: usize) -> bool {
    let words = (lo..hi)
        .filter(|&k| doc.kind_at(k) == Some(TokenKind::Word))
        .filter(|&k| !LOWER_IN_TITLES.contains(doc.word(k)));
    let capitalised = words.clone().filter(|&k| doc.word(k).chars().next().is_some_and(char::is_uppercase)).count();
    let total = words.count();
    total >= 4 && capitalised * 5 >= total * 4
}

impl State<'_> {
    /// A description followed by the name it stands for between commas ("The mayor, Robert Chen,
    /// spoke"): the name.
    pub(crate) fn apposed(&self, m: usize, hi: usize) -> usize {
        let mention = &self.coref.mentions[m];
        if mention.kind != MentionKind::Description || self.doc.word(mention.tok_end) != "," {
            return m;
        }
        match self.coref.mention_starting_at(mention.tok_end + 1) {
            Some(n) if self.coref.mentions[n].kind == MentionKind::Name && self.coref.mentions[n].tok_end < hi => n,
            _ => m,
        }
    }
}
