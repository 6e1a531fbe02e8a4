//! Self-contained HTML: one page per document and an index page for the corpus.
//!
//! Pages load nothing: styles and the small script that fills the info panel are inline, and
//! there are no fonts, images or links outside the output folder. Every text from a document
//! or a result is HTML-escaped.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use whosaid_attribution::Quotation;

use crate::speakers::SpeakerRow;
use crate::{DocResult, RenderError};

/// The DOM contract that tests and tools can rely on (also in the README).
pub const DOM_CONTRACT: &str = "\
Each quotation is one element with class=\"quote\", id=\"qN\" (N: its index in the result's quotes), \
data-start and data-end (code points of the original text, end-exclusive), data-kind (direct, mixed, \
indirect), data-speaker (the canonical speaker name, empty when none), data-type (PER, ORG, LOC, MISC, \
OTHER or empty), data-cue (the cue text or empty) and data-confidence. Cues are elements with \
class=\"cue\" and data-quotes (the ids of their quotations); speaker mentions are <a class=\"mention\"> \
with data-speaker and data-quotes, linking to the first of their quotations. Quotations below 0.5 \
confidence also have class \"low\". The element with id=\"info\" shows the focused or hovered \
quotation's speaker, type, kind, cue and confidence.";

/// Confidence below which a quotation is shown as uncertain.
const LOW_CONFIDENCE: f64 = 0.5;

/// A stable hue (0..360) for a speaker name: the same speaker has the same colour on every page.
pub fn speaker_colour(name: &str) -> u32 {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    // Spread by the golden angle so that similar hashes still get distinct hues.
    (h % 360 * 137) % 360
}

/// Twelve well-separated hues: a page's speakers take them in order, so that the speakers
/// of one page never share a colour (after twelve, hues come from [`speaker_colour`]).
pub(crate) const PALETTE: [u32; 12] = [210, 28, 130, 350, 270, 55, 185, 310, 95, 240, 0, 160];

/// The colours and corpus ids of one page's speakers.
#[derive(Clone, Debug, Default)]
pub struct PageSpeakers {
    hue: HashMap<String, u32>,
    id: HashMap<String, String>,
}

impl PageSpeakers {
    /// Colours for `result`'s speakers, most quoted first: each takes its corpus speaker's
    /// palette slot (`corpus(name)` = (id, slot by corpus rank)) when no speaker of this page
    /// holds it yet, else the first free slot; so a speaker keeps its colour across pages
    /// where it can, and one page's colours are all different.
    pub fn new(result: &DocResult, corpus: impl Fn(&str) -> Option<(String, usize)>) -> PageSpeakers {
        let mut page = PageSpeakers::default();
        let mut taken = [false; PALETTE.len()];
        let mut names: Vec<&str> = result.speakers.iter().map(|s| s.name.as_str()).collect();
        for q in &result.quotes {
            if let Some(s) = &q.speaker {
                if !names.contains(&s.name.as_str()) {
                    names.push(&s.name);
                }
            }
        }
        for name in names {
            let found = corpus(name);
            let preferred = found.as_ref().map_or(usize::MAX, |(_, slot)| slot % PALETTE.len());
            let slot = if preferred < PALETTE.len() && !taken[preferred] {
                Some(preferred)
            } else {
                taken.iter().position(|t| !t)
            };
            let hue = match slot {
                Some(k) => {
                    taken[k] = true;
                    PALETTE[k]
                }
                None => speaker_colour(name),
            };
            page.hue.insert(name.to_string(), hue);
            if let Some((id, _)) = found {
                page.id.insert(name.to_string(), id);
            }
        }
        page
    }

    fn hue(&self, name: &str) -> u32 {
        self.hue.get(name).copied().unwrap_or_else(|| speaker_colour(name))
    }

    fn id(&self, name: &str) -> &str {
        self.id.get(name).map_or("", String::as_str)
    }
}

