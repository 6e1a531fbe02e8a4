//! whosaid's NER stage: BERT token classification on ONNX Runtime or rust-bert/libtorch (a
//! plugin library loaded only when asked for: [`torch_plugin`]), with
//! an entity head and, in models that have one, an attribution-role head (CUE, SOURCE,
//! CONTENT) computed in the same encoder pass.
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
pub mod role_decoding;
pub mod role_gold;
pub mod torch_abi;
pub mod torch_plugin;
pub mod windows;

pub use error::NerError;
pub use model::{
    onnx_graph, resolve_engine, Backend, Capabilities, NerModel, NerOptions, NerStats, Precision, Projection, Tag,
    Tagged, WordLabel, WordStates, MAX_PIECES, ROLE_MAX_PIECES,
};
pub use role_decoding::RoleDecoding;

use whosaid_tokenize::{Document, Entity, EntityLabel, Role, RoleSpan, Sentence, Span, TokenKind, TokenStates};

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

/// Run the model over all documents of `docs` together (windows of every document share
/// batches, sorted by length) and set each document's `entities` and, when the model has a
/// role head, its `role_spans`. A model with a role head reads whole paragraphs (windows of
/// [`ROLE_MAX_PIECES`]) and both heads come out of the same pass; an entity-only model reads
/// sentences (windows of [`MAX_PIECES`]), skipping those that cannot hold a name when
/// `options.only_capitalised` says so.
pub fn recognize(model: &NerModel, docs: &mut [Document], options: NerOptions) -> Result<NerStats, NerError> {
    recognize_projected(model, docs, options, None)
}

/// [`recognize`], keeping each token's encoder state through `projection` (with
/// `options.with_states`).
pub fn recognize_projected(
    model: &NerModel,
    docs: &mut [Document],
    options: NerOptions,
    projection: Option<&Projection>,
) -> Result<NerStats, NerError> {
    let mut stats = NerStats::default();
    let mut words: Vec<Vec<&str>> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new(); // (document, first token of the sequence)
    let with_roles = model.role_tags().is_some();
    for (d, doc) in docs.iter().enumerate() {
        let sequences: Vec<std::ops::Range<usize>> = if with_roles {
            doc.paragraph_token_ranges()
        } else {
            doc.sentences
                .iter()
                .filter(|sent| !options.only_capitalised || may_hold_names(doc, sent))
                .map(|sent| sent.first_token..sent.end_token)
                .collect()
        };
        for range in sequences {
            owner.push((d, range.start));
            words.push(range.map(|t| doc.token_text(t)).collect());
        }
    }
    let max_pieces = if with_roles { ROLE_MAX_PIECES } else { MAX_PIECES };
    let tagged = model.tag_words(&words, max_pieces, options, projection, &mut stats)?;
    let mut entities: Vec<Vec<Entity>> = vec![Vec::new(); docs.len()];
    let mut roles: Vec<Vec<RoleSpan>> = vec![Vec::new(); docs.len()];
    let mut states: Vec<Option<TokenStates>> = match &tagged.states {
        Some(s) => {
            docs.iter().map(|d| Some(TokenStates { dim: s.dim, data: vec![0.0; d.tokens.len() * s.dim] })).collect()
        }
        None => vec![None; docs.len()],
    };
    if let Some(word_states) = &tagged.states {
        for ((d, first), sequence) in owner.iter().zip(&word_states.sequences) {
            if let Some(doc_states) = states[*d].as_mut() {
                let at = first * word_states.dim;
                doc_states.data[at..at + sequence.len()].copy_from_slice(sequence);
            }
        }
    }
    for (s, ((d, first), entity_labels)) in owner.iter().zip(&tagged.entities).enumerate() {
        let doc = &docs[*d];
        let span_of =
            |a: usize, b: usize| Span::new(doc.tokens[first + a].span.start, doc.tokens[first + b - 1].span.end);
        for (a, b, label, score) in model.decode(entity_labels) {
            // Every type is one (checked when the model was loaded).
            let Some(label) = EntityLabel::from_conll(&label) else { continue };
            let span = span_of(a, b);
            entities[*d].push(Entity {
                start: span.start,
                end: span.end,
                text: doc.slice(span).to_string(),
                label,
                score,
            });
        }
        let role_log_probs = tagged.role_log_probs.as_ref().map_or(&[][..], |r| &r[s][..]);
        for (a, b, tag, score) in model.decode_roles(&words[s], role_log_probs, options.role_decoding) {
            if let Some(role) = Role::from_tag(&tag) {
                roles[*d].push(RoleSpan {
                    role,
                    first_token: first + a,
                    end_token: first + b,
                    span: span_of(a, b),
                    score,
                });
            }
        }
    }
    for (((doc, entities), roles), states) in docs.iter_mut().zip(entities).zip(roles).zip(states) {
        doc.entities = entities;
        doc.role_spans = roles;
        doc.token_states = states;
    }
    Ok(stats)
}
