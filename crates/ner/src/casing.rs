//! The casing signal fed to the uncased encoder as token types. Must match `casing` in
//! scripts/train_ner.py, which trained the default model with it.

/// 0 lower, 1 Capitalised (single capitals too), 2 ALLCAPS of 2+ letters ("U.S."), 3 other
/// (no letters, or mixed case such as "McDonald" or "iPhone").
pub fn casing_type(word: &str) -> i64 {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else { return 3 };
    let rest: Vec<char> = letters.collect();
    if first.is_lowercase() && rest.iter().all(|c| c.is_lowercase()) {
        0
    } else if !rest.is_empty() && first.is_uppercase() && rest.iter().all(|c| c.is_uppercase()) {
        2
    } else if first.is_uppercase() && rest.iter().all(|c| c.is_lowercase()) {
        1
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::casing_type;

    #[test]
    fn the_four_types() {
        assert_eq!(casing_type("said"), 0);
        assert_eq!(casing_type("Pompeo"), 1);
        assert_eq!(casing_type("A"), 1);
        assert_eq!(casing_type("U.S."), 2);
        assert_eq!(casing_type("NATO"), 2);
        assert_eq!(casing_type("1996"), 3);
        assert_eq!(casing_type(","), 3);
        assert_eq!(casing_type("McDonald"), 3);
        assert_eq!(casing_type("Ömer"), 1);
    }
}
