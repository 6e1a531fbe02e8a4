//! Scoring quotations and speakers against gold annotations, with exactly the rules of
//! docs/scoring.md: two groups (quoted = direct + mixed, reported = indirect),
//! 50%/50% overlap matching, core-only recall, precision that ignores quotations matching
//! only non-core or other-group gold, and speaker correctness by surname or by mention
//! overlap with the annotated source.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// One gold record (seeds or PolNeAR format).
#[derive(Clone, Debug, Deserialize)]
pub struct GoldRecord {
    #[serde(default)]
    pub id: String,
    pub doc: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
    #[serde(default)]
    pub text: String,
    /// May be null in PolNeAR (an attribution with no annotated source).
    #[serde(default)]
    pub speaker: Option<String>,
    pub source_start: Option<usize>,
    pub source_end: Option<usize>,
    #[serde(default = "yes")]
    pub core: bool,
}

fn yes() -> bool {
    true
}

/// A system speaker as read back from output JSON.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SystemSpeaker {
    pub name: String,
    #[serde(default)]
    pub start: Option<usize>,
    #[serde(default)]
    pub end: Option<usize>,
}

impl From<&crate::output::Quotation> for SystemQuote {
    /// A quotation straight from the pipeline, as it would read back from its output line.
    fn from(q: &crate::output::Quotation) -> Self {
        SystemQuote {
            start: q.start,
            end: q.end,
            kind: q.kind.as_str().to_string(),
            speaker: q.speaker.as_ref().map(|s| SystemSpeaker {
                name: s.name.clone(),
                start: Some(s.start),
                end: Some(s.end),
            }),
            text: q.text.clone(),
            candidates: q
                .candidates
                .iter()
                .flatten()
                .map(|c| SystemCandidate {
                    speaker: SystemSpeaker {
                        name: c.speaker.name.clone(),
                        start: Some(c.speaker.start),
                        end: Some(c.speaker.end),
                    },
                })
                .collect(),
        }
    }
}

/// A speaker candidate of a system quotation (output with features), as read back.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SystemCandidate {
    pub speaker: SystemSpeaker,
}

/// A system quotation as read back from output JSON.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SystemQuote {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub speaker: Option<SystemSpeaker>,
    #[serde(default)]
    pub text: String,
    /// Its speaker candidates, when the output has them (`--with-features`).
    #[serde(default)]
    pub candidates: Vec<SystemCandidate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Quoted,
    Reported,
}

pub fn group_of(kind: &str) -> Group {
    if kind == "indirect" {
        Group::Reported
    } else {
        Group::Quoted
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Overlap covers at least half of each span.
pub fn matches(gold: (usize, usize), system: (usize, usize)) -> bool {
    let o = overlap(gold, system);
    let (gl, sl) = (gold.1.saturating_sub(gold.0), system.1.saturating_sub(system.0));
    gl > 0 && sl > 0 && 2 * o >= gl && 2 * o >= sl
}

const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "secretary",
    "minister",
    "foreign",
    "prime",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "general",
    "gen",
    "attorney",
    "us",
    "the",
];
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii"];

/// (surname, suffix) of a name: the last token after lower-casing, splitting on non-word
/// characters, and dropping titles; generational suffixes are set aside.
pub fn surname(name: &str) -> (Option<String>, Option<String>) {
    let lowered = name.to_lowercase();
    let tokens: Vec<&str> =
        lowered.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|t| !t.is_empty()).collect();
    let suffix = tokens.iter().rev().find(|t| SUFFIXES.contains(t)).map(|s| s.to_string());
    let last = tokens.iter().rev().find(|t| !TITLES.contains(t) && !SUFFIXES.contains(t)).map(|s| s.to_string());
    (last, suffix)
}

fn tokens_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

/// Is the system speaker right for this gold record?
pub fn speaker_correct(gold: &GoldRecord, system: Option<&SystemSpeaker>) -> bool {
    let Some(sys) = system else { return false };
    match (gold.source_start, gold.source_end) {
        (Some(gs), Some(ge)) => {
            if let (Some(s), Some(e)) = (sys.start, sys.end) {
                if overlap((gs, ge), (s, e)) > 0 {
                    return true;
                }
            }
            let (sys_surname, sys_suffix) = surname(&sys.name);
            let Some(sur) = sys_surname else { return false };
            let gold_tokens = tokens_of(gold.speaker.as_deref().unwrap_or(""));
            let gold_suffix = gold_tokens.iter().find(|t| SUFFIXES.contains(&t.as_str())).cloned();
            gold_tokens.contains(&sur) && gold_suffix == sys_suffix
        }
        _ => same_person(gold.speaker.as_deref().unwrap_or(""), &sys.name),
    }
}

