//! whosaid's attribution stage: quotations, reporting cues, speakers and coreference.
//!
//! [`attribute`] reads a [`Document`] that has been through the tokenize and NER stages and
//! returns every quotation it finds: **direct** (a whole quotation in quotation marks),
//! **mixed** (a quoted fragment inside reported speech) and **indirect** (reported speech
//! without marks), each linked to its speaker's canonical name in the document.

pub mod candidates;
mod coref;
pub mod eval;
mod lexicon;
mod roles;
pub mod scorer;
mod speaker;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use whosaid_tokenize::{Document, EntityLabel, Quoted, Span, TokenKind};

use crate::candidates::{Candidates, Proposer, QuoteSite, SpeakerRanker};
use crate::coref::{Coref, MentionKind};
use crate::lexicon::{cue, is_role_head, is_time_word, CueInfo};
use crate::scorer::{features, Basis, Scorer};
use crate::speaker::{according_source, lower, subject_left, subject_right};

pub use lexicon::Gender;

/// The attribution rules' word lists, for tests and tools that write text with them (the
/// property tests and `scripts/crash-hunt.py` build hostile text from every cue word).
pub mod vocabulary {
    pub use crate::lexicon::{cue_words, ROLE_WORDS};
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Mixed,
    Indirect,
}

impl QuoteKind {
    /// As written in the output: "direct", "mixed" or "indirect".
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// The speaker of a quotation: the canonical name in the document, and the mention the
/// decision rests on (which may be a pronoun or a description).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerRef {
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: SpeakerType,
}

/// What a speaker is: a named entity's type, or OTHER for a pronoun or description whosaid
/// could not resolve (and a group named by its description: "voters who say"). Written as
/// the entity label ("PER", "ORG", "LOC", "MISC") or "OTHER".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum SpeakerType {
    Entity(EntityLabel),
    Other,
}

impl SpeakerType {
    pub const PERSON: SpeakerType = SpeakerType::Entity(EntityLabel::Person);
    pub const ORGANISATION: SpeakerType = SpeakerType::Entity(EntityLabel::Organisation);

    /// As written in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerType::Entity(label) => label.as_str(),
            SpeakerType::Other => "OTHER",
        }
    }
}

impl From<SpeakerType> for &'static str {
    fn from(kind: SpeakerType) -> Self {
        kind.as_str()
    }
}

