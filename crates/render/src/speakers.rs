//! The corpus speaker index: who was quoted, how often, how, where, and with which gender
//! the text refers to them.
//!
//! Speakers are first tallied by their canonical name in each document (whitespace and
//! apostrophes normalised), then merged into one speaker across documents by
//! `whosaid_identity::identify`: name variants of one person ("Donald J. Trump", "Donald
//! Trump"; "Joe Biden", "Joseph R. Biden Jr."), a surname alone where the corpus holds exactly
//! one full name it fits ("Obama"), organisation short names and acronyms that fit exactly one
//! organisation ("The Times"), and a user's alias file. Each row has a stable id. Unresolved
//! pronouns and descriptions (type OTHER: "he", "the spokesman") are not people across
//! documents and are left out unless asked for; quotations without a speaker are counted
//! apart.
//!
//! A speaker's gender is what the documents' own references give (a pronoun resolved to them,
//! an honorific, a gendered title; the majority where documents differ), else the alias
//! file's, else the first-name statistics: the gender the text refers to them with, not a
//! statement about identity.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use whosaid_attribution::{Gender, GenderEvidence, QuoteKind, SpeakerType};
use whosaid_identity::{identify, AliasGender, AliasTable, NameKind, Variant};
use whosaid_tokenize::EntityLabel;

use crate::DocResult;

/// One speaker across the corpus.
#[derive(Clone, Debug, Serialize)]
pub struct SpeakerRow {
    /// Stable across runs over the same names: an alias file's id, else the name in lower
    /// case with hyphens.
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// female, male or unknown.
    pub gender: &'static str,
    /// What the gender rests on (pronoun, honorific, title, alias, first_name); "" when unknown.
    pub gender_evidence: &'static str,
    pub documents: usize,
    pub quotes: usize,
    pub direct: usize,
    pub mixed: usize,
    pub indirect: usize,
    pub mean_confidence: f64,
    pub first_document: String,
    pub last_document: String,
    /// The alias file's Wikidata id, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qid: Option<String>,
    /// With `--explain`: the other names merged into this speaker, each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<MergedName>,
    /// The documents quoting this speaker, in input order.
    #[serde(skip)]
    pub document_ids: Vec<String>,
    /// Every name this speaker has in the documents (each document's canonical name).
    #[serde(skip)]
    pub names: Vec<String>,
}

/// A name merged into a speaker, and why (`whosaid_identity::MergeReason`).
#[derive(Clone, Debug, Serialize)]
pub struct MergedName {
    pub name: String,
    pub quotes: usize,
    pub reason: &'static str,
}

/// Quotations and distinct speakers of one gender (persons only).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct GenderCount {
    pub quotes: usize,
    pub speakers: usize,
}

/// The corpus by gender: persons' quotations and distinct persons, and the quotations of
/// organisations and other speakers apart.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct GenderSummary {
    pub female: GenderCount,
    pub male: GenderCount,
    pub unknown: GenderCount,
    pub organisations: GenderCount,
    pub other: GenderCount,
}

impl GenderSummary {
    pub fn of(rows: &[SpeakerRow]) -> GenderSummary {
        let mut s = GenderSummary::default();
        for r in rows {
            let count = match (r.kind.as_str(), r.gender) {
                ("PER", "female") => &mut s.female,
                ("PER", "male") => &mut s.male,
                ("PER", _) => &mut s.unknown,
                ("ORG", _) => &mut s.organisations,
                _ => &mut s.other,
            };
            count.quotes += r.quotes;
            count.speakers += 1;
        }
        s
    }
}

#[derive(Default)]
struct Tally {
    name: String,
    types: HashMap<SpeakerType, usize>,
    /// Documents' genders by the evidence they rest on.
    genders: HashMap<(Gender, GenderEvidence), usize>,
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
    /// By merge key, in first-seen order.
    tallies: Vec<Tally>,
    by_key: HashMap<String, usize>,
    /// Documents read, and those that were error lines.
    pub documents: usize,
    pub failed_documents: usize,
    /// Quotations with no speaker, and with an unresolved one (left out by default).
    pub without_speaker: usize,
    pub unresolved: usize,
}

/// The key a document's canonical name is tallied by: whitespace runs as one space, curly
/// apostrophes straight.
pub fn merge_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").replace(['’', '‘'], "'")
}

