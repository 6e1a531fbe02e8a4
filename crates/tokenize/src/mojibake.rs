//! Quotation marks and dashes garbled by a UTF-8 -> Windows-1252 round trip ("mojibake"),
//! common in scraped news: `â€œ` for `“`, `â€\u{9d}` or a bare `â€` for `”`, `â€˜` for `‘`,
//! `â€“`/`â€”` for dashes (whose last characters would otherwise read as quotation marks).
//!
//! The repair works on the analysis view of the text only: each garbled sequence keeps its
//! length, the intended character goes where its role needs it (an opening mark last, so
//! that the quotation starts after the whole sequence; a closing mark first) and the rest
//! become spaces. Offsets and the original text are untouched.

/// Repair `chars` in place; returns how many sequences were repaired.
pub fn repair_mojibake(chars: &mut [char]) -> usize {
    let mut repaired = 0;
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] != 'â' || chars[i + 1] != '€' {
            i += 1;
            continue;
        }
        let third = chars.get(i + 2).copied();
        let (len, replacement): (usize, &[char]) = match third {
            Some('œ') => (3, &[' ', ' ', '“']),
            Some('\u{9d}') => (3, &['”', ' ', ' ']),
            Some('˜') => (3, &[' ', ' ', '‘']),
            Some('“') => (3, &[' ', '–', ' ']),
            Some('”') => (3, &[' ', '—', ' ']),
            // The right double mark's last byte (0x9D) has no Windows-1252 character and is
            // often dropped, leaving a bare `â€` before a space, punctuation or the end.
            None => (2, &['”', ' ']),
            Some(c) if c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '?' | '!' | ')') => (2, &['”', ' ']),
            _ => {
                i += 2;
                continue;
            }
        };
        chars[i..i + len].copy_from_slice(replacement);
        repaired += 1;
        i += len;
    }
    repaired
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(s: &str) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        repair_mojibake(&mut chars);
        assert_eq!(chars.len(), s.chars().count());
        chars.into_iter().collect()
    }

    #[test]
    fn garbled_marks_keep_their_length() {
        assert_eq!(repaired("â€œYes,â€\u{9d} she said"), "  “Yes,”   she said");
        assert_eq!(repaired("â€œNo.â€ Then"), "  “No.”  Then");
        assert_eq!(repaired("a â€” b â€“ c"), "a  —  b  –  c");
        assert_eq!(repaired("Trumpâ€™s"), "Trumpâ€™s");
        assert_eq!(repaired("caf€ â"), "caf€ â");
    }
}