impl TryFrom<String> for SpeakerType {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        match name.as_str() {
            "OTHER" => Ok(SpeakerType::Other),
            _ => EntityLabel::from_conll(&name)
                .map(SpeakerType::Entity)
                .ok_or_else(|| format!("unknown speaker type {name:?}: PER, ORG, LOC, MISC or OTHER")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CueRef {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl CueRef {
    fn new(doc: &Document, span: Span) -> CueRef {
        CueRef { start: span.start, end: span.end, text: doc.slice(span).to_string() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quotation {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<SpeakerRef>,
    pub cue: Option<CueRef>,
    /// 0..1 (three decimals): with a trained scorer, its calibrated probability that the
    /// quotation is real and its speaker right; without one, a hand-set estimate.
    pub confidence: f64,
    /// The scorer's input features ([`scorer::FEATURES`]), only when asked for
    /// ([`Options::with_features`]), for training a scorer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<f32>>,
    /// The speakers proposed for a quoted span, each with its ranker features
    /// ([`candidates::RANKER_FEATURES`]), only when features are asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<SpeakerCandidate>>,
}

/// One speaker proposed for a quotation, as training data for the speaker ranker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerCandidate {
    pub speaker: SpeakerRef,
    pub features: Vec<f32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerSummary {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SpeakerType,
    /// Mentions of the speaker in the document (names, resolved pronouns and descriptions).
    pub mentions: usize,
    pub quotes: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub quotes: Vec<Quotation>,
    pub speakers: Vec<SpeakerSummary>,
}

/// How a quotation and its speaker were found: the scorer's main input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// A transcript label opening the quotation ("WALLACE: ...").
    Label,
    /// A dash attribution after the quotation ("... ― Name").
    Dash,
    /// A cue in the quotation's own sentence.
    Cue,
    /// "X: ..." with no verb.
    Colon,
    /// The cue of a sentence ending in a colon before the quotation.
    CueBefore,
    /// Inherited from the previous quotation.
    Continuation,
    /// No cue: the subject of the sentence the quoted fragment sits in.
    Subject,
    /// No speaker found.
    Unattributed,
    /// Reported clause of a core speech cue or "according to" (rules).
    ClauseCore,
    /// Reported clause of another cue (rules).
    ClauseOther,
    /// "Name: clause" paragraph (rules).
    ColonParagraph,
    /// Role-head clause whose speaker a rule clause over the same words gave.
    RoleRuleSpeaker,
    /// Role-head clause spoken by the tagged source; or a quotation no rule attributes,
    /// spoken by the tagged source beside a tagged cue in its sentences.
    RoleSource,
    /// Role-head clause without a tagged source.
    RoleUnsourced,
}

impl Evidence {
    /// The name of its feature in [`scorer::FEATURES`].
    fn feature(self) -> &'static str {
        match self {
            Evidence::Label => "ev_label",
            Evidence::Dash => "ev_dash",
            Evidence::Cue => "ev_cue",
            Evidence::Colon => "ev_colon",
            Evidence::CueBefore => "ev_cue_before",
            Evidence::Continuation => "ev_continuation",
            Evidence::Subject => "ev_subject",
            Evidence::Unattributed => "ev_none",
            Evidence::ClauseCore => "ev_clause_core",
            Evidence::ClauseOther => "ev_clause_other",
            Evidence::ColonParagraph => "ev_colon_paragraph",
            Evidence::RoleRuleSpeaker => "ev_role_rule_speaker",
            Evidence::RoleSource => "ev_role_source",
            Evidence::RoleUnsourced => "ev_role_unsourced",
        }
    }
}

/// A speaker mention a rule found, with the cue it rests on.
struct Attributed {
    mention: usize,
    cue: Option<Span>,
}

struct State<'d> {
    doc: &'d Document,
    coref: Coref,
    /// Per cue token: its speaker mention, once computed.
    cue_speaker: BTreeMap<usize, Option<usize>>,
    /// Per sentence: written in title case (a headline), where capitalised cues count.
    headline: Vec<bool>,
}

impl<'d> State<'d> {
    fn cue_at(&self, t: usize) -> Option<CueInfo> {
        if self.coref.quoted_at(t) || self.doc.kind_at(t) != Some(TokenKind::Word) {
            return None;
        }
        let text = self.doc.word(t);
        // "read" is a cue only in "..., the statement read."
        if text == "read" {
            let next = self.doc.tokens.get(t + 1).map(|n| self.doc.slice(n.span));
            return matches!(next, Some("." | "," | ";")).then_some(CueInfo {
                reports_clause: false,
                takes_object: false,
                participle: false,
                needs_that: true,
                infinitive: false,
            });
        }
        // "pointed out that ...": a cue only with its particle.
        if matches!(text, "point" | "points" | "pointed" | "pointing") {
            let next = self.doc.tokens.get(t + 1).map(|n| self.doc.slice(n.span));
            return (next == Some("out")).then_some(CueInfo {
                reports_clause: true,
                takes_object: false,
                participle: text == "pointing",
                needs_that: true,
                infinitive: false,
            });
        }
        let info = cue(&text.to_lowercase())?;
        // A capitalised cue word inside a sentence is a name or a title ("Said Hassan", "Asked"),
        // unless the whole sentence is title case: a headline ("Hollande Says Trump ...").
        if text.chars().next().is_some_and(char::is_uppercase) {
            let sentence = self.doc.sentence_of(self.doc.tokens[t].span.start);
            let initial_or_headline =
                sentence.is_some_and(|s| self.doc.sentences[s].first_token == t || self.headline[s]);
            if !initial_or_headline {
                return None;
            }
        }
        Some(info)
    }

    /// Is token `t` the "according" of "according to"?
    fn according_to(&self, t: usize) -> bool {
        !self.coref.quoted_at(t)
            && lower(self.doc, t) == "according"
            && t + 1 < self.doc.tokens.len()
            && lower(self.doc, t + 1) == "to"
    }

    /// The speaker of the cue at `t` within tokens `lo..hi`, memoised.
    fn speaker_of_cue(&mut self, t: usize, lo: usize, hi: usize) -> Option<usize> {
        if let Some(s) = self.cue_speaker.get(&t) {
            return *s;
        }
        let found = if self.according_to(t) {
            according_source(self.doc, &mut self.coref, t + 1, hi).map(|m| self.apposed_name(m, hi))
        } else {
            let info = self.cue_at(t);
            if info.is_some_and(|i| i.participle) {
                // "..., adding that": the subject of the nearest cue before it in the sentence.
                // Without one, the subject of the sentence ("Barr cancels ..., citing ...").
                let earlier: Vec<usize> =
                    (lo..t).rev().filter(|&k| self.cue_at(k).is_some_and(|i| !i.participle)).collect();
                earlier
                    .into_iter()
                    .find_map(|k| self.speaker_of_cue(k, lo, hi))
                    .or_else(|| self.coref.sentence_subject(lo, t))
            } else {
                match subject_left(self.doc, &mut self.coref, t, lo) {
                    (Some(m), _) => Some(m),
                    (None, true) => subject_right(self.doc, &mut self.coref, t, hi).map(|m| self.apposed_name(m, hi)),
                    (None, false) => None,
                }
            }
        };
        self.cue_speaker.insert(t, found);
        found
    }

    /// A description followed by the person's name between commas ("according to the city
    /// engineer, Margaret Lin, ...", "said a spokesman, Tom Reyes."): the name speaks.
    fn apposed_name(&self, m: usize, hi: usize) -> usize {
        let mention = &self.coref.mentions[m];
        let after = mention.tok_end;
        if mention.kind != MentionKind::Description || self.doc.word(after) != "," {
            return m;
        }
        let Some(n) = self.coref.mention_starting_at(after + 1) else { return m };
        let name = &self.coref.mentions[n];
        let person = name.kind == MentionKind::Name && self.coref.is_person(n);
        let closed = name.tok_end >= hi || matches!(self.doc.word(name.tok_end), "," | "." | ";");
        if person && closed && !name.in_quote {
            n
        } else {
            m
        }
    }

    fn cue_span(&self, t: usize) -> Span {
        let end = if self.according_to(t) { t + 1 } else { t };
        Span::new(self.doc.tokens[t].span.start, self.doc.tokens[end].span.end)
    }

    /// Resolve a mention to (canonical name, type).
    fn resolve(&self, m: usize) -> (String, SpeakerType) {
        let mention = &self.coref.mentions[m];
        let cluster = match mention.kind {
            MentionKind::Pronoun(info) => {
                mention.cluster.or_else(|| self.coref.resolve_pronoun(self.doc, mention.tok_start, info))
            }
            MentionKind::Description => mention.cluster.or_else(|| self.coref.resolve_description(self.doc, m)),
            MentionKind::Name => mention.cluster,
        };
        match cluster {
            Some(c) => (self.coref.clusters[c].canonical.clone(), self.coref.clusters[c].label),
            None => (self.doc.slice(mention.span).to_string(), SpeakerType::Other),
        }
    }

    fn speaker_ref(&self, m: usize) -> SpeakerRef {
        let (name, kind) = self.resolve(m);
        let span = self.coref.mentions[m].span;
        SpeakerRef { name, start: span.start, end: span.end, text: self.doc.slice(span).to_string(), kind }
    }
}

/// Confidences are coarse estimates: three decimals say all there is.
fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn token_range_of_sentences(doc: &Document, from: usize, to: usize) -> (usize, usize) {
    (doc.sentences[from].first_token, doc.sentences[to].end_token)
}

/// At least four words, four in five of them capitalised, not counting the short function
/// words that title case leaves in lower case ("Ministers Fail to Agree on Tariffs").
fn is_title_case_sentence(doc: &Document, lo: usize, hi: usize) -> bool {
    const LOWER_IN_TITLES: &[&str] =
        &["a", "an", "the", "and", "but", "or", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "as", "from"];
    let words = (lo..hi)
        .filter(|&k| doc.kind_at(k) == Some(TokenKind::Word))
        .filter(|&k| !LOWER_IN_TITLES.contains(&doc.word(k)));
    let capitalised = words.clone().filter(|&k| doc.word(k).chars().next().is_some_and(char::is_uppercase)).count();
    let total = words.count();
    total >= 4 && capitalised * 5 >= total * 4
}

/// Where reported speech (without quotation marks) comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportedFrom {
    /// The role head's clauses (`Document::role_spans`) alone.
    Roles,
    /// The rules alone: role tags are not used at all (quoted speakers included).
    Rules,
    /// The role head's clauses and the rules' clauses that none of them covers.
    #[default]
    Both,
}

/// What attribution may draw on.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where reported speech comes from. A document without role tags (a model without a
    /// role head) gets the rules' clauses whatever this says.
    pub reported: ReportedFrom,
    /// The trained scorer that sets confidences and rejects weak reported clauses; without
    /// one (or with one trained for another [`ReportedFrom`]), confidences are hand-set
    /// estimates and nothing is rejected.
    pub scorer: Option<Arc<Scorer>>,
    /// Put each quotation's scorer features in its output (`Quotation::features`).
    pub with_features: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { reported: ReportedFrom::Both, scorer: None, with_features: false }
    }
}

/// Find the quotations of a document and their speakers, with the default [`Options`].
pub fn attribute(doc: &Document) -> Attribution {
    attribute_with(doc, &Options::default())
}

/// Find the quotations of a document and their speakers.
pub fn attribute_with(doc: &Document, options: &Options) -> Attribution {
    let headline = doc.sentences.iter().map(|s| is_title_case_sentence(doc, s.first_token, s.end_token)).collect();
    let mut st = State { doc, coref: Coref::build(doc), cue_speaker: BTreeMap::new(), headline };
    let mut quotes: Vec<(Quotation, Basis)> = Vec::new();
    let use_roles = options.reported != ReportedFrom::Rules;

    // Suggest: quoted spans and every speaker the rules propose for each.
    let pending = suggest_quoted(&mut st, use_roles);
    let in_quote = st.coref.in_quote.clone();
    let quoted_or_mark = quoted_or_mark(doc, &in_quote);
    for s in 0..doc.sentences.len() {
        quotes.extend(indirect_in_sentence(&mut st, &quoted_or_mark, s));
    }
    // A paragraph's sentences are contiguous: one pass gives each paragraph's tokens.
    for para in doc.sentences.chunk_by(|a, b| a.paragraph == b.paragraph) {
        let (lo, hi) = (para[0].first_token, para[para.len() - 1].end_token);
        quotes.extend(speaker_colon_paragraph(&mut st, &in_quote, lo, hi));
    }
    if use_roles && !doc.role_spans.is_empty() {
        let rule_reported = std::mem::take(&mut quotes);
        let mut kept = Vec::new();
        let proposals = roles::suggest(&st);
        let learned = roles::reported(&mut st, proposals, &rule_reported);
        if options.reported == ReportedFrom::Both {
            // Held to the same test as tagged clauses: a statement, not "to ..." or "if ...".
            let uncovered = rule_reported.into_iter().filter(|(q, b)| {
                b.clause_like
                    && !learned.iter().any(|(l, _)| Span::new(l.start, l.end).overlap(Span::new(q.start, q.end)) > 0)
            });
            kept.extend(uncovered);
        }
        kept.extend(learned);
        quotes = kept;
    }

    // Every suggestion is in, and with it every mention the speaker search adds: coreference
    // is complete before any speaker is chosen. Decide: each quoted span's speaker.
    // A scorer is trained on the candidates of the sources it lists: on others it would
    // misjudge (rule clauses are mostly wrong where role clauses cover the right ones).
    let effective = if doc.role_spans.is_empty() { ReportedFrom::Rules } else { options.reported };
    let scorer = options.scorer.as_ref().filter(|s| s.reported.contains(&effective));
    let ranker = scorer.and_then(|s| s.speaker_ranker.as_ref());
    quotes.extend(decide_quoted(&st, pending, ranker, options.with_features));
    quotes.sort_by_key(|(q, _)| (q.start, q.end));

    // Speakers are resolved to names only now, from the complete coreference.
    for (q, basis) in &mut quotes {
        q.speaker = basis.mention.map(|m| st.speaker_ref(m));
    }

    // Score and decide: the scorer's probability is the confidence; weak reported clauses go.
    if scorer.is_some() || options.with_features {
        quotes.retain_mut(|(q, basis)| {
            let x = features(&st, q, basis);
            if let Some(scorer) = scorer {
                let p = scorer.probability(&x);
                if q.kind == QuoteKind::Indirect && p < scorer.reject_reported_below {
                    return false;
                }
                q.confidence = round3(p);
            }
            if options.with_features {
                q.features = Some(x);
            }
            true
        });
    }

    let speakers = summarise(&st, &quotes);
    Attribution { quotes: quotes.into_iter().map(|(q, _)| q).collect(), speakers }
}

/// A quoted span that suggest kept, with its speaker candidates (all but the previous
/// quotation's speaker, which depends on that quotation's decision).
struct PendingQuote {
    content: Span,
    paragraph: usize,
    site: QuoteSite,
    kind: QuoteKind,
    words: usize,
    unbalanced: bool,
    candidates: Candidates,
}

/// Suggest: the quoted spans worth attributing (outermost quotations only: nested ones
/// belong to their container) and, for each, the speakers every rule proposes.
fn suggest_quoted(st: &mut State, use_roles: bool) -> Vec<PendingQuote> {
    let doc = st.doc;
    let mut out = Vec::new();
    for q in doc.quoted.iter().filter(|q| q.depth == 0 && !q.content.is_empty()) {
        let open_tok =
            q.open.map(|p| doc.token_at_or_after(p)).unwrap_or_else(|| doc.token_at_or_after(q.content.start));
        let close_tok =
            q.close.map(|p| doc.token_at_or_after(p)).unwrap_or_else(|| doc.token_at_or_after(q.content.end));
        let (Some(s1), Some(s2)) = (
            doc.sentence_of(q.open.unwrap_or(q.content.start)),
            doc.sentence_of(q.close.unwrap_or(q.content.end.saturating_sub(1))),
        ) else {
            continue;
        };
        let (lo, mut hi) = token_range_of_sentences(doc, s1, s2);
        // `"... the wall?" Pence said.`: a quotation ending in ? or ! before a capitalised name
        // ends a sentence for the splitter, but its cue opens the next one.
        if close_tok + 1 >= hi && s2 + 1 < doc.sentences.len() && doc.sentences[s2 + 1].paragraph == q.paragraph {
            let next = &doc.sentences[s2 + 1];
            let cue_soon =
                (next.first_token..(next.first_token + 5).min(next.end_token)).any(|t| st.cue_at(t).is_some());
            if cue_soon {
                hi = next.end_token;
            }
        }
        let words = doc.word_count(doc.token_at_or_after(q.content.start)..doc.token_at_or_after(q.content.end));
        // A short quoted span in Title Case is the name of a show, book or campaign
        // ("on CNN's “State of the Union,”"), not a quotation.
        if words == 0 || is_title_case(doc, q) {
            continue;
        }
        let site = QuoteSite { lo, hi, open_tok, close_tok };
        let mut candidates = Candidates::default();
        // A transcript label opening the quotation ("WALLACE: ...") names its speaker; the
        // quotation itself starts after the label.
        let label = transcript_label(st, q);
        if let Some((m, _)) = label {
            candidates.propose(Proposer::Label, m, None);
        }
        let content = label.map_or(q.content, |(_, start)| Span::new(start, q.content.end));
        let mut propose = |p: Proposer, found: Option<Attributed>| {
            if let Some(f) = found {
                candidates.propose(p, f.mention, f.cue);
            }
        };
        propose(Proposer::Dash, dash_speaker(st, q));
        let mut cues = quote_cue_speakers(st, site).into_iter();
        propose(Proposer::Cue, cues.next());
        propose(Proposer::SecondCue, cues.next());
        propose(Proposer::Colon, colon_speaker(st, lo, open_tok));
        propose(Proposer::CueBefore, previous_cue_sentence(st, s1, open_tok));
        if use_roles {
            propose(Proposer::RoleSource, roles::quote_source(st, site));
            for m in roles::tagged_sources(st, site) {
                propose(Proposer::TaggedSource, Some(Attributed { mention: m, cue: None }));
            }
        }
        propose(Proposer::Subject, sentence_subject_speaker(st, lo, open_tok, close_tok, hi));
        propose(Proposer::NearestName, nearest_name_before(st, q.paragraph, open_tok));
        let kind = quote_kind(doc, &st.coref, q, open_tok);
        out.push(PendingQuote {
            content,
            paragraph: q.paragraph,
            site,
            kind,
            words,
            unbalanced: q.unbalanced,
            candidates,
        });
    }
    out
}

/// The nearest person or organisation named outside quotations before token `before` in
/// paragraph `paragraph`.
fn nearest_name_before(st: &State, paragraph: usize, before: usize) -> Option<Attributed> {
    let para_start = st.doc.token_at_or_after(st.doc.paragraphs[paragraph].start);
    let m = st
        .coref
        .mentions_starting_in(para_start, before)
        .iter()
        .copied()
        .filter(|&i| {
            let m = &st.coref.mentions[i];
            m.kind == MentionKind::Name
                && !m.in_quote
                && m.tok_end <= before
                && m.cluster.is_some_and(|c| {
                    matches!(st.coref.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
                })
        })
        // Of two ending together ("Mr. Cruz" and "Cruz"), the one added last.
        .max_by_key(|&i| (st.coref.mentions[i].tok_end, i))?;
    Some(Attributed { mention: m, cue: None })
}

/// Decide: each quoted span's speaker, in document order (the previous quotation's speaker
/// is a candidate for the next). With a ranker, its best-scored candidate; without, the
/// chain's.
fn decide_quoted(
    st: &State,
    pending: Vec<PendingQuote>,
    ranker: Option<&SpeakerRanker>,
    with_features: bool,
) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let mut out = Vec::new();
    let mut previous: Option<(usize, usize, usize)> = None; // (mention, paragraph, end token of its sentences)
    for mut p in pending {
        let QuoteSite { lo, hi, open_tok, .. } = p.site;
        if let Some(f) = continuation(st, p.paragraph, lo, open_tok, previous) {
            p.candidates.propose(Proposer::Continuation, f.mention, f.cue);
        }
        let chain = p.candidates.chain_choice();
        let xs: Vec<Vec<f32>> = if ranker.is_some() || with_features {
            (0..p.candidates.list.len()).map(|i| candidates::features(st, &p.candidates, i, p.site)).collect()
        } else {
            Vec::new()
        };
        let (chosen, share) = match ranker {
            Some(r) => r.choose(&xs).map_or((None, 1.0), |(i, share)| (Some(i), share)),
            None => (chain, 1.0),
        };
        // Short quoted phrases no rule attributes are titles and scare quotes, not quotations.
        if chain.is_none() && p.words < 4 {
            continue;
        }
        let found = chosen.map(|i| &p.candidates.list[i]);
        let mut confidence: f32 = match found.map(|c| (c.first.evidence(), st.coref.mentions[c.mention].kind)) {
            Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Name)) => 0.92,
            Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Pronoun(_))) => 0.85,
            Some((Evidence::Cue | Evidence::CueBefore, MentionKind::Description)) => 0.75,
            Some((Evidence::Colon | Evidence::Label | Evidence::Dash, _)) => 0.7,
            Some((Evidence::Continuation, _)) => 0.7,
            Some((Evidence::Subject | Evidence::RoleSource, _)) => 0.45,
            Some(_) | None => 0.1,
        };
        if p.unbalanced {
            confidence *= 0.8;
        }
        if p.words < 3 {
            confidence *= 0.85;
        }
        if let Some(c) = found {
            previous = Some((c.mention, p.paragraph, hi));
        }
        let candidates = with_features.then(|| {
            p.candidates
                .list
                .iter()
                .zip(xs)
                .map(|(c, features)| SpeakerCandidate { speaker: st.speaker_ref(c.mention), features })
                .collect()
        });
        out.push((
            Quotation {
                start: p.content.start,
                end: p.content.end,
                text: doc.slice(p.content).to_string(),
                kind: p.kind,
                speaker: None,
                cue: found.and_then(|c| c.cue).map(|s| CueRef::new(doc, s)),
                confidence: round3(confidence),
                features: None,
                candidates,
            },
            Basis {
                unbalanced: p.unbalanced,
                speaker_share: share,
                rivals: p.candidates.list.len().saturating_sub(1),
                ..Basis::new(
                    found.map(|c| c.mention),
                    found.map_or(Evidence::Unattributed, |c| c.first.evidence()),
                    p.words,
                )
            },
        ));
    }
    out
}

