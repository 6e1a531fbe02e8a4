//! The speaker rules of quoted speech: each rule that can name a quoted span's speaker is one
//! [`SpeakerRule`] implementation, and [`SPEAKER_RULES`] lists them in the order they run.
//! Each rule's rank (how far the rules alone trust it, and its "proposed by" ranker feature)
//! is its [`Proposer`], from the table in `crate::candidates`. Adding a rule: a row in that
//! table, an implementation here, and its line in [`SPEAKER_RULES`].
//!
//! Most rules run at *suggest* time, from the quoted span and its sentences alone; the
//! continuation rule runs at *decide* time, when the previous quotation's speaker is known.

use std::cell::OnceCell;

use whosaid_tokenize::TokenKind;

use crate::candidates::Proposer;
use crate::coref::MentionKind;
use crate::lexicon::lower;
use crate::mentions::QuoteSite;
use crate::roles;
use crate::speaker_type::SpeakerType;
use crate::state::{Attributed, State};

/// What a speaker rule reads of one quoted span.
pub(crate) struct QuoteContext<'a, 'd> {
    pub st: &'a State<'d>,
    /// Its index in `Document::quoted`.
    pub quoted_index: usize,
    pub paragraph: usize,
    pub site: QuoteSite,
    /// The role head's tags are read (not under `--reported rules`).
    pub use_roles: bool,
    /// The speaker of the quotation decided before this one: (mention, paragraph, end token
    /// of its sentences). Known only when the decide-time rules run.
    pub previous: Option<(usize, usize, usize)>,
    /// The speakers of the nearest two cues, found once for the two cue rules.
    cue_speakers: OnceCell<Vec<Attributed>>,
}

impl<'a, 'd> QuoteContext<'a, 'd> {
    pub(crate) fn new(
        st: &'a State<'d>,
        quoted_index: usize,
        paragraph: usize,
        site: QuoteSite,
        use_roles: bool,
    ) -> Self {
        QuoteContext { st, quoted_index, paragraph, site, use_roles, previous: None, cue_speakers: OnceCell::new() }
    }

    /// The same, once the quotation before it has its speaker (for the decide-time rules).
    pub(crate) fn after(self, previous: Option<(usize, usize, usize)>) -> Self {
        QuoteContext { previous, ..self }
    }

    fn cue_speaker(&self, nth: usize) -> Vec<Attributed> {
        self.cue_speakers.get_or_init(|| quote_cue_speakers(self.st, self.site)).get(nth).copied().into_iter().collect()
    }
}

/// When a rule can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// From the quoted span and its sentences alone.
    Suggest,
    /// Once the previous quotation's speaker is decided.
    Decide,
}

/// A rule that proposes speakers for a quoted span.
pub(crate) trait SpeakerRule: Sync {
    /// Its rank and ranker feature.
    fn proposer(&self) -> Proposer;

    fn phase(&self) -> Phase {
        Phase::Suggest
    }

    /// The speaker mentions it proposes, each with the cue it rests on.
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed>;
}

/// Every rule, in the order they run (which also orders the candidates one rule proposes
/// together); their ranks are their [`Proposer`]s.
pub(crate) static SPEAKER_RULES: &[&dyn SpeakerRule] = &[
    &LabelRule,
    &DashRule,
    &CueRule,
    &SecondCueRule,
    &ColonRule,
    &CueBeforeRule,
    &RoleSourceRule,
    &TaggedSourceRule,
    &PreviousParagraphRule,
    &SubjectRule,
    &NearestNameRule,
    &ContinuationRule,
];

/// A transcript label opening the quotation ("WALLACE: ...").
struct LabelRule;
impl SpeakerRule for LabelRule {
    fn proposer(&self) -> Proposer {
        Proposer::Label
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        cx.st
            .links
            .label
            .get(&cx.quoted_index)
            .map(|&(mention, _)| Attributed { mention, cue: None })
            .into_iter()
            .collect()
    }
}

/// A dash attribution after it ("..." ― Carla Sanchez).
struct DashRule;
impl SpeakerRule for DashRule {
    fn proposer(&self) -> Proposer {
        Proposer::Dash
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        cx.st
            .links
            .dash
            .get(&cx.quoted_index)
            .map(|&(mention, cue)| Attributed { mention, cue: Some(cue) })
            .into_iter()
            .collect()
    }
}

