//! Scoring speaker coreference (`whosaid eval-coref`), and labelling the resolver's examples
//! for training it.
//!
//! - GAP (Webster et al. 2018): each row is a passage, a pronoun and two names A and B with
//!   whether the pronoun refers to each. As GAP's own scorer does, each row gives two
//!   decisions, "refers to A" and "refers to B"; precision, recall and F1 count them, overall
//!   and by the pronoun's gender, and bias is the feminine F1 over the masculine.
//! - GUM (its coreference layer): every third-person pronoun and definite description whosaid
//!   resolves, aligned with a gold mention of a person or organisation, is right when it goes
//!   to a name of the same entity mentioned before it, or to none when no name of that entity
//!   comes before it.

use serde::Serialize;

use crate::coref::resolver::AnaphorExample;
use crate::output::CorefReport;

/// One GAP row. Offsets are code points of `text`.
#[derive(Clone, Debug)]
pub struct GapRow {
    pub id: String,
    pub text: String,
    pub pronoun: String,
    pub pronoun_offset: usize,
    pub a: String,
    pub a_offset: usize,
    pub a_coref: bool,
    pub b: String,
    pub b_offset: usize,
    pub b_coref: bool,
}

impl GapRow {
    fn a_span(&self) -> (usize, usize) {
        (self.a_offset, self.a_offset + self.a.chars().count())
    }

    fn b_span(&self) -> (usize, usize) {
        (self.b_offset, self.b_offset + self.b.chars().count())
    }

    fn feminine(&self) -> bool {
        matches!(self.pronoun.to_lowercase().as_str(), "she" | "her" | "hers" | "herself")
    }
}

/// The rows of a GAP TSV file (with its header line).
pub fn read_gap(tsv: &str) -> Result<Vec<GapRow>, String> {
    let mut lines = tsv.lines().enumerate();
    let header: Vec<&str> = lines.next().map(|(_, l)| l.split('\t').collect()).unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| *h == name).ok_or(format!("no {name} column in the header"));
    let cols = [
        col("ID")?,
        col("Text")?,
        col("Pronoun")?,
        col("Pronoun-offset")?,
        col("A")?,
        col("A-offset")?,
        col("A-coref")?,
        col("B")?,
        col("B-offset")?,
        col("B-coref")?,
    ];
    let mut rows = Vec::new();
    for (n, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(cols[i]).copied().ok_or(format!("line {}: too few columns", n + 1));
        let number = |i: usize| -> Result<usize, String> {
            get(i)?.trim().parse().map_err(|_| format!("line {}: {:?} is not an offset", n + 1, get(i).unwrap_or("")))
        };
        let truth = |i: usize| -> Result<bool, String> {
            match get(i)?.trim().to_uppercase().as_str() {
                "TRUE" => Ok(true),
                "FALSE" => Ok(false),
                other => Err(format!("line {}: {other:?} is neither TRUE nor FALSE", n + 1)),
            }
        };
        rows.push(GapRow {
            id: get(0)?.to_string(),
            text: get(1)?.to_string(),
            pronoun: get(2)?.to_string(),
            pronoun_offset: number(3)?,
            a: get(4)?.to_string(),
            a_offset: number(5)?,
            a_coref: truth(6)?,
            b: get(7)?.to_string(),
            b_offset: number(8)?,
            b_coref: truth(9)?,
        });
    }
    Ok(rows)
}

/// Precision, recall and F1 of binary decisions.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Prf {
    fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.true_positives += 1,
            (true, false) => self.false_positives += 1,
            (false, true) => self.false_negatives += 1,
            (false, false) => {}
        }
    }

    fn finish(mut self) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.true_positives, self.true_positives + self.false_positives);
        self.recall = ratio(self.true_positives, self.true_positives + self.false_negatives);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
        self
    }
}

/// GAP's figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GapScore {
    pub overall: Prf,
    pub masculine: Prf,
    pub feminine: Prf,
    /// Feminine F1 over masculine F1.
    pub bias: f64,
    pub rows: usize,
    /// Rows whose pronoun whosaid did not take as a mention (scored as "neither").
    pub pronoun_missed: usize,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn last_word(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric()).rfind(|w| !w.is_empty()).unwrap_or("").to_lowercase()
}