/// The speakers of the nearest two cues outside quotations in a quotation's sentences
/// `lo..hi` whose speaker can be found (two different mentions), nearest first.
fn quote_cue_speakers(st: &mut State, site: QuoteSite) -> Vec<Attributed> {
    let QuoteSite { lo, hi, open_tok, close_tok } = site;
    let mut cues: Vec<(usize, usize)> = Vec::new(); // (distance, cue token)
    for t in lo..hi {
        if (t >= open_tok && t <= close_tok) || st.coref.quoted_at(t) {
            continue;
        }
        if st.cue_at(t).is_some() || st.according_to(t) {
            let distance = if t < open_tok { open_tok - t } else { t - close_tok };
            cues.push((distance, t));
        }
    }
    cues.sort();
    let mut found: Vec<Attributed> = Vec::new();
    for (_, t) in cues {
        if let Some(m) = st.speaker_of_cue(t, lo, hi) {
            if found.iter().all(|f| f.mention != m) {
                found.push(Attributed { mention: m, cue: Some(st.cue_span(t)) });
            }
            if found.len() == 2 {
                break;
            }
        }
    }
    found
}

/// "Pompeo: "..."" (a name right before the colon) or "Kasich resisted: "..."" (the subject
/// of the clause the colon ends).
fn colon_speaker(st: &mut State, lo: usize, open_tok: usize) -> Option<Attributed> {
    if open_tok < lo + 2 || st.doc.word(open_tok - 1) != ":" {
        return None;
    }
    colon_subject(st, lo, open_tok - 1)
}

