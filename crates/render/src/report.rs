//! The corpus report (`whosaid report`): one self-contained HTML page with charts drawn here
//! as SVG (nothing loaded from outside) of who is quoted across a corpus: the most-quoted
//! speakers, persons' quotations and distinct speakers by gender, the same by any `meta`
//! field (an outlet) and by month of a date field, and a table of documents linking to the
//! pages `whosaid render` writes. Every number comes from the same [`SpeakerRow`]s as
//! `whosaid speakers`; each bar carries it in `data-value`, so a test can compare the two.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;
use whosaid_attribution::SpeakerType;

use crate::html::{escape, file_name_for, head, PALETTE};
use crate::speakers::{merge_key, row_index_by_name, GenderSummary, SpeakerRow};
use crate::DocResult;

/// What the report breaks the corpus down by.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// `meta` fields to count by (an outlet, a section).
    pub by: Vec<String>,
    /// A `meta` field holding a date (ISO 8601 first: "2016-09-12..."): counts by month.
    pub date: Option<String>,
    /// How many speakers the top-speaker chart shows.
    pub top: usize,
}

const GENDERS: [&str; 3] = ["female", "male", "unknown"];

/// One bar: a label and its value.
struct Bar {
    label: String,
    value: usize,
    hue: u32,
}

/// A chart's row height and longest bar, in SVG units.
const ROW: usize = 22;
const BAR_WIDTH: usize = 420;

/// A chart's figure, caption and SVG element, opened: room for labels `label_w` wide, the
/// bars and their values, `height` high.
fn chart_start(id: &str, title: &str, label_w: usize, height: usize) -> String {
    format!(
        "<figure class=\"chart\" id=\"chart-{id}\"><figcaption>{}</figcaption>\n<svg role=\"img\" aria-label=\"{}\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\n",
        escape(title),
        escape(title),
        width = label_w + BAR_WIDTH + 60
    )
}

/// A horizontal bar chart as inline SVG; `id` names it for tests (`#chart-<id>`).
fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let (row, bar_w) = (ROW, BAR_WIDTH);
    let label_w = label_width(bars.iter().map(|b| b.label.as_str()));
    let mut svg = chart_start(id, title, label_w, row * bars.len().max(1) + 8);
    for (i, b) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = (b.value as f64 / max as f64 * bar_w as f64).round().max(if b.value > 0 { 1.0 } else { 0.0 });
        let _ = writeln!(
            svg,
            "<g class=\"bar\" data-label=\"{}\" data-value=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"hsl({} 55% 55%)\"></rect>\
             <text x=\"{}\" y=\"{}\">{}</text></g>",
            escape(&b.label),
            b.value,
            label_w - 6,
            y + 14,
            escape(&shorten(&b.label, 32)),
            row - 6,
            b.hue,
            label_w as f64 + w + 4.0,
            y + 14,
            b.value
        );
    }
    if bars.is_empty() {
        svg.push_str("<text x=\"4\" y=\"16\">nothing to show</text>\n");
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// Room for the longest label (cut at 32 characters), at about 7 units a character.
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    let longest = labels.map(|l| l.chars().count().min(32)).max().unwrap_or(0);
    (longest * 7 + 16).clamp(60, 240)
}

