//! Quoted speech: the quoted spans worth attributing, transcript turns, and for each quoted
//! span the speaker every rule proposes (*suggest*), then the ranker's or the rules' choice
//! (*decide*, `crate::candidates`).

use whosaid_tokenize::{Document, EntityLabel, Quoted, Span};

use crate::candidates::{self, Candidates, Proposer, SpeakerRanker};
use crate::confidence;
use crate::coref::Coref;
use crate::lexicon;
use crate::lexicon::{cue, lower};
use crate::mentions::{quote_site, QuoteSite};
use crate::output::{CueRef, Quotation, QuoteKind, SpeakerCandidate};
use crate::scorer::Basis;
use crate::speaker_rules::{Phase, QuoteContext, SPEAKER_RULES};
use crate::speaker_type::SpeakerType;
use crate::state::{round3, Evidence, State};

/// A quoted span that suggest kept, with its speaker candidates (all but the previous
/// quotation's speaker, which depends on that quotation's decision).
pub(crate) struct PendingQuote {
    content: Span,
    paragraph: usize,
    site: QuoteSite,
    kind: QuoteKind,
    words: usize,
    unbalanced: bool,
    candidates: Candidates,
    /// Its index in `Document::quoted`.
    quoted_index: usize,
    use_roles: bool,
}

/// Suggest: the quoted spans worth attributing (outermost quotations only: nested ones
/// belong to their container) and, for each, the speakers every rule proposes.
pub(crate) fn suggest_quoted(st: &State, use_roles: bool) -> Vec<PendingQuote> {
    let doc = st.doc;
    let mut out = Vec::new();
    for (i, q) in doc.quoted.iter().enumerate().filter(|(_, q)| q.depth == 0 && !q.content.is_empty()) {
        if st.in_turn_or_aside(q.content.start) {
            continue;
        }
        let Some(site) = quote_site(doc, &st.cues, q) else { continue };
        let open_tok = site.open_tok;
        let words = doc.word_count(doc.token_at_or_after(q.content.start)..doc.token_at_or_after(q.content.end));
        // A short quoted span in Title Case is the name of a show, book or campaign
        // ("on CNN's “State of the Union,”"), not a quotation.
        if words == 0 || is_title_case(doc, q) {
            continue;
        }
        // A transcript label opening the quotation ("WALLACE: ...") names its speaker (the
        // label rule); the quotation itself starts after the label.
        let content = st.links.label.get(&i).map_or(q.content, |&(_, start)| Span::new(start, q.content.end));
        let mut candidates = Candidates::default();
        let cx = QuoteContext::new(st, i, q.paragraph, site, use_roles);
        for rule in SPEAKER_RULES.iter().filter(|r| r.phase() == Phase::Suggest) {
            for f in rule.propose(&cx) {
                candidates.propose(rule.proposer(), f.mention, f.cue);
            }
        }
        let kind = quote_kind(doc, &st.coref, q, open_tok);
        out.push(PendingQuote {
            content,
            paragraph: q.paragraph,
            site,
            kind,
            words,
            unbalanced: q.unbalanced,
            candidates,
            quoted_index: i,
            use_roles,
        });
    }
    out
}

/// Each transcript turn as a direct quotation of its speaker (a turn whose label names a place
/// is a dateline, "NEW DELHI:", and no turn).
pub(crate) fn transcript_turns(st: &State) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let mut out = Vec::new();
    for (turn, &speaker) in st.layout.turns.iter().zip(&st.links.turn_speaker) {
        let place = speaker.is_some_and(|m| {
            st.coref
                .cluster_of(m)
                .is_some_and(|c| st.coref.clusters[c].label == SpeakerType::Entity(EntityLabel::Location))
        });
        let a = doc.token_at_or_after(turn.content.start);
        let b = doc.token_at_or_after(turn.content.end);
        let words = doc.word_count(a..b);
        if place || words == 0 {
            continue;
        }
        let Some(span) = doc.tokens_span(a..b) else { continue };
        out.push((
            Quotation::proposed(
                doc,
                span,
                QuoteKind::Direct,
                None,
                confidence::transcript_turn(speaker.is_some(), turn.name.is_some(), turn.question.is_some()),
            ),
            Basis {
                transcript_turn: true,
                ..Basis::new(speaker, if speaker.is_some() { Evidence::Label } else { Evidence::Unattributed }, words)
            },
        ));
    }
    out
}

