//! Reported speech found by rules: the clause after a cue ("said (that) ...", "according to
//! ..."), and "Speaker: clause" paragraphs. The role head's clauses are `crate::roles`.

use std::collections::HashSet;

use whosaid_tokenize::{Document, TokenKind};

use crate::clause;
use crate::confidence;
use crate::coref::MentionKind;
use crate::lexicon::{self, is_role_head, is_time_word, lower, CLAUSE_JOINERS};
use crate::output::{CueRef, Quotation, QuoteKind};
use crate::scorer::Basis;
use crate::state::{round3, Evidence, State};

fn is_clause_start_ok(doc: &Document, t: usize) -> bool {
    doc.kind_at(t) != Some(TokenKind::Punct) && !lexicon::NOT_CLAUSE_STARTS.contains(lower(doc, t).as_str())
}

/// "Sanders: We need a political revolution" (a headline), "FALLIN: Well, I think ..." (a
/// transcript): a paragraph opening with a name and a colon reports the rest of the
/// paragraph (tokens `lo..hi`). Quoted rests are the quotation pass's ("Pompeo: "..."").
pub(crate) fn speaker_colon_paragraph(st: &State, lo: usize, hi: usize) -> Option<(Quotation, Basis)> {
    let doc = st.doc;
    let in_quote = &st.coref.in_quote;
    let colon = (lo + 1..(lo + 7).min(hi)).find(|&k| doc.word(k) == ":")?;
    let m = st.coref.mention_ending_at(colon - 1)?;
    let mention = &st.coref.mentions[m];
    let title_case = |t: usize| doc.word(t).chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphanumeric());
    if mention.kind != MentionKind::Name || mention.in_quote || !(lo..colon).all(title_case) {
        return None;
    }
    let mut end = hi;
    while end > colon + 1 && doc.kind_at(end - 1) == Some(TokenKind::Punct) {
        end -= 1;
    }
    let start = colon + 1;
    let quoted = |t: usize| doc.kind_at(t) == Some(TokenKind::Quote) || in_quote[t];
    if end < start + 3 || quoted(start) || 2 * (start..end).filter(|&t| quoted(t)).count() >= end - start {
        return None;
    }
    let span = doc.tokens_span(start..end)?;
    let quotation = Quotation::proposed(
        doc,
        span,
        QuoteKind::Indirect,
        Some(CueRef::new(doc, doc.tokens[colon].span)),
        confidence::SPEAKER_COLON_PARAGRAPH,
    );
    let words = doc.word_count(start..end);
    let basis = Basis {
        clause_like: clause::clause_like(st.doc, &st.headline, start),
        opener: Some(clause::clause_opener(st.doc, start)),
        has_verb: clause::has_verb(st.doc, start, end),
        ..Basis::new(Some(m), Evidence::ColonParagraph, words)
    };
    Some((quotation, basis))
}

/// Per token: inside a quotation, or a quotation mark. A single mark that opens or closes no
/// quotation is an apostrophe ("Sanders’ apology") and does not count.
pub(crate) fn quoted_or_mark(doc: &Document, in_quote: &[bool]) -> Vec<bool> {
    let used: HashSet<usize> = doc.quoted.iter().flat_map(|q| [q.open, q.close]).flatten().collect();
    let chars_at = |t: usize| doc.slice(doc.tokens[t].span).chars().next();
    (0..doc.tokens.len())
        .map(|t| {
            in_quote[t]
                || doc.kind_at(t) == Some(TokenKind::Quote)
                    && (used.contains(&doc.tokens[t].span.start)
                        || !matches!(chars_at(t), Some('\'' | '‘' | '’' | '‚' | '‛')))
        })
        .collect()
}