/// Do two names name the same person by the seeds' rule: equal surnames (present) and equal
/// generational suffixes.
fn same_person(gold_name: &str, system_name: &str) -> bool {
    let (gold_surname, gold_suffix) = surname(gold_name);
    let (sys_surname, sys_suffix) = surname(system_name);
    sys_surname.is_some() && sys_surname == gold_surname && sys_suffix == gold_suffix
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct GroupScore {
    pub core_gold: usize,
    pub matched: usize,
    pub correct: usize,
    pub system: usize,
    pub system_matched: usize,
    pub span_precision: f64,
    pub span_recall: f64,
    pub speaker_accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl GroupScore {
    fn finish(&mut self) {
        let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
        self.span_precision = ratio(self.system_matched, self.system);
        self.span_recall = ratio(self.matched, self.core_gold);
        self.speaker_accuracy = ratio(self.correct, self.matched);
        self.recall = ratio(self.correct, self.core_gold);
        self.precision = self.span_precision * self.speaker_accuracy;
        let s = self.precision + self.recall;
        self.f1 = if s > 0.0 { 2.0 * self.precision * self.recall / s } else { 0.0 };
    }
}

/// One problem for `--errors`.
#[derive(Clone, Debug, Serialize)]
pub struct EvalError {
    pub doc: String,
    pub group: Group,
    /// "miss", "wrong_speaker" or "extra".
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub gold_speaker: Option<String>,
    pub system_speaker: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    pub quoted: GroupScore,
    pub reported: GroupScore,
    #[serde(skip)]
    pub errors: Vec<EvalError>,
    /// Reliability table (10 bins) and expected calibration error of the confidences of the
    /// system quotations that count for precision.
    pub calibration: Calibration,
    /// Every system quotation's outcome, in document and output order.
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

/// What scoring made of one system quotation: `right` is None when it counts neither for
/// nor against precision (it matches only non-core gold or gold of the other group), else
/// whether it matched core gold of its group with a correct speaker.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub right: Option<bool>,
    /// The quotation's confidence, when the output gave one.
    pub confidence: Option<f32>,
    /// For a quotation with speaker candidates that matches core gold of its group: whether
    /// each candidate would be a correct speaker (training data for the speaker ranker).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates_right: Option<Vec<bool>>,
}

/// One bin of a reliability table: system quotations whose confidence lies in `lo..hi`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReliabilityBin {
    pub lo: f32,
    pub hi: f32,
    pub count: usize,
    /// Mean confidence of the bin's quotations.
    pub confidence: f64,
    /// Share of them that were right (matched with a correct speaker).
    pub accuracy: f64,
}

/// How well confidences match how often quotations are right: a reliability table of
/// `bins` equal-width confidence bins, and the expected calibration error (the bins'
/// |accuracy - confidence| weighted by their share of quotations).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Calibration {
    pub bins: Vec<ReliabilityBin>,
    pub ece: f64,
    pub count: usize,
}

impl Calibration {
    pub fn of(outcomes: &[(f32, bool)], bins: usize) -> Calibration {
        let bins = bins.max(1);
        let mut sums = vec![(0usize, 0f64, 0usize); bins];
        for &(c, ok) in outcomes {
            let b = ((c.clamp(0.0, 1.0) * bins as f32) as usize).min(bins - 1);
            sums[b].0 += 1;
            sums[b].1 += f64::from(c);
            sums[b].2 += usize::from(ok);
        }
        let total = outcomes.len();
        let mut out = Calibration { bins: Vec::new(), ece: 0.0, count: total };
        for (b, (n, conf, right)) in sums.into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (confidence, accuracy) = (conf / n as f64, right as f64 / n as f64);
            out.ece += n as f64 / total as f64 * (accuracy - confidence).abs();
            let (lo, hi) = (b as f32 / bins as f32, (b + 1) as f32 / bins as f32);
            out.bins.push(ReliabilityBin { lo, hi, count: n, confidence, accuracy });
        }
        out
    }
}