/// Does the pronoun of `row` refer to A, and to B, in whosaid's resolution of the row's text?
/// To a name when its entity has a name mention over the name's offsets, or its canonical
/// name ends in the name's last word. None when the pronoun is not a mention.
pub fn gap_predict(row: &GapRow, report: &CorefReport) -> Option<(bool, bool)> {
    let pronoun = report.mentions.iter().find(|m| m.start == row.pronoun_offset && m.kind == "pronoun")?;
    let Some(entity) = pronoun.entity else { return Some((false, false)) };
    let refers = |span: (usize, usize), name: &str| {
        let named_there = report
            .mentions
            .iter()
            .any(|m| m.kind == "name" && m.entity == Some(entity) && overlaps((m.start, m.end), span));
        named_there || last_word(&report.entities[entity].0) == last_word(name)
    };
    Some((refers(row.a_span(), &row.a), refers(row.b_span(), &row.b)))
}

/// Score GAP predictions (None: the pronoun was not a mention, taken as "neither").
pub fn score_gap(rows: &[GapRow], predictions: &[Option<(bool, bool)>]) -> GapScore {
    let (mut overall, mut masculine, mut feminine) = (Prf::default(), Prf::default(), Prf::default());
    let mut missed = 0;
    for (row, prediction) in rows.iter().zip(predictions) {
        let (a, b) = prediction.unwrap_or_else(|| {
            missed += 1;
            (false, false)
        });
        for prf in [&mut overall, if row.feminine() { &mut feminine } else { &mut masculine }] {
            prf.add(a, row.a_coref);
            prf.add(b, row.b_coref);
        }
    }
    let (masculine, feminine) = (masculine.finish(), feminine.finish());
    GapScore {
        overall: overall.finish(),
        masculine,
        feminine,
        bias: if masculine.f1 > 0.0 { feminine.f1 / masculine.f1 } else { 0.0 },
        rows: rows.len(),
        pronoun_missed: missed,
    }
}

/// Which of an example's candidates are right for a GAP row (None: the example is not the
/// row's pronoun, or the right name is not among the candidates).
pub fn gap_labels(row: &GapRow, example: &AnaphorExample) -> Option<Vec<bool>> {
    if example.start != row.pronoun_offset {
        return None;
    }
    let holds =
        |c: &crate::coref::resolver::CandidateExample, span: (usize, usize)| c.spans.iter().any(|&s| overlaps(s, span));
    let labels: Vec<bool> = example
        .candidates
        .iter()
        .map(|c| {
            let (a, b) = (holds(c, row.a_span()), holds(c, row.b_span()));
            if row.a_coref {
                a
            } else if row.b_coref {
                b
            } else {
                // Neither: any candidate but A's and B's (none included) may be right.
                !a && !b
            }
        })
        .collect();
    labels.iter().any(|&l| l).then_some(labels)
}

/// A gold entity mention (from GUM's coreference layer), in code points.
#[derive(Clone, Debug)]
pub struct GoldMention {
    pub start: usize,
    pub end: usize,
    pub entity: String,
    /// GUM's entity type: person, organization, place, ...
    pub etype: String,
}

/// The gold mention a system mention over `span` (with its head word's span `head`) is:
/// the same span, else one starting with it and holding the head, else the smallest holding
/// the head.
fn align(gold: &[GoldMention], span: (usize, usize), head: (usize, usize)) -> Option<&GoldMention> {
    let holds_head = |g: &&GoldMention| g.start <= head.0 && head.1 <= g.end;
    gold.iter()
        .find(|g| (g.start, g.end) == span)
        .or_else(|| gold.iter().filter(holds_head).find(|g| g.start == span.0))
        .or_else(|| gold.iter().filter(holds_head).min_by_key(|g| g.end - g.start))
}

/// The gold entity a system name over `span` names: the smallest gold mention holding it.
fn name_entity(gold: &[GoldMention], span: (usize, usize)) -> Option<&GoldMention> {
    gold.iter().filter(|g| g.start <= span.0 && span.1 <= g.end).min_by_key(|g| g.end - g.start)
}

