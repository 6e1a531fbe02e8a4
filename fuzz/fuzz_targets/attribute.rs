//! Any bytes through tokenize and attribution, with every capitalised word taken as a person
//! (the NER stage's most generous output): no panic, every quotation slices the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whosaid_attribution::attribute;
use whosaid_tokenize::{Document, Entity, EntityLabel, TokenKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let chars: Vec<char> = text.chars().collect();
    let mut doc = Document::new("fuzz", text);
    doc.entities = (0..doc.tokens.len())
        .filter(|&i| {
            doc.tokens[i].kind == TokenKind::Word && doc.token_text(i).chars().next().is_some_and(char::is_uppercase)
        })
        .map(|i| {
            let span = doc.tokens[i].span;
            Entity { start: span.start, end: span.end, text: doc.slice(span).into(), label: EntityLabel::Person, score: 0.9 }
        })
        .collect();
    let result = attribute(&doc);
    for q in &result.quotes {
        assert!(q.start <= q.end && q.end <= chars.len());
        assert_eq!(q.text, chars[q.start..q.end].iter().collect::<String>());
        if let Some(s) = &q.speaker {
            assert_eq!(s.text, chars[s.start..s.end].iter().collect::<String>());
        }
    }
});
