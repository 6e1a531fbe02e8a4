//! Quoted speech: the quoted spans worth attributing, transcript turns, and for each quoted
//! span the speaker every rule proposes (*suggest*), then the ranker's or the rules' choice
//! (*decide*, `crate::candidates`).

use whosaid_tokenize::{Document, EntityLabel, Quoted, Span, TokenKind};

use crate::candidates::{self, Candidates, Proposer, SpeakerRanker};
use crate::confidence;
use crate::coref::{Coref, MentionKind};
use crate::lexicon;
use crate::lexicon::{cue, lower};
use crate::mentions::{quote_site, QuoteSite};
use crate::output::{CueRef, Quotation, QuoteKind, SpeakerCandidate};
use crate::roles;
use crate::scorer::Basis;
use crate::speaker_type::SpeakerType;
use crate::state::{round3, Attributed, Evidence, State};

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
}

/// Suggest: the quoted spans worth attributing (outermost quotations only: nested ones
/// belong to their container) and, for each, the speakers every rule proposes.
pub(crate) fn suggest_quoted(st: &State, use_roles: bool) -> Vec<PendingQuote> {
    let doc = st.doc;
    let mut out = Vec::new();
    for (i, q) in doc.quoted.iter().enumerate().filter(|(_, q)| q.depth == 0 && !q.content.is_empty()) {
        if st.in_turn_or_caption(q.content.start) {
            continue;
        }
        let Some(site) = quote_site(doc, &st.cues, q) else { continue };
        let QuoteSite { lo, hi, open_tok, close_tok, first_sentence } = site;
        let words = doc.word_count(doc.token_at_or_after(q.content.start)..doc.token_at_or_after(q.content.end));
        // A short quoted span in Title Case is the name of a show, book or campaign
        // ("on CNN's “State of the Union,”"), not a quotation.
        if words == 0 || is_title_case(doc, q) {
            continue;
        }
        let mut candidates = Candidates::default();
        // A transcript label opening the quotation ("WALLACE: ...") names its speaker; the
        // quotation itself starts after the label.
        let label = st.links.label.get(&i).copied();
        if let Some((m, _)) = label {
            candidates.propose(Proposer::Label, m, None);
        }
        let content = label.map_or(q.content, |(_, start)| Span::new(start, q.content.end));
        let mut propose = |p: Proposer, found: Option<Attributed>| {
            if let Some(f) = found {
                candidates.propose(p, f.mention, f.cue);
            }
        };
        let dash = st.links.dash.get(&i).map(|&(mention, cue)| Attributed { mention, cue: Some(cue) });
        propose(Proposer::Dash, dash);
        let mut cues = quote_cue_speakers(st, site).into_iter();
        propose(Proposer::Cue, cues.next());
        propose(Proposer::SecondCue, cues.next());
        propose(Proposer::Colon, colon_speaker(st, lo, open_tok));
        propose(Proposer::CueBefore, previous_cue_sentence(st, first_sentence, open_tok));
        if use_roles {
            propose(Proposer::RoleSource, roles::quote_source(st, site));
            for m in roles::tagged_sources(st, site) {
                propose(Proposer::TaggedSource, Some(Attributed { mention: m, cue: None }));
            }
        }
        propose(Proposer::PreviousParagraph, previous_paragraph_speaker(st, q.paragraph, open_tok));
        propose(Proposer::Subject, sentence_subject_speaker(st, lo, open_tok, close_tok, hi));
        propose(Proposer::NearestName, nearest_name_before(st, q.paragraph, open_tok));
        let kind = quote_kind(doc, &st.coref, q, open_tok);
        out.push(PendingQuote {
            content,
            paragraph: q.paragraph,
            site,
            kind,
            words,
            unbalanced: q.unbalanced,
            candidates,
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

/// For a quotation opening its paragraph: the speaker named in the last sentence of the
/// paragraph before (not a caption): its nearest cue's subject ("Robert Chen said the city
/// would appeal."), else its subject when that is a person or an organisation ("The mayor,
/// Robert Chen, spoke to reporters on Monday.").
fn previous_paragraph_speaker(st: &State, paragraph: usize, open_tok: usize) -> Option<Attributed> {
    let doc = st.doc;
    if paragraph == 0 || doc.token_at_or_after(doc.paragraphs[paragraph].start) != open_tok {
        return None;
    }
    let prev = doc.sentences.iter().rev().find(|s| s.paragraph < paragraph)?;
    if prev.paragraph + 1 != paragraph || st.layout.caption[prev.paragraph] {
        return None;
    }
    let (lo, hi) = (prev.first_token, prev.end_token);
    if (lo..hi).any(|t| st.coref.quoted_at(t)) {
        return None;
    }
    let by_cue = (lo..hi)
        .rev()
        .filter(|&t| st.cue_at(t).is_some() || st.according_to(t))
        .find_map(|t| st.speaker_of_cue(t, lo).map(|m| Attributed { mention: m, cue: Some(st.cue_span(t)) }));
    by_cue.or_else(|| {
        let m = st.apposed(st.coref.sentence_subject(lo, hi)?, hi);
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
                && !m.in_caption
                && m.tok_end <= before
                && m.cluster.is_some_and(|c| {
                    matches!(st.coref.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
                })
        })
        // Of two ending together ("Mr. Cruz" and "Cruz"), the one added last.
        .max_by_key(|&i| (st.coref.mentions[i].tok_end, i))?;
    Some(Attributed { mention: m, cue: None })
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
        let QuoteSite { lo, hi, open_tok, .. } = p.site;
        if let Some(f) = continuation(st, p.paragraph, lo, open_tok, previous) {
            p.candidates.propose(Proposer::Continuation, f.mention, f.cue);
        }
        let chain = p.candidates.chain_choice();
        let xs: Vec<Vec<f32>> = if ranker.is_some() || with_features {
            (0..p.candidates.list.len()).map(|i| candidates::features(st, &p.candidates, i, p.site)).collect()
        } else {
            Vec::new()
        };
        let (chosen, share) = match ranker {
            Some(r) => r.choose(&xs).map_or((None, 1.0), |(i, share)| (Some(i), share)),
            None => (chain, 1.0),
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
    for (_, t) in cues {
        let sentence_lo =
            st.doc.sentence_of(st.doc.tokens[t].span.start).map_or(lo, |s| st.doc.sentences[s].first_token);
        if let Some(m) = st.speaker_of_cue(t, sentence_lo) {
            if found.iter().all(|f| f.mention != m) {
                found.push(Attributed { mention: m, cue: Some(st.cue_span(t)) });
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
        _ => st.coref.sentence_subject(lo, colon)?,
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
/// follows in the same paragraph or opens the next one, with no other name in between.
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
    let opens_next = prev_para + 1 == paragraph && open_tok == para_start_tok;
    if !(same_paragraph || opens_next) {
        return None;
    }
    // Another person named outside quotations after the previous quotation's sentences
    // breaks the chain (names in its own frame, "... Pompeo said after talks with Lavrov",
    // do not).
    let speaker = st.coref.cluster_of(mention);
    let between = st.coref.mentions_starting_in(prev_end + 1, open_tok.max(lo)).iter().any(|&i| {
        let m = &st.coref.mentions[i];
        !m.in_quote && !m.in_caption && m.kind == MentionKind::Name && st.coref.cluster_of(i) != speaker
    });
    if between {
        return None;
    }
    Some(Attributed { mention, cue: None })
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

/// A quoted fragment inside a sentence with no cue ("Bush referred to Rubio as "a bright
/// leader"") is most often the words of the sentence's subject.
fn sentence_subject_speaker(st: &State, lo: usize, open_tok: usize, close_tok: usize, hi: usize) -> Option<Attributed> {
    // Only fragments embedded in narrative text, not whole quoted sentences.
    let narrative_before =
        (lo..open_tok).filter(|&t| st.doc.kind_at(t) == Some(TokenKind::Word) && !st.coref.quoted_at(t)).count();
    if narrative_before < 2 || close_tok >= hi {
        return None;
    }
    let m = st.coref.sentence_subject(lo, open_tok)?;
    let mention = &st.coref.mentions[m];
    if mention.kind == MentionKind::Description && mention.cluster.is_none() {
        return None;
    }
    Some(Attributed { mention: m, cue: None })
}

/// Direct when the quotation stands as a sentence or clause of its own (it opens the
/// sentence, or follows a colon, comma or cue, and starts with a capital); mixed otherwise.
fn quote_kind(doc: &Document, coref: &Coref, q: &Quoted, open_tok: usize) -> QuoteKind {
    let starts_capital = doc.slice(q.content).chars().find(|c| c.is_alphanumeric()).is_some_and(|c| !c.is_lowercase());
    let sentence_start = doc.sentence_of(doc.tokens[open_tok].span.start).map(|s| doc.sentences[s].first_token);
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