/// Accuracy counts.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Accuracy {
    pub right: usize,
    pub total: usize,
    pub accuracy: f64,
}

impl Accuracy {
    fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
        self.accuracy = self.right as f64 / self.total as f64;
    }
}

/// GUM's figures: antecedent accuracy of pronouns and descriptions of people and
/// organisations, by kind and type.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GumScore {
    pub overall: Accuracy,
    pub pronoun_person: Accuracy,
    pub pronoun_organisation: Accuracy,
    pub description_person: Accuracy,
    pub description_organisation: Accuracy,
    pub documents: usize,
}

/// The gold entity of an anaphor at `span` and the system entities that are right for it
/// (empty: "none" is right), when it is a person or organisation.
fn gum_truth(report: &CorefReport, gold: &[GoldMention], span: (usize, usize)) -> Option<(String, Vec<usize>)> {
    let head = report.mentions.iter().find(|m| (m.start, m.end) == span).map_or(span, |m| (m.start, m.end));
    let g = align(gold, span, head)?;
    if g.etype != "person" && g.etype != "organization" {
        return None;
    }
    let mut right: Vec<usize> = report
        .mentions
        .iter()
        .filter(|m| m.kind == "name" && m.start < span.0)
        .filter(|m| name_entity(gold, (m.start, m.end)).is_some_and(|n| n.entity == g.entity))
        .filter_map(|m| m.entity)
        .collect();
    right.sort_unstable();
    right.dedup();
    Some((g.etype.clone(), right))
}

/// Add one document's resolution to a GUM score.
pub fn score_gum_document(score: &mut GumScore, report: &CorefReport, gold: &[GoldMention]) {
    score.documents += 1;
    for m in report.mentions.iter().filter(|m| m.anaphor) {
        let Some((etype, right)) = gum_truth(report, gold, (m.start, m.end)) else { continue };
        let ok = match m.entity {
            Some(e) => right.contains(&e),
            None => right.is_empty(),
        };
        score.overall.add(ok);
        let bucket = match (m.kind, etype.as_str()) {
            ("pronoun", "person") => &mut score.pronoun_person,
            ("pronoun", _) => &mut score.pronoun_organisation,
            (_, "person") => &mut score.description_person,
            _ => &mut score.description_organisation,
        };
        bucket.add(ok);
    }
}

/// Which of an example's candidates are right by GUM's gold (None: not a person or
/// organisation anaphor).
pub fn gum_labels(report: &CorefReport, gold: &[GoldMention], example: &AnaphorExample) -> Option<Vec<bool>> {
    gum_truth(report, gold, (example.start, example.end))?;
    let head = (example.start, example.end);
    let g = align(gold, head, head)?;
    let named_before = |c: &crate::coref::resolver::CandidateExample| {
        c.spans.iter().any(|&s| s.0 < example.start && name_entity(gold, s).is_some_and(|n| n.entity == g.entity))
    };
    let any_named = example.candidates.iter().any(named_before);
    Some(example.candidates.iter().map(|c| if any_named { named_before(c) } else { c.spans.is_empty() }).collect())
}

/// A pronoun or description whose referent a person wrote down (the resolved-speaker
/// fixtures: `tests/fixtures/polnear-dev-resolved-speakers.jsonl`).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ResolvedMention {
    pub doc: String,
    pub source_start: usize,
    pub source_end: usize,
    pub name: String,
}

/// The last word of a name, lower-cased, generational suffixes left out.
fn surname(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .rfind(|w| !matches!(w.as_str(), "jr" | "sr" | "ii" | "iii" | "iv"))
        .unwrap_or_default()
}

/// The anaphor whosaid resolved at a hand-resolved source: the one with the source's span,
/// else one inside it or holding it.
fn anaphor_at<'r>(report: &'r CorefReport, r: &ResolvedMention) -> Option<&'r crate::output::MentionReport> {
    let span = (r.source_start, r.source_end);
    report
        .mentions
        .iter()
        .filter(|m| m.anaphor)
        .find(|m| (m.start, m.end) == span)
        .or_else(|| report.mentions.iter().filter(|m| m.anaphor).find(|m| overlaps((m.start, m.end), span)))
}

