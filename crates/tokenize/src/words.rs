//! Word tokens: whitespace-separated chunks with punctuation, quotation marks and clitics
//! split off (close to the Penn Treebank / CoNLL convention the NER model was trained on),
//! abbreviations and numbers kept whole.

use serde::{Deserialize, Serialize};

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Contains a letter.
    Word,
    /// Digits, possibly with separators.
    Number,
    /// A quotation mark (as found by the quotation scanner).
    Quote,
    /// Anything else: punctuation and symbols.
    Punct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// Abbreviations that keep their period; the first group never ends a sentence.
pub const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "reps", "sens", "gov", "lt", "col", "capt", "sgt", "maj",
    "adm", "cmdr", "rev", "hon", "pres", "supt", "det", "insp", "cpl", "pvt", "amb", "st", "messrs", "mt", "ft",
];
pub const OTHER_ABBREVIATIONS: &[&str] = &[
    "jr", "sr", "inc", "corp", "co", "ltd", "llc", "bros", "vs", "etc", "al", "no", "nos", "vol", "fig", "approx",
    "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "ala", "ariz", "ark", "calif", "colo", "conn", "del",
    "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb",
    "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "ave", "blvd", "rd", "cf",
    "ca", "e.g", "i.e",
];

fn is_closing_punct(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '…' | '.' | '—' | '–' | '%')
}

fn is_opening_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '¿' | '¡' | '—' | '–' | '$' | '£' | '€' | '#' | '@')
}

/// Does `word` (without its final period) take an abbreviation period?
pub fn is_abbreviation(word: &[char]) -> bool {
    if word.is_empty() {
        return false;
    }
    // Initials (J.) and dotted acronyms (U.S, a.m, Ph.D).
    if word.len() == 1 && word[0].is_alphabetic() {
        return true;
    }
    if word.contains(&'.') && word.iter().all(|c| c.is_alphabetic() || *c == '.') {
        return true;
    }
    let lower: String = word.iter().flat_map(|c| c.to_lowercase()).collect();
    TITLE_ABBREVIATIONS.contains(&lower.as_str()) || OTHER_ABBREVIATIONS.contains(&lower.as_str())
}

const CLITICS: &[&str] = &["'s", "n't", "'re", "'ve", "'ll", "'d", "'m"];

fn kind_of(chars: &[char]) -> TokenKind {
    if chars.iter().any(|c| c.is_alphabetic()) {
        TokenKind::Word
    } else if chars.iter().any(|c| c.is_ascii_digit() || c.is_numeric()) {
        TokenKind::Number
    } else {
        TokenKind::Punct
    }
}

