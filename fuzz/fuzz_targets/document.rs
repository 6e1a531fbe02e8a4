//! Any bytes, read as UTF-8 (lossily), through the tokenize stage: no panic, every span in
//! bounds and slicing the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whosaid_tokenize::Document;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let chars: Vec<char> = text.chars().collect();
    let doc = Document::new("fuzz", text);
    let slices = |s: whosaid_tokenize::Span| {
        assert!(s.start <= s.end && s.end <= chars.len());
        assert_eq!(doc.slice(s), chars[s.start..s.end].iter().collect::<String>());
    };
    doc.tokens.iter().for_each(|t| slices(t.span));
    doc.sentences.iter().for_each(|s| slices(s.span));
    doc.quoted.iter().for_each(|q| slices(q.content));
});
