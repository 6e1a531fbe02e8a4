//! Proposing mentions: before anything is resolved, every phrase that could name a speaker
//! becomes a mention, and where it stands is recorded as a [`SpeakerLinks`] entry: the
//! subject of each reporting cue (`crate::speaker`'s finders: "Pompeo said", "said a
//! spokesman for the campaign", "according to the city engineer, Margaret Lin,"), the label
//! of each transcript turn ("DANA REYES:", "Gov. Tom Bradley (R), Ohio:"), the name after a
//! dash attribution, and the words of each source the role head tagged. Coreference then
//! resolves the complete set once, and the speaker search only reads these links.

use std::collections::HashMap;

use whosaid_tokenize::{Document, Quoted, Role, RoleSpan, Span, TokenKind};

use crate::coref::{MentionKind, MentionSet};
use crate::cues::Cues;
use crate::layout::Layout;
use crate::lexicon::{is_possessive_determiner, is_title_word, lower};
use crate::speaker::{according_source, subject_left, subject_right};

/// Where proposed mentions stand, for the speaker search to read.
#[derive(Debug, Default)]
pub(crate) struct SpeakerLinks {
    /// Per cue token: the subject its own finder gives (a participle's is decided when read).
    pub cue_subject: HashMap<usize, Option<usize>>,
    /// Per quotation (index in `Document::quoted`): the label opening it and where the
    /// quotation proper starts after it.
    pub label: HashMap<usize, (usize, usize)>,
    /// Per quotation: the name of a dash attribution after it, and the dash.
    pub dash: HashMap<usize, (usize, Span)>,
    /// Per tagged source (its tokens): the mention it rests on.
    pub source: HashMap<(usize, usize), usize>,
    /// Per transcript turn (`Layout::turns`, in order): its speaker's mention.
    pub turn_speaker: Vec<Option<usize>>,
}

/// Where a quoted span lies: tokens of its sentences and of its marks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QuoteSite {
    pub lo: usize,
    pub hi: usize,
    pub open_tok: usize,
    pub close_tok: usize,
    /// Its first and last sentences.
    pub first_sentence: usize,
}

/// The site of a quoted span: its sentences. A quotation that ends its sentence takes a cue
/// opening the next one when that cue ends its clause (`"... the wall?" Pence said.`), but
/// not one that reports a clause of its own (`"..." Councillor Lee said she disagreed.`).
pub(crate) fn quote_site(doc: &Document, cues: &Cues, q: &Quoted) -> Option<QuoteSite> {
    let open_tok = q.open.map(|p| doc.token_at_or_after(p)).unwrap_or_else(|| doc.token_at_or_after(q.content.start));
    let close_tok = q.close.map(|p| doc.token_at_or_after(p)).unwrap_or_else(|| doc.token_at_or_after(q.content.end));
    let s1 = doc.sentence_of(q.open.unwrap_or(q.content.start))?;
    let s2 = doc.sentence_of(q.close.unwrap_or(q.content.end.saturating_sub(1)))?;
    let (lo, mut hi) = (doc.sentences[s1].first_token, doc.sentences[s2].end_token);
    if close_tok + 1 >= hi && s2 + 1 < doc.sentences.len() && doc.sentences[s2 + 1].paragraph == q.paragraph {
        let next = &doc.sentences[s2 + 1];
        // Only a cue that ends its clause ("Pence said."): "Lee said she disagreed" reports
        // a clause of its own.
        let cue = (next.first_token..(next.first_token + 5).min(next.end_token)).find(|&t| cues.at(t).is_some());
        if let Some(c) = cue {
            if matches!(doc.word(c + 1), "." | "," | "!" | "?" | ";") || c + 1 >= next.end_token {
                hi = next.end_token;
            }
        }
    }
    Some(QuoteSite { lo, hi, open_tok, close_tok, first_sentence: s1 })
}