/// The speaker of a colon at token `colon` in a sentence starting at `lo`: the name right
/// before it, else the subject of the clause it ends.
fn colon_subject(st: &State, lo: usize, colon: usize) -> Option<Attributed> {
    let m = match colon.checked_sub(1).and_then(|k| st.coref.mention_ending_at(k)) {
        Some(m) if st.coref.mentions[m].kind == MentionKind::Name && !st.coref.mentions[m].in_quote => m,
        _ => st.coref.sentence_subject(lo, colon)?,
    };
    Some(Attributed { mention: m, cue: Some(st.doc.tokens.get(colon)?.span) })
}

/// A quotation opening a sentence or paragraph right after a sentence that ends with a cue
/// and a colon ("Trump tweeted:" then the tweet).
fn previous_cue_sentence(st: &mut State, s1: usize, open_tok: usize) -> Option<Attributed> {
    if s1 == 0 || st.doc.sentences[s1].first_token != open_tok {
        return None;
    }
    let prev = &st.doc.sentences[s1 - 1];
    let (lo, hi) = (prev.first_token, prev.end_token);
    if st.doc.word(hi - 1) != ":" {
        return None;
    }
    if let Some(cue_tok) = (lo..hi).rev().find(|&t| st.cue_at(t).is_some()) {
        if let Some(m) = st.speaker_of_cue(cue_tok, lo, hi) {
            return Some(Attributed { mention: m, cue: Some(st.cue_span(cue_tok)) });
        }
    }
    // No cue word ("The New York Times reports:", "And from Chairwoman Rosenworcel:").
    colon_subject(st, lo, hi - 1)
}