/// Add a document's resolution of hand-resolved sources to `score`: right when the anaphor's
/// entity has the name's surname. A source whosaid took for no anaphor counts as wrong.
pub fn score_resolved_document(score: &mut Accuracy, report: &CorefReport, gold: &[ResolvedMention]) {
    for r in gold {
        let right = anaphor_at(report, r)
            .and_then(|m| m.entity)
            .is_some_and(|e| surname(&report.entities[e].0) == surname(&r.name));
        score.add(right);
    }
}

/// Which of an example's candidates are right by a hand-resolved source (None: the example is
/// at no such source, or no candidate has the name's surname).
pub fn resolved_labels(gold: &[ResolvedMention], example: &AnaphorExample) -> Option<Vec<bool>> {
    let r = gold.iter().find(|r| overlaps((r.source_start, r.source_end), (example.start, example.end)))?;
    let labels: Vec<bool> =
        example.candidates.iter().map(|c| !c.name.is_empty() && surname(&c.name) == surname(&r.name)).collect();
    labels.iter().any(|&l| l).then_some(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MentionReport;
    use crate::speaker_type::SpeakerType;

    fn row(a_coref: bool, b_coref: bool, pronoun: &str) -> GapRow {
        GapRow {
            id: "r".into(),
            text: "Ann Lee met Bea Cho. She smiled.".into(),
            pronoun: pronoun.into(),
            pronoun_offset: 20,
            a: "Ann Lee".into(),
            a_offset: 0,
            a_coref,
            b: "Bea Cho".into(),
            b_offset: 12,
            b_coref,
        }
    }

    fn report(pronoun_entity: Option<usize>) -> CorefReport {
        let m = |start, end, kind, entity| MentionReport {
            start,
            end,
            kind,
            entity,
            confidence: 1.0,
            anaphor: kind == "pronoun",
        };
        CorefReport {
            mentions: vec![m(0, 7, "name", Some(0)), m(12, 19, "name", Some(1)), m(20, 23, "pronoun", pronoun_entity)],
            entities: vec![("Ann Lee".into(), SpeakerType::PERSON), ("Bea Cho".into(), SpeakerType::PERSON)],
            ..CorefReport::default()
        }
    }

    #[test]
    fn gap_counts_two_decisions_a_row_as_its_scorer_does() {
        let rows = [row(true, false, "She"), row(false, true, "her"), row(false, false, "he")];
        // Right, wrong (A for B) and a pronoun taken for neither.
        let predictions =
            [gap_predict(&rows[0], &report(Some(0))), gap_predict(&rows[1], &report(Some(0))), Some((false, false))];
        assert_eq!(predictions[0], Some((true, false)));
        let s = score_gap(&rows, &predictions);
        assert_eq!((s.overall.true_positives, s.overall.false_positives, s.overall.false_negatives), (1, 1, 1));
        assert!((s.overall.f1 - 0.5).abs() < 1e-9);
        assert_eq!(s.masculine.true_positives + s.masculine.false_positives + s.masculine.false_negatives, 0);
        assert_eq!(s.bias, 0.0, "no masculine F1 to divide by");
    }

    #[test]
    fn gap_labels_say_which_candidates_are_right() {
        use crate::coref::resolver::{AnaphorExample, CandidateExample};
        let cand = |name: &str, spans: Vec<(usize, usize)>| CandidateExample {
            name: name.into(),
            features: vec![],
            spans,
            state: vec![],
        };
        let example = AnaphorExample {
            start: 20,
            end: 23,
            kind: "pronoun".into(),
            candidates: vec![cand("", vec![]), cand("Ann Lee", vec![(0, 7)]), cand("Bea Cho", vec![(12, 19)])],
            state: vec![],
            chosen: 0,
        };
        assert_eq!(gap_labels(&row(true, false, "She"), &example), Some(vec![false, true, false]));
        // Neither: "none" (and any third person) is right.
        assert_eq!(gap_labels(&row(false, false, "She"), &example), Some(vec![true, false, false]));
    }
}
