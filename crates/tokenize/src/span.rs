//! Code-point spans and the map between code-point and byte offsets.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of Unicode code points (Python `str` indexing) in the
/// document's original text. Every span whosaid emits is one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlap(&self, other: Span) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Byte offset of every code point of a text (plus the end), so code-point spans slice the
/// UTF-8 string in O(1). Pure-ASCII texts need no table.
#[derive(Clone, Debug)]
pub struct CharIndex {
    /// `byte_of[c]` is the byte offset of code point `c`; `None` when the text is ASCII.
    byte_of: Option<Vec<u32>>,
    len_chars: usize,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharIndex { byte_of: None, len_chars: text.len(), len_bytes: text.len() };
        }
        let mut byte_of: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        let len_chars = byte_of.len();
        byte_of.push(text.len() as u32);
        CharIndex { byte_of: Some(byte_of), len_chars, len_bytes: text.len() }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of code point `c` (clamped to the end of the text).
    pub fn byte(&self, c: usize) -> usize {
        match &self.byte_of {
            None => c.min(self.len_bytes),
            Some(t) => t[c.min(self.len_chars)] as usize,
        }
    }

    /// Code-point offset of byte `b`; a byte inside a multi-byte character maps to that character.
    pub fn char_of_byte(&self, b: usize) -> usize {
        match &self.byte_of {
            None => b.min(self.len_chars),
            Some(t) => match t.binary_search(&(b as u32)) {
                Ok(c) => c,
                Err(c) => c.saturating_sub(1),
            },
        }
    }

    /// The text of a code-point span.
    pub fn slice<'t>(&self, text: &'t str, span: Span) -> &'t str {
        &text[self.byte(span.start)..self.byte(span.end)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_by_code_point_in_non_ascii_text() {
        let text = "Lavrov «said» “no” 😀 ok";
        let idx = CharIndex::new(text);
        assert_eq!(idx.len_chars(), text.chars().count());
        let start = text.chars().position(|c| c == '“').unwrap();
        assert_eq!(idx.slice(text, Span::new(start, start + 4)), "“no”");
        let emoji = text.chars().position(|c| c == '😀').unwrap();
        assert_eq!(idx.slice(text, Span::new(emoji, emoji + 1)), "😀");
        assert_eq!(idx.char_of_byte(idx.byte(emoji)), emoji);
        assert_eq!(idx.char_of_byte(idx.byte(emoji) + 1), emoji);
    }

    #[test]
    fn ascii_needs_no_table() {
        let idx = CharIndex::new("plain");
        assert_eq!(idx.slice("plain", Span::new(1, 3)), "la");
        assert_eq!(idx.byte(99), 5);
    }
}
