//! whosaid's attribution stage: quotations, reporting cues, speakers and coreference.
//!
//! [`attribute`] reads a [`Document`] that has been through the tokenize and NER stages and
//! returns every quotation it finds: **direct** (a whole quotation in quotation marks),
//! **mixed** (a quoted fragment inside reported speech) and **indirect** (reported speech
//! without marks), each linked to its speaker's canonical name in the document.

pub mod candidates;
mod clause;
mod confidence;
pub mod coref;
mod cues;
pub mod eval;
pub mod eval_coref;
mod layout;
mod lexicon;
mod mentions;
mod roles;
pub mod scorer;
mod speaker;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use whosaid_tokenize::{Document, EntityLabel, Quoted, Span, TokenKind};

use crate::candidates::{Candidates, Proposer, SpeakerRanker};
use crate::coref::resolver::Resolver;
use crate::coref::{Coref, MentionKind, MentionSet};
use crate::cues::Cues;
use crate::layout::Layout;
use crate::lexicon::{cue, is_role_head, is_time_word, lower, CueInfo};
use crate::mentions::{quote_site, QuoteSite, SpeakerLinks};
use crate::scorer::{features, Basis, Scorer};

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
    /// Its feature in [`scorer::FEATURES`].
    fn feature(self) -> scorer::Feature {
        match self {
            Evidence::Label => scorer::Feature::EvLabel,
            Evidence::Dash => scorer::Feature::EvDash,
            Evidence::Cue => scorer::Feature::EvCue,
            Evidence::Colon => scorer::Feature::EvColon,
            Evidence::CueBefore => scorer::Feature::EvCueBefore,
            Evidence::Continuation => scorer::Feature::EvContinuation,
            Evidence::Subject => scorer::Feature::EvSubject,
            Evidence::Unattributed => scorer::Feature::EvNone,
            Evidence::ClauseCore => scorer::Feature::EvClauseCore,
            Evidence::ClauseOther => scorer::Feature::EvClauseOther,
            Evidence::ColonParagraph => scorer::Feature::EvColonParagraph,
            Evidence::RoleRuleSpeaker => scorer::Feature::EvRoleRuleSpeaker,
            Evidence::RoleSource => scorer::Feature::EvRoleSource,
            Evidence::RoleUnsourced => scorer::Feature::EvRoleUnsourced,
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
    cues: Cues,
    links: SpeakerLinks,
    layout: Layout,
    /// Per sentence: written in title case (a headline), where capitalised cues count.
    headline: Vec<bool>,
}

impl<'d> State<'d> {
    /// Does code point `pos` lie in a transcript turn or a caption?
    fn in_turn_or_caption(&self, pos: usize) -> bool {
        self.layout.turn_at(pos).is_some()
            || self.doc.sentence_of(pos).is_some_and(|s| self.layout.caption[self.doc.sentences[s].paragraph])
    }

    fn cue_at(&self, t: usize) -> Option<CueInfo> {
        self.cues.at(t)
    }

    /// Is token `t` the "according" of "according to"?
    fn according_to(&self, t: usize) -> bool {
        self.cues.according_to(t)
    }

    /// The speaker of the cue at `t` in a sentence starting at `lo`: its subject as proposed;
    /// for a participle ("..., adding that"), the subject of the nearest cue before it in the
    /// sentence, else the subject of the sentence ("Barr cancels ..., citing ...").
    fn speaker_of_cue(&self, t: usize, lo: usize) -> Option<usize> {
        if !self.according_to(t) && self.cue_at(t).is_some_and(|i| i.participle) {
            return (lo..t)
                .rev()
                .filter(|&k| self.cue_at(k).is_some_and(|i| !i.participle))
                .find_map(|k| self.speaker_of_cue(k, lo))
                .or_else(|| self.coref.sentence_subject(lo, t));
        }
        self.links.cue_subject.get(&t).copied().flatten()
    }

    fn cue_span(&self, t: usize) -> Span {
        self.cues.span(self.doc, t)
    }

    /// A mention's (canonical name, type): its resolved cluster's, else its own words (OTHER).
    fn resolve(&self, m: usize) -> (String, SpeakerType) {
        match self.coref.cluster_of(m) {
            Some(c) => (self.coref.clusters[c].canonical.clone(), self.coref.clusters[c].label),
            None => (self.doc.slice(self.coref.mentions[m].span).to_string(), SpeakerType::Other),
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
    /// The trained speaker-coreference resolver; without one, pronouns and descriptions are
    /// resolved by rules.
    pub resolver: Option<Arc<Resolver>>,
    /// Put each quotation's scorer features in its output (`Quotation::features`).
    pub with_features: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { reported: ReportedFrom::Both, scorer: None, resolver: None, with_features: false }
    }
}

/// Find the quotations of a document and their speakers, with the default [`Options`].
pub fn attribute(doc: &Document) -> Attribution {
    attribute_with(doc, &Options::default())
}

/// Find the quotations of a document and their speakers.
pub fn attribute_with(doc: &Document, options: &Options) -> Attribution {
    attribute_and_resolve(doc, options, false).0
}

/// [`attribute_with`], and the time its coreference took (layout, mention proposal and
/// resolution) and the time it took in all, for throughput reports.
pub fn attribute_timed(doc: &Document, options: &Options) -> (Attribution, std::time::Duration, std::time::Duration) {
    let t = std::time::Instant::now();
    let (a, report) = attribute_and_resolve(doc, options, false);
    (a, report.time, t.elapsed())
}

/// A document's coreference as attribution resolved it: every mention with the entity it
/// refers to, for `whosaid eval-coref`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CorefReport {
    pub mentions: Vec<MentionReport>,
    /// Each entity's canonical name and type, indexed by `MentionReport::entity`.
    pub entities: Vec<(String, SpeakerType)>,
    /// What the trained resolver saw of each pronoun and description (with examples asked for).
    pub examples: Vec<coref::resolver::AnaphorExample>,
    /// How long coreference took: layout, mention proposal and resolution.
    #[serde(skip)]
    pub time: std::time::Duration,
}

#[derive(Clone, Debug, Serialize)]
pub struct MentionReport {
    pub start: usize,
    pub end: usize,
    /// "name", "pronoun" or "description".
    pub kind: &'static str,
    /// The entity it refers to (an index into `CorefReport::entities`), if any.
    pub entity: Option<usize>,
    pub confidence: f32,
    /// A third-person pronoun or a definite description: what resolution links to a name.
    pub anaphor: bool,
}

/// Attribute a document and report its coreference; `examples`: with what the resolver saw.
pub fn attribute_and_resolve(doc: &Document, options: &Options, examples: bool) -> (Attribution, CorefReport) {
    let headline: Vec<bool> =
        doc.sentences.iter().map(|s| is_title_case_sentence(doc, s.first_token, s.end_token)).collect();
    let use_roles = options.reported != ReportedFrom::Rules;
    // Read the layout; propose every mention, resolve them once, freeze.
    let coref_start = std::time::Instant::now();
    let layout = Layout::new(doc);
    let mut set = MentionSet::new(doc, &layout.caption);
    let cues = Cues::new(doc, &set.in_quote, &headline);
    let links = mentions::propose(doc, &cues, &layout, &mut set, use_roles);
    let coref = set.resolve(doc, options.resolver.as_deref(), examples);
    let coref_time = coref_start.elapsed();
    let st = State { doc, coref, cues, links, layout, headline };
    let mut quotes: Vec<(Quotation, Basis)> = Vec::new();

    // Suggest: quoted spans and every speaker the rules propose for each.
    let pending = suggest_quoted(&st, use_roles);
    let quoted_or_mark = quoted_or_mark(doc, &st.coref.in_quote);
    for s in 0..doc.sentences.len() {
        quotes.extend(indirect_in_sentence(&st, &quoted_or_mark, s));
    }
    // A paragraph's sentences are contiguous: one pass gives each paragraph's tokens.
    for para in doc.sentences.chunk_by(|a, b| a.paragraph == b.paragraph) {
        let (lo, hi) = (para[0].first_token, para[para.len() - 1].end_token);
        quotes.extend(speaker_colon_paragraph(&st, lo, hi));
    }
    if use_roles && !doc.role_spans.is_empty() {
        let rule_reported = std::mem::take(&mut quotes);
        let mut kept = Vec::new();
        let proposals = roles::suggest(&st);
        let learned = roles::reported(&st, proposals, &rule_reported);
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

    // Transcript turns are their speakers' words, whole: what other rules found inside them
    // (quoted phrases, reported clauses) is part of the turn; captions hold no one's words.
    quotes.retain(|(q, _)| !st.in_turn_or_caption(q.start));
    quotes.extend(transcript_turns(&st));

    // Decide: each quoted span's speaker.
    // A scorer is trained on the candidates of the sources it lists: on others it would
    // misjudge (rule clauses are mostly wrong where role clauses cover the right ones).
    let effective = if doc.role_spans.is_empty() { ReportedFrom::Rules } else { options.reported };
    let scorer = options.scorer.as_ref().filter(|s| s.reported.contains(&effective));
    let ranker = scorer.and_then(|s| s.speaker_ranker.as_ref());
    quotes.extend(decide_quoted(&st, pending, ranker, options.with_features));
    quotes.sort_by_key(|(q, _)| (q.start, q.end));

    for (q, basis) in &mut quotes {
        q.speaker = basis.mention.map(|m| st.speaker_ref(m));
    }

    // Score and decide: the scorer's probability is the confidence; weak reported clauses go.
    if scorer.is_some() || options.with_features {
        quotes.retain_mut(|(q, basis)| {
            let x = features(&st, q, basis);
            if let (Some(scorer), false) = (scorer, basis.transcript_turn) {
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
    let report = CorefReport { time: coref_time, ..coref_report(&st, examples) };
    (Attribution { quotes: quotes.into_iter().map(|(q, _)| q).collect(), speakers }, report)
}

fn coref_report(st: &State, examples: bool) -> CorefReport {
    let coref = &st.coref;
    CorefReport {
        mentions: coref
            .mentions
            .iter()
            .enumerate()
            .map(|(i, m)| MentionReport {
                start: m.span.start,
                end: m.span.end,
                kind: match m.kind {
                    MentionKind::Name => "name",
                    MentionKind::Pronoun(_) => "pronoun",
                    MentionKind::Description => "description",
                },
                entity: coref.cluster_of(i),
                confidence: coref.confidence_of(i),
                anaphor: coref::resolver::is_anaphor(st.doc, m),
            })
            .collect(),
        entities: coref.clusters.iter().map(|c| (c.canonical.clone(), c.label)).collect(),
        examples: if examples { coref.examples().to_vec() } else { Vec::new() },
        time: std::time::Duration::ZERO,
    }
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
fn suggest_quoted(st: &State, use_roles: bool) -> Vec<PendingQuote> {
    let doc = st.doc;
    let mut out = Vec::new();
    for (i, q) in doc.quoted.iter().enumerate().filter(|(_, q)| q.depth == 0 && !q.content.is_empty()) {
        if st.in_turn_or_caption(q.content.start) {
            continue;
        }
        let Some(site) = quote_site(doc, &st.cues, q) else { continue };
        let QuoteSite { lo, hi, open_tok, close_tok, first_sentence } = site;
        let words = doc.word_count(doc.token_at_or_after(q.content.start)..doc.token_at_or_after(q.content.end));
        // A short quoted span in Title Case is the name of a show, book or campaign
        // ("on CNN's “State of the Union,”"), not a quotation.
        if words == 0 || is_title_case(doc, q) {
            continue;
        }
        let mut candidates = Candidates::default();
        // A transcript label opening the quotation ("WALLACE: ...") names its speaker; the
        // quotation itself starts after the label.
        let label = st.links.label.get(&i).copied();
        if let Some((m, _)) = label {
            candidates.propose(Proposer::Label, m, None);
        }
        let content = label.map_or(q.content, |(_, start)| Span::new(start, q.content.end));
        let mut propose = |p: Proposer, found: Option<Attributed>| {
            if let Some(f) = found {
                candidates.propose(p, f.mention, f.cue);
            }
        };
        let dash = st.links.dash.get(&i).map(|&(mention, cue)| Attributed { mention, cue: Some(cue) });
        propose(Proposer::Dash, dash);
        let mut cues = quote_cue_speakers(st, site).into_iter();
        propose(Proposer::Cue, cues.next());
        propose(Proposer::SecondCue, cues.next());
        propose(Proposer::Colon, colon_speaker(st, lo, open_tok));
        propose(Proposer::CueBefore, previous_cue_sentence(st, first_sentence, open_tok));
        if use_roles {
            propose(Proposer::RoleSource, roles::quote_source(st, site));
            for m in roles::tagged_sources(st, site) {
                propose(Proposer::TaggedSource, Some(Attributed { mention: m, cue: None }));
            }
        }
        propose(Proposer::PreviousParagraph, previous_paragraph_speaker(st, q.paragraph, open_tok));
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

/// Each transcript turn as a direct quotation of its speaker (a turn whose label names a place
/// is a dateline, "NEW DELHI:", and no turn).
fn transcript_turns(st: &State) -> Vec<(Quotation, Basis)> {
    let doc = st.doc;
    let mut out = Vec::new();
    for (turn, &speaker) in st.layout.turns.iter().zip(&st.links.turn_speaker) {
        let place = speaker.is_some_and(|m| {
            st.coref
                .cluster_of(m)
                .is_some_and(|c| st.coref.clusters[c].label == SpeakerType::Entity(EntityLabel::Location))
        });
        let a = doc.token_at_or_after(turn.content.start);
        let b = doc.token_at_or_after(turn.content.end);
        let words = doc.word_count(a..b);
        if place || words == 0 {
            continue;
        }
        let Some(span) = doc.tokens_span(a..b) else { continue };
        out.push((
            Quotation {
                start: span.start,
                end: span.end,
                text: doc.slice(span).to_string(),
                kind: QuoteKind::Direct,
                speaker: None,
                cue: None,
                confidence: confidence::transcript_turn(
                    speaker.is_some(),
                    turn.name.is_some(),
                    turn.question.is_some(),
                ),
                features: None,
                candidates: None,
            },
            Basis {
                transcript_turn: true,
                ..Basis::new(speaker, if speaker.is_some() { Evidence::Label } else { Evidence::Unattributed }, words)
            },
        ));
    }
    out
}

/// For a quotation opening its paragraph: the speaker named in the last sentence of the
/// paragraph before (not a caption): its nearest cue's subject ("Robert Chen said the city
/// would appeal."), else its subject when that is a person or an organisation ("The mayor,
/// Robert Chen, spoke to reporters on Monday.").
fn previous_paragraph_speaker(st: &State, paragraph: usize, open_tok: usize) -> Option<Attributed> {
    let doc = st.doc;
    if paragraph == 0 || doc.token_at_or_after(doc.paragraphs[paragraph].start) != open_tok {
        return None;
    }
    let prev = doc.sentences.iter().rev().find(|s| s.paragraph < paragraph)?;
    if prev.paragraph + 1 != paragraph || st.layout.caption[prev.paragraph] {
        return None;
    }
    let (lo, hi) = (prev.first_token, prev.end_token);
    if (lo..hi).any(|t| st.coref.quoted_at(t)) {
        return None;
    }
    let by_cue = (lo..hi)
        .rev()
        .filter(|&t| st.cue_at(t).is_some() || st.according_to(t))
        .find_map(|t| st.speaker_of_cue(t, lo).map(|m| Attributed { mention: m, cue: Some(st.cue_span(t)) }));
    by_cue.or_else(|| {
        let m = st.apposed(st.coref.sentence_subject(lo, hi)?, hi);
        let c = st.coref.cluster_of(m)?;
        matches!(st.coref.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
            .then_some(Attributed { mention: m, cue: None })
    })
}

/// A description followed by the name it stands for between commas ("The mayor, Robert Chen,
/// spoke"): the name.
impl State<'_> {
    fn apposed(&self, m: usize, hi: usize) -> usize {
        let mention = &self.coref.mentions[m];
        if mention.kind != MentionKind::Description || self.doc.word(mention.tok_end) != "," {
            return m;
        }
        match self.coref.mention_starting_at(mention.tok_end + 1) {
            Some(n) if self.coref.mentions[n].kind == MentionKind::Name && self.coref.mentions[n].tok_end < hi => n,
            _ => m,
        }
    }
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
                && !m.in_caption
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
        let mut confidence = confidence::quoted(found.map(|c| (c.first.evidence(), st.coref.mentions[c.mention].kind)));
        if p.unbalanced {
            confidence *= confidence::QUOTED_UNBALANCED_FACTOR;
        }
        if p.words < 3 {
            confidence *= confidence::QUOTED_SHORT_FACTOR;
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
fn quote_cue_speakers(st: &State, site: QuoteSite) -> Vec<Attributed> {
    let QuoteSite { lo, hi, open_tok, close_tok, .. } = site;
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
        let sentence_lo =
            st.doc.sentence_of(st.doc.tokens[t].span.start).map_or(lo, |s| st.doc.sentences[s].first_token);
        if let Some(m) = st.speaker_of_cue(t, sentence_lo) {
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
fn colon_speaker(st: &State, lo: usize, open_tok: usize) -> Option<Attributed> {
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
fn previous_cue_sentence(st: &State, s1: usize, open_tok: usize) -> Option<Attributed> {
    if s1 == 0 || st.doc.sentences[s1].first_token != open_tok {
        return None;
    }
    let prev = &st.doc.sentences[s1 - 1];
    let (lo, hi) = (prev.first_token, prev.end_token);
    if st.doc.word(hi - 1) != ":" {
        return None;
    }
    if let Some(cue_tok) = (lo..hi).rev().find(|&t| st.cue_at(t).is_some()) {
        if let Some(m) = st.speaker_of_cue(cue_tok, lo) {
            return Some(Attributed { mention: m, cue: Some(st.cue_span(cue_tok)) });
        }
    }
    // No cue word ("The New York Times reports:", "And from Chairwoman Rosenworcel:").
    colon_subject(st, lo, hi - 1)
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
    let speaker = st.coref.cluster_of(mention);
    let between = st.coref.mentions_starting_in(prev_end + 1, open_tok.max(lo)).iter().any(|&i| {
        let m = &st.coref.mentions[i];
        !m.in_quote && !m.in_caption && m.kind == MentionKind::Name && st.coref.cluster_of(i) != speaker
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
fn speaker_colon_paragraph(st: &State, lo: usize, hi: usize) -> Option<(Quotation, Basis)> {
    let doc = st.doc;
    let in_quote = &st.coref.in_quote;
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
        confidence: confidence::SPEAKER_COLON_PARAGRAPH,
        features: None,
        candidates: None,
    };
    let words = doc.word_count(start..end);
    let basis = Basis {
        clause_like: clause::clause_like(st.doc, &st.headline, start),
        opener: Some(clause::clause_opener(st.doc, start)),
        has_verb: clause::has_verb(st.doc, start, end),
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
fn indirect_in_sentence(st: &State, quoted_or_mark: &[bool], s: usize) -> Vec<(Quotation, Basis)> {
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
        let Some(speaker) = st.speaker_of_cue(c, lo) else { continue };
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
        let confidence = confidence::rule_clause(sp.kind, core);
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
                    clause_like: clause::clause_like(st.doc, &st.headline, a),
                    opener: Some(clause::clause_opener(st.doc, a)),
                    has_verb: clause::has_verb(st.doc, a, b),
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

/// Per-speaker counts: mentions of the speaker's cluster (names, and the pronouns and
/// descriptions resolved to it) and quotations attributed to it.
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
    for (i, m) in st.coref.mentions.iter().enumerate() {
        if matches!(m.kind, MentionKind::Pronoun(_)) && m.in_quote {
            continue;
        }
        if let Some(c) = st.coref.cluster_of(i) {
            if let Some(e) = by_name.get_mut(&st.coref.clusters[c].canonical) {
                e.mentions += 1;
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