/// Transcript labels: the speaker's name in capitals and a colon opening a quotation
/// ("WALLACE: ...", "SEN. KAINE: ..."). Returns the label's mention and where the quotation
/// proper starts (after the colon and its spaces).
fn transcript_label(st: &mut State, q: &Quoted) -> Option<(usize, usize)> {
    let doc = st.doc;
    let first = doc.token_at_or_after(q.content.start);
    let colon = (first..first + 5).find(|&t| doc.word(t) == ":")?;
    let label = first..colon;
    let is_label_word = |t: usize| {
        let w = doc.word(t);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 1
            && w.chars().all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
            && (letters >= 2 || w.ends_with('.'))
    };
    if label.is_empty()
        || !label.clone().all(is_label_word)
        || !label.clone().any(|t| doc.word(t).chars().filter(|c| c.is_alphabetic()).count() >= 3)
        || doc.tokens[colon].span.end >= q.content.end
    {
        return None;
    }
    // The name, without a title ("SEN. KAINE" -> "KAINE" when NER has no entity for it).
    let m = match st.coref.mention_ending_at(colon - 1) {
        Some(m) if st.coref.mentions[m].kind == MentionKind::Name => m,
        _ => {
            let start =
                label.clone().find(|&t| !lexicon::is_title_word(&lower(doc, t).replace('.', ""))).unwrap_or(first);
            st.coref.add_fallback_name(doc, start, colon)
        }
    };
    let chars = doc.chars();
    let mut start = doc.tokens[colon].span.end;
    while start < q.content.end && chars[start].is_whitespace() {
        start += 1;
    }
    Some((m, start))
}

/// Dashes that introduce an attribution after a quotation (hyphen, en, em, horizontal bar,
/// figure dash, minus).
const DASHES: &[char] = &['-', '–', '—', '―', '‒', '−'];

/// Dash attributions: a quotation followed by a dash and a name ("..." ― Carla Sanchez,
/// "..." -Commissioner Geoffrey Starks) in the same paragraph.
fn dash_speaker(st: &mut State, q: &Quoted) -> Option<Attributed> {
    let doc = st.doc;
    let chars = doc.chars();
    let mut i = q.close? + 1;
    while i < chars.len() && matches!(chars[i], ' ' | '\u{a0}' | '\t') {
        i += 1;
    }
    if !chars.get(i).is_some_and(|c| DASHES.contains(c)) {
        return None;
    }
    let para_end = doc.token_at_or_after(doc.paragraphs[q.paragraph].end);
    // The first token that holds anything after the dash (it may hold the dash too:
    // "-Commissioner").
    let start = doc.tokens.partition_point(|t| t.span.end <= i + 1);
    let window = start..(start + 6).min(para_end);
    // The name (or its title) comes right after the dash: "— a metaphor for ...", "-- and
    // Fred Goldberg, ..." are running text.
    let first_word = window.clone().find(|&t| doc.word(t).chars().any(char::is_alphanumeric))?;
    let after_dash = |t: usize| doc.word(t).trim_start_matches(DASHES);
    if !after_dash(first_word).chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let mut name = None;
    for t in window.clone() {
        if matches!(doc.word(t), "." | "\"" | "“" | "”") || doc.kind_at(t) == Some(TokenKind::Quote) {
            break;
        }
        if let Some(m) = st.coref.mention_starting_at(t).filter(|&m| st.coref.mentions[m].kind == MentionKind::Name) {
            if st.coref.is_person(m) {
                name = Some(m);
                break;
            }
            name = name.or(Some(m));
        }
    }
    let m = match name {
        Some(m) => m,
        None => {
            // Capitalised words NER did not tag, from the first word after the dash.
            let capital = |t: usize| after_dash(t).chars().next().is_some_and(char::is_uppercase);
            let end = (first_word..window.end).take_while(|&t| capital(t)).last()?;
            if end == first_word && after_dash(first_word).chars().count() < 2 {
                return None;
            }
            st.coref.add_fallback_name(doc, first_word, end + 1)
        }
    };
    Some(Attributed { mention: m, cue: Some(Span::new(i, i + 1)) })
}