/// A name as an element id: ASCII letters and digits, anything else `-`.
pub(crate) fn slug_id(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// A file name for a document's page: its id with anything but letters, digits, `-`, `_` and `.`
/// replaced, and `-2`, `-3`... when two ids map to the same name. `taken` holds names given so far.
pub fn file_name_for(id: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let mut stem: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    stem = stem.trim_start_matches('.').chars().take(120).collect();
    if stem.is_empty() || stem == "index" {
        stem = format!("doc_{stem}");
    }
    let mut name = format!("{stem}.html");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.html");
        n += 1;
    }
    name
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A quotation's visible extent: its span, clipped so that quotations nest (a quotation that
/// starts inside another and ends after it is shown from the other's end).
struct Region {
    start: usize,
    end: usize,
    quote: usize,
}

fn regions(quotes: &[Quotation]) -> Vec<Region> {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| (quotes[i].start, std::cmp::Reverse(quotes[i].end), i));
    let mut out = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new(); // (end, region) of enclosing regions
    for i in order {
        let (mut start, end) = (quotes[i].start, quotes[i].end.max(quotes[i].start));
        while open.last().is_some_and(|&(e, _)| e <= start) {
            open.pop();
        }
        while let Some(&(e, _)) = open.last() {
            if end <= e {
                break;
            }
            start = start.max(e);
            open.pop();
        }
        open.push((end, out.len()));
        out.push(Region { start, end, quote: i });
    }
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end), r.quote));
    out
}

