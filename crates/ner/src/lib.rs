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
pub mod windows;

pub use error::NerError;
pub use model::{NerModel, NerOptions, NerStats, Tag, WordLabel, MAX_PIECES};

use whosaid_tokenize::{Document, Entity, Span};

/// Threads libtorch uses inside each forward pass.
pub fn set_num_threads(threads: usize) {
    tch::set_num_threads(threads.max(1) as i32);
}

/// Run NER over all sentences of `docs` together (windows of every document share batches,
/// sorted by length) and set each document's `entities`.
pub fn recognize(model: &NerModel, docs: &mut [Document], options: NerOptions) -> Result<NerStats, NerError> {
    let mut stats = NerStats::default();
    let mut words: Vec<Vec<&str>> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new(); // (document, sentence)
    for (d, doc) in docs.iter().enumerate() {
        for (s, sent) in doc.sentences.iter().enumerate() {
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
