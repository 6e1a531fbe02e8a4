//! The corpus speaker index: who was quoted, how often, how, and where.
//!
//! Speakers are merged across documents by their canonical name, the fullest name whosaid
//! found for them in each document, after normalising whitespace and apostrophes: "Mike
//! Pompeo" in one article and "Mike  Pompeo" or "Mike Pompeo" in another are one row. Nothing
//! else is merged: a document that only ever says "Pompeo" gives a separate "Pompeo" row (a
//! surname alone could be anyone of that name), spellings and transliterations stay apart
//! ("Lavrov", "Lavrow"), and a speaker's type does not split a row (the most frequent type is
//! shown). Unresolved pronouns and descriptions (type OTHER: "he", "the spokesman") are not
//! people across documents and are left out unless asked for; quotations without a speaker are
//! counted apart.

use std::collections::HashMap;

use serde::Serialize;
use whosaid_attribution::{QuoteKind, SpeakerType};

use crate::DocResult;

/// One speaker across the corpus.
#[derive(Clone, Debug, Serialize)]
pub struct SpeakerRow {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub documents: usize,
    pub quotes: usize,
    pub direct: usize,
    pub mixed: usize,
    pub indirect: usize,
    pub mean_confidence: f64,
    pub first_document: String,
    pub last_document: String,
    /// The documents quoting this speaker, in input order.
    #[serde(skip)]
    pub document_ids: Vec<String>,
}

#[derive(Default)]
struct Tally {
    names: HashMap<String, usize>,
    types: HashMap<String, usize>,
    first_seen: usize,
    documents: Vec<String>,
    quotes: usize,
    direct: usize,
    mixed: usize,
    indirect: usize,
    confidence: f64,
}

/// Speakers merged across documents; feed it results with [`SpeakerIndex::add`].
#[derive(Default)]
pub struct SpeakerIndex {
    include_unresolved: bool,
    tallies: HashMap<String, Tally>,
    /// Documents read, and those that were error lines.
    pub documents: usize,
    pub failed_documents: usize,
    /// Quotations with no speaker, and with an unresolved one (left out by default).
    pub without_speaker: usize,
    pub unresolved: usize,
}

/// The merge key of a canonical name: whitespace runs as one space, curly apostrophes straight.
pub fn merge_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").replace(['’', '‘'], "'")
}

impl SpeakerIndex {
    pub fn new(include_unresolved: bool) -> SpeakerIndex {
        SpeakerIndex { include_unresolved, ..SpeakerIndex::default() }
    }

    pub fn add(&mut self, result: &DocResult) {
        self.documents += 1;
        if result.error.is_some() {
            self.failed_documents += 1;
            return;
        }
        for q in &result.quotes {
            let Some(speaker) = &q.speaker else {
                self.without_speaker += 1;
                continue;
            };
            if speaker.kind == SpeakerType::Other {
                self.unresolved += 1;
                if !self.include_unresolved {
                    continue;
                }
            }
            let key = merge_key(&speaker.name);
            let order = self.tallies.len();
            let t = self.tallies.entry(key).or_insert_with(|| Tally { first_seen: order, ..Tally::default() });
            *t.names.entry(speaker.name.clone()).or_default() += 1;
            *t.types.entry(speaker.kind.as_str().to_string()).or_default() += 1;
            if t.documents.last() != Some(&result.id) {
                t.documents.push(result.id.clone());
            }
            t.quotes += 1;
            t.confidence += q.confidence;
            match q.kind {
                QuoteKind::Direct => t.direct += 1,
                QuoteKind::Mixed => t.mixed += 1,
                QuoteKind::Indirect => t.indirect += 1,
            }
        }
    }

    /// The rows, most quoted first (then by documents, then by name).
    pub fn rows(&self) -> Vec<SpeakerRow> {
        // The most frequent value; ties go to the alphabetically first, so output is stable.
        fn most(counts: &HashMap<String, usize>) -> String {
            counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(k, _)| k.clone())
                .unwrap_or_default()
        }
        let mut rows: Vec<(usize, SpeakerRow)> = self
            .tallies
            .values()
            .map(|t| {
                let row = SpeakerRow {
                    name: most(&t.names),
                    kind: most(&t.types),
                    documents: t.documents.len(),
                    quotes: t.quotes,
                    direct: t.direct,
                    mixed: t.mixed,
                    indirect: t.indirect,
                    mean_confidence: (t.confidence / t.quotes.max(1) as f64 * 1000.0).round() / 1000.0,
                    first_document: t.documents.first().cloned().unwrap_or_default(),
                    last_document: t.documents.last().cloned().unwrap_or_default(),
                    document_ids: t.documents.clone(),
                };
                (t.first_seen, row)
            })
            .collect();
        rows.sort_by(|(fa, a), (fb, b)| {
            b.quotes
                .cmp(&a.quotes)
                .then(b.documents.cmp(&a.documents))
                .then_with(|| a.name.cmp(&b.name))
                .then(fa.cmp(fb))
        });
        rows.into_iter().map(|(_, r)| r).collect()
    }
}