/// Where a reported clause starting at token `j` ends (exclusive), at most at `end`: before
/// a participle or "according to" after a comma, a quotation after a comma, a joined second
/// clause, or a second cue with its own "that".
fn clause_stop(st: &State, j: usize, end: usize) -> usize {
    let doc = st.doc;
    for k in j..end {
        let participle_or_according = k + 1 < end
            && doc.word(k) == ","
            && (st.cue_at(k + 1).is_some_and(|i| i.participle) || st.according_to(k + 1));
        let quote_after_comma = doc.kind_at(k) == Some(TokenKind::Quote) && k > j && doc.word(k - 1) == ",";
        if participle_or_according {
            return k;
        }
        if quote_after_comma {
            return k - 1;
        }
        // ", and the bank said ...", ", which ...": a second clause is not reported.
        if k > j + 2 && doc.word(k) == "," && k + 1 < end && CLAUSE_JOINERS.contains(lower(doc, k + 1).as_str()) {
            return k;
        }
        // "said A and added that B": the second verb's clause is its own.
        if k > j + 2
            && matches!(lower(doc, k).as_str(), "and" | "but")
            && k + 2 < end
            && lower(doc, k + 2) == "that"
            && st.cue_at(k + 1).is_some_and(|i| i.reports_clause && !i.participle)
        {
            return k;
        }
    }
    end
}

/// The longest reported clause, in tokens.
const MAX_REPORTED_TOKENS: usize = 250;