/// The subject of the nearest cue in its sentences.
struct CueRule;
impl SpeakerRule for CueRule {
    fn proposer(&self) -> Proposer {
        Proposer::Cue
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        cx.cue_speaker(0)
    }
}

/// The subject of the second-nearest cue in its sentences.
struct SecondCueRule;
impl SpeakerRule for SecondCueRule {
    fn proposer(&self) -> Proposer {
        Proposer::SecondCue
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        cx.cue_speaker(1)
    }
}

/// A name before the colon that introduces it, or the subject of that clause.
struct ColonRule;
impl SpeakerRule for ColonRule {
    fn proposer(&self) -> Proposer {
        Proposer::Colon
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        colon_speaker(cx.st, cx.site.lo, cx.site.open_tok).into_iter().collect()
    }
}

/// The cue of the sentence before, which ends in a colon.
struct CueBeforeRule;
impl SpeakerRule for CueBeforeRule {
    fn proposer(&self) -> Proposer {
        Proposer::CueBefore
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        previous_cue_sentence(cx.st, cx.site.first_sentence, cx.site.open_tok).into_iter().collect()
    }
}

/// The role head's tagged source beside a tagged speech cue in its sentences.
struct RoleSourceRule;
impl SpeakerRule for RoleSourceRule {
    fn proposer(&self) -> Proposer {
        Proposer::RoleSource
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        if !cx.use_roles {
            return Vec::new();
        }
        roles::quote_source(cx.st, cx.site).into_iter().collect()
    }
}

/// Every other tagged source in its sentences.
struct TaggedSourceRule;
impl SpeakerRule for TaggedSourceRule {
    fn proposer(&self) -> Proposer {
        Proposer::TaggedSource
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        if !cx.use_roles {
            return Vec::new();
        }
        roles::tagged_sources(cx.st, cx.site).into_iter().map(|mention| Attributed { mention, cue: None }).collect()
    }
}

/// For a quotation opening its paragraph, the speaker named in the paragraph before; for one
/// opening a later sentence, the speaker of the reported speech in the sentence before.
struct PreviousParagraphRule;
impl SpeakerRule for PreviousParagraphRule {
    fn proposer(&self) -> Proposer {
        Proposer::PreviousParagraph
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        previous_paragraph_speaker(cx.st, cx.paragraph, cx.site.open_tok).into_iter().collect()
    }
}

/// The subject of the sentence a quoted fragment sits in.
struct SubjectRule;
impl SpeakerRule for SubjectRule {
    fn proposer(&self) -> Proposer {
        Proposer::Subject
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        let QuoteSite { lo, hi, open_tok, close_tok, .. } = cx.site;
        sentence_subject_speaker(cx.st, lo, open_tok, close_tok, hi).into_iter().collect()
    }
}

/// The nearest person or organisation named before it in its paragraph.
struct NearestNameRule;
impl SpeakerRule for NearestNameRule {
    fn proposer(&self) -> Proposer {
        Proposer::NearestName
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        nearest_name_before(cx.st, cx.paragraph, cx.site.open_tok).into_iter().collect()
    }
}

/// The previous quotation's speaker (same paragraph, or it opens the next one).
struct ContinuationRule;
impl SpeakerRule for ContinuationRule {
    fn proposer(&self) -> Proposer {
        Proposer::Continuation
    }
    fn phase(&self) -> Phase {
        Phase::Decide
    }
    fn propose(&self, cx: &QuoteContext) -> Vec<Attributed> {
        continuation(cx.st, cx.paragraph, cx.site.lo, cx.site.open_tok, cx.previous).into_iter().collect()
    }
}