fn name_kind(kind: SpeakerType) -> NameKind {
    match kind {
        SpeakerType::Entity(EntityLabel::Person) => NameKind::Person,
        SpeakerType::Entity(EntityLabel::Organisation) => NameKind::Organisation,
        _ => NameKind::Other,
    }
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
        let mut seen_here: Vec<usize> = Vec::new();
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
            let next = self.tallies.len();
            let at = *self.by_key.entry(key).or_insert(next);
            if at == next {
                self.tallies.push(Tally { name: speaker.name.clone(), ..Tally::default() });
            }
            let t = &mut self.tallies[at];
            *t.types.entry(speaker.kind).or_default() += 1;
            if !seen_here.contains(&at) {
                seen_here.push(at);
                t.documents.push(result.id.clone());
                // The document's gender for this speaker, from its summary.
                let summary = result.speakers.iter().find(|s| s.name == speaker.name);
                if let Some((Some(g), Some(e))) = summary.map(|s| (s.gender, s.gender_evidence)) {
                    *t.genders.entry((g, e)).or_default() += 1;
                }
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

    /// The rows, most quoted first (then by documents, then by name), names merged across
    /// documents (module docs) and by `aliases`; `explain`: with each row's merged names.
    pub fn rows(&self, aliases: Option<&AliasTable>, explain: bool) -> Vec<SpeakerRow> {
        let variants: Vec<Variant> = self
            .tallies
            .iter()
            .map(|t| Variant {
                name: t.name.clone(),
                kind: most_frequent(&t.types).map_or(NameKind::Other, name_kind),
                quotes: t.quotes,
            })
            .collect();
        let identities = identify(&variants, aliases);
        let mut rows: Vec<(usize, SpeakerRow)> = identities
            .speakers
            .iter()
            .map(|speaker| {
                // Tallies are kept in first-seen order: their indices order the documents.
                let mut indices: Vec<usize> = speaker.variants.iter().map(|(i, _)| *i).collect();
                indices.sort_unstable();
                let first_seen = indices.first().copied().unwrap_or(0);
                let members: Vec<&Tally> = speaker.variants.iter().map(|(i, _)| &self.tallies[*i]).collect();
                let mut seen: HashSet<&str> = HashSet::new();
                let documents: Vec<String> = indices
                    .iter()
                    .flat_map(|&i| &self.tallies[i].documents)
                    .filter(|d| seen.insert(d.as_str()))
                    .cloned()
                    .collect();
                let mut types: HashMap<SpeakerType, usize> = HashMap::new();
                let mut genders: HashMap<(Gender, GenderEvidence), usize> = HashMap::new();
                for t in &members {
                    t.types.iter().for_each(|(k, n)| *types.entry(*k).or_default() += n);
                    t.genders.iter().for_each(|(k, n)| *genders.entry(*k).or_default() += n);
                }
                let kind = most_frequent(&types).map_or("OTHER", SpeakerType::as_str);
                let alias_gender = speaker.alias.as_ref().and_then(|a| a.gender);
                let (gender, evidence) = row_gender(&genders, alias_gender);
                let sum = |f: fn(&Tally) -> usize| members.iter().map(|t| f(t)).sum::<usize>();
                let quotes = sum(|t| t.quotes);
                let confidence: f64 = members.iter().map(|t| t.confidence).sum();
                let merged = if explain {
                    speaker
                        .variants
                        .iter()
                        .filter_map(|(i, why)| {
                            why.map(|w| MergedName {
                                name: self.tallies[*i].name.clone(),
                                quotes: self.tallies[*i].quotes,
                                reason: w.as_str(),
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let row = SpeakerRow {
                    id: speaker.id.clone(),
                    name: speaker.name.clone(),
                    kind: kind.to_string(),
                    gender,
                    gender_evidence: evidence,
                    documents: documents.len(),
                    quotes,
                    direct: sum(|t| t.direct),
                    mixed: sum(|t| t.mixed),
                    indirect: sum(|t| t.indirect),
                    mean_confidence: (confidence / quotes.max(1) as f64 * 1000.0).round() / 1000.0,
                    first_document: documents.first().cloned().unwrap_or_default(),
                    last_document: documents.last().cloned().unwrap_or_default(),
                    qid: speaker.alias.as_ref().and_then(|a| a.qid.clone()),
                    merged,
                    document_ids: documents,
                    names: members.iter().map(|t| t.name.clone()).collect(),
                };
                (first_seen, row)
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

/// The type a name has most often (ties: the alphabetically first), if any.
fn most_frequent(types: &HashMap<SpeakerType, usize>) -> Option<SpeakerType> {
    types.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.as_str().cmp(a.0.as_str()))).map(|(k, _)| *k)
}

/// Each name of `rows` (its merge key) with its row's index: where a document's speaker
/// stands in the corpus.
pub fn row_index_by_name(rows: &[SpeakerRow]) -> HashMap<String, usize> {
    rows.iter().enumerate().flat_map(|(i, r)| r.names.iter().map(move |n| (merge_key(n), i))).collect()
}

/// A speaker's gender from its documents: the strongest evidence class any document gives
/// (the text's own references first), the majority within it (a tie is unknown); else the
/// alias file's; else unknown.
fn row_gender(
    genders: &HashMap<(Gender, GenderEvidence), usize>,
    alias: Option<AliasGender>,
) -> (&'static str, &'static str) {
    let text = |e: GenderEvidence| !matches!(e, GenderEvidence::FirstName | GenderEvidence::Alias);
    let vote = |keep: &dyn Fn(GenderEvidence) -> bool| {
        let (mut female, mut male, mut strongest) = (0, 0, None::<GenderEvidence>);
        for (&(g, e), &n) in genders {
            if !keep(e) {
                continue;
            }
            match g {
                Gender::Female => female += n,
                Gender::Male => male += n,
                Gender::Unknown => continue,
            }
            strongest = Some(strongest.map_or(e, |s| s.min(e)));
        }
        match (female.cmp(&male), strongest) {
            (std::cmp::Ordering::Greater, Some(e)) => Some(("female", e.as_str())),
            (std::cmp::Ordering::Less, Some(e)) => Some(("male", e.as_str())),
            _ => None,
        }
    };
    if let Some(found) = vote(&text) {
        return found;
    }
    match alias {
        Some(AliasGender::Female) => return ("female", "alias"),
        Some(AliasGender::Male) => return ("male", "alias"),
        _ => {}
    }
    vote(&|e| !text(e)).unwrap_or(("unknown", ""))
}

/// Speaker rows as CSV with a header line (RFC 4180 quoting); `explain`: with a `merged`
/// column ("name (quotes, reason); ...").
pub fn rows_to_csv(rows: &[SpeakerRow], explain: bool) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from(
        "id,name,type,gender,gender_evidence,documents,quotes,direct,mixed,indirect,mean_confidence,first_document,\
         last_document,qid",
    );
    out.push_str(if explain { ",merged\n" } else { "\n" });
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{:.3},{},{},{}",
            field(&r.id),
            field(&r.name),
            field(&r.kind),
            r.gender,
            r.gender_evidence,
            r.documents,
            r.quotes,
            r.direct,
            r.mixed,
            r.indirect,
            r.mean_confidence,
            field(&r.first_document),
            field(&r.last_document),
            field(r.qid.as_deref().unwrap_or("")),
        ));
        if explain {
            let merged: Vec<String> =
                r.merged.iter().map(|m| format!("{} ({}, {})", m.name, m.quotes, m.reason)).collect();
            out.push(',');
            out.push_str(&field(&merged.join("; ")));
        }
        out.push('\n');
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

    fn summary(name: &str, gender: &str, evidence: &str) -> String {
        format!(
            r#"{{"name":"{name}","type":"PER","mentions":1,"quotes":1,"gender":"{gender}","gender_evidence":"{evidence}"}}"#
        )
    }

    #[test]
    fn speakers_merge_across_documents_with_reasons() {
        let lines = [
            format!(
                r#"{{"id":"a","quotes":[{},{},{}],"speakers":[{}]}}"#,
                q("direct", Some(("Ana Ruiz", "PER")), 0.9),
                q("indirect", Some(("Ana Ruiz", "PER")), 0.7),
                q("direct", Some(("he", "OTHER")), 0.8),
                summary("Ana Ruiz", "female", "pronoun")
            ),
            format!(
                r#"{{"id":"b","quotes":[{},{},{}],"speakers":[{}]}}"#,
                q("mixed", Some(("Ana  M. Ruiz", "PER")), 0.5),
                q("direct", Some(("Ruiz", "PER")), 0.9),
                q("direct", None, 0.1),
                summary("Ruiz", "female", "honorific")
            ),
            r#"{"id":"c","error":{"kind":"too_long","message":"m"}}"#.to_string(),
        ];
        let results = parse_results(&lines.join("\n")).unwrap();
        let mut index = SpeakerIndex::new(false);
        results.iter().for_each(|r| index.add(r));
        let rows = index.rows(None, true);
        assert_eq!(rows.len(), 1, "Ana Ruiz, Ana M. Ruiz and Ruiz are one; 'he' left out");
        let r = &rows[0];
        assert_eq!(
            (r.id.as_str(), r.name.as_str(), r.gender, r.gender_evidence),
            ("ana-ruiz", "Ana Ruiz", "female", "pronoun")
        );
        assert_eq!((r.documents, r.quotes, r.direct, r.mixed, r.indirect), (2, 4, 2, 1, 1));
        assert_eq!(r.mean_confidence, 0.75);
        assert_eq!((r.first_document.as_str(), r.last_document.as_str()), ("a", "b"));
        let reasons: Vec<(&str, &str)> = r.merged.iter().map(|m| (m.name.as_str(), m.reason)).collect();
        assert_eq!(reasons, [("Ana  M. Ruiz", "middle_name"), ("Ruiz", "surname_only")]);
        assert_eq!((index.documents, index.failed_documents, index.without_speaker, index.unresolved), (3, 1, 1, 1));
        let csv = rows_to_csv(&rows, false);
        assert!(csv.starts_with("id,name,type,gender,gender_evidence,documents,quotes"), "{csv}");
        assert!(csv.contains("\nana-ruiz,Ana Ruiz,PER,female,pronoun,2,4,2,1,1,0.750,a,b,\n"), "{csv}");
        assert!(rows_to_csv(&rows, true).contains("Ruiz (1, surname_only)"));
        let mut with_unresolved = SpeakerIndex::new(true);
        results.iter().for_each(|r| with_unresolved.add(r));
        assert_eq!(with_unresolved.rows(None, false).len(), 2);
        let summary = GenderSummary::of(&rows);
        assert_eq!(summary.female, GenderCount { quotes: 4, speakers: 1 });
    }

    #[test]
    fn two_people_with_one_surname_stay_apart_and_aliases_name_them() {
        let line = format!(
            r#"{{"id":"a","quotes":[{},{},{}],"speakers":[]}}"#,
            q("direct", Some(("Ana Ruiz", "PER")), 0.9),
            q("direct", Some(("Tomas Ruiz", "PER")), 0.9),
            q("direct", Some(("Ruiz", "PER")), 0.9)
        );
        let mut index = SpeakerIndex::new(false);
        index.add(&parse_results(&line).unwrap()[0]);
        assert_eq!(index.rows(None, false).len(), 3, "Ruiz could be either");
        let aliases = AliasTable::parse("id,name,aliases,qid,gender\nR7,Ana Ruiz,Ruiz,Q7,female\n").unwrap();
        let rows = index.rows(Some(&aliases), false);
        assert_eq!(rows.len(), 2);
        let ana = rows.iter().find(|r| r.id == "R7").unwrap();
        assert_eq!(
            (ana.quotes, ana.gender, ana.gender_evidence, ana.qid.as_deref()),
            (2, "female", "alias", Some("Q7"))
        );
    }

    #[test]
    fn csv_fields_are_quoted() {
        let line = format!(
            r#"{{"id":"x,y","quotes":[{}],"speakers":[]}}"#,
            q("direct", Some(("Smith, \\\"Jr\\\"", "PER")), 0.9)
        );
        let mut index = SpeakerIndex::new(false);
        index.add(&parse_results(&line).unwrap()[0]);
        let csv = rows_to_csv(&index.rows(None, false), false);
        assert!(csv.contains(",\"Smith, \"\"Jr\"\"\",PER,unknown,,1,1,1,0,0,0.900,\"x,y\",\"x,y\","), "{csv}");
    }
}
