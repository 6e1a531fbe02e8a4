//! Quotation marks: which characters open or close a quotation, which are apostrophes, and
//! how marks pair into quoted spans, recovering locally from unbalanced marks.
//!
//! Works on the document's code points. Classification looks only at a mark's neighbours;
//! pairing walks paragraphs in order so a quotation that runs over several paragraphs (each
//! paragraph opens with a mark, only the last closes) comes out as one piece per paragraph,
//! linked by `continues`/`continued`.

use serde::{Deserialize, Serialize};

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStyle {
    /// " “ ” „ ‟ and « » (guillemets pair like double quotes)
    Double,
    /// ' ‘ ’ ‚ ‛ and ‹ ›
    Single,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkRole {
    Open,
    Close,
    /// A straight mark whose context does not say which: pairing decides.
    Either,
}

/// One quotation mark (apostrophes are not marks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteMark {
    /// Code-point offset of the mark.
    pub pos: usize,
    pub style: QuoteStyle,
    pub role: MarkRole,
}

/// A quoted span: the text between a pair of marks, in one paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quoted {
    /// The content between the marks, without surrounding whitespace.
    pub content: Span,
    /// Position of the opening mark; `None` when a quotation is recovered from a stray close.
    pub open: Option<usize>,
    /// Position of the closing mark; `None` when the quotation runs to its paragraph's end.
    pub close: Option<usize>,
    pub style: QuoteStyle,
    /// 0 for an outermost quotation, 1 for a quotation inside another.
    pub depth: u8,
    pub paragraph: usize,
    /// The quotation goes on in the next paragraph (which opens with a mark).
    pub continues: bool,
    /// The quotation continues one from the previous paragraph.
    pub continued: bool,
    /// Closed by recovery, not by a matching mark: lower confidence.
    pub unbalanced: bool,
}

fn style_of(c: char) -> Option<QuoteStyle> {
    match c {
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '＂' => Some(QuoteStyle::Double),
        '\'' | '‘' | '’' | '‚' | '‛' | '‹' | '›' => Some(QuoteStyle::Single),
        _ => None,
    }
}

/// Characters that may stand right before an opening mark.
fn opens_after(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '‘' | '"' | '\'' | '«' | '‹')
}

/// Characters that may stand right after a closing mark.
fn closes_before(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '—'
                | '–'
                | '-'
                | '…'
                | '/'
                | '”'
                | '’'
                | '"'
                | '\''
                | '»'
                | '›'
        )
}

/// Words whose leading apostrophe marks an elision, not a quotation: 'em, 'til, rock 'n' roll.
const ELISIONS: &[&str] = &["em", "til", "tis", "twas", "cause", "n", "bout", "round", "nuff", "sup"];

fn is_elision(chars: &[char], after: usize) -> bool {
    if chars.get(after).is_some_and(|c| c.is_ascii_digit()) {
        return true; // '90s, ’16
    }
    let word: String =
        chars[after..].iter().take_while(|c| c.is_alphabetic()).take(6).flat_map(|c| c.to_lowercase()).collect();
    ELISIONS.contains(&word.as_str()) && !chars.get(after + word.chars().count()).is_some_and(|c| c.is_alphabetic())
}

/// Find the quotation marks of a text (given as code points) and their likely roles.
pub fn scan_marks(chars: &[char]) -> Vec<QuoteMark> {
    let mut marks = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(style) = style_of(c) else { continue };
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let left_flanking = prev.is_none_or(opens_after) && next.is_some_and(|n| !n.is_whitespace());
        let right_flanking = prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(closes_before);
        let role = match style {
            QuoteStyle::Double => match c {
                // A curly mark keeps its shape's role unless its context clearly says the opposite.
                '“' | '„' | '«' if !right_flanking || left_flanking => MarkRole::Open,
                '”' | '»' if !left_flanking || right_flanking => MarkRole::Close,
                _ if left_flanking && !right_flanking => MarkRole::Open,
                _ if right_flanking && !left_flanking => MarkRole::Close,
                _ => MarkRole::Either,
            },
            QuoteStyle::Single => {
                let letter_before = prev.is_some_and(|p| p.is_alphanumeric());
                let letter_after = next.is_some_and(|n| n.is_alphanumeric());
                if letter_before && letter_after {
                    continue; // don't, Trump Jr.’s is caught below, O'Brien
                }
                if c == '‹' {
                    MarkRole::Open
                } else if c == '›' {
                    MarkRole::Close
                } else if left_flanking && !right_flanking {
                    if is_elision(chars, i + 1) {
                        continue;
                    }
                    MarkRole::Open
                } else if right_flanking && !left_flanking {
                    // Jr.’s: an apostrophe after a period, before a letter.
                    if next.is_some_and(|n| n.is_alphabetic()) {
                        continue;
                    }
                    MarkRole::Close
                } else {
                    continue; // a lone ' between spaces or in a number (5'10) is no quotation mark
                }
            }
        };
        marks.push(QuoteMark { pos: i, style, role });
    }
    marks
}

