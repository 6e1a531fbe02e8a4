//! Property tests: the tokenize stage never panics on any Unicode text, and every span it
//! produces is in bounds and slices the original text in code points.

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use whosaid_tokenize::{Document, Span};

/// Pieces of news-like text, with the marks and debris that make tokenizing hard.
const PIECES: &[&str] = &[
    "said",
    "says",
    "told",
    "according to",
    "he",
    "she",
    "they",
    "Mr.",
    "U.S.",
    "Gen.",
    "Jr.",
    "Trump",
    "Pompeo",
    "the",
    "attorney",
    "general",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "‹",
    "›",
    "„",
    "''",
    "``",
    "â€œ",
    "â€\u{9d}",
    "â€",
    "â€™",
    "â€”",
    ",",
    ".",
    "?",
    "!",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u{0}",
    "’90s",
    "rock ’n’ roll",
    "Trump Jr.’s",
    "😀",
    "👷‍♀️",
    "🇺🇸",
    "e\u{301}",
    "日本語",
    "مرحبا",
    "שלום",
    "\u{200b}",
    "\u{feff}",
    "...",
    "…",
    "1.5",
    "9/11",
    "@user",
    "#tag",
    "http://x.y/z",
];

pub fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![news_like(), any::<String>(), "[\"“”'’ a-zA-Z.,\n]{0,200}"]
}

fn check_span(doc: &Document, chars: &[char], span: Span) {
    assert!(span.start <= span.end && span.end <= chars.len(), "{span:?} out of bounds ({} chars)", chars.len());
    let expected: String = chars[span.start..span.end].iter().collect();
    assert_eq!(doc.slice(span), expected);
}

/// The default case count (`PROPTEST_CASES` overrides it) with a fixed seed unless
/// `PROPTEST_RNG_SEED` names one (`scripts/proptest-long.sh` does), so that CI cannot fail at
/// random; failures found once are kept beside this file and replayed first.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5eed_70c3);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn spans_are_in_bounds_and_slice_the_text(text in any_text()) {
        let doc = Document::new("p", text.clone());
        let chars: Vec<char> = text.chars().collect();
        prop_assert_eq!(doc.len_chars(), chars.len());
        for p in &doc.paragraphs {
            check_span(&doc, &chars, *p);
        }
        let mut previous_end = 0;
        for t in &doc.tokens {
            check_span(&doc, &chars, t.span);
            prop_assert!(t.span.start >= previous_end && t.span.end > t.span.start, "tokens are ordered and non-empty");
            previous_end = t.span.end;
        }
        let mut next_token = 0;
        for s in &doc.sentences {
            check_span(&doc, &chars, s.span);
            prop_assert!(s.first_token == next_token && s.first_token < s.end_token && s.end_token <= doc.tokens.len());
            prop_assert!(s.paragraph < doc.paragraphs.len());
            next_token = s.end_token;
        }
        prop_assert_eq!(next_token, doc.tokens.len(), "sentences cover every token");
        for m in &doc.quote_marks {
            prop_assert!(m.pos < chars.len());
        }
        for q in &doc.quoted {
            check_span(&doc, &chars, q.content);
            prop_assert!(q.paragraph < doc.paragraphs.len());
            prop_assert!(q.open.is_none_or(|o| o <= q.content.start));
            prop_assert!(q.close.is_none_or(|c| c >= q.content.end && c < chars.len()));
        }
    }
}