/// Decide: each quoted span's speaker, in document order (the previous quotation's speaker
/// is a candidate for the next). With a ranker, its best-scored candidate; without, the
/// chain's.
pub(crate) fn decide_quoted(
    st: &State,
    pending: Vec<PendingQuote>,
    ranker: Option<&SpeakerRanker>,
    with_features: bool,
) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let mut out = Vec::new();
    let mut previous: Option<(usize, usize, usize)> = None; // (mention, paragraph, end token of its sentences)
    for mut p in pending {
        let hi = p.site.hi;
        let cx = QuoteContext::new(st, p.quoted_index, p.paragraph, p.site, p.use_roles).after(previous);
        for rule in SPEAKER_RULES.iter().filter(|r| r.phase() == Phase::Decide) {
            for f in rule.propose(&cx) {
                p.candidates.propose(rule.proposer(), f.mention, f.cue);
            }
        }
        let chain = p.candidates.chain_choice();
        let xs: Vec<Vec<f32>> = if ranker.is_some() || with_features {
            (0..p.candidates.list.len()).map(|i| candidates::features(st, &p.candidates, i, p.site)).collect()
        } else {
            Vec::new()
        };
        // A transcript label states who speaks ("WALLACE: ..."). The ranker's training news
        // holds too few transcripts to learn that, and weighs a continuing speaker above it.
        let labelled = p.candidates.list.iter().position(|c| c.proposed_by(Proposer::Label));
        let (chosen, share) = match (labelled, ranker) {
            (Some(i), _) => (Some(i), 1.0),
            (None, Some(r)) => r.choose(&xs).map_or((None, 1.0), |(i, share)| (Some(i), share)),
            (None, None) => (chain, 1.0),
        };
        // Short quoted phrases no rule attributes are titles and scare quotes, not quotations.
        if chain.is_none() && p.words < 4 {
            continue;
        }
        let found = chosen.map(|i| &p.candidates.list[i]);
        let mut confidence = confidence::quoted(found.map(|c| (c.first.evidence(), st.coref.mentions[c.mention].kind)));
        if p.unbalanced {
            confidence *= confidence::QUOTED_UNBALANCED_FACTOR;
        }
        if p.words < 3 {
            confidence *= confidence::QUOTED_SHORT_FACTOR;
        }
        if let Some(c) = found {
            previous = Some((c.mention, p.paragraph, hi));
        }
        let candidates = with_features.then(|| {
            p.candidates
                .list
                .iter()
                .zip(xs)
                .map(|(c, features)| SpeakerCandidate { speaker: st.speaker_ref(c.mention), features })
                .collect()
        });
        out.push((
            Quotation {
                candidates,
                ..Quotation::proposed(
                    doc,
                    p.content,
                    p.kind,
                    found.and_then(|c| c.cue).map(|s| CueRef::new(doc, s)),
                    round3(confidence),
                )
            },
            Basis {
                unbalanced: p.unbalanced,
                speaker_share: share,
                rivals: p.candidates.list.len().saturating_sub(1),
                ..Basis::new(
                    found.map(|c| c.mention),
                    found.map_or(Evidence::Unattributed, |c| c.first.evidence()),
                    p.words,
                )
            },
        ));
    }
    out
}

fn is_title_case(doc: &Document, q: &Quoted) -> bool {
    let words: Vec<&str> = doc
        .slice(q.content)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let minor = |w: &str| lexicon::MINOR_TITLE_WORDS.contains(w);
    let text = doc.slice(q.content);
    (2..=8).contains(&words.len())
        && !text.ends_with(['.', '!', '?'])
        && words.iter().enumerate().all(|(i, w)| {
            (i > 0 && minor(w)) || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// Direct when the quotation stands as a sentence or clause of its own (it opens the
/// sentence, or follows a colon, comma or cue, and starts with a capital); mixed otherwise.
fn quote_kind(doc: &Document, coref: &Coref, q: &Quoted, open_tok: usize) -> QuoteKind {
    let starts_capital = doc.slice(q.content).chars().find(|c| c.is_alphanumeric()).is_some_and(|c| !c.is_lowercase());
    let sentence_start = doc.sentence_of_token(open_tok).map(|s| doc.sentences[s].first_token);
    let before_ok = open_tok == 0
        || sentence_start == Some(open_tok)
        || matches!(doc.word(open_tok - 1), ":" | "," | "—" | "–" | "(")
        || (!coref.quoted_at(open_tok - 1) && cue(&lower(doc, open_tok - 1)).is_some());
    if starts_capital && before_ok {
        QuoteKind::Direct
    } else {
        QuoteKind::Mixed
    }
}