/// A quotation with no cue of its own inherits the previous quotation's speaker when it
/// follows in the same paragraph or opens the next one, with no other name in between.
fn continuation(
    st: &State,
    paragraph: usize,
    lo: usize,
    open_tok: usize,
    previous: Option<(usize, usize, usize)>,
) -> Option<Attributed> {
    let (mention, prev_para, prev_end) = previous?;
    let para_start_tok = st.doc.token_at_or_after(st.doc.paragraphs[paragraph].start);
    let same_paragraph = prev_para == paragraph;
    let opens_next = prev_para + 1 == paragraph && open_tok == para_start_tok;
    if !(same_paragraph || opens_next) {
        return None;
    }
    // Another person named outside quotations after the previous quotation's sentences
    // breaks the chain (names in its own frame, "... Pompeo said after talks with Lavrov",
    // do not).
    let between = st.coref.mentions.iter().any(|m| {
        m.tok_start > prev_end
            && m.tok_start < open_tok.max(lo)
            && !m.in_quote
            && m.kind == MentionKind::Name
            && m.cluster != st.coref.mentions[mention].cluster
    });
    if between {
        return None;
    }
    Some(Attributed { mention, cue: None })
}

fn is_title_case(doc: &Document, q: &Quoted) -> bool {
    let words: Vec<&str> = doc
        .slice(q.content)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let minor = |w: &str| {
        matches!(
            w,
            "a" | "an" | "the" | "of" | "and" | "or" | "in" | "on" | "at" | "to" | "for" | "with" | "by" | "from"
        )
    };
    let text = doc.slice(q.content);
    (2..=8).contains(&words.len())
        && !text.ends_with(['.', '!', '?'])
        && words.iter().enumerate().all(|(i, w)| {
            (i > 0 && minor(w)) || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// A quoted fragment inside a sentence with no cue ("Bush referred to Rubio as "a bright
/// leader"") is most often the words of the sentence's subject.
fn sentence_subject_speaker(st: &State, lo: usize, open_tok: usize, close_tok: usize, hi: usize) -> Option<Attributed> {
    // Only fragments embedded in narrative text, not whole quoted sentences.
    let narrative_before =
        (lo..open_tok).filter(|&t| st.doc.kind_at(t) == Some(TokenKind::Word) && !st.coref.quoted_at(t)).count();
    if narrative_before < 2 || close_tok >= hi {
        return None;
    }
    let m = st.coref.sentence_subject(lo, open_tok)?;
    let mention = &st.coref.mentions[m];
    if mention.kind == MentionKind::Description && mention.cluster.is_none() {
        return None;
    }
    Some(Attributed { mention: m, cue: None })
}

/// Direct when the quotation stands as a sentence or clause of its own (it opens the
/// sentence, or follows a colon, comma or cue, and starts with a capital); mixed otherwise.
fn quote_kind(doc: &Document, coref: &Coref, q: &Quoted, open_tok: usize) -> QuoteKind {
    let starts_capital = doc.slice(q.content).chars().find(|c| c.is_alphanumeric()).is_some_and(|c| !c.is_lowercase());
    let sentence_start = doc.sentence_of(doc.tokens[open_tok].span.start).map(|s| doc.sentences[s].first_token);
    let before_ok = open_tok == 0
        || sentence_start == Some(open_tok)
        || matches!(doc.word(open_tok - 1), ":" | "," | "—" | "–" | "(")
        || (!coref.quoted_at(open_tok - 1) && cue(&lower(doc, open_tok - 1)).is_some());
    if starts_capital && before_ok {
        QuoteKind::Direct
    } else {
        QuoteKind::Mixed
    }
}

fn is_clause_start_ok(doc: &Document, t: usize) -> bool {
    doc.kind_at(t) != Some(TokenKind::Punct) && !lexicon::NOT_CLAUSE_STARTS.contains(&lower(doc, t).as_str())
}

/// "Sanders: We need a political revolution" (a headline), "FALLIN: Well, I think ..." (a
/// transcript): a paragraph opening with a name and a colon reports the rest of the
/// paragraph (tokens `lo..hi`). Quoted rests are the quotation pass's ("Pompeo: "..."").
fn speaker_colon_paragraph(st: &mut State, in_quote: &[bool], lo: usize, hi: usize) -> Option<(Quotation, Basis)> {
    let doc = st.doc;
    let colon = (lo + 1..(lo + 7).min(hi)).find(|&k| doc.word(k) == ":")?;
    let m = st.coref.mention_ending_at(colon - 1)?;
    let mention = &st.coref.mentions[m];
    let title_case = |t: usize| doc.word(t).chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphanumeric());
    if mention.kind != MentionKind::Name || mention.in_quote || !(lo..colon).all(title_case) {
        return None;
    }
    let mut end = hi;
    while end > colon + 1 && doc.kind_at(end - 1) == Some(TokenKind::Punct) {
        end -= 1;
    }
    let start = colon + 1;
    let quoted = |t: usize| doc.kind_at(t) == Some(TokenKind::Quote) || in_quote[t];
    if end < start + 3 || quoted(start) || 2 * (start..end).filter(|&t| quoted(t)).count() >= end - start {
        return None;
    }
    let span = doc.tokens_span(start..end)?;
    let quotation = Quotation {
        start: span.start,
        end: span.end,
        text: doc.slice(span).to_string(),
        kind: QuoteKind::Indirect,
        speaker: None,
        cue: Some(CueRef::new(doc, doc.tokens[colon].span)),
        confidence: 0.6,
        features: None,
        candidates: None,
    };
    let words = doc.word_count(start..end);
    let basis = Basis {
        clause_like: roles::clause_like(st, start),
        opener: Some(roles::clause_opener(st, start)),
        has_verb: roles::has_verb(st, start, end),
        ..Basis::new(Some(m), Evidence::ColonParagraph, words)
    };
    Some((quotation, basis))
}

/// Words that, after a comma, begin a clause outside the reported one.
const CLAUSE_JOINERS: &[&str] =
    &["and", "but", "which", "who", "whose", "while", "whereas", "although", "though", "even", "however"];

/// Per token: inside a quotation, or a quotation mark. A single mark that opens or closes no
/// quotation is an apostrophe ("Sanders’ apology") and does not count.
fn quoted_or_mark(doc: &Document, in_quote: &[bool]) -> Vec<bool> {
    let used: HashSet<usize> = doc.quoted.iter().flat_map(|q| [q.open, q.close]).flatten().collect();
    let chars_at = |t: usize| doc.slice(doc.tokens[t].span).chars().next();
    (0..doc.tokens.len())
        .map(|t| {
            in_quote[t]
                || doc.kind_at(t) == Some(TokenKind::Quote)
                    && (used.contains(&doc.tokens[t].span.start)
                        || !matches!(chars_at(t), Some('\'' | '‘' | '’' | '‚' | '‛')))
        })
        .collect()
}

/// Where a reported clause starting at token `j` ends (exclusive), at most at `end`: before
/// a participle or "according to" after a comma, a quotation after a comma, a joined second
/// clause, or a second cue with its own "that".
fn clause_stop(st: &State, j: usize, end: usize) -> usize {
    let doc = st.doc;
    for k in j..end {
        let participle_or_according = k + 1 < end
            && doc.word(k) == ","
            && (st.cue_at(k + 1).is_some_and(|i| i.participle) || st.according_to(k + 1));
        let quote_after_comma = doc.kind_at(k) == Some(TokenKind::Quote) && k > j && doc.word(k - 1) == ",";
        if participle_or_according {
            return k;
        }
        if quote_after_comma {
            return k - 1;
        }
        // ", and the bank said ...", ", which ...": a second clause is not reported.
        if k > j + 2 && doc.word(k) == "," && k + 1 < end && CLAUSE_JOINERS.contains(&lower(doc, k + 1).as_str()) {
            return k;
        }
        // "said A and added that B": the second verb's clause is its own.
        if k > j + 2
            && matches!(lower(doc, k).as_str(), "and" | "but")
            && k + 2 < end
            && lower(doc, k + 2) == "that"
            && st.cue_at(k + 1).is_some_and(|i| i.reports_clause && !i.participle)
        {
            return k;
        }
    }
    end
}

/// The longest reported clause, in tokens.
const MAX_REPORTED_TOKENS: usize = 250;

/// Reported speech without quotation marks in sentence `s`.
fn indirect_in_sentence(st: &mut State, quoted_or_mark: &[bool], s: usize) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let sent = &doc.sentences[s];
    let (lo, hi) = (sent.first_token, sent.end_token);
    // The sentence's content end: drop final punctuation and closing brackets.
    let mut end = hi;
    while end > lo && doc.kind_at(end - 1) == Some(TokenKind::Punct) {
        end -= 1;
    }
    let has_quote = |a: usize, b: usize| (a..b).any(|t| quoted_or_mark[t]);
    let mut out = Vec::new();
    for c in lo..hi {
        let according = st.according_to(c);
        let info = st.cue_at(c);
        // "called for a ban", "called on Congress to act": phrasal reporting verbs.
        let call_phrase = info.is_some()
            && lower(doc, c).starts_with("call")
            && c + 1 < end
            && matches!(lower(doc, c + 1).as_str(), "for" | "on");
        if !according && !call_phrase && !info.is_some_and(|i| i.reports_clause) {
            continue;
        }
        let Some(speaker) = st.speaker_of_cue(c, lo, hi) else { continue };
        let sp = st.coref.mentions[speaker].clone();
        let (subj_lo, subj_hi) = (sp.tok_start.min(c), sp.tok_end.max(c + 1 + usize::from(according)));

        // After the cue: "said (that) CLAUSE", "told reporters (that) CLAUSE".
        let mut content: Option<(usize, usize)> = None;
        let infinitive_after = |j: usize| j < end && lower(doc, j) == "to";
        if call_phrase && sp.tok_start < c {
            let j = c + 2;
            let stop = clause_stop(st, j, end);
            if stop > j + 2 && !has_quote(j, stop) {
                content = Some((j, stop));
            }
        } else if info.is_some_and(|i| i.infinitive) && sp.tok_start < c && !according {
            // "vowed to fight" (the infinitive), "urged Congress to act" (object and infinitive).
            let j = c + 1;
            let to = (j..(j + 6).min(end))
                .find(|&k| infinitive_after(k) && !(j..k).any(|x| doc.kind_at(x) != Some(TokenKind::Word)));
            if let Some(k) = to {
                let start = if k == j || !info.is_some_and(|i| i.takes_object) { k } else { j };
                let stop = clause_stop(st, start, end);
                if stop > start + 2 && !has_quote(start, stop) {
                    content = Some((start, stop));
                }
            }
        }
        // "As Clyburn noted, CLAUSE.": the clause after the cue's comma.
        if sp.tok_start < c
            && sp.tok_start > lo
            && lower(doc, sp.tok_start - 1) == "as"
            && c + 1 < end
            && doc.word(c + 1) == ","
            && end > c + 4
            && !has_quote(c + 2, end)
        {
            content = Some((c + 2, end));
        }
        if content.is_none() && !according && !call_phrase && sp.tok_start < c {
            let mut j = c + 1;
            if lower(doc, j) == "out" && lower(doc, c).starts_with("point") {
                j += 1;
            }
            while j < end && is_time_word(&lower(doc, j)) {
                j += 1;
            }
            // "confirmed before the committee that", "said in a statement that".
            if j < end
                && matches!(
                    lower(doc, j).as_str(),
                    "in" | "on" | "at" | "before" | "during" | "to" | "with" | "after" | "from" | "via"
                )
            {
                if let Some(k) = (j + 1..(j + 12).min(end)).find(|&k| lower(doc, k) == "that") {
                    if !(j..k).any(|x| matches!(doc.word(x), "," | ";") || doc.kind_at(x) == Some(TokenKind::Quote)) {
                        j = k;
                    }
                }
            }
            if info.is_some_and(|i| i.takes_object) && j < end && lower(doc, j) != "that" {
                // The addressee runs up to "that" or to the clause's subject pronoun.
                let clause = (j + 1..(j + 10).min(end)).find(|&k| {
                    let w = lower(doc, k);
                    w == "that" || matches!(w.as_str(), "he" | "she" | "they" | "it" | "we" | "i")
                });
                j = match clause {
                    Some(k) => k,
                    None => match st.coref.mention_starting_at(j) {
                        Some(m) => st.coref.mentions[m].tok_end,
                        None => j + 1,
                    },
                };
                while j < end && is_time_word(&lower(doc, j)) {
                    j += 1;
                }
            }
            let has_that = j < end && lower(doc, j) == "that";
            if has_that {
                j += 1;
            }
            // A trailing quotation ("..., "but we have concerns"") ends the reported clause.
            let mut stop = clause_stop(st, j, end);
            let allowed = has_that || !info.is_some_and(|i| i.needs_that);
            // "Corey, who said the case was strong, charged ...": the relative clause ends at its comma.
            if lower(doc, sp.tok_start) == "who" {
                if let Some(k) = (j..stop).find(|&k| doc.word(k) == ",") {
                    stop = k;
                }
            }
            let starts_clause =
                if has_that { doc.kind_at(j) != Some(TokenKind::Punct) } else { is_clause_start_ok(doc, j) };
            if allowed && j < stop && stop - j >= 3 && starts_clause && !has_quote(j, stop) {
                content = Some((j, stop));
            }
        }
        // Before the cue: "CLAUSE, Pompeo said." / "CLAUSE, said Pompeo, a professor at ..."
        // / "CLAUSE, according to Pompeo." A parenthetical cue ("PART, she said, PART.")
        // reports both parts.
        let mut extra: Option<(usize, usize)> = None;
        if content.is_none() && subj_lo > lo + 1 && doc.word(subj_lo - 1) == "," && !has_quote(lo, subj_lo) {
            let inverted = according || sp.tok_start > c;
            let trailing = |from: usize| {
                (from..end).all(|t| {
                    is_time_word(&lower(doc, t))
                        || matches!(
                            lower(doc, t).as_str(),
                            "on" | "in" | "a" | "an" | "statement" | "interview" | "the" | "at" | "during"
                        )
                })
            };
            // "CLAUSE, his aide told The Huffington Post.": the addressee goes with the cue.
            let after_addressee = if info.is_some_and(|i| i.takes_object) && subj_hi < end {
                let det = usize::from(lower(doc, subj_hi) == "the" && subj_hi + 1 < end);
                match st.coref.mention_starting_at(subj_hi + det) {
                    Some(m) => st.coref.mentions[m].tok_end,
                    None if matches!(lower(doc, subj_hi).as_str(), "reporters" | "journalists") => subj_hi + 1,
                    None => subj_hi,
                }
            } else {
                subj_hi
            };
            if inverted || trailing(subj_hi) || trailing(after_addressee) {
                // "CLAUSE, his top aide, Tad Devine, told ...": the apposition is not reported.
                let mut cut = subj_lo - 1;
                if cut > lo && is_role_head(&lower(doc, cut - 1)) {
                    if let Some(k) = (lo + 1..cut).rev().take(6).find(|&k| doc.word(k) == ",") {
                        cut = k;
                    }
                }
                content = Some((lo, cut));
            } else if subj_hi < end && doc.word(subj_hi) == "," {
                content = Some((lo, subj_lo - 1));
                if subj_hi + 1 < end && !has_quote(subj_hi + 1, end) && end - subj_hi > 2 {
                    extra = Some((subj_hi + 1, end));
                }
            }
        }
        // "According to X, CLAUSE."
        if content.is_none() && according {
            let mut k = sp.tok_end;
            while k < end && doc.word(k) != "," {
                k += 1;
            }
            if k + 3 < end && !has_quote(k + 1, end) {
                content = Some((k + 1, end));
            }
        }
        let Some((a, b)) = content else { continue };
        // A "clause" longer than any real sentence is a run-on or a list, not reported speech;
        // the bound also keeps the output linear in the input when cues repeat in one sentence.
        if b - a > MAX_REPORTED_TOKENS {
            continue;
        }
        let core = according || info.is_some() && lexicon::is_core_speech(&lower(doc, c));
        let confidence = match sp.kind {
            MentionKind::Name => 0.7,
            MentionKind::Pronoun(_) => 0.6,
            MentionKind::Description => 0.5,
        } * if core { 1.0 } else { 0.8 };
        let cue_ref = CueRef::new(doc, st.cue_span(c));
        for (a, b) in std::iter::once((a, b)).chain(extra) {
            let Some(span) = doc.tokens_span(a..b) else { continue };
            out.push((
                Quotation {
                    start: span.start,
                    end: span.end,
                    text: doc.slice(span).to_string(),
                    kind: QuoteKind::Indirect,
                    speaker: None,
                    cue: Some(cue_ref.clone()),
                    confidence: round3(confidence),
                    features: None,
                    candidates: None,
                },
                Basis {
                    clause_like: roles::clause_like(st, a),
                    opener: Some(roles::clause_opener(st, a)),
                    has_verb: roles::has_verb(st, a, b),
                    ..Basis::new(
                        Some(speaker),
                        if core { Evidence::ClauseCore } else { Evidence::ClauseOther },
                        doc.word_count(a..b),
                    )
                },
            ));
        }
    }
    out
}

/// Per-speaker counts: mentions of the speaker's cluster and quotations attributed to it.
fn summarise(st: &State, quotes: &[(Quotation, Basis)]) -> Vec<SpeakerSummary> {
    let mut by_name: BTreeMap<String, SpeakerSummary> = BTreeMap::new();
    for (q, _) in quotes {
        if let Some(s) = &q.speaker {
            let e = by_name.entry(s.name.clone()).or_insert_with(|| SpeakerSummary {
                name: s.name.clone(),
                kind: s.kind,
                mentions: 0,
                quotes: 0,
            });
            e.quotes += 1;
        }
    }
    for (i, c) in st.coref.clusters.iter().enumerate() {
        if let Some(e) = by_name.get_mut(&c.canonical) {
            e.mentions += st.coref.mentions.iter().filter(|m| m.cluster == Some(i)).count();
        }
    }
    // Resolved pronouns count as mentions of their person.
    for m in &st.coref.mentions {
        if let MentionKind::Pronoun(info) = m.kind {
            if m.in_quote {
                continue;
            }
            if let Some(c) = st.coref.resolve_pronoun(st.doc, m.tok_start, info) {
                if let Some(e) = by_name.get_mut(&st.coref.clusters[c].canonical) {
                    e.mentions += 1;
                }
            }
        }
    }
    let mut v: Vec<SpeakerSummary> = by_name.into_values().collect();
    v.iter_mut().for_each(|s| s.mentions = s.mentions.max(1));
    v.sort_by(|a, b| b.quotes.cmp(&a.quotes).then(a.name.cmp(&b.name)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_types_read_and_write_as_the_output_names_them() {
        for (kind, name) in [
            (SpeakerType::PERSON, "\"PER\""),
            (SpeakerType::Entity(EntityLabel::Misc), "\"MISC\""),
            (SpeakerType::Other, "\"OTHER\""),
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), name);
            assert_eq!(serde_json::from_str::<SpeakerType>(name).unwrap(), kind);
        }
        let unknown = serde_json::from_str::<SpeakerType>("\"PERSON\"").unwrap_err().to_string();
        assert!(unknown.contains("unknown speaker type"), "{unknown}");
    }
}