/// Speaker rows as CSV with a header line (RFC 4180 quoting).
pub fn rows_to_csv(rows: &[SpeakerRow]) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out =
        String::from("name,type,documents,quotes,direct,mixed,indirect,mean_confidence,first_document,last_document\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{:.3},{},{}\n",
            field(&r.name),
            field(&r.kind),
            r.documents,
            r.quotes,
            r.direct,
            r.mixed,
            r.indirect,
            r.mean_confidence,
            field(&r.first_document),
            field(&r.last_document)
        ));
    }
    out
}

/// Speaker rows as JSON lines.
pub fn rows_to_jsonl(rows: &[SpeakerRow]) -> String {
    rows.iter().map(|r| serde_json::to_string(r).expect("rows serialise") + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_results;

    fn q(kind: &str, name: Option<(&str, &str)>, confidence: f64) -> String {
        let speaker = match name {
            Some((n, t)) => format!(r#"{{"name":"{n}","start":0,"end":1,"text":"x","type":"{t}"}}"#),
            None => "null".into(),
        };
        format!(
            r#"{{"start":0,"end":1,"text":"x","kind":"{kind}","speaker":{speaker},"cue":null,"confidence":{confidence}}}"#
        )
    }

    #[test]
    fn speakers_merge_by_canonical_name_only() {
        let lines = [
            format!(
                r#"{{"id":"a","quotes":[{},{},{}],"speakers":[]}}"#,
                q("direct", Some(("Ana Ruiz", "PER")), 0.9),
                q("indirect", Some(("Ana Ruiz", "PER")), 0.7),
                q("direct", Some(("he", "OTHER")), 0.8)
            ),
            format!(
                r#"{{"id":"b","quotes":[{},{},{}],"speakers":[]}}"#,
                q("mixed", Some(("Ana  Ruiz", "PER")), 0.5),
                q("direct", Some(("Ruiz", "PER")), 0.9),
                q("direct", None, 0.1)
            ),
            r#"{"id":"c","error":{"kind":"too_long","message":"m"}}"#.to_string(),
        ];
        let results = parse_results(&lines.join("\n")).unwrap();
        let mut index = SpeakerIndex::new(false);
        results.iter().for_each(|r| index.add(r));
        let rows = index.rows();
        assert_eq!(rows.len(), 2, "Ana Ruiz (merged) and Ruiz (a bare surname stays apart); 'he' left out");
        assert_eq!(rows[0].name, "Ana Ruiz");
        assert_eq!(
            (rows[0].documents, rows[0].quotes, rows[0].direct, rows[0].mixed, rows[0].indirect),
            (2, 3, 1, 1, 1)
        );
        assert_eq!(rows[0].mean_confidence, 0.7);
        assert_eq!((rows[0].first_document.as_str(), rows[0].last_document.as_str()), ("a", "b"));
        assert_eq!(rows[1].name, "Ruiz");
        assert_eq!((index.documents, index.failed_documents, index.without_speaker, index.unresolved), (3, 1, 1, 1));
        assert!(rows_to_csv(&index.rows()).starts_with("name,type,documents,quotes"));
        assert!(rows_to_csv(&index.rows()).contains("\nAna Ruiz,PER,2,3,1,1,1,0.700,a,b\n"));
        let mut with_unresolved = SpeakerIndex::new(true);
        results.iter().for_each(|r| with_unresolved.add(r));
        assert_eq!(with_unresolved.rows().len(), 3);
    }

    #[test]
    fn csv_fields_are_quoted() {
        let line = format!(
            r#"{{"id":"x,y","quotes":[{}],"speakers":[]}}"#,
            q("direct", Some(("Smith, \\\"Jr\\\"", "PER")), 0.9)
        );
        let mut index = SpeakerIndex::new(false);
        index.add(&parse_results(&line).unwrap()[0]);
        assert!(
            rows_to_csv(&index.rows()).contains("\"Smith, \"\"Jr\"\"\",PER,1,1,1,0,0,0.900,\"x,y\",\"x,y\""),
            "{}",
            rows_to_csv(&index.rows())
        );
    }
}
