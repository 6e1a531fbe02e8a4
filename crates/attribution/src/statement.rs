//! The statement a mixed quotation's fragment belongs to: in `said the sanctions were
//! "economic terrorism" and that talks were over`, the quotation is the fragment and its
//! statement the whole reported clause, which is what a reader (and the Gender Gap Tracker's
//! or Citron's scoring) takes as what was said. Found from the role head's CONTENT span
//! holding the fragment, else from the quotation's cue: the rest of the sentence after a cue
//! (and after a speaker that follows it, as in "according to X, ..."), or the sentence up to
//! the comma before a speaker and cue that follow ("..., Smith said").

use whosaid_tokenize::{Role, Span, TokenKind};

use crate::output::{Quotation, QuoteKind};
use crate::state::State;

/// Sentence-final punctuation, left out of a statement's end.
const FINAL: &[&str] = &[".", "!", "?", ";", ":"];

impl State<'_> {
    /// The statement (a span of the text) that holds mixed quotation `q`, if one is found
    /// that is longer than the fragment; None for other kinds.
    pub(crate) fn statement_of(&self, q: &Quotation) -> Option<Span> {
        if q.kind != QuoteKind::Mixed {
            return None;
        }
        let fragment = Span::new(q.start, q.end);
        let longer = |s: Span| s.start <= fragment.start && fragment.end <= s.end && s.len() > fragment.len() + 3;
        let doc = self.doc;
        let sentence = &doc.sentences[doc.sentence_of(q.start)?];
        let first = doc.token_at_or_after(q.start);
        let tagged = self
            .roles
            .in_paragraph(doc, Role::Content, first.min(doc.tokens.len().saturating_sub(1)))
            .map(|r| r.span)
            .find(|&s| longer(s));
        if tagged.is_some() {
            return tagged;
        }
        let cue = q.cue.as_ref().map(|c| Span::new(c.start, c.end)).filter(|c| sentence.span.contains(*c))?;
        let speaker = q.speaker.as_ref().map(|s| Span::new(s.start, s.end)).filter(|s| sentence.span.contains(*s));
        let words_end = |lo: usize, hi: usize| {
            (lo..hi)
                .rev()
                .find(|&t| !FINAL.contains(&doc.word(t)) && doc.kind_at(t).is_some())
                .map(|t| doc.tokens[t].span.end)
        };
        let found = if cue.end <= fragment.start {
            // "said (that) ...", "according to X, ...": from after the cue and any speaker
            // between it and the fragment.
            let after = speaker.filter(|s| s.start >= cue.end && s.end <= fragment.start).map_or(cue.end, |s| s.end);
            let mut t = doc.token_at_or_after(after);
            while t < sentence.end_token && matches!(doc.word(t), "," | "that" | ":") {
                t += 1;
            }
            let start = doc.tokens.get(t)?.span.start.min(fragment.start);
            let end = words_end(t, sentence.end_token)?.max(fragment.end);
            Span::new(start, end)
        } else if cue.start >= fragment.end {
            // "... and must end, Smith said.": up to the comma before the speaker and cue.
            let attribution = speaker.map_or(cue.start, |s| s.start.min(cue.start));
            let stop = doc.token_at_or_after(attribution);
            let comma = (sentence.first_token..stop).rev().find(|&t| doc.word(t) == ",")?;
            let end = words_end(sentence.first_token, comma)?.max(fragment.end);
            let start = (sentence.first_token..comma)
                .find(|&t| doc.kind_at(t) == Some(TokenKind::Word))
                .map(|t| doc.tokens[t].span.start)?
                .min(fragment.start);
            Span::new(start, end)
        } else {
            return None;
        };
        Some(found).filter(|&s| longer(s))
    }
}