/// Score system quotations (per document id, with optional confidences) against gold.
/// Documents absent from `system` count as having no quotations.
pub fn score(
    gold: &[GoldRecord],
    system: &HashMap<String, Vec<(SystemQuote, Option<f32>)>>,
    doc_ids: &[String],
) -> Report {
    let mut report = Report { documents: doc_ids.len(), ..Default::default() };
    let mut gold_by_doc: HashMap<&str, Vec<&GoldRecord>> = HashMap::new();
    for g in gold {
        gold_by_doc.entry(g.doc.as_str()).or_default().push(g);
    }
    let empty = Vec::new();
    for doc in doc_ids {
        let golds = gold_by_doc.get(doc.as_str()).cloned().unwrap_or_default();
        let sys = system.get(doc).unwrap_or(&empty);
        for group in [Group::Quoted, Group::Reported] {
            let gs = if group == Group::Quoted { &mut report.quoted } else { &mut report.reported };
            // Recall side.
            for g in golds.iter().filter(|g| g.core && group_of(&g.kind) == group) {
                gs.core_gold += 1;
                let matching: Vec<&(SystemQuote, Option<f32>)> = sys
                    .iter()
                    .filter(|(s, _)| group_of(&s.kind) == group && matches((g.start, g.end), (s.start, s.end)))
                    .collect();
                if matching.is_empty() {
                    report.errors.push(EvalError {
                        doc: doc.clone(),
                        group,
                        kind: "miss",
                        start: g.start,
                        end: g.end,
                        text: g.text.clone(),
                        gold_speaker: g.speaker.clone(),
                        system_speaker: None,
                    });
                    continue;
                }
                gs.matched += 1;
                if matching.iter().any(|(s, _)| speaker_correct(g, s.speaker.as_ref())) {
                    gs.correct += 1;
                } else {
                    report.errors.push(EvalError {
                        doc: doc.clone(),
                        group,
                        kind: "wrong_speaker",
                        start: g.start,
                        end: g.end,
                        text: g.text.clone(),
                        gold_speaker: g.speaker.clone(),
                        system_speaker: Some(
                            matching[0].0.speaker.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "(none)".into()),
                        ),
                    });
                }
            }
            // Precision side.
            for (s, conf) in sys.iter().filter(|(s, _)| group_of(&s.kind) == group) {
                let hits: Vec<&&GoldRecord> =
                    golds.iter().filter(|g| matches((g.start, g.end), (s.start, s.end))).collect();
                let good = hits.iter().any(|g| g.core && group_of(&g.kind) == group);
                let core_hits = || hits.iter().filter(|g| g.core && group_of(&g.kind) == group);
                let right = good && core_hits().any(|g| speaker_correct(g, s.speaker.as_ref()));
                let candidates_right = (good && !s.candidates.is_empty()).then(|| {
                    s.candidates.iter().map(|c| core_hits().any(|g| speaker_correct(g, Some(&c.speaker)))).collect()
                });
                report.outcomes.push(Outcome {
                    doc: doc.clone(),
                    start: s.start,
                    end: s.end,
                    kind: s.kind.clone(),
                    right: (good || hits.is_empty()).then_some(right),
                    confidence: *conf,
                    candidates_right,
                });
                if good {
                    gs.system += 1;
                    gs.system_matched += 1;
                } else if hits.is_empty() {
                    gs.system += 1;
                    report.errors.push(EvalError {
                        doc: doc.clone(),
                        group,
                        kind: "extra",
                        start: s.start,
                        end: s.end,
                        text: s.text.clone(),
                        gold_speaker: None,
                        system_speaker: s.speaker.as_ref().map(|x| x.name.clone()),
                    });
                }
            }
        }
    }
    report.quoted.finish();
    report.reported.finish();
    let scored: Vec<(f32, bool)> = report.outcomes.iter().filter_map(|o| Some((o.confidence?, o.right?))).collect();
    report.calibration = Calibration::of(&scored, 10);
    report
}

