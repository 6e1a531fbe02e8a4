//! The reporting cues of a document, found once: every word that is a cue where it stands
//! (`said`, `told`, `adding`, "..., the statement read.", "pointed out that"), and every
//! "according to". Cue words inside quotations are the quoted speaker's, not cues.

use whosaid_tokenize::{Document, Span, TokenKind};

use crate::lexicon::{cue, is_cue_modifier, is_group_head, is_role_head, lower, noun_form_cue, pronoun, CueInfo};

pub(crate) struct Cues {
    info: Vec<Option<CueInfo>>,
    according: Vec<bool>,
}

impl Cues {
    /// `in_quote`: per token, inside quoted content; `headline`: per sentence, written in
    /// title case (where capitalised cue words count).
    pub fn new(doc: &Document, in_quote: &[bool], headline: &[bool]) -> Cues {
        let n = doc.tokens.len();
        let quoted = |t: usize| in_quote.get(t).copied().unwrap_or(false);
        let info = (0..n).map(|t| cue_at(doc, t, quoted(t), headline)).collect();
        let according = (0..n)
            .map(|t| !quoted(t) && lower(doc, t) == "according" && t + 1 < n && lower(doc, t + 1) == "to")
            .collect();
        Cues { info, according }
    }

    /// The cue at token `t`, if it is one.
    pub fn at(&self, t: usize) -> Option<CueInfo> {
        self.info.get(t).copied().flatten()
    }

    /// Is token `t` the "according" of "according to"?
    pub fn according_to(&self, t: usize) -> bool {
        self.according.get(t).copied().unwrap_or(false)
    }

    /// The cue's words: "according to", or the cue word.
    pub fn span(&self, doc: &Document, t: usize) -> Span {
        let end = if self.according_to(t) { t + 1 } else { t };
        Span::new(doc.tokens[t].span.start, doc.tokens[end].span.end)
    }
}

fn cue_at(doc: &Document, t: usize, quoted: bool, headline: &[bool]) -> Option<CueInfo> {
    if quoted || doc.kind_at(t) != Some(TokenKind::Word) {
        return None;
    }
    let text = doc.word(t);
    // "read" is a cue only in "..., the statement read."
    if text == "read" {
        let next = doc.tokens.get(t + 1).map(|n| doc.slice(n.span));
        return matches!(next, Some("." | "," | ";")).then_some(CueInfo {
            reports_clause: false,
            takes_object: false,
            participle: false,
            needs_that: true,
            infinitive: false,
        });
    }
    // "pointed out that ...": a cue only with its particle.
    if matches!(text, "point" | "points" | "pointed" | "pointing") {
        let next = doc.tokens.get(t + 1).map(|n| doc.slice(n.span));
        return (next == Some("out")).then_some(CueInfo {
            reports_clause: true,
            takes_object: false,
            participle: text == "pointing",
            needs_that: true,
            infinitive: false,
        });
    }
    let lowered = text.to_lowercase();
    let info = match cue(&lowered) {
        Some(info) => info,
        None => noun_form_cue(&lowered).filter(|_| stands_as_verb(doc, t))?,
    };
    // A capitalised cue word inside a sentence is a name or a title ("Said Hassan", "Asked"),
    // unless the whole sentence is title case: a headline ("Hollande Says Trump ...").
    if text.chars().next().is_some_and(char::is_uppercase) {
        let sentence = doc.sentence_of_token(t);
        let initial_or_headline = sentence.is_some_and(|s| doc.sentences[s].first_token == t || headline[s]);
        if !initial_or_headline {
            return None;
        }
    }
    Some(info)
}

/// Does a word that is rather a noun ("claims", "notes") stand as a verb here: after a name,
/// a subject pronoun or a source noun (over "also", "now", ...), and before a clause ("Paris
/// claims she was sent", "the report notes that", "She also claims that")?
fn stands_as_verb(doc: &Document, t: usize) -> bool {
    let Some(sentence) = doc.sentence_of_token(t) else {
        return false;
    };
    let first = doc.sentences[sentence].first_token;
    let mut s = t;
    while s > first && is_cue_modifier(&lower(doc, s - 1)) {
        s -= 1;
    }
    if s == first {
        return false;
    }
    let subject_at = s - 1;
    let before = doc.word(subject_at);
    let lowered = before.to_lowercase();
    // A capitalised word opening the sentence is a name only where NER tagged one ("Marsh
    // claims", not "Insurance claims that were denied").
    let named = || {
        let at = doc.tokens[subject_at].span.start;
        // Entities are in text order and do not overlap: the first ending after `at`.
        let i = doc.entities.partition_point(|e| e.end <= at);
        doc.entities.get(i).is_some_and(|e| e.start <= at)
    };
    let subject = pronoun(&lowered).is_some_and(|p| p.subject)
        || is_group_head(&lowered)
        || is_role_head(&lowered)
        || (before.chars().next().is_some_and(char::is_uppercase) && (subject_at != first || named()));
    let next = lower(doc, t + 1);
    let clause =
        next == "that" || pronoun(&next).is_some_and(|p| p.subject) || matches!(next.as_str(), "the" | "a" | "an");
    subject && clause
}