/// Propose every speaker mention of the document into `set`, recording where each stands.
pub(crate) fn propose(
    doc: &Document,
    cues: &Cues,
    layout: &Layout,
    set: &mut MentionSet,
    with_roles: bool,
) -> SpeakerLinks {
    let mut links = SpeakerLinks { turn_speaker: turn_speakers(doc, layout, set), ..SpeakerLinks::default() };
    let cue_subject = |set: &mut MentionSet, t: usize, links: &mut SpeakerLinks| {
        if links.cue_subject.contains_key(&t) || cues.at(t).is_some_and(|i| i.participle) && !cues.according_to(t) {
            return;
        }
        let s = doc.sentence_of_token(t).unwrap_or(0);
        let (lo, hi) = (doc.sentences[s].first_token, doc.sentences[s].end_token);
        let found = subject_of_cue(doc, cues, set, t, lo, hi);
        links.cue_subject.insert(t, found);
    };
    // Quotations first (their labels, dashes and the cues around them), in document order.
    for (i, q) in doc.quoted.iter().enumerate().filter(|(_, q)| q.depth == 0 && !q.content.is_empty()) {
        if let Some(label) = transcript_label(doc, set, q) {
            links.label.insert(i, label);
        }
        if let Some(dash) = dash_speaker(doc, set, q) {
            links.dash.insert(i, dash);
        }
        let Some(site) = quote_site(doc, cues, q) else { continue };
        for t in site.lo..site.hi {
            let inside = t >= site.open_tok && t <= site.close_tok;
            if !inside && !set.quoted_at(t) && (cues.at(t).is_some() || cues.according_to(t)) {
                cue_subject(set, t, &mut links);
            }
        }
        // A sentence before it that ends in a colon ("Trump tweeted:").
        if site.first_sentence > 0 && doc.sentences[site.first_sentence].first_token == site.open_tok {
            let prev = &doc.sentences[site.first_sentence - 1];
            if doc.word(prev.end_token - 1) == ":" {
                for t in prev.first_token..prev.end_token {
                    if cues.at(t).is_some() {
                        cue_subject(set, t, &mut links);
                    }
                }
            }
        }
    }
    // Every cue that can report a clause, sentence by sentence.
    for t in 0..doc.tokens.len() {
        let call_phrase = cues.at(t).is_some()
            && lower(doc, t).starts_with("call")
            && matches!(lower(doc, t + 1).as_str(), "for" | "on");
        if cues.according_to(t) || call_phrase || cues.at(t).is_some_and(|i| i.reports_clause) {
            cue_subject(set, t, &mut links);
        }
    }
    // The earlier cues a participle leans on ("..., adding that"): every cue of its sentence.
    for t in 0..doc.tokens.len() {
        if cues.at(t).is_some_and(|i| i.participle) {
            let s = doc.sentence_of_token(t).unwrap_or(0);
            for k in doc.sentences[s].first_token..t {
                if cues.at(k).is_some() {
                    cue_subject(set, k, &mut links);
                }
            }
        }
    }
    if with_roles {
        for r in doc.role_spans.iter().filter(|r| r.role == Role::Source) {
            if let Some(m) = source_mention(doc, set, r) {
                links.source.insert((r.first_token, r.end_token), m);
            }
        }
    }
    links
}

/// The speaker of each transcript turn: the name in its label (NER's, else the label's words
/// without titles), for "Q"/"A" the two people the introduction names most (the answers'
/// speaker the most named), for a paragraph that goes on with a turn that turn's.
fn turn_speakers(doc: &Document, layout: &Layout, set: &mut MentionSet) -> Vec<Option<usize>> {
    let first_turn = layout.turns.first().map_or(0, |t| doc.token_at_or_after(t.content.start));
    // The introduction's people, most named first.
    let mut intro: Vec<(usize, usize, usize)> = Vec::new(); // (cluster, count, first mention)
    for &i in set.mentions_starting_in(0, first_turn) {
        let m = &set.mentions[i];
        if let (MentionKind::Name, Some(c), false) = (m.kind, m.cluster, m.in_quote) {
            if set.clusters[c].label == crate::speaker_type::SpeakerType::PERSON {
                match intro.iter_mut().find(|x| x.0 == c) {
                    Some(x) => x.1 += 1,
                    None => intro.push((c, 1, i)),
                }
            }
        }
    }
    intro.sort_by_key(|x| (std::cmp::Reverse(x.1), x.2));
    let mut out: Vec<Option<usize>> = Vec::with_capacity(layout.turns.len());
    for turn in &layout.turns {
        let speaker = match (turn.name, turn.question) {
            (Some((a, b)), _) => {
                let named = set
                    .mentions_starting_in(a, b)
                    .iter()
                    .copied()
                    .filter(|&m| set.mentions[m].kind == MentionKind::Name && set.mentions[m].tok_end <= b)
                    .min_by_key(|&m| (!set.is_person(m), set.mentions[m].tok_start));
                named.or_else(|| {
                    let start = (a..b).find(|&t| !is_title_word(&lower(doc, t).replace('.', "")))?;
                    Some(set.add_fallback_name(doc, start, b))
                })
            }
            (None, Some(question)) => intro.get(usize::from(question)).map(|x| x.2),
            (None, None) => out.last().copied().flatten(),
        };
        out.push(speaker);
    }
    out
}