/// One quotation of a resolved-speaker fixture (`tests/fixtures/*-resolved-speakers.jsonl`):
/// a gold quotation whose annotated source is a pronoun or a description, with the name of
/// the person or organisation it refers to, read off the article by hand.
#[derive(Clone, Debug, Deserialize)]
pub struct ResolvedRecord {
    pub doc: String,
    pub kind: String,
    pub start: usize,
    pub end: usize,
    /// "pronoun" or "description".
    #[serde(default)]
    pub mention: String,
    /// The canonical name (fullest form in the article).
    pub name: String,
}

/// Resolved-name accuracy: of the fixture's quotations that some system quotation of the
/// same group matches, the share where one matching quotation names the right speaker
/// (surname and generational suffix equal, as for the seeds). The speaker mention's offsets
/// do not count: this scores the name the output gives, not where the mention is.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ResolvedScore {
    pub items: usize,
    pub matched: usize,
    pub right: usize,
    pub accuracy: f64,
    /// Each matched record the system named wrongly: (record, the system's name).
    #[serde(skip)]
    pub wrong: Vec<(ResolvedRecord, String)>,
}

pub fn score_resolved(
    records: &[ResolvedRecord],
    system: &HashMap<String, Vec<(SystemQuote, Option<f32>)>>,
) -> ResolvedScore {
    let mut out = ResolvedScore { items: records.len(), ..Default::default() };
    let empty = Vec::new();
    for r in records {
        let group = group_of(&r.kind);
        let matching: Vec<&SystemQuote> = system
            .get(&r.doc)
            .unwrap_or(&empty)
            .iter()
            .map(|(q, _)| q)
            .filter(|q| group_of(&q.kind) == group && matches((r.start, r.end), (q.start, q.end)))
            .collect();
        if matching.is_empty() {
            continue;
        }
        out.matched += 1;
        let named_right = |q: &&SystemQuote| q.speaker.as_ref().is_some_and(|s| same_person(&r.name, &s.name));
        if matching.iter().any(named_right) {
            out.right += 1;
        } else {
            let got = matching[0].speaker.as_ref().map_or_else(|| "(none)".to_string(), |s| s.name.clone());
            out.wrong.push((r.clone(), got));
        }
    }
    out.accuracy = if out.matched == 0 { 0.0 } else { out.right as f64 / out.matched as f64 };
    out
}

/// A hand-checked speaker's gender as the article refers to them
/// (`tests/fixtures/polnear-dev-speaker-genders.jsonl`).
#[derive(Clone, Debug, Deserialize)]
pub struct GenderRecord {
    pub doc: String,
    pub name: String,
    /// female, male or unknown.
    pub gender: String,
    /// pronoun, honorific, title, or none (the article gives no gender).
    pub evidence: String,
}

/// A speaker of a document's output summary, as the gender score reads it.
#[derive(Clone, Debug, Deserialize)]
pub struct SystemSpeakerGender {
    pub name: String,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub gender_evidence: Option<String>,
}

/// Gender accuracy on the fixture's speakers that the output also lists (same surname and
/// suffix, as for resolved names): on those the article refers to with a pronoun, an
/// honorific or a gendered title, the share the output gives that gender (unknown counts
/// as wrong, and is also counted apart); and on those it gives no gender for, how many the
/// output still gives one (from first-name statistics or an alias file).
#[derive(Clone, Debug, Default, Serialize)]
pub struct GenderScore {
    pub records: usize,
    /// Records whose speaker the output lists.
    pub found: usize,
    /// Found, with a gender in the article.
    pub stated: usize,
    pub right: usize,
    pub wrong: usize,
    pub unknown: usize,
    pub accuracy: f64,
    /// Of the stated ones, by the output's evidence: (right, all).
    pub by_system_evidence: BTreeMap<String, (usize, usize)>,
    /// Found, with no gender in the article, and of those how many the output gives one.
    pub unstated: usize,
    pub unstated_given: usize,
    /// Each stated record the output got wrong or left unknown: (doc, name, gold, system).
    #[serde(skip)]
    pub misses: Vec<(String, String, String, String)>,
}