/// Bars split by gender (female, male, unknown), one per key, as inline SVG: each bar
/// carries its total in `data-value` and each part its count in `data-gender`/`data-value`.
fn stacked_chart(id: &str, title: &str, rows: &[(String, [usize; 3])]) -> String {
    let max = rows.iter().map(|(_, v)| v.iter().sum::<usize>()).max().unwrap_or(0).max(1);
    let (row, bar_w) = (ROW, BAR_WIDTH);
    let label_w = label_width(rows.iter().map(|(l, _)| l.as_str()));
    let mut svg = chart_start(id, title, label_w, row * rows.len().max(1) + 30);
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = i * row + 4;
        let total: usize = values.iter().sum();
        let _ = write!(
            svg,
            "<g class=\"bar\" data-label=\"{}\" data-value=\"{total}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            escape(label),
            label_w - 6,
            y + 14,
            escape(&shorten(label, 32))
        );
        let mut x = label_w as f64;
        for (g, &v) in GENDERS.iter().zip(values) {
            let w = v as f64 / max as f64 * bar_w as f64;
            let _ = write!(
                svg,
                "<rect class=\"part\" data-gender=\"{g}\" data-value=\"{v}\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" \
                 height=\"{}\" fill=\"hsl({} 55% 55%)\"><title>{g}: {v}</title></rect>",
                row - 6,
                gender_hue(g)
            );
            x += w;
        }
        let _ = writeln!(svg, "<text x=\"{:.1}\" y=\"{}\">{total}</text></g>", x + 4.0, y + 14);
    }
    // The key.
    let key_y = rows.len().max(1) * row + 14;
    for (k, g) in GENDERS.iter().enumerate() {
        let x = label_w + k * 110;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"hsl({} 55% 55%)\"></rect>\
             <text x=\"{}\" y=\"{}\">{g}</text>",
            key_y - 10,
            gender_hue(g),
            x + 16,
            key_y
        );
    }
    svg.push_str("\n</svg></figure>\n");
    svg
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn gender_hue(g: &str) -> u32 {
    match g {
        "female" => 330,
        "male" => 210,
        _ => 40,
    }
}

/// Quotations and distinct persons by gender within each value of a grouping.
#[derive(Default)]
struct Breakdown {
    quotes: BTreeMap<String, [usize; 3]>,
    sources: BTreeMap<String, [BTreeSet<String>; 3]>,
}

impl Breakdown {
    fn add(&mut self, key: &str, gender: usize, speaker: &str) {
        self.quotes.entry(key.to_string()).or_default()[gender] += 1;
        self.sources.entry(key.to_string()).or_default()[gender].insert(speaker.to_string());
    }

    fn table(&self, caption: &str) -> String {
        let mut t = format!(
            "<table class=\"wide breakdown\"><caption>{}</caption><thead><tr><th></th><th>female quotations</th>\
             <th>male quotations</th><th>unknown quotations</th><th>female speakers</th><th>male speakers</th>\
             <th>unknown speakers</th><th>share female (quotations)</th></tr></thead><tbody>\n",
            escape(caption)
        );
        for (key, q) in &self.quotes {
            let s = &self.sources[key];
            let known = q[0] + q[1];
            let share =
                if known == 0 { "–".to_string() } else { format!("{:.1}%", q[0] as f64 * 100.0 / known as f64) };
            let _ = writeln!(
                t,
                "<tr data-key=\"{}\"><th>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{share}</td></tr>",
                escape(key),
                escape(key),
                q[0],
                q[1],
                q[2],
                s[0].len(),
                s[1].len(),
                s[2].len()
            );
        }
        t.push_str("</tbody></table>\n");
        t
    }
}

