//! The layout of a document, read before anything is attributed: which paragraphs are
//! transcript turns (a speaker's label and a colon, "REYES:", "DANA REYES:", "Gov. Tom
//! Bradley (R), Ohio:", "NAME (voice-over):", "Q:"/"A:", and the unlabelled paragraphs that go
//! on with a turn) and which are asides, page furniture around the article's text: captions
//! and photo credits, bylines, and lines that link to other articles ("READ MORE: ...",
//! "Related: ..."). Asides hold no one's words, yield no quotations and are skipped when
//! looking back for a speaker.

use whosaid_tokenize::{Document, Span, TokenKind};

use crate::lexicon;
use crate::lexicon::{is_title_word, lower, NOT_SPEAKERS};

/// A transcript turn: a paragraph of someone's words.
#[derive(Clone, Debug)]
pub(crate) struct Turn {
    pub paragraph: usize,
    /// The words of the speaker's name in the label (tokens), or None for a paragraph that
    /// goes on with the turn before it.
    pub name: Option<(usize, usize)>,
    /// "Q" or "A": the speaker is one of the two people the introduction names.
    pub question: Option<bool>,
    /// The turn's words: after the label's colon, to the paragraph's end.
    pub content: Span,
}

pub(crate) struct Layout {
    /// Per paragraph: an aside (a caption, a photo credit, a byline, a link line).
    pub aside: Vec<bool>,
    pub turns: Vec<Turn>,
}

/// Words that are never part of a person's name in a label.
fn is_function_word(w: &str) -> bool {
    lexicon::NOT_IN_LABELS.contains(w)
}

/// The tokens of each paragraph.
fn paragraph_tokens(doc: &Document) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0); doc.paragraphs.len()];
    for s in &doc.sentences {
        let r = &mut out[s.paragraph];
        if r.0 == r.1 {
            *r = (s.first_token, s.end_token);
        } else {
            r.1 = s.end_token;
        }
    }
    out
}

/// Is a paragraph (tokens `lo..hi`) an aside: a caption, a link line or a byline?
fn is_aside(doc: &Document, lo: usize, hi: usize) -> bool {
    is_caption(doc, lo, hi) || is_link_line(doc, lo, hi) || is_byline(doc, lo, hi)
}

/// A line that points to another article: it opens with a link phrase ("READ MORE", "Related",
/// "See also", "Watch"; `lang/en/link-phrases.txt`) and a colon, a dash or nothing more, and
/// its words are the other article's headline, not this one's text.
fn is_link_line(doc: &Document, lo: usize, hi: usize) -> bool {
    if hi <= lo || doc.word_count(lo..hi) > 40 {
        return false;
    }
    let opening: Vec<String> = (lo..(lo + 3).min(hi)).map(|t| lower(doc, t)).collect();
    (1..=opening.len()).any(|n| {
        let phrase = opening[..n].join(" ");
        let next = doc.word(lo + n);
        lexicon::LINK_PHRASES.contains(&phrase)
            && (lo + n == hi
                || matches!(next, ":" | "-" | "–" | "—" | "|" | "»" | ">")
                || n > 1 && capitals(doc.word(lo)))
    })
}

/// A byline: "By" and a name (or two), maybe a role or an agency after a comma, in a short
/// line without a full stop that reports nothing ("By Jane Smith and Tom Lee, Staff
/// Writers"; not "By Monday, the council said ...").
fn is_byline(doc: &Document, lo: usize, hi: usize) -> bool {
    if hi < lo + 2 || doc.word_count(lo..hi) > 14 || lower(doc, lo) != "by" {
        return false;
    }
    let capitalised = doc.word(lo + 1).chars().next().is_some_and(char::is_uppercase);
    let reports = (lo..hi).any(|t| lexicon::cue(&lower(doc, t)).is_some());
    capitalised
        && !lexicon::is_time_word(&lower(doc, lo + 1))
        && !reports
        && !matches!(doc.word(hi - 1), "." | "?" | "!")
}

/// A paragraph that is a caption or photo credit ("File photo of ...", "Photo: AP",
/// "(Getty Images)").
fn is_caption(doc: &Document, lo: usize, hi: usize) -> bool {
    if hi <= lo || doc.word_count(lo..hi) > 50 {
        return false;
    }
    let first = lower(doc, lo);
    let second = lower(doc, lo + 1);
    let opens = matches!(first.as_str(), "photo" | "photos" | "image" | "images" | "picture" | "pictured" | "caption")
        || (first == "file" && matches!(second.as_str(), "photo" | "photos" | "picture" | "image" | "footage"));
    let text = doc.slice(Span::new(doc.tokens[lo].span.start, doc.tokens[hi - 1].span.end));
    let credit = [
        "Photo:",
        "Photos:",
        "Image:",
        "Photograph:",
        "Credit:",
        "(Photo",
        "Getty Images",
        "AP Photo",
        "/AP",
        "Reuters/",
        "/Reuters",
        "/AFP",
        "AFP/",
    ]
    .iter()
    .any(|c| text.contains(c));
    opens || credit
}

