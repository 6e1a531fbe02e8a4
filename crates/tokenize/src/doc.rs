use serde::{Deserialize, Serialize};

use crate::quotes::{pair_marks, scan_marks, QuoteMark, Quoted};
use crate::sentences::{paragraphs, sentences};
use crate::span::{CharIndex, Span};
use crate::words::{tokenize, Token, TokenKind};

/// A sentence: its span, its paragraph and its tokens `tokens[first_token..end_token]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    pub first_token: usize,
    pub end_token: usize,
}

/// An entity type: the CoNLL-2003 types, which whosaid's models tag and its attribution
/// reads. Written as CoNLL writes them ("PER", "ORG", "LOC", "MISC").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityLabel {
    #[serde(rename = "PER")]
    Person,
    #[serde(rename = "ORG")]
    Organisation,
    #[serde(rename = "LOC")]
    Location,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 4] =
        [EntityLabel::Person, EntityLabel::Organisation, EntityLabel::Location, EntityLabel::Misc];

    /// The CoNLL name: "PER", "ORG", "LOC" or "MISC".
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Person => "PER",
            EntityLabel::Organisation => "ORG",
            EntityLabel::Location => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }

    /// The type a CoNLL name stands for (the B-/I- prefix removed).
    pub fn from_conll(name: &str) -> Option<EntityLabel> {
        EntityLabel::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

impl std::fmt::Display for EntityLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named entity found by the NER stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub label: EntityLabel,
    /// Mean probability of the entity's word labels.
    pub score: f32,
}

impl Entity {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// An attribution role, as PolNeAR annotates them: the words that report (cue), who is
/// reported (source) and what is reported (content).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Cue,
    Source,
    Content,
}

impl Role {
    /// The role of a tag type (`CUE`, `SOURCE`, `CONTENT`, as in a role head's labels).
    pub fn from_tag(tag: &str) -> Option<Role> {
        match tag {
            "CUE" => Some(Role::Cue),
            "SOURCE" => Some(Role::Source),
            "CONTENT" => Some(Role::Content),
            _ => None,
        }
    }
}

/// A run of tokens the role head tagged with one role.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleSpan {
    pub role: Role,
    pub first_token: usize,
    pub end_token: usize,
    pub span: Span,
    /// Mean probability of the tokens' role tags.
    pub score: f32,
}

/// One document flowing through the pipeline.
#[derive(Clone, Debug)]
pub struct Document {
    pub id: String,
    pub text: String,
    chars: Vec<char>,
    index: CharIndex,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub quote_marks: Vec<QuoteMark>,
    /// Quoted spans in text order (nested ones after their container when they start later).
    pub quoted: Vec<Quoted>,
    /// Filled by the NER stage, in text order.
    pub entities: Vec<Entity>,
    /// Filled by the NER stage when its model has an attribution-role head, in text order.
    pub role_spans: Vec<RoleSpan>,
    /// Filled by the NER stage when asked for: each token's state in the encoder's last
    /// layer, from the same pass that tags entities and roles (speaker coreference pools
    /// mentions from them).
    pub token_states: Option<TokenStates>,
}

/// Each token's vector from the encoder (its first wordpiece's), `dim` floats a token in
/// token order; zeros for a token the encoder did not read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenStates {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl TokenStates {
    /// Token `t`'s vector; None past the last token.
    pub fn of(&self, t: usize) -> Option<&[f32]> {
        self.data.get(t * self.dim..(t + 1) * self.dim)
    }
}