fn meta_string(result: &DocResult, field: &str) -> Option<String> {
    let value = result.meta.as_ref()?.get(field)?;
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The report page for `results`, whose speakers are `rows` (`SpeakerIndex::rows`).
pub fn report_page(results: &[DocResult], rows: &[SpeakerRow], options: &ReportOptions) -> String {
    let summary = GenderSummary::of(rows);
    // Each document name's row, for the per-quotation breakdowns.
    let row_of = row_index_by_name(rows);
    let mut by_field: Vec<Breakdown> = options.by.iter().map(|_| Breakdown::default()).collect();
    let mut by_month = Breakdown::default();
    let mut quotes_total = 0;
    for result in results.iter().filter(|r| r.error.is_none()) {
        let values: Vec<Option<String>> = options.by.iter().map(|f| meta_string(result, f)).collect();
        let month = options.date.as_deref().and_then(|f| meta_string(result, f)).and_then(|d| {
            let m: String = d.chars().take(7).collect();
            (m.len() == 7 && m.as_bytes()[4] == b'-').then_some(m)
        });
        for q in &result.quotes {
            quotes_total += 1;
            let Some(s) = q.speaker.as_ref().filter(|s| s.kind == SpeakerType::PERSON) else { continue };
            let Some(&i) = row_of.get(&merge_key(&s.name)) else { continue };
            let row = &rows[i];
            if row.kind != "PER" {
                continue;
            }
            let g = GENDERS.iter().position(|x| *x == row.gender).unwrap_or(2);
            for (b, v) in by_field.iter_mut().zip(&values) {
                b.add(v.as_deref().unwrap_or("(none)"), g, &row.id);
            }
            if let Some(m) = &month {
                by_month.add(m, g, &row.id);
            }
        }
    }

    let mut html = head("whosaid — corpus report");
    let documents = results.len();
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    let _ = writeln!(
        html,
        "<body>\n<header><h1>Who is quoted</h1><p>{documents} documents ({failed} could not be processed), \
         {quotes_total} quotations, {} speakers. Gender is the one the text refers to a person with (a pronoun, \
         an honorific, a gendered title; else first-name statistics), not a statement about identity.</p></header>\n\
         <main class=\"report\">",
        rows.len()
    );
    let top: Vec<Bar> = rows
        .iter()
        .take(options.top.max(1))
        .enumerate()
        .map(|(i, r)| Bar { label: r.name.clone(), value: r.quotes, hue: PALETTE[i % PALETTE.len()] })
        .collect();
    html.push_str(&bar_chart("top-speakers", "Most-quoted speakers (quotations)", &top));
    let counts = [&summary.female, &summary.male, &summary.unknown];
    let gender_bars = |f: fn(&crate::speakers::GenderCount) -> usize| -> Vec<Bar> {
        GENDERS.iter().zip(counts).map(|(g, c)| Bar { label: g.to_string(), value: f(c), hue: gender_hue(g) }).collect()
    };
    html.push_str(&bar_chart("gender-quotes", "Persons' quotations by gender", &gender_bars(|c| c.quotes)));
    html.push_str(&bar_chart("gender-speakers", "Distinct persons quoted, by gender", &gender_bars(|c| c.speakers)));
    let _ = writeln!(
        html,
        "<p>Organisations: {} quotations from {} organisations; other speakers (places, groups): {} quotations.</p>",
        summary.organisations.quotes, summary.organisations.speakers, summary.other.quotes
    );
    for (field, b) in options.by.iter().zip(&by_field) {
        let rows: Vec<(String, [usize; 3])> = b.quotes.iter().map(|(k, q)| (k.clone(), *q)).collect();
        let id = format!("by-{}", crate::html::slug_id(field));
        html.push_str(&stacked_chart(&id, &format!("Persons' quotations by {field} and gender"), &rows));
        html.push_str(&b.table(&format!("By {field}")));
    }
    if let Some(field) = &options.date {
        let rows: Vec<(String, [usize; 3])> = by_month.quotes.iter().map(|(k, q)| (k.clone(), *q)).collect();
        html.push_str(&stacked_chart("by-month", &format!("Persons' quotations by month ({field}) and gender"), &rows));
        html.push_str(&by_month.table("By month"));
    }
    html.push_str(
        "<h2>Documents</h2>\n<table class=\"wide\" id=\"report-documents\"><thead><tr><th>document</th>\
         <th>quotations</th><th>most quoted</th></tr></thead><tbody>\n",
    );
    let mut taken = std::collections::HashSet::from(["index.html".to_string()]);
    for r in results {
        let file = file_name_for(&r.id, &mut taken);
        let top = r.speakers.iter().max_by(|a, b| a.quotes.cmp(&b.quotes).then(b.name.cmp(&a.name)));
        let _ = writeln!(
            html,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&file),
            escape(&r.id),
            r.quotes.len(),
            top.map(|s| escape(&s.name)).unwrap_or_default()
        );
    }
    html.push_str("</tbody></table>\n</main>\n</body>\n</html>\n");
    html
}