/// The subject of the (non-participle) cue at `t` in tokens `lo..hi`: to its left, or for an
/// inverted cue or "according to", to its right.
fn subject_of_cue(doc: &Document, cues: &Cues, set: &mut MentionSet, t: usize, lo: usize, hi: usize) -> Option<usize> {
    if cues.according_to(t) {
        return according_source(doc, set, t + 1, hi).map(|m| apposed_name(doc, set, m, hi));
    }
    match subject_left(doc, set, t, lo) {
        (Some(m), _) => Some(m),
        (None, true) => subject_right(doc, set, t, hi).map(|m| apposed_name(doc, set, m, hi)),
        (None, false) => None,
    }
}

/// A description followed by the person's name between commas ("according to the city
/// engineer, Margaret Lin, ...", "said a spokesman, Tom Reyes."): the name speaks.
fn apposed_name(doc: &Document, set: &MentionSet, m: usize, hi: usize) -> usize {
    let mention = &set.mentions[m];
    let after = mention.tok_end;
    if mention.kind != MentionKind::Description || doc.word(after) != "," {
        return m;
    }
    let Some(n) = set.mention_starting_at(after + 1) else { return m };
    let name = &set.mentions[n];
    let person = name.kind == MentionKind::Name && set.is_person(n);
    let closed = name.tok_end >= hi || matches!(doc.word(name.tok_end), "," | "." | ";");
    if person && closed && !name.in_quote {
        n
    } else {
        m
    }
}

/// Transcript labels: the speaker's name in capitals and a colon opening a quotation
/// ("WALLACE: ...", "SEN. KAINE: ..."). Returns the label's mention and where the quotation
/// proper starts (after the colon and its spaces).
fn transcript_label(doc: &Document, set: &mut MentionSet, q: &Quoted) -> Option<(usize, usize)> {
    let first = doc.token_at_or_after(q.content.start);
    let colon = (first..first + 5).find(|&t| doc.word(t) == ":")?;
    let label = first..colon;
    let is_label_word = |t: usize| {
        let w = doc.word(t);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 1
            && w.chars().all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
            && (letters >= 2 || w.ends_with('.'))
    };
    if label.is_empty()
        || !label.clone().all(is_label_word)
        || !label.clone().any(|t| doc.word(t).chars().filter(|c| c.is_alphabetic()).count() >= 3)
        || doc.tokens[colon].span.end >= q.content.end
    {
        return None;
    }
    // The name, without a title ("SEN. KAINE" -> "KAINE" when NER has no entity for it).
    let m = match set.mention_ending_at(colon - 1) {
        Some(m) if set.mentions[m].kind == MentionKind::Name => m,
        _ => {
            let start = label.clone().find(|&t| !is_title_word(&lower(doc, t).replace('.', ""))).unwrap_or(first);
            set.add_fallback_name(doc, start, colon)
        }
    };
    let chars = doc.chars();
    let mut start = doc.tokens[colon].span.end;
    while start < q.content.end && chars[start].is_whitespace() {
        start += 1;
    }
    Some((m, start))
}

/// Dashes that introduce an attribution after a quotation (hyphen, en, em, horizontal bar,
/// figure dash, minus).
pub(crate) const DASHES: &[char] = &['-', '–', '—', '―', '‒', '−'];