impl Document {
    /// Run the tokenize stage over `text`.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        // The analysis view: the text's code points with garbled quotation marks repaired.
        let mut chars: Vec<char> = text.chars().collect();
        crate::mojibake::repair_mojibake(&mut chars);
        // NUL and other control characters (scraping debris) read as spaces.
        for c in chars.iter_mut().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            *c = ' ';
        }
        let index = CharIndex::new(&text);
        let paragraphs = paragraphs(&chars);
        let quote_marks = scan_marks(&chars);
        let quoted = pair_marks(&chars, &quote_marks, &paragraphs);

        let mut is_mark = vec![false; chars.len()];
        for m in &quote_marks {
            is_mark[m.pos] = true;
        }
        let mut tokens = Vec::new();
        let mut sents = Vec::new();
        for (p, para) in paragraphs.iter().enumerate() {
            let first = tokens.len();
            tokenize(&chars, *para, &|i| is_mark[i], &mut tokens);
            for (s, e) in sentences(&chars, &tokens, first, tokens.len()) {
                sents.push(Sentence {
                    span: Span::new(tokens[s].span.start, tokens[e - 1].span.end),
                    paragraph: p,
                    first_token: s,
                    end_token: e,
                });
            }
        }
        Document {
            id: id.into(),
            text,
            chars,
            index,
            paragraphs,
            sentences: sents,
            tokens,
            quote_marks,
            quoted,
            entities: Vec::new(),
            role_spans: Vec::new(),
            token_states: None,
        }
    }

    /// The document's code points as analysed: the text's, except that mojibake quotation
    /// marks and dashes are repaired in place and control characters read as spaces (same
    /// length, so offsets agree; see `mojibake`).
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.chars.len()
    }

    /// The text of a code-point span.
    pub fn slice(&self, span: Span) -> &str {
        self.index.slice(&self.text, span)
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }

    /// The text of token `i`, or "" when there is no token `i`. Attribution looks a few tokens
    /// ahead of and behind cue words; with this (and [`Document::kind_at`]) a look past either
    /// end of the document reads as "no word there" instead of indexing out of range.
    pub fn word(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| self.slice(t.span))
    }

    /// The kind of token `i`, `None` when there is no token `i`.
    pub fn kind_at(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// How many word tokens (not punctuation or quotation marks) `range` holds; tokens past
    /// the end count as none.
    pub fn word_count(&self, range: std::ops::Range<usize>) -> usize {
        range.filter(|&t| self.kind_at(t) == Some(TokenKind::Word)).count()
    }

    /// The code-point span of tokens `range`, `None` when the range is empty or runs past the
    /// last token.
    pub fn tokens_span(&self, range: std::ops::Range<usize>) -> Option<Span> {
        let first = self.tokens.get(range.start)?;
        let last = self.tokens.get(range.end.checked_sub(1)?)?;
        (range.start < range.end).then(|| Span::new(first.span.start, last.span.end))
    }

    /// Index of the first token starting at or after code point `pos`.
    pub fn token_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < pos)
    }

    /// The token ranges of the paragraphs that hold tokens, in order. The attribution-role
    /// tagger reads whole paragraphs (training windows are cut the same way).
    pub fn paragraph_token_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for s in &self.sentences {
            match out.last_mut() {
                Some((p, range)) if *p == s.paragraph && range.end == s.first_token => range.end = s.end_token,
                _ => out.push((s.paragraph, s.first_token..s.end_token)),
            }
        }
        out.into_iter().map(|(_, range)| range).collect()
    }

    /// Index of the sentence containing code point `pos`, if any.
    pub fn sentence_of(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// The sentence holding token `t` (None past the last token or outside every sentence).
    pub fn sentence_of_token(&self, t: usize) -> Option<usize> {
        self.tokens.get(t).and_then(|tok| self.sentence_of(tok.span.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_count_counts_words_only_and_nothing_past_the_end() {
        let doc = Document::new("d", "He said: \"yes.\"");
        let n = doc.tokens.len();
        assert_eq!(doc.word_count(0..n), 3);
        assert_eq!(doc.word_count(0..n + 10), 3);
        assert_eq!(doc.word_count(n..n + 3), 0);
    }

    #[test]
    fn each_token_finds_its_sentence_and_none_past_the_end() {
        let doc = Document::new("d", "The bridge opened. Lin said so.");
        let said = doc.tokens.iter().position(|t| doc.slice(t.span) == "said").unwrap();
        assert_eq!(doc.sentence_of_token(0), Some(0));
        assert_eq!(doc.sentence_of_token(said), Some(1));
        assert_eq!(doc.sentence_of_token(doc.tokens.len()), None);
    }

    #[test]
    fn every_span_slices_the_original_text() {
        let text = "“Nous gagnerons,” dit-il.\n\nLavrov’s reply: 'no' — 😀 «fin».";
        let doc = Document::new("d", text);
        let chars: Vec<char> = text.chars().collect();
        for t in &doc.tokens {
            let expect: String = chars[t.span.start..t.span.end].iter().collect();
            assert_eq!(doc.slice(t.span), expect);
        }
        assert_eq!(doc.paragraphs.len(), 2);
        assert_eq!(doc.quoted.len(), 3);
        assert_eq!(doc.sentence_of(chars.len() - 1), Some(doc.sentences.len() - 1));
        let ranges = doc.paragraph_token_ranges();
        assert_eq!(ranges.len(), 2);
        assert_eq!((ranges[0].start, ranges[1].end), (0, doc.tokens.len()));
        assert_eq!(ranges[0].end, ranges[1].start);
    }
}