/// For a quotation opening its paragraph: the speaker named in the last sentence of the
/// paragraph before (not an aside): its nearest cue's subject ("Robert Chen said the city
/// would appeal."), else its subject when that is a person or an organisation ("The mayor,
/// Robert Chen, spoke to reporters on Monday.").
fn previous_paragraph_speaker(st: &State, paragraph: usize, open_tok: usize) -> Option<Attributed> {
    let doc = st.doc;
    let opens_paragraph = doc.token_at_or_after(doc.paragraphs[paragraph].start) == open_tok;
    // A quotation opening a later sentence of its paragraph, right after a sentence of
    // reported speech ("Reyes also said Brandt was a painter. "To sell his work, ...""),
    // continues that sentence's speaker.
    let prev = if opens_paragraph && paragraph > 0 {
        let prev = doc.sentences.iter().rev().find(|s| s.paragraph < paragraph)?;
        if prev.paragraph + 1 != paragraph || st.layout.aside[prev.paragraph] {
            return None;
        }
        prev
    } else {
        let own = doc.sentence_of_token(open_tok).filter(|&s| doc.sentences[s].first_token == open_tok)?;
        let prev = doc.sentences.get(own.checked_sub(1)?)?;
        if prev.paragraph != paragraph {
            return None;
        }
        prev
    };
    let (lo, hi) = (prev.first_token, prev.end_token);
    if (lo..hi).any(|t| st.coref.quoted_at(t)) {
        return None;
    }
    let by_cue = (lo..hi)
        .rev()
        .filter(|&t| st.cue_at(t).is_some() || st.according_to(t))
        .find_map(|t| st.speaker_of_cue(t, lo).map(|m| Attributed { mention: m, cue: Some(st.cue_span(t)) }));
    if !opens_paragraph {
        return by_cue;
    }
    by_cue.or_else(|| {
        let m = st.apposed(st.coref.sentence_subject(st.doc, lo, hi)?, hi);
        let c = st.coref.cluster_of(m)?;
        matches!(st.coref.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
            .then_some(Attributed { mention: m, cue: None })
    })
}

/// The nearest person or organisation named outside quotations before token `before` in
/// paragraph `paragraph`.
fn nearest_name_before(st: &State, paragraph: usize, before: usize) -> Option<Attributed> {
    let para_start = st.doc.token_at_or_after(st.doc.paragraphs[paragraph].start);
    let m = st
        .coref
        .mentions_starting_in(para_start, before)
        .iter()
        .copied()
        .filter(|&i| {
            let m = &st.coref.mentions[i];
            m.kind == MentionKind::Name
                && !m.in_quote
                && !m.in_aside
                && m.tok_end <= before
                && m.cluster.is_some_and(|c| {
                    matches!(st.coref.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
                })
        })
        // Of two ending together ("Mr. Cruz" and "Cruz"), the one added last.
        .max_by_key(|&i| (st.coref.mentions[i].tok_end, i))?;
    Some(Attributed { mention: m, cue: None })
}

/// The speakers of the nearest two cues outside quotations in a quotation's sentences
/// `lo..hi` whose speaker can be found (two different mentions), nearest first.
fn quote_cue_speakers(st: &State, site: QuoteSite) -> Vec<Attributed> {
    let QuoteSite { lo, hi, open_tok, close_tok, .. } = site;
    let mut cues: Vec<(usize, usize)> = Vec::new(); // (distance, cue token)
    for t in lo..hi {
        if (t >= open_tok && t <= close_tok) || st.coref.quoted_at(t) {
            continue;
        }
        if st.cue_at(t).is_some() || st.according_to(t) {
            let distance = if t < open_tok { open_tok - t } else { t - close_tok };
            cues.push((distance, t));
        }
    }
    cues.sort();
    let mut found: Vec<Attributed> = Vec::new();
    let mut first_cue: Option<usize> = None;
    for (_, t) in cues {
        // ""Resign," Adler told Ward, after he admitted ...": a cue in a clause that a
        // subordinator opens after the quotation's own cue is someone else's.
        if let Some(first) = first_cue.filter(|&f| f > close_tok && t > f) {
            let subordinate = (first + 1..t).any(|k| {
                st.doc.word(k - 1) == ","
                    && matches!(
                        lower(st.doc, k).as_str(),
                        "after" | "before" | "when" | "while" | "because" | "since" | "although" | "though" | "until"
                    )
            });
            if subordinate {
                continue;
            }
        }
        let sentence_lo = st.doc.sentence_of_token(t).map_or(lo, |s| st.doc.sentences[s].first_token);
        if let Some(m) = st.speaker_of_cue(t, sentence_lo) {
            if found.iter().all(|f| f.mention != m) {
                found.push(Attributed { mention: m, cue: Some(st.cue_span(t)) });
                first_cue = first_cue.or(Some(t));
            }
            if found.len() == 2 {
                break;
            }
        }
    }
    found
}

/// "Pompeo: "..."" (a name right before the colon) or "Kasich resisted: "..."" (the subject
/// of the clause the colon ends).
fn colon_speaker(st: &State, lo: usize, open_tok: usize) -> Option<Attributed> {
    if open_tok < lo + 2 || st.doc.word(open_tok - 1) != ":" {
        return None;
    }
    colon_subject(st, lo, open_tok - 1)
}

/// The speaker of a colon at token `colon` in a sentence starting at `lo`: the name right
/// before it, else the subject of the clause it ends.
fn colon_subject(st: &State, lo: usize, colon: usize) -> Option<Attributed> {
    let m = match colon.checked_sub(1).and_then(|k| st.coref.mention_ending_at(k)) {
        Some(m) if st.coref.mentions[m].kind == MentionKind::Name && !st.coref.mentions[m].in_quote => m,
        _ => st.coref.sentence_subject(st.doc, lo, colon)?,
    };
    Some(Attributed { mention: m, cue: Some(st.doc.tokens.get(colon)?.span) })
}

/// A quotation opening a sentence or paragraph right after a sentence that ends with a cue
/// and a colon ("Trump tweeted:" then the tweet).
fn previous_cue_sentence(st: &State, s1: usize, open_tok: usize) -> Option<Attributed> {
    if s1 == 0 || st.doc.sentences[s1].first_token != open_tok {
        return None;
    }
    let prev = &st.doc.sentences[s1 - 1];
    let (lo, hi) = (prev.first_token, prev.end_token);
    if st.doc.word(hi - 1) != ":" {
        return None;
    }
    if let Some(cue_tok) = (lo..hi).rev().find(|&t| st.cue_at(t).is_some()) {
        if let Some(m) = st.speaker_of_cue(cue_tok, lo) {
            return Some(Attributed { mention: m, cue: Some(st.cue_span(cue_tok)) });
        }
    }
    // No cue word ("The New York Times reports:", "And from Chairwoman Rosenworcel:").
    colon_subject(st, lo, hi - 1)
}

/// A quotation with no cue of its own inherits the previous quotation's speaker when it
/// follows in the same paragraph or opens the next one (past asides), with no other name in
/// between.
fn continuation(
    st: &State,
    paragraph: usize,
    lo: usize,
    open_tok: usize,
    previous: Option<(usize, usize, usize)>,
) -> Option<Attributed> {
    let (mention, prev_para, prev_end) = previous?;
    let para_start_tok = st.doc.token_at_or_after(st.doc.paragraphs[paragraph].start);
    let same_paragraph = prev_para == paragraph;
    // A caption or a link line between does not part them (an aside holds no one's words).
    let opens_next =
        prev_para < paragraph && open_tok == para_start_tok && (prev_para + 1..paragraph).all(|p| st.layout.aside[p]);
    if !(same_paragraph || opens_next) {
        return None;
    }
    // Another person named outside quotations after the previous quotation's sentences
    // breaks the chain (names in its own frame, "... Pompeo said after talks with Lavrov",
    // do not).
    let speaker = st.coref.cluster_of(mention);
    let between = st.coref.mentions_starting_in(prev_end + 1, open_tok.max(lo)).iter().any(|&i| {
        let m = &st.coref.mentions[i];
        !m.in_quote && !m.in_aside && m.kind == MentionKind::Name && st.coref.cluster_of(i) != speaker
    });
    if between {
        return None;
    }
    Some(Attributed { mention, cue: None })
}

/// A quoted fragment inside a sentence with no cue ("Bush referred to Rubio as "a bright
/// leader"") is most often the words of the sentence's subject.
fn sentence_subject_speaker(st: &State, lo: usize, open_tok: usize, close_tok: usize, hi: usize) -> Option<Attributed> {
    // Only fragments embedded in narrative text, not whole quoted sentences.
    let narrative_before =
        (lo..open_tok).filter(|&t| st.doc.kind_at(t) == Some(TokenKind::Word) && !st.coref.quoted_at(t)).count();
    if narrative_before < 2 || close_tok >= hi {
        return None;
    }
    let m = st.coref.sentence_subject(st.doc, lo, open_tok)?;
    let mention = &st.coref.mentions[m];
    if mention.kind == MentionKind::Description && mention.cluster.is_none() {
        return None;
    }
    Some(Attributed { mention: m, cue: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proposer_has_exactly_one_rule() {
        for &p in Proposer::ALL {
            assert_eq!(SPEAKER_RULES.iter().filter(|r| r.proposer() == p).count(), 1, "{p:?}");
        }
        assert_eq!(SPEAKER_RULES.len(), Proposer::ALL.len());
    }
}
