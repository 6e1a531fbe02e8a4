//! whosaid's first stage and its document model.
//!
//! [`Document::new`] takes an id and the original text and finds paragraphs, sentences,
//! word tokens and quotation marks and quoted spans. Later stages add to the same document:
//! the NER stage fills [`Document::entities`] (and [`Document::role_spans`]), the attribution stage reads everything.
//! Every span is in Unicode code points of the original text ([`Span`]), so any stage's output
//! can be checked against the text with [`Document::slice`].

mod doc;
pub mod mojibake;
pub mod quotes;
pub mod sentences;
pub mod span;
pub mod words;

pub use doc::{Document, Entity, EntityLabel, Role, RoleSpan, Sentence, TokenStates};
pub use quotes::{MarkRole, QuoteMark, QuoteStyle, Quoted};
pub use span::{CharIndex, Span};
pub use words::{Token, TokenKind};
