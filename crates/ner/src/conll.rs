//! CoNLL files and entity-level scoring with conlleval semantics.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

/// A sentence of a CoNLL file: words (first column) and tags (last column).
#[derive(Clone, Debug, Default)]
pub struct ConllSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Parse CoNLL text: one token a line, blank lines between sentences, `-DOCSTART-` lines ignored.
pub fn parse_conll(text: &str) -> Result<Vec<ConllSentence>, String> {
    let mut out = Vec::new();
    let mut cur = ConllSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 2 {
            return Err(format!("line {}: expected a word and a tag, found {line:?}", n + 1));
        }
        cur.words.push(cols[0].to_string());
        cur.tags.push(cols[cols.len() - 1].to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Entity chunks (type, first word, end word) of a tag sequence, conlleval style: a chunk
/// begins at B-, or at an I- that does not continue a chunk of the same type.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> HashSet<(String, usize, usize)> {
    let mut out = HashSet::new();
    let mut cur: Option<(String, usize)> = None;
    for i in 0..=tags.len() {
        let tag = tags.get(i).map(|t| t.as_ref()).unwrap_or("O");
        let (prefix, typ) = tag.split_once('-').unwrap_or((tag, ""));
        let begins = prefix == "B" || (prefix == "I" && cur.as_ref().is_none_or(|c| c.0 != typ));
        if prefix == "O" || begins {
            if let Some((t, s)) = cur.take() {
                out.insert((t, s, i));
            }
        }
        if begins {
            cur = Some((typ.to_string(), i));
        }
    }
    out
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub correct: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Prf {
    fn finish(&mut self) {
        self.precision = if self.predicted > 0 { self.correct as f64 / self.predicted as f64 } else { 0.0 };
        self.recall = if self.gold > 0 { self.correct as f64 / self.gold as f64 } else { 0.0 };
        let s = self.precision + self.recall;
        self.f1 = if s > 0.0 { 2.0 * self.precision * self.recall / s } else { 0.0 };
    }
}

/// Precision, recall and F1 per entity type and `micro` over all of them.
pub fn score(gold: &[Vec<String>], predicted: &[Vec<String>]) -> BTreeMap<String, Prf> {
    let mut out: BTreeMap<String, Prf> = BTreeMap::new();
    for (g, p) in gold.iter().zip(predicted) {
        let (g, p) = (chunks(g), chunks(p));
        for c in &g {
            out.entry(c.0.clone()).or_default().gold += 1;
            out.entry("micro".into()).or_default().gold += 1;
        }
        for c in &p {
            let hit = g.contains(c);
            for key in [c.0.clone(), "micro".into()] {
                let e = out.entry(key).or_default();
                e.predicted += 1;
                e.correct += usize::from(hit);
            }
        }
    }
    out.entry("micro".into()).or_default();
    out.values_mut().for_each(Prf::finish);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conlleval_chunks() {
        let tags = ["B-PER", "I-PER", "O", "I-LOC", "I-ORG", "B-ORG", "I-ORG"];
        let c = chunks(&tags);
        assert!(c.contains(&("PER".into(), 0, 2)));
        assert!(c.contains(&("LOC".into(), 3, 4)));
        assert!(c.contains(&("ORG".into(), 4, 5)));
        assert!(c.contains(&("ORG".into(), 5, 7)));
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn scores_per_type_and_micro() {
        let gold = vec![vec!["B-PER".to_string(), "O".into(), "B-LOC".into()]];
        let pred = vec![vec!["B-PER".to_string(), "O".into(), "B-ORG".into()]];
        let s = score(&gold, &pred);
        assert_eq!(s["PER"].f1, 1.0);
        assert_eq!(s["micro"].correct, 1);
        assert_eq!(s["micro"].precision, 0.5);
        assert_eq!(s["LOC"].recall, 0.0);
    }

    #[test]
    fn parses_four_and_two_columns() {
        let s = parse_conll("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter B-PER\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, vec!["B-ORG", "O"]);
        assert_eq!(s[1].words, vec!["Peter"]);
    }
}