/// Tokenize `chars[range]` (one paragraph) into word tokens. `is_mark(i)` says whether the
/// code point at `i` is a quotation mark; marks always stand alone.
pub fn tokenize(chars: &[char], range: Span, is_mark: &dyn Fn(usize) -> bool, out: &mut Vec<Token>) {
    let mut i = range.start;
    while i < range.end {
        if chars[i].is_whitespace() || chars[i] == '\u{feff}' {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < range.end && !chars[j].is_whitespace() {
            j += 1;
        }
        split_chunk(chars, i, j, is_mark, out);
        i = j;
    }
}

/// Split one whitespace-free chunk `[start, end)`.
fn split_chunk(chars: &[char], start: usize, end: usize, is_mark: &dyn Fn(usize) -> bool, out: &mut Vec<Token>) {
    // Quotation marks and internal dashes/ellipses split the chunk into pieces first.
    let mut piece_start = start;
    let mut i = start;
    while i < end {
        let c = chars[i];
        // A hyphen opening a piece before a capital is a dash of its own ("-Commissioner",
        // `,"-Ivan Petrov`), not part of the word.
        let opening_hyphen = c == '-' && i == piece_start && i + 1 < end && chars[i + 1].is_uppercase();
        let dash_run = (c == '-' && i + 1 < end && chars[i + 1] == '-') || c == '—' || c == '…' || opening_hyphen;
        let dots = c == '.' && i + 2 < end && chars[i + 1] == '.' && chars[i + 2] == '.';
        if is_mark(i) {
            split_piece(chars, piece_start, i, out);
            out.push(Token { span: Span::new(i, i + 1), kind: TokenKind::Quote });
            i += 1;
            piece_start = i;
        } else if dash_run || dots {
            split_piece(chars, piece_start, i, out);
            let mut k = i + 1;
            while k < end && chars[k] == c {
                k += 1;
            }
            out.push(Token { span: Span::new(i, k), kind: TokenKind::Punct });
            i = k;
            piece_start = i;
        } else {
            i += 1;
        }
    }
    split_piece(chars, piece_start, end, out);
}

/// Split a piece with no marks or dash runs: leading and trailing punctuation, clitics.
fn split_piece(chars: &[char], mut start: usize, mut end: usize, out: &mut Vec<Token>) {
    while start < end && is_opening_punct(chars[start]) && end - start > 1 {
        out.push(Token { span: Span::new(start, start + 1), kind: TokenKind::Punct });
        start += 1;
    }
    let mut trailing: Vec<Token> = Vec::new();
    while end - start > 1 {
        let c = chars[end - 1];
        if !is_closing_punct(c) || (c == '.' && is_abbreviation(&chars[start..end - 1])) {
            break;
        }
        trailing.push(Token { span: Span::new(end - 1, end), kind: TokenKind::Punct });
        end -= 1;
    }
    if start < end {
        // Clitics: Pompeo's -> Pompeo 's, don't -> do n't.
        let mut split_at = None;
        for clitic in CLITICS {
            let n = clitic.chars().count();
            if end - start > n {
                let tail = &chars[end - n..end];
                let matches = tail.iter().zip(clitic.chars()).all(|(a, b)| {
                    let a = if *a == '’' { '\'' } else { *a };
                    a.to_ascii_lowercase() == b
                });
                if matches {
                    split_at = Some(end - n);
                    break;
                }
            }
        }
        match split_at {
            Some(k) => {
                out.push(Token { span: Span::new(start, k), kind: kind_of(&chars[start..k]) });
                out.push(Token { span: Span::new(k, end), kind: TokenKind::Word });
            }
            None => out.push(Token { span: Span::new(start, end), kind: kind_of(&chars[start..end]) }),
        }
    }
    out.extend(trailing.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let marks = crate::quotes::scan_marks(&chars);
        let is_mark = |i: usize| marks.iter().any(|m| m.pos == i);
        let mut out = Vec::new();
        tokenize(&chars, Span::new(0, chars.len()), &is_mark, &mut out);
        out.iter().map(|t| chars[t.span.start..t.span.end].iter().collect()).collect()
    }

    #[test]
    fn punctuation_and_clitics_split() {
        assert_eq!(
            words("“We don’t,” Pompeo's aide said (twice)."),
            vec!["“", "We", "do", "n’t", ",", "”", "Pompeo", "'s", "aide", "said", "(", "twice", ")", "."]
        );
    }

    #[test]
    fn abbreviations_and_numbers_kept() {
        assert_eq!(
            words("Mr. Smith of the U.S. paid $1,000.50 on Jan. 5."),
            vec!["Mr.", "Smith", "of", "the", "U.S.", "paid", "$", "1,000.50", "on", "Jan.", "5", "."]
        );
        assert_eq!(words("Donald Trump Jr.’s lawyer"), vec!["Donald", "Trump", "Jr.", "’s", "lawyer"]);
    }

    #[test]
    fn dashes_split() {
        assert_eq!(words("war—or peace--now"), vec!["war", "—", "or", "peace", "--", "now"]);
        assert_eq!(words("-Commissioner Ravi Patel"), vec!["-", "Commissioner", "Ravi", "Patel"]);
        assert_eq!(words("ex-President anti-Trump -5"), vec!["ex-President", "anti-Trump", "-5"]);
    }
}