fn trim(chars: &[char], mut start: usize, mut end: usize) -> Span {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    Span::new(start, end)
}

#[derive(Clone, Copy)]
struct Pending {
    pos: usize,
    continued: bool,
}

/// Pair marks into quoted spans, paragraph by paragraph. `paragraphs` must be in text order
/// and cover every mark.
pub fn pair_marks(chars: &[char], marks: &[QuoteMark], paragraphs: &[Span]) -> Vec<Quoted> {
    let mut out = Vec::new();
    let mut next_mark = 0;
    let mut carried: Option<Pending> = None; // a double quotation running on from the last paragraph
    for (p, para) in paragraphs.iter().enumerate() {
        let start_mark = next_mark;
        while next_mark < marks.len() && marks[next_mark].pos < para.end {
            next_mark += 1;
        }
        let para_marks = &marks[start_mark..next_mark];
        let mut double: Option<Pending> = None;
        let mut single: Vec<(usize, u8)> = Vec::new(); // open single marks with their depth

        // A carried quotation continues only if this paragraph opens with a double mark.
        let first_is_open = para_marks.first().is_some_and(|m| {
            m.style == QuoteStyle::Double
                && m.role != MarkRole::Close
                && chars[para.start..m.pos].iter().all(|c| c.is_whitespace())
        });
        if let Some(prev) = carried.take() {
            if !first_is_open {
                // The previous paragraph's open had no close: it ran to that paragraph's end.
                if let Some(last) = out.iter_mut().rev().find(|q: &&mut Quoted| q.open == Some(prev.pos)) {
                    last.continues = false;
                    last.unbalanced = true;
                }
            } else {
                double = Some(Pending { pos: para_marks[0].pos, continued: true });
            }
        }
        let skip_first = double.is_some();

        for (k, m) in para_marks.iter().enumerate() {
            if skip_first && k == 0 {
                continue;
            }
            match m.style {
                QuoteStyle::Double => {
                    let closes = match m.role {
                        MarkRole::Close => true,
                        MarkRole::Open => false,
                        MarkRole::Either => double.is_some(),
                    };
                    if closes {
                        if let Some(open) = double.take() {
                            single.retain(|&(_, d)| d == 0); // singles opened inside close with it
                            let content = trim(chars, open.pos + 1, m.pos);
                            out.push(Quoted {
                                content,
                                open: Some(open.pos),
                                close: Some(m.pos),
                                style: QuoteStyle::Double,
                                depth: 0,
                                paragraph: p,
                                continues: false,
                                continued: open.continued,
                                unbalanced: false,
                            });
                        } else if single.is_empty() {
                            // A stray close with no open: the quotation most likely began
                            // with the paragraph (a dropped opening mark). Recover it only when
                            // no other mark stands between; otherwise ignore the mark.
                            let no_marks_before = para_marks[..k].iter().all(|x| x.style == QuoteStyle::Single);
                            let content = trim(chars, para.start, m.pos);
                            if no_marks_before && !content.is_empty() && k == 0 {
                                out.push(Quoted {
                                    content,
                                    open: None,
                                    close: Some(m.pos),
                                    style: QuoteStyle::Double,
                                    depth: 0,
                                    paragraph: p,
                                    continues: false,
                                    continued: false,
                                    unbalanced: true,
                                });
                            }
                        }
                    } else {
                        if let Some(open) = double.take() {
                            // Two opens in a row: the first one's quotation ends before the second.
                            out.push(Quoted {
                                content: trim(chars, open.pos + 1, m.pos),
                                open: Some(open.pos),
                                close: None,
                                style: QuoteStyle::Double,
                                depth: 0,
                                paragraph: p,
                                continues: false,
                                continued: open.continued,
                                unbalanced: true,
                            });
                        }
                        single.retain(|&(_, d)| d == 0);
                        double = Some(Pending { pos: m.pos, continued: false });
                    }
                }
                QuoteStyle::Single => {
                    let depth = u8::from(double.is_some());
                    let open_here = single.iter().rposition(|&(_, d)| d == depth);
                    let closes = match m.role {
                        MarkRole::Close => true,
                        MarkRole::Open => false,
                        MarkRole::Either => open_here.is_some(),
                    };
                    if closes {
                        // A close with nothing open is an apostrophe (the Smiths' house).
                        if let Some(ix) = open_here {
                            let (open, _) = single.remove(ix);
                            single.truncate(ix);
                            let content = trim(chars, open + 1, m.pos);
                            if !content.is_empty() {
                                out.push(Quoted {
                                    content,
                                    open: Some(open),
                                    close: Some(m.pos),
                                    style: QuoteStyle::Single,
                                    depth,
                                    paragraph: p,
                                    continues: false,
                                    continued: false,
                                    unbalanced: false,
                                });
                            }
                        }
                    } else {
                        single.push((m.pos, depth));
                    }
                }
            }
        }
        // Unclosed singles are dropped (most are apostrophes); an unclosed double runs to the
        // paragraph's end, and on into the next paragraph if that one opens with a mark.
        if let Some(open) = double {
            let content = trim(chars, open.pos + 1, para.end);
            if !content.is_empty() {
                out.push(Quoted {
                    content,
                    open: Some(open.pos),
                    close: None,
                    style: QuoteStyle::Double,
                    depth: 0,
                    paragraph: p,
                    continues: true,
                    continued: open.continued,
                    unbalanced: false,
                });
                carried = Some(open);
            }
        }
    }
    if let Some(prev) = carried {
        if let Some(last) = out.iter_mut().rev().find(|q| q.open == Some(prev.pos)) {
            last.continues = false;
            last.unbalanced = true;
        }
    }
    out.sort_by_key(|q| (q.content.start, q.content.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let paras = crate::sentences::paragraphs(&chars);
        let marks = scan_marks(&chars);
        pair_marks(&chars, &marks, &paras)
            .iter()
            .map(|q| chars[q.content.start..q.content.end].iter().collect())
            .collect()
    }

    #[test]
    fn straight_and_curly_doubles() {
        assert_eq!(quoted(r#"He said "we will win," and left."#), vec!["we will win,"]);
        assert_eq!(quoted("He said “we will win,” and “soon.”"), vec!["we will win,", "soon."]);
        assert_eq!(quoted("«Nous gagnerons», a-t-il dit."), vec!["Nous gagnerons"]);
    }

    #[test]
    fn apostrophes_are_not_marks() {
        let text = "Trump Jr.’s friends in the ’90s didn’t play rock ’n’ roll at the Smiths' house.";
        let chars: Vec<char> = text.chars().collect();
        let marks = scan_marks(&chars);
        // Only the possessive s' remains a candidate close, and with nothing open it pairs with nothing.
        assert!(marks.iter().all(|m| m.role == MarkRole::Close), "{marks:?}");
        assert!(quoted(text).is_empty());
    }

    #[test]
    fn single_quotes_nested_in_doubles() {
        let q = quoted("“He told me ‘never again’ and meant it,” she said.");
        assert_eq!(q, vec!["He told me ‘never again’ and meant it,", "never again"]);
        assert_eq!(quoted("Pompeo: US does not want 'war with Iran'"), vec!["war with Iran"]);
    }

    #[test]
    fn quotation_over_several_paragraphs() {
        let text = "“First part of it.\n\n“Second part,” he said.";
        let chars: Vec<char> = text.chars().collect();
        let paras = crate::sentences::paragraphs(&chars);
        let q = pair_marks(&chars, &scan_marks(&chars), &paras);
        assert_eq!(q.len(), 2);
        assert!(q[0].continues && !q[0].unbalanced);
        assert!(q[1].continued);
        assert_eq!(chars[q[1].content.start..q[1].content.end].iter().collect::<String>(), "Second part,");
    }

    #[test]
    fn unbalanced_marks_recover_locally() {
        let text = "He said \"this never closes.\n\nNext \"paragraph\" is fine.";
        assert_eq!(quoted(text), vec!["this never closes.", "paragraph"]);
        let chars: Vec<char> = text.chars().collect();
        let q = pair_marks(&chars, &scan_marks(&chars), &crate::sentences::paragraphs(&chars));
        assert!(q[0].unbalanced);
        // A stray close at the start of a paragraph's quotation is recovered from the paragraph start.
        assert_eq!(quoted("We will win,\" he said."), vec!["We will win,"]);
    }
}