const STYLE: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --paper: #fbfbf8; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: var(--ink); background: var(--paper); }
a { color: #1a4fa0; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; z-index: 2; }
header { padding: 12px 20px; border-bottom: 1px solid var(--line); font-family: system-ui, sans-serif; }
header h1 { font-size: 20px; margin: 0; overflow-wrap: anywhere; }
header nav { font-size: 14px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 24px; max-width: 1240px; margin: 0 auto; padding: 20px; }
.article { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 46em; }
aside { font: 14px/1.45 system-ui, sans-serif; }
aside section { position: sticky; top: 12px; }
#info { min-height: 7.5em; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #fff; margin-bottom: 16px; }
#info dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 0; }
#info dt { color: var(--muted); } #info dd { margin: 0; overflow-wrap: anywhere; }
.quote { background: hsl(var(--hue) 75% 88%); border-bottom: 2px solid hsl(var(--hue) 55% 40%); border-radius: 2px; cursor: help; }
.quote.kind-indirect { background: hsl(var(--hue) 70% 93%); border-bottom-style: dotted; }
.quote.low { background: repeating-linear-gradient(135deg, hsl(var(--hue) 60% 92%) 0 6px, #fff 6px 9px); border-bottom-style: dashed; }
.quote.none { --hue: 0; background: #ececec; border-bottom-color: #888; outline-color: #555; }
.quote.none.low { background: repeating-linear-gradient(135deg, #e4e4e4 0 6px, #fff 6px 9px); }
.quote:focus, .quote:hover { outline: 2px solid hsl(var(--hue) 60% 35%); outline-offset: 1px; }
.quote:target { outline: 3px solid #f0a500; }
.cue { text-decoration: underline 2px; text-underline-offset: 3px; font-style: italic; }
.statement { text-decoration: underline 1px solid #777; text-underline-offset: 6px; }
a.mention { color: inherit; font-weight: bold; text-decoration: none; border-bottom: 3px double hsl(var(--hue) 55% 40%); }
a.mention:focus, a.mention:hover { background: hsl(var(--hue) 75% 88%); }
.speakers { list-style: none; padding: 0; margin: 0; }
.speakers li { margin: 0 0 8px; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -1px; margin-right: 4px; background: hsl(var(--hue) 75% 80%); border: 1px solid hsl(var(--hue) 55% 40%); }
.count { color: var(--muted); }
.legend { color: var(--muted); font-size: 13px; }
table.sortable caption { text-align: left; padding: 4px 0 8px; }
table.sortable th { cursor: pointer; }
table.sortable th[aria-sort="descending"]::after { content: " \25BE"; }
table.sortable th[aria-sort="ascending"]::after { content: " \25B4"; }
.error { border: 1px solid #c33; background: #fff3f3; padding: 10px; border-radius: 6px; font-family: system-ui, sans-serif; }
table { border-collapse: collapse; width: 100%; font: 14px/1.4 system-ui, sans-serif; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f1f1ee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
main.index, main.report { max-width: 1240px; margin: 0 auto; padding: 20px; }
main.report { font: 15px/1.5 system-ui, sans-serif; }
.chart { margin: 0 0 28px; max-width: 760px; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { max-width: 100%; height: auto; }
.chart svg text { font: 13px system-ui, sans-serif; fill: var(--ink); }
table.breakdown { margin: 0 0 28px; } table.breakdown caption { text-align: left; font-weight: 600; padding: 4px 0; }
@media (max-width: 760px) {
  body { font-size: 16px; }
  .layout { grid-template-columns: minmax(0, 1fr); padding: 12px; }
  aside section { position: static; }
  .wide { display: block; overflow-x: auto; }
}
"#;

/// Fills #info from the data attributes of the hovered or focused quotation (textContent only:
/// nothing from the document is ever parsed as HTML).
const SCRIPT: &str = r#"
(function () {
  var info = document.getElementById('info');
  function row(dl, k, v) {
    var dt = document.createElement('dt'); dt.textContent = k;
    var dd = document.createElement('dd'); dd.textContent = v;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function show(q) {
    var d = q.dataset, dl = document.createElement('dl');
    row(dl, 'speaker', d.speaker ? d.speaker + ' (' + d.type + ')' : 'none found');
    if (d.speaker) {
      row(dl, 'gender', d.gender || 'not given');
      if (d.speakerId) { row(dl, 'speaker id', d.speakerId); }
    }
    row(dl, 'kind', d.kind);
    row(dl, 'cue', d.cue || '(none)');
    row(dl, 'confidence', d.confidence + (parseFloat(d.confidence) < 0.5 ? ' (low)' : ''));
    info.replaceChildren(dl);
  }
  document.querySelectorAll('.quote').forEach(function (q) {
    q.addEventListener('mouseenter', function () { show(q); });
    q.addEventListener('focus', function () { show(q); });
  });
})();
"#;

/// A page's title: the document's first line (its headline in news copy), cut to 100
/// characters at a word; the id when the text has no line.
fn page_title(text: &str, id: &str) -> String {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else { return id.to_string() };
    if line.chars().count() <= 100 {
        return line.to_string();
    }
    let cut: String = line.chars().take(100).collect();
    let at = cut.rfind(' ').filter(|&i| i > 40).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

pub(crate) fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n",
        escape(title)
    )
}

/// The HTML page of one document: `text` is its original text, `result` its line of `whosaid
/// attribute` output; `index_href` links back to the corpus index.
/// `speakers`: the page's colours and corpus ids ([`PageSpeakers::new`]).
pub fn page(
    text: &str,
    result: &DocResult,
    index_href: Option<&str>,
    speakers: &PageSpeakers,
) -> Result<String, RenderError> {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let quotes = &result.quotes;
    let out_of_text = |start: usize, end: usize| RenderError::OutOfText { id: result.id.clone(), start, end, len };
    for q in quotes {
        if q.start > q.end || q.end > len {
            return Err(out_of_text(q.start, q.end));
        }
        let clause = q.clause.flatten().map(|c| (c.start, c.end));
        for (s, e) in
            q.speaker.iter().map(|s| (s.start, s.end)).chain(q.cue.iter().map(|c| (c.start, c.end))).chain(clause)
        {
            if s > e || e > len {
                return Err(out_of_text(s, e));
            }
        }
    }

    // Cues and speaker mentions, each with the quotations that rest on it.
    let mut cues: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut mentions: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    // Mixed quotations' statements, underlined around their fragments.
    let mut statements: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, q) in quotes.iter().enumerate() {
        if let Some(c) = q.clause.flatten().filter(|c| c.start < c.end) {
            statements.entry((c.start, c.end)).or_default().push(i);
        }
        if let Some(c) = q.cue.as_ref().filter(|c| c.start < c.end) {
            cues.entry((c.start, c.end)).or_default().push(i);
        }
        if let Some(s) = q.speaker.as_ref().filter(|s| s.start < s.end) {
            mentions.entry((s.start, s.end)).or_default().push(i);
        }
    }
    let regions = regions(quotes);
    let mut cuts: Vec<usize> = vec![0, len];
    cuts.extend(regions.iter().flat_map(|r| [r.start, r.end]));
    cuts.extend(cues.keys().chain(mentions.keys()).chain(statements.keys()).flat_map(|&(s, e)| [s, e]));
    cuts.sort_unstable();
    cuts.dedup();

    let ids = |qs: &[usize]| qs.iter().map(|i| format!("q{i}")).collect::<Vec<_>>().join(" ");
    let mut body = String::new();
    let mut open: Vec<usize> = Vec::new(); // ends of open quotation elements
    let mut next_region = 0;
    for w in cuts.windows(2).map(|w| (w[0], w[1])).chain(std::iter::once((len, len))) {
        let (a, b) = w;
        while open.last().is_some_and(|&e| e <= a) {
            body.push_str("</span>");
            open.pop();
        }
        while next_region < regions.len() && regions[next_region].start == a {
            let r = &regions[next_region];
            next_region += 1;
            let q = &quotes[r.quote];
            let speaker = q.speaker.as_ref().map_or("", |s| s.name.as_str());
            let kind = q.speaker.as_ref().map_or("", |s| s.kind.as_str());
            let gender = q.speaker.as_ref().and_then(|s| s.gender).map_or("", |g| g.as_str());
            let cue = q.cue.as_ref().map_or("", |c| c.text.as_str());
            let mut class = format!("quote kind-{}", q.kind.as_str());
            if q.speaker.is_none() {
                class.push_str(" none");
            }
            if q.confidence < LOW_CONFIDENCE {
                class.push_str(" low");
            }
            let title = format!(
                "{} — {} quotation, cue: {}, confidence {:.3}",
                if speaker.is_empty() { "no speaker found" } else { speaker },
                q.kind.as_str(),
                if cue.is_empty() { "none" } else { cue },
                q.confidence
            );
            let _ = write!(
                body,
                "<span class=\"{class}\" id=\"q{}\" tabindex=\"0\" data-start=\"{}\" data-end=\"{}\" data-kind=\"{}\" \
                 data-speaker=\"{}\" data-type=\"{}\" data-gender=\"{}\" data-speaker-id=\"{}\" data-cue=\"{}\" \
                 data-confidence=\"{:.3}\" style=\"--hue: {}\" title=\"{}\" aria-describedby=\"info\">",
                r.quote,
                q.start,
                q.end,
                q.kind.as_str(),
                escape(speaker),
                escape(kind),
                gender,
                escape(speakers.id(speaker)),
                escape(cue),
                q.confidence,
                speakers.hue(speaker),
                escape(&title),
            );
            if r.start >= r.end {
                body.push_str("</span>");
            } else {
                open.push(r.end);
            }
        }
        if a >= b {
            continue;
        }
        let segment = escape(&chars[a..b].iter().collect::<String>());
        let covering = |m: &BTreeMap<(usize, usize), Vec<usize>>| {
            m.range(..=(a, usize::MAX)).rev().find(|((s, e), _)| *s <= a && b <= *e).map(|(_, qs)| qs.clone())
        };
        let mut piece = segment;
        if let Some(qs) = covering(&statements) {
            piece = format!("<span class=\"statement\" data-quotes=\"{}\">{piece}</span>", ids(&qs));
        }
        if let Some(qs) = covering(&cues) {
            piece = format!("<span class=\"cue\" data-quotes=\"{}\">{piece}</span>", ids(&qs));
        }
        if let Some(qs) = covering(&mentions) {
            let name = quotes[qs[0]].speaker.as_ref().map_or("", |s| s.name.as_str());
            piece = format!(
                "<a class=\"mention\" href=\"#q{}\" data-speaker=\"{}\" data-quotes=\"{}\" style=\"--hue: {}\" \
                 title=\"{} — speaker of {} quotation(s)\">{piece}</a>",
                qs[0],
                escape(name),
                ids(&qs),
                speakers.hue(name),
                escape(name),
                qs.len()
            );
        }
        body.push_str(&piece);
    }
    for _ in open {
        body.push_str("</span>");
    }

    let mut html = head(&format!("{} — whosaid", page_title(text, &result.id)));
    html.push_str("<body>\n<a class=\"skip\" href=\"#article\">Skip to the article</a>\n<header>\n");
    if let Some(href) = index_href {
        let _ = writeln!(html, "<nav><a href=\"{}\">← all documents</a></nav>", escape(href));
    }
    let _ = writeln!(
        html,
        "<h1>{}</h1>\n</header>\n<div class=\"layout\">\n<main id=\"article\" tabindex=\"-1\">",
        escape(&result.id)
    );
    if let Some(e) = &result.error {
        let _ = writeln!(
            html,
            "<p class=\"error\" role=\"alert\">whosaid could not process this document: <b>{}</b>: {}</p>",
            escape(&e.kind),
            escape(&e.message)
        );
    }
    let _ = writeln!(html, "<div class=\"article\">{body}</div>\n</main>");
    html.push_str(&side_panel(result, speakers));
    html.push_str("</div>\n<script>");
    html.push_str(SCRIPT);
    html.push_str("</script>\n</body>\n</html>\n");
    Ok(html)
}

fn side_panel(result: &DocResult, speakers: &PageSpeakers) -> String {
    let mut s = String::from(
        "<aside aria-label=\"Speakers and quotation details\">\n<section>\n<h2>Quotation</h2>\n\
         <div id=\"info\" role=\"status\" aria-live=\"polite\">Hover over or tab to a quotation to see who said it.</div>\n",
    );
    let _ = writeln!(s, "<h2>Speakers ({})</h2>\n<ul class=\"speakers\">", result.speakers.len());
    for sp in &result.speakers {
        let quotes: Vec<usize> = result
            .quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| q.speaker.as_ref().is_some_and(|k| k.name == sp.name))
            .map(|(i, _)| i)
            .collect();
        let links: Vec<String> =
            quotes.iter().enumerate().map(|(n, i)| format!("<a href=\"#q{i}\">{}</a>", n + 1)).collect();
        let _ = writeln!(
            s,
            "<li style=\"--hue: {}\" data-speaker=\"{}\"><span class=\"swatch\" aria-hidden=\"true\"></span><b>{}</b> \
             <span class=\"count\">{}{}{} · {} quotation{}, {} mention{}</span><br><span class=\"count\">quotations:</span> {}</li>",
            speakers.hue(&sp.name),
            escape(&sp.name),
            escape(&sp.name),
            escape(sp.kind.as_str()),
            sp.gender.filter(|g| *g != whosaid_attribution::Gender::Unknown).map_or(String::new(), |g| format!(" · {}", g.as_str())),
            match speakers.id(&sp.name) {
                "" => String::new(),
                id => format!(" · id {}", escape(id)),
            },
            sp.quotes,
            if sp.quotes == 1 { "" } else { "s" },
            sp.mentions,
            if sp.mentions == 1 { "" } else { "s" },
            links.join(" ")
        );
    }
    let unattributed = result.quotes.iter().filter(|q| q.speaker.is_none()).count();
    if unattributed > 0 {
        let _ =
            writeln!(s, "<li><span class=\"count\">{unattributed} quotation(s) without a speaker (grey)</span></li>");
    }
    s.push_str(
        "</ul>\n<p class=\"legend\">Solid: direct or mixed quotation; dotted: reported speech; striped and dashed: \
         confidence below 0.5. Underlined italics: the cue. Double underline: the speaker's mention, linked to the \
         quotation.</p>\n</section>\n</aside>\n",
    );
    s
}

/// One document's row in the corpus index.
#[derive(Clone, Debug)]
pub struct IndexEntry {
    pub id: String,
    /// The page's file name, relative to the index.
    pub file: String,
    pub quotes: usize,
    /// Speakers by quotation count, most quoted first.
    pub top_speakers: Vec<(String, usize)>,
    pub error: Option<String>,
}

impl IndexEntry {
    pub fn new(result: &DocResult, file: String) -> IndexEntry {
        let mut top: Vec<(String, usize)> = result.speakers.iter().map(|s| (s.name.clone(), s.quotes)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        IndexEntry {
            id: result.id.clone(),
            file,
            quotes: result.quotes.len(),
            top_speakers: top,
            error: result.error.as_ref().map(|e| format!("{}: {}", e.kind, e.message)),
        }
    }
}

/// The corpus index: every document with its quotation count and top speakers, and every
/// speaker across the corpus with links to the pages that quote them.
pub fn index_page(entries: &[IndexEntry], rows: &[SpeakerRow]) -> String {
    let file_of: BTreeMap<&str, &str> = entries.iter().map(|e| (e.id.as_str(), e.file.as_str())).collect();
    let mut html = head("whosaid — who said what");
    let total: usize = entries.iter().map(|e| e.quotes).sum();
    let _ = writeln!(
        html,
        "<body>\n<a class=\"skip\" href=\"#documents\">Skip to the documents</a>\n<header><h1>Who said what</h1>\
         <p>{} documents, {} quotations, {} speakers</p></header>\n<main class=\"index\">\n\
         <h2 id=\"documents\">Documents</h2>\n<table class=\"wide sortable\" id=\"document-table\">\n{}\
         <thead><tr><th>document</th><th>quotations</th><th>top speakers</th></tr></thead>\n<tbody>",
        entries.len(),
        total,
        rows.len(),
        filter_box("documents")
    );
    for e in entries {
        let top: Vec<String> = e
            .top_speakers
            .iter()
            .take(3)
            .map(|(n, c)| {
                format!(
                    "<span style=\"--hue: {}\"><span class=\"swatch\"></span>{} ({c})</span>",
                    speaker_colour(n),
                    escape(n)
                )
            })
            .collect();
        let note =
            e.error.as_ref().map(|m| format!(" <span class=\"count\">error: {}</span>", escape(m))).unwrap_or_default();
        let _ = writeln!(
            html,
            "<tr><td><a href=\"{}\">{}</a>{note}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&e.file),
            escape(&e.id),
            e.quotes,
            top.join(", ")
        );
    }
    html.push_str(
        "</tbody>\n</table>\n<h2 id=\"speakers\">Speakers across the corpus</h2>\n<table class=\"wide sortable\" \
         id=\"speaker-table\">\n",
    );
    html.push_str(&filter_box("speakers"));
    html.push_str(
        "<thead><tr><th>speaker</th><th>id</th><th>type</th><th>gender</th><th>documents</th><th>quotations</th><th>direct</th><th>mixed</th>\
         <th>reported</th><th>mean confidence</th><th>quoted in</th></tr></thead>\n<tbody>\n",
    );
    for (rank, row) in rows.iter().enumerate() {
        let links: Vec<String> = row
            .document_ids
            .iter()
            .take(12)
            .filter_map(|id| file_of.get(id.as_str()).map(|f| format!("<a href=\"{}\">{}</a>", escape(f), escape(id))))
            .collect();
        let more = row.document_ids.len().saturating_sub(12);
        let _ = writeln!(
            html,
            "<tr style=\"--hue: {}\"><td><span class=\"swatch\"></span>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{:.3}</td><td>{}{}</td></tr>",
            PALETTE[rank % PALETTE.len()],
            escape(&row.name),
            escape(&row.id),
            escape(&row.kind),
            row.gender,
            row.documents,
            row.quotes,
            row.direct,
            row.mixed,
            row.indirect,
            row.mean_confidence,
            links.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    html.push_str("</tbody>\n</table>\n</main>\n");
    html.push_str(INDEX_SCRIPT);
    html.push_str("</body>\n</html>\n");
    html
}

/// A table's caption: a search box that keeps the rows holding what is typed.
fn filter_box(what: &str) -> String {
    format!(
        "<caption><label>Search {what} <input type=\"search\" class=\"filter\" autocomplete=\"off\"></label> \
         <span class=\"count shown\"></span> <span class=\"count\">(click a column's heading to sort)</span></caption>\n"
    )
}

/// The index's script: each table's search box keeps the rows whose text holds what is typed
/// (any case), and a click on a heading (or Enter on it) sorts the rows by that column,
/// numbers as numbers, again to reverse. Rows are hidden and moved, never rebuilt, so a
/// 20,000-document index stays quick.
const INDEX_SCRIPT: &str = r#"<script>
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    var box = table.querySelector('input.filter');
    var shown = table.querySelector('.shown');
    box.addEventListener('input', function () {
      var q = box.value.trim().toLowerCase();
      var n = 0;
      for (var i = 0; i < body.rows.length; i++) {
        var r = body.rows[i];
        var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) n++;
      }
      shown.textContent = q ? n + ' of ' + body.rows.length + ' shown' : '';
    });
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.setAttribute('role', 'button');
      function sort() {
        var down = th.getAttribute('aria-sort') !== 'descending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = rows.length > 0 && rows[0].cells[col].classList.contains('n');
        var key = function (r) { var t = r.cells[col].textContent; return numeric ? parseFloat(t) || 0 : t.toLowerCase(); };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return down ? -c : c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  });
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn result(json: &str) -> DocResult {
        DocResult::from(whosaid_wire::Line::from_json(json).unwrap())
    }

    const TEXT: &str = "“We will rebuild,” Mayor Ana Ruiz said. She added that <script>alert(1)</script> was a joke.";

    fn sample() -> DocResult {
        result(
            r#"{"id":"d<1>","quotes":[
            {"start":1,"end":17,"text":"We will rebuild,","kind":"direct","speaker":{"name":"Ana Ruiz","start":25,"end":33,"text":"Ana Ruiz","type":"PER"},"cue":{"start":34,"end":38,"text":"said"},"confidence":0.92},
            {"start":55,"end":91,"text":"<script>alert(1)</script> was a joke","kind":"indirect","speaker":{"name":"Ana Ruiz","start":40,"end":43,"text":"She","type":"PER"},"cue":{"start":44,"end":49,"text":"added"},"confidence":0.4}],
            "speakers":[{"name":"Ana Ruiz","type":"PER","mentions":2,"quotes":2}]}"#,
        )
    }

    #[test]
    fn a_pages_speakers_get_distinct_colours_and_keep_their_corpus_slot() {
        let r = result(
            r#"{"id":"p","quotes":[],"speakers":[
            {"name":"A","type":"PER","mentions":1,"quotes":3},{"name":"B","type":"PER","mentions":1,"quotes":2},
            {"name":"C","type":"ORG","mentions":1,"quotes":1}]}"#,
        );
        // A and B both want slot 0 by corpus rank mod 12; C has no corpus row.
        let slots = |n: &str| match n {
            "A" => Some(("a".to_string(), 12)),
            "B" => Some(("b".to_string(), 0)),
            _ => None,
        };
        let page = PageSpeakers::new(&r, slots);
        let hues = [page.hue("A"), page.hue("B"), page.hue("C")];
        assert_eq!(hues[0], PALETTE[0]);
        assert!(hues[0] != hues[1] && hues[1] != hues[2] && hues[0] != hues[2], "{hues:?}");
        assert_eq!((page.id("A"), page.id("C")), ("a", ""));
    }

    #[test]
    fn every_quotation_is_one_element_with_the_contract_attributes() {
        let html = page(TEXT, &sample(), Some("index.html"), &PageSpeakers::default()).unwrap();
        assert_eq!(html.matches("class=\"quote ").count(), 2);
        assert!(html.contains(
            "id=\"q0\" tabindex=\"0\" data-start=\"1\" data-end=\"17\" data-kind=\"direct\" data-speaker=\"Ana Ruiz\""
        ));
        assert!(html.contains("data-start=\"55\" data-end=\"91\" data-kind=\"indirect\" data-speaker=\"Ana Ruiz\""));
        // The low-confidence quotation is marked.
        assert!(html.contains("class=\"quote kind-indirect low\" id=\"q1\""));
        // Cue and mention markup.
        assert!(html.contains("<span class=\"cue\" data-quotes=\"q0\">said</span>"));
        assert!(html.contains("<a class=\"mention\" href=\"#q1\" data-speaker=\"Ana Ruiz\" data-quotes=\"q1\""));
    }

    #[test]
    fn texts_are_escaped_and_nothing_is_loaded() {
        let html = page(TEXT, &sample(), None, &PageSpeakers::default()).unwrap();
        assert!(!html.contains("<script>alert"), "article text must be escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("<h1>d&lt;1&gt;</h1>"));
        for external in ["http://", "https://", "src=", "@import", "url("] {
            assert!(!html.contains(external), "page refers to {external}");
        }
    }

    #[test]
    fn the_page_text_is_the_document_text() {
        let html = page(TEXT, &sample(), None, &PageSpeakers::default()).unwrap();
        let article = html.split("<div class=\"article\">").nth(1).unwrap().split("</div>").next().unwrap();
        // Strip tags, unescape: the article reads exactly as the original.
        let mut plain = String::new();
        let mut in_tag = false;
        for c in article.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
        assert_eq!(plain.replace("&amp;", "&"), TEXT);
    }

    #[test]
    fn overlapping_quotations_still_nest() {
        let text = "abcdefghij";
        let r = result(
            r#"{"id":"x","quotes":[
            {"start":0,"end":6,"text":"abcdef","kind":"indirect","speaker":null,"cue":null,"confidence":0.5},
            {"start":3,"end":9,"text":"defghi","kind":"direct","speaker":null,"cue":null,"confidence":0.5},
            {"start":4,"end":5,"text":"e","kind":"mixed","speaker":null,"cue":null,"confidence":0.5}],"speakers":[]}"#,
        );
        let html = page(text, &r, None, &PageSpeakers::default()).unwrap();
        assert_eq!(html.matches("<span class=\"quote").count(), 3);
        assert_eq!(html.matches("<span").count(), html.matches("</span>").count());
    }

    #[test]
    fn results_for_another_text_are_refused() {
        let err = page("short", &sample(), None, &PageSpeakers::default()).unwrap_err();
        assert!(err.to_string().contains("outside its text"), "{err}");
    }

    #[test]
    fn colours_are_stable_and_file_names_unique() {
        assert_eq!(speaker_colour("Ana Ruiz"), speaker_colour("Ana Ruiz"));
        assert_ne!(speaker_colour("Ana Ruiz"), speaker_colour("Tom Reyes"));
        let mut taken = Default::default();
        assert_eq!(file_name_for("a/b", &mut taken), "a_b.html");
        assert_eq!(file_name_for("a?b", &mut taken), "a_b-2.html");
        assert_eq!(file_name_for("index", &mut taken), "doc_index.html");
    }
}