/// Dash attributions: a quotation followed by a dash and a name ("..." ― Carla Sanchez,
/// "..." -Commissioner Geoffrey Starks) in the same paragraph.
fn dash_speaker(doc: &Document, set: &mut MentionSet, q: &Quoted) -> Option<(usize, Span)> {
    let chars = doc.chars();
    let mut i = q.close? + 1;
    while i < chars.len() && matches!(chars[i], ' ' | '\u{a0}' | '\t') {
        i += 1;
    }
    if !chars.get(i).is_some_and(|c| DASHES.contains(c)) {
        return None;
    }
    let para_end = doc.token_at_or_after(doc.paragraphs[q.paragraph].end);
    // The first token that holds anything after the dash (it may hold the dash too:
    // "-Commissioner").
    let start = doc.tokens.partition_point(|t| t.span.end <= i + 1);
    let window = start..(start + 6).min(para_end);
    // The name (or its title) comes right after the dash: "— a metaphor for ...", "-- and
    // Fred Goldberg, ..." are running text.
    let first_word = window.clone().find(|&t| doc.word(t).chars().any(char::is_alphanumeric))?;
    let after_dash = |t: usize| doc.word(t).trim_start_matches(DASHES);
    if !after_dash(first_word).chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let mut name = None;
    for t in window.clone() {
        if matches!(doc.word(t), "." | "\"" | "“" | "”") || doc.kind_at(t) == Some(TokenKind::Quote) {
            break;
        }
        if let Some(m) = set.mention_starting_at(t).filter(|&m| set.mentions[m].kind == MentionKind::Name) {
            if set.is_person(m) {
                name = Some(m);
                break;
            }
            name = name.or(Some(m));
        }
    }
    let m = match name {
        Some(m) => m,
        None => {
            // Capitalised words NER did not tag, from the first word after the dash.
            let capital = |t: usize| after_dash(t).chars().next().is_some_and(char::is_uppercase);
            let end = (first_word..window.end).take_while(|&t| capital(t)).last()?;
            if end == first_word && after_dash(first_word).chars().count() < 2 {
                return None;
            }
            set.add_fallback_name(doc, first_word, end + 1)
        }
    };
    Some((m, Span::new(i, i + 1)))
}

/// The person named right after a title or description that ends at token `end`, which the
/// role head tagged as the source without the name: "Minister of Education | Stefania
/// Giannini said", "the secretary general of the council (its full name), | Nunzio Rossi,
/// has called". After a comma the name must close the apposition (a comma, a full stop).
fn named_after(doc: &Document, set: &MentionSet, end: usize) -> Option<usize> {
    let mut t = end;
    if doc.word(t) == "(" {
        t = (t + 1..t + 10).find(|&k| doc.word(k) == ")")? + 1;
    }
    let after_comma = doc.word(t) == ",";
    if after_comma {
        t += 1;
    }
    let n = set.mention_starting_at(t)?;
    let name = &set.mentions[n];
    let closed = !after_comma || matches!(doc.word(name.tok_end), "," | "." | ";");
    (name.kind == MentionKind::Name && set.is_person(n) && !name.in_quote && closed).then_some(n)
}

/// The mention a tagged source rests on: a person's name inside it, else another name, else
/// a pronoun, else a description, the first of equals (a source's head comes first: "Rep.
/// Adam Schiff, the top Democrat on the House Intelligence Committee,") that is not the
/// object of "of" or "for"; a source with no mention gets a description mention of its own
/// words. A title or description followed by a person's name speaks through that person
/// ([`named_after`]).
fn source_mention(doc: &Document, set: &mut MentionSet, source: &RoleSpan) -> Option<usize> {
    // A name after "of" or "for" completes a title ("Minister of Education", "the secretary
    // general of the council") and is not the source's head.
    let object_of_preposition = |t: usize| t > source.first_token && matches!(lower(doc, t - 1).as_str(), "of" | "for");
    let rank = |i: usize, kind: MentionKind| match kind {
        MentionKind::Name if set.is_person(i) => 0,
        MentionKind::Name => 1,
        MentionKind::Pronoun(_) => 2,
        MentionKind::Description => 3,
    };
    let best = set
        .mentions_starting_in(source.first_token, source.end_token)
        .iter()
        .copied()
        .filter(|&i| set.mentions[i].tok_end <= source.end_token)
        // "their" in "their friends and advisers" determines the source; it is not its head.
        .filter(|&i| {
            let m = &set.mentions[i];
            !(matches!(m.kind, MentionKind::Pronoun(_))
                && m.tok_end < source.end_token
                && is_possessive_determiner(&lower(doc, m.tok_start)))
        })
        .min_by_key(|&i| {
            let m = &set.mentions[i];
            (rank(i, m.kind), object_of_preposition(m.tok_start), m.tok_start, usize::MAX - (m.tok_end - m.tok_start))
        });
    if let Some(m) = best {
        let person = set.mentions[m].kind == MentionKind::Name && set.is_person(m);
        return Some(if person { m } else { named_after(doc, set, source.end_token).unwrap_or(m) });
    }
    let (a, b) = (source.first_token, source.end_token);
    (doc.word_count(a..b) > 0).then(|| set.add_description(doc, a, b, false))
}