pub fn score_genders(records: &[GenderRecord], system: &HashMap<String, Vec<SystemSpeakerGender>>) -> GenderScore {
    let mut out = GenderScore { records: records.len(), ..Default::default() };
    for r in records {
        let speakers = system.get(&r.doc).map(Vec::as_slice).unwrap_or(&[]);
        let found = speakers
            .iter()
            .find(|s| s.name == r.name)
            .or_else(|| speakers.iter().find(|s| same_person(&r.name, &s.name)));
        let Some(s) = found else { continue };
        out.found += 1;
        let got = s.gender.clone().unwrap_or_else(|| "unknown".into());
        if r.evidence == "none" {
            out.unstated += 1;
            out.unstated_given += usize::from(got != "unknown");
            continue;
        }
        out.stated += 1;
        let evidence = s.gender_evidence.clone().unwrap_or_else(|| "none".into());
        let entry = out.by_system_evidence.entry(evidence).or_default();
        entry.1 += 1;
        if got == r.gender {
            out.right += 1;
            entry.0 += 1;
        } else {
            if got == "unknown" {
                out.unknown += 1;
            } else {
                out.wrong += 1;
            }
            out.misses.push((r.doc.clone(), r.name.clone(), r.gender.clone(), got));
        }
    }
    out.accuracy = if out.stated == 0 { 0.0 } else { out.right as f64 / out.stated as f64 };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genders_score_on_stated_speakers_and_count_unknowns() {
        let rec = |name: &str, gender: &str, evidence: &str| GenderRecord {
            doc: "d".into(),
            name: name.into(),
            gender: gender.into(),
            evidence: evidence.into(),
        };
        let sys = |name: &str, gender: &str, evidence: &str| SystemSpeakerGender {
            name: name.into(),
            gender: Some(gender.into()),
            gender_evidence: (!evidence.is_empty()).then(|| evidence.into()),
        };
        let records = [
            rec("Ana Ruiz", "female", "pronoun"),
            rec("Tom Reyes", "male", "honorific"),
            rec("Kim Lo", "male", "title"),
            rec("Sam Ode", "unknown", "none"),
            rec("Not There", "male", "pronoun"),
        ];
        let system = HashMap::from([(
            "d".to_string(),
            vec![
                sys("Ruiz", "female", "pronoun"),
                sys("Tom Reyes", "unknown", ""),
                sys("Kim Lo", "female", "first_name"),
                sys("Sam Ode", "male", "first_name"),
            ],
        )]);
        let s = score_genders(&records, &system);
        assert_eq!((s.records, s.found, s.stated, s.right, s.wrong, s.unknown), (5, 4, 3, 1, 1, 1));
        assert_eq!((s.unstated, s.unstated_given), (1, 1));
        assert_eq!(s.by_system_evidence["first_name"], (0, 1));
    }

    fn gold(kind: &str, start: usize, end: usize, speaker: &str, core: bool) -> GoldRecord {
        GoldRecord {
            id: String::new(),
            doc: "d".into(),
            kind: kind.into(),
            start,
            end,
            text: String::new(),
            speaker: Some(speaker.into()),
            source_start: None,
            source_end: None,
            core,
        }
    }

    fn sys(kind: &str, start: usize, end: usize, name: &str) -> (SystemQuote, Option<f32>) {
        (
            SystemQuote {
                start,
                end,
                kind: kind.into(),
                speaker: Some(SystemSpeaker { name: name.into(), start: None, end: None }),
                text: String::new(),
                candidates: Vec::new(),
            },
            None,
        )
    }

    #[test]
    fn surnames_drop_titles_and_keep_suffixes_apart() {
        assert_eq!(surname("Secretary of State Mike Pompeo").0.as_deref(), Some("pompeo"));
        assert_eq!(surname("Donald Trump Jr."), (Some("trump".into()), Some("jr".into())));
        assert_eq!(surname("President Trump"), (Some("trump".into()), None));
    }

    #[test]
    fn half_overlap_both_ways() {
        assert!(matches((0, 10), (0, 20)));
        assert!(!matches((0, 10), (0, 21)));
        assert!(!matches((0, 10), (6, 10)));
    }

    #[test]
    fn precision_ignores_non_core_and_other_group() {
        let g = vec![
            gold("direct", 0, 10, "Mike Pompeo", true),
            gold("mixed", 20, 30, "Mike Pompeo", false),
            gold("indirect", 40, 50, "Sergey Lavrov", true),
        ];
        let mut s = HashMap::new();
        s.insert(
            "d".to_string(),
            vec![
                sys("direct", 0, 10, "Pompeo"),      // right
                sys("mixed", 20, 30, "Pompeo"),      // matches only non-core: ignored
                sys("direct", 40, 50, "Lavrov"),     // matches only the other group: ignored
                sys("direct", 60, 70, "Putin"),      // extra
                sys("indirect", 40, 50, "Trump Jr"), // wrong speaker
            ],
        );
        let r = score(&g, &s, &["d".to_string()]);
        assert_eq!((r.quoted.system, r.quoted.system_matched, r.quoted.correct), (2, 1, 1));
        assert_eq!(r.quoted.span_precision, 0.5);
        assert_eq!(r.quoted.recall, 1.0);
        assert_eq!((r.reported.matched, r.reported.correct), (1, 0));
        assert_eq!(r.errors.iter().filter(|e| e.kind == "extra").count(), 1);
    }

    #[test]
    fn polnear_speakers_match_by_mention_or_surname() {
        let mut g = gold("direct", 0, 10, "he", true);
        g.source_start = Some(30);
        g.source_end = Some(32);
        let at = |s, e| SystemSpeaker { name: "Mike Pompeo".into(), start: Some(s), end: Some(e) };
        assert!(speaker_correct(&g, Some(&at(30, 32))));
        assert!(!speaker_correct(&g, Some(&at(40, 46))));
        g.speaker = Some("Secretary Pompeo".into());
        assert!(speaker_correct(&g, Some(&at(40, 46))));
    }

    #[test]
    fn resolved_names_count_only_matched_quotations_and_compare_surnames() {
        let record = |start, end, name: &str| ResolvedRecord {
            doc: "d".into(),
            kind: "direct".into(),
            start,
            end,
            mention: "pronoun".into(),
            name: name.into(),
        };
        let records = vec![record(0, 10, "Ann Lee"), record(20, 30, "Bo Park"), record(40, 50, "Cy Young")];
        let mut system = HashMap::new();
        system.insert(
            "d".to_string(),
            vec![sys("direct", 0, 10, "Ms. Lee"), sys("direct", 20, 30, "he"), sys("indirect", 40, 50, "Cy Young")],
        );
        let s = score_resolved(&records, &system);
        // The third is reported speech in the output and quoted in the fixture: unmatched.
        assert_eq!((s.items, s.matched, s.right), (3, 2, 1));
        assert_eq!(s.wrong[0].1, "he");
        assert!((s.accuracy - 0.5).abs() < 1e-9);
    }

    #[test]
    fn outcomes_say_which_speaker_candidates_would_be_right() {
        let gold = vec![gold("direct", 0, 40, "Ana Ruiz", true)];
        let candidate =
            |name: &str| SystemCandidate { speaker: SystemSpeaker { name: name.into(), start: None, end: None } };
        let (mut matched, _) = sys("direct", 0, 40, "Tom Reyes");
        matched.candidates = vec![candidate("Tom Reyes"), candidate("Ms. Ruiz")];
        let (mut extra, _) = sys("direct", 100, 140, "Tom Reyes");
        extra.candidates = vec![candidate("Tom Reyes")];
        let system = HashMap::from([("d".to_string(), vec![(matched, None), (extra, None)])]);
        let report = score(&gold, &system, &["d".to_string()]);
        assert_eq!(report.outcomes[0].candidates_right, Some(vec![false, true]));
        assert_eq!(report.outcomes[0].right, Some(false));
        assert_eq!(report.outcomes[1].candidates_right, None);
    }
}

#[cfg(test)]
mod calibration_tests {
    use super::Calibration;

    #[test]
    fn ece_weighs_each_bins_gap_by_its_share() {
        // Bin 0.9-1.0: 4 quotations at 0.95, 3 right (gap 0.2); bin 0.1-0.2: 1 at 0.15, wrong (gap 0.15).
        let outcomes = [(0.95, true), (0.95, true), (0.95, true), (0.95, false), (0.15, false)];
        let c = Calibration::of(&outcomes, 10);
        assert_eq!(c.bins.len(), 2);
        assert_eq!(c.bins[1].count, 4);
        assert!((c.bins[1].accuracy - 0.75).abs() < 1e-9);
        let expected = 0.8 * 0.2 + 0.2 * 0.15;
        assert!((c.ece - expected).abs() < 1e-6, "{}", c.ece);
        // A confidence of exactly 1 falls in the last bin.
        assert_eq!(Calibration::of(&[(1.0, true)], 10).bins[0].lo, 0.9);
    }
}