/// Reported speech without quotation marks in sentence `s`.
pub(crate) fn indirect_in_sentence(st: &State, quoted_or_mark: &[bool], s: usize) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let sent = &doc.sentences[s];
    let (lo, hi) = (sent.first_token, sent.end_token);
    // The sentence's content end: drop final punctuation and closing brackets.
    let mut end = hi;
    while end > lo && doc.kind_at(end - 1) == Some(TokenKind::Punct) {
        end -= 1;
    }
    let has_quote = |a: usize, b: usize| (a..b).any(|t| quoted_or_mark[t]);
    let mut out = Vec::new();
    for c in lo..hi {
        let according = st.according_to(c);
        let info = st.cue_at(c);
        // "called for a ban", "called on Congress to act": phrasal reporting verbs.
        let call_phrase = info.is_some()
            && lower(doc, c).starts_with("call")
            && c + 1 < end
            && matches!(lower(doc, c + 1).as_str(), "for" | "on");
        if !according && !call_phrase && !info.is_some_and(|i| i.reports_clause) {
            continue;
        }
        let Some(speaker) = st.speaker_of_cue(c, lo) else { continue };
        let sp = st.coref.mentions[speaker].clone();
        let (subj_lo, subj_hi) = (sp.tok_start.min(c), sp.tok_end.max(c + 1 + usize::from(according)));

        // After the cue: "said (that) CLAUSE", "told reporters (that) CLAUSE".
        let mut content: Option<(usize, usize)> = None;
        let infinitive_after = |j: usize| j < end && lower(doc, j) == "to";
        if call_phrase && sp.tok_start < c {
            let j = c + 2;
            let stop = clause_stop(st, j, end);
            if stop > j + 2 && !has_quote(j, stop) {
                content = Some((j, stop));
            }
        } else if info.is_some_and(|i| i.infinitive) && sp.tok_start < c && !according {
            // "vowed to fight" (the infinitive), "urged Congress to act" (object and infinitive).
            let j = c + 1;
            let to = (j..(j + 6).min(end))
                .find(|&k| infinitive_after(k) && !(j..k).any(|x| doc.kind_at(x) != Some(TokenKind::Word)));
            if let Some(k) = to {
                let start = if k == j || !info.is_some_and(|i| i.takes_object) { k } else { j };
                let stop = clause_stop(st, start, end);
                if stop > start + 2 && !has_quote(start, stop) {
                    content = Some((start, stop));
                }
            }
        }
        // "As Clyburn noted, CLAUSE.": the clause after the cue's comma.
        if sp.tok_start < c
            && sp.tok_start > lo
            && lower(doc, sp.tok_start - 1) == "as"
            && c + 1 < end
            && doc.word(c + 1) == ","
            && end > c + 4
            && !has_quote(c + 2, end)
        {
            content = Some((c + 2, end));
        }
        if content.is_none() && !according && !call_phrase && sp.tok_start < c {
            let mut j = c + 1;
            if lower(doc, j) == "out" && lower(doc, c).starts_with("point") {
                j += 1;
            }
            while j < end && is_time_word(&lower(doc, j)) {
                j += 1;
            }
            // "confirmed before the committee that", "said in a statement that", "admitted
            // under questioning he had": past the phrase to "that" or the clause's subject.
            if j < end
                && matches!(
                    lower(doc, j).as_str(),
                    "in" | "on" | "at" | "before" | "during" | "to" | "with" | "after" | "from" | "via" | "under"
                )
            {
                if let Some(k) = (j + 1..(j + 12).min(end)).find(|&k| {
                    let w = lower(doc, k);
                    w == "that" || (k > j + 1 && matches!(w.as_str(), "he" | "she" | "they" | "we" | "i"))
                }) {
                    if !(j..k).any(|x| matches!(doc.word(x), "," | ";") || doc.kind_at(x) == Some(TokenKind::Quote)) {
                        j = k;
                    }
                }
            }
            if info.is_some_and(|i| i.takes_object) && j < end && lower(doc, j) != "that" {
                // The addressee runs up to "that" or to the clause's subject pronoun, not past
                // a comma: "told Ward, after he admitted ..." reports nothing after its comma.
                let comma = (j + 1..(j + 10).min(end)).find(|&k| doc.word(k) == ",").unwrap_or(end);
                let clause = (j + 1..(j + 10).min(end).min(comma)).find(|&k| {
                    let w = lower(doc, k);
                    w == "that" || matches!(w.as_str(), "he" | "she" | "they" | "it" | "we" | "i")
                });
                j = match clause {
                    Some(k) => k,
                    None => match st.coref.mention_starting_at(j) {
                        Some(m) => st.coref.mentions[m].tok_end,
                        None => j + 1,
                    },
                };
                while j < end && is_time_word(&lower(doc, j)) {
                    j += 1;
                }
            }
            let has_that = j < end && lower(doc, j) == "that";
            if has_that {
                j += 1;
            }
            // A trailing quotation ("..., "but we have concerns"") ends the reported clause.
            let mut stop = clause_stop(st, j, end);
            let allowed = has_that || !info.is_some_and(|i| i.needs_that);
            // "Corey, who said the case was strong, charged ...": the relative clause ends at its comma.
            if lower(doc, sp.tok_start) == "who" {
                if let Some(k) = (j..stop).find(|&k| doc.word(k) == ",") {
                    stop = k;
                }
            }
            let starts_clause =
                if has_that { doc.kind_at(j) != Some(TokenKind::Punct) } else { is_clause_start_ok(doc, j) };
            if allowed && j < stop && stop - j >= 3 && starts_clause && !has_quote(j, stop) {
                content = Some((j, stop));
            }
        }
        // Before the cue: "CLAUSE, Pompeo said." / "CLAUSE, said Pompeo, a professor at ..."
        // / "CLAUSE, according to Pompeo." A parenthetical cue ("PART, she said, PART.")
        // reports both parts.
        let mut extra: Option<(usize, usize)> = None;
        if content.is_none() && subj_lo > lo + 1 && doc.word(subj_lo - 1) == "," && !has_quote(lo, subj_lo) {
            let inverted = according || sp.tok_start > c;
            let trailing = |from: usize| {
                (from..end).all(|t| {
                    is_time_word(&lower(doc, t))
                        || matches!(
                            lower(doc, t).as_str(),
                            "on" | "in" | "a" | "an" | "statement" | "interview" | "the" | "at" | "during"
                        )
                })
            };
            // "CLAUSE, his aide told The Huffington Post.": the addressee goes with the cue.
            let after_addressee = if info.is_some_and(|i| i.takes_object) && subj_hi < end {
                let det = usize::from(lower(doc, subj_hi) == "the" && subj_hi + 1 < end);
                match st.coref.mention_starting_at(subj_hi + det) {
                    Some(m) => st.coref.mentions[m].tok_end,
                    None if matches!(lower(doc, subj_hi).as_str(), "reporters" | "journalists") => subj_hi + 1,
                    None => subj_hi,
                }
            } else {
                subj_hi
            };
            if inverted || trailing(subj_hi) || trailing(after_addressee) {
                // "CLAUSE, his top aide, Tad Devine, told ...": the apposition is not reported.
                let mut cut = subj_lo - 1;
                if cut > lo && is_role_head(&lower(doc, cut - 1)) {
                    if let Some(k) = (lo + 1..cut).rev().take(6).find(|&k| doc.word(k) == ",") {
                        cut = k;
                    }
                }
                content = Some((lo, cut));
                // "Members, said Harlow, are required to vote": a cue set inside the
                // statement, between its subject and its verb, reports the rest too; after
                // an apposition ("..., said Harlow, a professor at ...") there is no rest.
                let verb_follows = subj_hi + 1 < end
                    && doc.word(subj_hi) == ","
                    && lexicon::CLAUSE_WORDS.contains(lower(doc, subj_hi + 1).as_str())
                    && lexicon::pronoun(&lower(doc, subj_hi + 1)).is_none()
                    && doc.word(subj_hi + 1).starts_with(char::is_alphabetic);
                if sp.tok_start > c && verb_follows && end - subj_hi > 3 && !has_quote(subj_hi + 1, end) {
                    extra = Some((subj_hi + 1, end));
                }
            } else if subj_hi < end && doc.word(subj_hi) == "," {
                // "Still, he says, CLAUSE": a lone connective before the cue is no part.
                let w = lower(doc, lo);
                let connective = subj_lo - 1 == lo + 1
                    && (lexicon::is_cue_modifier(&w) || CLAUSE_JOINERS.contains(w.as_str()) || is_time_word(&w));
                let after = (subj_hi + 1 < end && !has_quote(subj_hi + 1, end) && end - subj_hi > 2)
                    .then_some((subj_hi + 1, end));
                if connective {
                    content = after;
                } else {
                    content = Some((lo, subj_lo - 1));
                    extra = after;
                }
            }
        }
        // "According to X, CLAUSE."
        if content.is_none() && according {
            let mut k = sp.tok_end;
            while k < end && doc.word(k) != "," {
                k += 1;
            }
            if k + 3 < end && !has_quote(k + 1, end) {
                content = Some((k + 1, end));
            }
        }
        let Some((a, b)) = content else { continue };
        // "The talks will continue next week, a spokesperson said": what follows a cue-like
        // verb is here the subject and cue of the sentence's own attribution, not its clause.
        let ends_in_attribution = b > a + 2
            && b > c + 1
            && st.cue_at(b - 1).is_some()
            && (a..b - 1).rev().find(|&k| doc.word(k) == ",").is_some_and(|comma| {
                st.speaker_of_cue(b - 1, comma).is_some_and(|m| st.coref.mentions[m].tok_start > comma)
            });
        if ends_in_attribution {
            continue;
        }
        // A "clause" longer than any real sentence is a run-on or a list, not reported speech;
        // the bound also keeps the output linear in the input when cues repeat in one sentence.
        if b - a > MAX_REPORTED_TOKENS {
            continue;
        }
        let core = according || info.is_some() && lexicon::is_core_speech(&lower(doc, c));
        let confidence = confidence::rule_clause(sp.kind, core);
        let cue_ref = CueRef::new(doc, st.cue_span(c));
        for (a, b) in std::iter::once((a, b)).chain(extra) {
            let Some(span) = doc.tokens_span(a..b) else { continue };
            out.push((
                Quotation::proposed(doc, span, QuoteKind::Indirect, Some(cue_ref.clone()), round3(confidence)),
                Basis {
                    clause_like: clause::clause_like(st.doc, &st.headline, a),
                    opener: Some(clause::clause_opener(st.doc, a)),
                    has_verb: clause::has_verb(st.doc, a, b),
                    ..Basis::new(
                        Some(speaker),
                        if core { Evidence::ClauseCore } else { Evidence::ClauseOther },
                        doc.word_count(a..b),
                    )
                },
            ));
        }
    }
    out
}
