//! whosaid's NER stage: BERT token classification on rust-bert/libtorch.
//!
//! [`NerModel::load`] reads any local Hugging Face BERT token-classification directory
//! (`config.json` with `id2label`, `tokenizer.json`, `model.safetensors`). Sentences are
//! labelled word by word (the tokenize stage's words, or CoNLL words), each word's label read
//! off its first wordpiece; long sentences are split into overlapping windows, never cut.
//! [`recognize`] runs a batch of documents and fills their `entities`.

pub mod casing;
pub mod conll;
mod error;
mod model;
pub mod onnx;
pub mod windows;

pub use error::NerError;
pub use model::{Backend, NerModel, NerOptions, NerStats, Precision, Tag, WordLabel, MAX_PIECES};

use whosaid_tokenize::{Document, Entity, Sentence, Span, TokenKind};

/// Threads libtorch uses inside each forward pass.
pub fn set_num_threads(threads: usize) {
    tch::set_num_threads(threads.max(1) as i32);
}

/// Capitalised words that open English sentences without being names.
const COMMON_OPENERS: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "again",
    "against",
    "all",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "as",
    "asked",
    "at",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "despite",
    "did",
    "do",
    "does",
    "during",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "instead",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "later",
    "many",
    "may",
    "meanwhile",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "no",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "said",
    "says",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "to",
    "two",
    "under",
    "unless",
    "until",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "without",
    "would",
    "yes",
    "yet",
    "you",
    "your",
];

/// Can this sentence hold a name? Not when no word but a common opener has a capital.
/// (The default model tags no all-lowercase sentence on the PolNeAR training articles; see
/// BENCHMARKS.md for the check that attribution is unchanged.)
pub fn may_hold_names(doc: &Document, sentence: &Sentence) -> bool {
    let mut first_word = true;
    for t in sentence.first_token..sentence.end_token {
        if doc.tokens[t].kind != TokenKind::Word {
            continue;
        }
        let word = doc.token_text(t);
        if word.chars().any(char::is_uppercase) {
            let common_opener = first_word && COMMON_OPENERS.contains(&word.to_lowercase().as_str());
            if !common_opener {
                return true;
            }
        }
        first_word = false;
    }
    false
}

/// Run NER over all sentences of `docs` together (windows of every document share batches,
/// sorted by length) and set each document's `entities`.
pub fn recognize(model: &NerModel, docs: &mut [Document], options: NerOptions) -> Result<NerStats, NerError> {
    let mut stats = NerStats::default();
    let mut words: Vec<Vec<&str>> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new(); // (document, sentence)
    for (d, doc) in docs.iter().enumerate() {
        for (s, sent) in doc.sentences.iter().enumerate() {
            if options.only_capitalised && !may_hold_names(doc, sent) {
                continue;
            }
            words.push((sent.first_token..sent.end_token).map(|t| doc.token_text(t)).collect());
            owner.push((d, s));
        }
    }
    let labels = model.label_words(&words, options, &mut stats)?;
    let mut found: Vec<Vec<Entity>> = vec![Vec::new(); docs.len()];
    for ((d, s), labels) in owner.iter().zip(&labels) {
        let doc = &docs[*d];
        let first = doc.sentences[*s].first_token;
        for (a, b, label, score) in model.decode(labels) {
            let span = Span::new(doc.tokens[first + a].span.start, doc.tokens[first + b - 1].span.end);
            found[*d].push(Entity {
                start: span.start,
                end: span.end,
                text: doc.slice(span).to_string(),
                label,
                score,
            });
        }
    }
    for (doc, entities) in docs.iter_mut().zip(found) {
        doc.entities = entities;
    }
    Ok(stats)
}
