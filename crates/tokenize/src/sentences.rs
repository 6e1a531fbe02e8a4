//! Paragraphs (one per non-empty line) and sentences (abbreviation-aware).

use crate::span::Span;
use crate::words::{is_abbreviation, Token, TokenKind, TITLE_ABBREVIATIONS};

/// Each non-blank line is a paragraph, trimmed of surrounding whitespace. News text puts
/// one paragraph on a line; a blank line between them changes nothing.
pub fn paragraphs(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=chars.len() {
        let at_break = i == chars.len() || matches!(chars[i], '\n' | '\u{2028}' | '\u{2029}' | '\u{85}');
        if at_break {
            let mut s = start;
            let mut e = i;
            while s < e && chars[s].is_whitespace() {
                s += 1;
            }
            while e > s && chars[e - 1].is_whitespace() {
                e -= 1;
            }
            if s < e {
                out.push(Span::new(s, e));
            }
            start = i + 1;
        }
    }
    out
}

/// Words that, capitalised after an ambiguous abbreviation such as "U.S.", start a new
/// sentence: closed-class English words, which never continue a name.
const SENTENCE_STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "in",
    "on",
    "at",
    "for",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "although",
    "though",
    "however",
    "meanwhile",
    "still",
    "then",
    "now",
    "what",
    "who",
    "why",
    "how",
    "where",
    "some",
    "many",
    "most",
    "no",
    "not",
    "both",
    "all",
    "each",
    "one",
    "officials",
];

fn text_of(chars: &[char], t: &Token) -> String {
    chars[t.span.start..t.span.end].iter().collect()
}

fn is_terminal(chars: &[char], t: &Token) -> bool {
    let s = &chars[t.span.start..t.span.end];
    t.kind == TokenKind::Punct && s.iter().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn starts_sentence(chars: &[char], t: &Token) -> bool {
    let first = chars[t.span.start];
    first.is_uppercase() || first.is_ascii_digit() || t.kind == TokenKind::Quote || matches!(first, '(' | '[' | '—')
}

/// Split a paragraph's tokens (`tokens[first..end]`) into sentences, returned as token ranges.
pub fn sentences(chars: &[char], tokens: &[Token], first: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = first;
    let mut i = first;
    while i < end {
        let t = &tokens[i];
        let mut boundary = None;
        if is_terminal(chars, t) {
            // Closing quotes and brackets after the terminal belong to this sentence.
            let mut k = i + 1;
            while k < end && {
                let s = &chars[tokens[k].span.start..tokens[k].span.end];
                (tokens[k].kind == TokenKind::Quote && closes_quote(chars, &tokens[k])) || s == [')'] || s == [']']
            } {
                k += 1;
            }
            if k == end || starts_sentence(chars, &tokens[k]) {
                boundary = Some(k);
            }
        } else if t.kind == TokenKind::Word && chars[t.span.end - 1] == '.' && i + 1 < end {
            // A word that kept its period: an abbreviation. Titles and initials never end a
            // sentence; others (U.S., Inc., Jr.) end one when a closed-class word follows.
            let body = &chars[t.span.start..t.span.end - 1];
            let lower: String = body.iter().flat_map(|c| c.to_lowercase()).collect();
            let is_title = TITLE_ABBREVIATIONS.contains(&lower.as_str()) || (body.len() == 1 && body[0].is_uppercase());
            if is_abbreviation(body) && !is_title {
                let next = &tokens[i + 1];
                let word = text_of(chars, next);
                let starter = word.chars().next().is_some_and(|c| c.is_uppercase())
                    && SENTENCE_STARTERS.contains(&word.to_lowercase().as_str());
                if starter || next.kind == TokenKind::Quote && !closes_quote(chars, next) {
                    boundary = Some(i + 1);
                }
            }
        }
        if let Some(b) = boundary {
            out.push((start, b));
            start = b;
            i = b;
        } else {
            i += 1;
        }
    }
    if start < end {
        out.push((start, end));
    }
    out
}

/// A quote token that closes (followed by whitespace or end): used only to keep closing
/// marks with the sentence they end.
fn closes_quote(chars: &[char], t: &Token) -> bool {
    let prev = if t.span.start > 0 { Some(chars[t.span.start - 1]) } else { None };
    let next = chars.get(t.span.end);
    prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation())
}

#[cfg(test)]
mod tests {
    use crate::Document;

    fn sents(text: &str) -> Vec<String> {
        let doc = Document::new("t", text);
        doc.sentences.iter().map(|s| doc.slice(s.span).to_string()).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sents("Gen. Smith met Mr. Jones in the U.S. Capitol. He left at 5 p.m. on Friday."),
            vec!["Gen. Smith met Mr. Jones in the U.S. Capitol.", "He left at 5 p.m. on Friday."]
        );
        assert_eq!(sents("Trump Jr. said no. Then he left."), vec!["Trump Jr. said no.", "Then he left."]);
    }

    #[test]
    fn ambiguous_abbreviation_before_a_new_sentence() {
        assert_eq!(
            sents("He moved to the U.S. The rest followed."),
            vec!["He moved to the U.S.", "The rest followed."]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        assert_eq!(
            sents("\"We will win.\" Pompeo said it twice! \"Again?\" he asked."),
            vec!["\"We will win.\"", "Pompeo said it twice!", "\"Again?\" he asked."]
        );
    }

    #[test]
    fn paragraphs_are_lines() {
        let doc = Document::new("t", "First line.\r\n\r\nSecond line\nThird.");
        assert_eq!(doc.paragraphs.len(), 3);
        assert_eq!(doc.slice(doc.paragraphs[1]), "Second line");
    }
}