/// Is a label word written in capitals ("REYES", "GOV.", "(R)")?
fn capitals(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

/// A speaker's label opening a paragraph.
#[derive(Clone, Copy)]
struct Label {
    /// The tokens of the speaker's name.
    name: (usize, usize),
    colon: usize,
    /// Written in capitals ("DANA REYES:"), not in title case ("Dana Reyes:").
    caps: bool,
}

/// The label opening a paragraph (tokens `lo..hi`). "Q" and "A" are labels of their own.
fn label(doc: &Document, lo: usize, hi: usize) -> Option<Label> {
    let colon = (lo + 1..(lo + 14).min(hi)).find(|&t| doc.word(t) == ":")?;
    if colon + 1 >= hi {
        return None;
    }
    // The name runs to a bracket or comma ("GOV. TOM BRADLEY (R), OHIO", "NAME (voice-over)").
    let name_end = (lo..colon).find(|&t| matches!(doc.word(t), "(" | "," | "[")).unwrap_or(colon);
    if name_end == lo || name_end - lo > 5 {
        return None;
    }
    let words: Vec<&str> = (lo..name_end).map(|t| doc.word(t)).collect();
    if words.iter().any(|w| !w.chars().next().is_some_and(|c| c.is_alphabetic())) {
        return None;
    }
    // What follows the name: a bracketed note, a party and a state, nothing else.
    let tail_ok = (name_end..colon).all(|t| {
        let w = doc.word(t);
        matches!(w, "(" | ")" | "," | "[" | "]" | "-" | ".") || doc.kind_at(t) == Some(TokenKind::Word)
    }) && colon - name_end <= 8;
    let qa = words.len() == 1 && matches!(words[0], "Q" | "A");
    if !tail_ok || (!qa && NOT_SPEAKERS.contains(words[0].to_lowercase().trim_end_matches('.'))) {
        return None;
    }
    // A name's words are no function words ("FIX IS IN: ..." is a headline).
    if !qa && words.iter().any(|w| is_function_word(&w.to_lowercase())) {
        return None;
    }
    let caps = words.iter().all(|w| capitals(w));
    let title = words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !(caps || title) {
        return None;
    }
    // A label that is only titles ("SEN.:") names no one; a single letter is Q or A.
    let letters: usize = words.iter().map(|w| w.chars().filter(|c| c.is_alphabetic()).count()).sum();
    let only_titles = words.iter().all(|w| is_title_word(&w.to_lowercase().replace('.', "")));
    if (letters < 3 && !qa) || only_titles {
        return None;
    }
    Some(Label { name: (lo, name_end), colon, caps })
}

impl Layout {
    pub fn new(doc: &Document) -> Layout {
        let tokens = paragraph_tokens(doc);
        let aside: Vec<bool> = tokens.iter().map(|&(lo, hi)| is_aside(doc, lo, hi)).collect();
        let labels: Vec<Option<Label>> =
            tokens.iter().map(|&(lo, hi)| if hi > lo { label(doc, lo, hi) } else { None }).collect();
        // Labels in capitals are turns wherever they stand; a label in title case ("Dana
        // Reyes:") only in a transcript, where two paragraphs at least open with one (a lone
        // "McCaul: If elected, ..." is a headline).
        let title_case_labels = labels.iter().flatten().filter(|l| !l.caps).count();
        let mut turns = Vec::new();
        for (p, found) in labels.iter().enumerate() {
            let Some(Label { name: (a, b), colon, caps }) = *found else { continue };
            if !caps && title_case_labels < 2 {
                continue;
            }
            let qa = b == a + 1 && matches!(doc.word(a), "Q" | "A");
            let start = doc.tokens[colon + 1].span.start;
            let content = Span::new(start, doc.paragraphs[p].end);
            turns.push(Turn {
                paragraph: p,
                name: (!qa).then_some((a, b)),
                question: qa.then(|| doc.word(a) == "Q"),
                content,
            });
        }
        // In a transcript, an unlabelled paragraph right after a turn goes on with it (headings
        // and asides between the paragraphs of an answer leave it going on).
        if turns.len() >= 2 {
            let labelled: Vec<usize> = turns.iter().map(|t| t.paragraph).collect();
            let mut going_on: Option<usize> = None;
            let mut more = Vec::new();
            for (p, &(lo, hi)) in tokens.iter().enumerate() {
                if labelled.contains(&p) {
                    going_on = Some(p);
                    continue;
                }
                let Some(_) = going_on else { continue };
                if hi <= lo || aside[p] || is_heading(doc, lo, hi) {
                    continue;
                }
                more.push(Turn { paragraph: p, name: None, question: None, content: doc.paragraphs[p] });
            }
            turns.extend(more);
            turns.sort_by_key(|t| t.paragraph);
        }
        Layout { aside, turns }
    }

    /// The turn whose words hold code point `pos`, if any.
    pub fn turn_at(&self, pos: usize) -> Option<&Turn> {
        self.turns.iter().find(|t| t.content.start <= pos && pos < t.content.end)
    }
}

/// A heading: a short line without a full stop ("Interview", "Cold as ice").
fn is_heading(doc: &Document, lo: usize, hi: usize) -> bool {
    let last = doc.word(hi - 1);
    doc.word_count(lo..hi) <= 8 && !matches!(last, "." | "?" | "!" | "\"" | "”" | ":" | "’" | "'")
}
