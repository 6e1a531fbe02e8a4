//! Property tests: attribution never panics on any text and entity layout, and every
//! quotation, speaker mention and cue slices the original text in code points.

use proptest::prelude::*;
use whosaid_attribution::attribute;
use whosaid_tokenize::{Document, Entity, TokenKind};

const PIECES: &[&str] = &[
    "said",
    "says",
    "told reporters",
    "added",
    "according to",
    "warned that",
    "in a statement",
    "he",
    "she",
    "they",
    "it",
    "his",
    "Mr.",
    "Ms.",
    "U.S.",
    "Sen.",
    "Jr.",
    "Donald Trump",
    "Trump",
    "Mike Pompeo",
    "Pompeo",
    "Lavrov",
    "the attorney general",
    "Attorney General William Barr",
    "the company",
    "Acme Corp",
    "the",
    "was",
    "that",
    "not",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "â€œ",
    "â€\u{9d}",
    ",",
    ".",
    "?",
    "!",
    ":",
    "—",
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\u{0}",
    "😀",
    "日本語",
    "שלום",
    "e\u{301}",
    "…",
];

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..150).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![4 => news_like(), 1 => any::<String>()]
}

/// Entities over capitalised word tokens, as the NER stage might give them: each such
/// token (with the next one when `pair` says so) becomes a PER or ORG entity.
fn with_entities(text: String, labels: Vec<u8>) -> Document {
    let mut doc = Document::new("p", text);
    let mut entities = Vec::new();
    let mut i = 0;
    while i < doc.tokens.len() {
        let t = &doc.tokens[i];
        let capital = doc.token_text(i).chars().next().is_some_and(char::is_uppercase);
        let choice = labels.get(i % labels.len().max(1)).copied().unwrap_or(0);
        if t.kind == TokenKind::Word && capital && choice % 4 != 0 {
            let end_tok = if choice % 3 == 0 && i + 1 < doc.tokens.len() { i + 1 } else { i };
            let (start, end) = (t.span.start, doc.tokens[end_tok].span.end);
            let text = doc.slice(whosaid_tokenize::Span::new(start, end)).to_string();
            let label = if choice % 5 == 0 { "ORG" } else { "PER" };
            entities.push(Entity { start, end, text, label: label.into(), score: 0.9 });
            i = end_tok + 1;
        } else {
            i += 1;
        }
    }
    doc.entities = entities;
    doc
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn quotations_slice_the_text(text in any_text(), labels in prop::collection::vec(any::<u8>(), 1..16)) {
        let chars: Vec<char> = text.chars().collect();
        let doc = with_entities(text, labels);
        let result = attribute(&doc);
        let slice = |s: usize, e: usize| -> String {
            assert!(s <= e && e <= chars.len(), "{s}..{e} out of bounds ({} chars)", chars.len());
            chars[s..e].iter().collect()
        };
        for q in &result.quotes {
            prop_assert_eq!(slice(q.start, q.end), q.text.clone());
            prop_assert!((0.0..=1.0).contains(&q.confidence));
            if let Some(s) = &q.speaker {
                prop_assert_eq!(slice(s.start, s.end), s.text.clone());
                prop_assert!(result.speakers.iter().any(|k| k.name == s.name));
            }
            if let Some(c) = &q.cue {
                prop_assert_eq!(slice(c.start, c.end), c.text.clone());
            }
        }
        let attributed = result.quotes.iter().filter(|q| q.speaker.is_some()).count();
        prop_assert!(result.speakers.iter().map(|s| s.quotes).sum::<usize>() <= attributed);
    }
}
