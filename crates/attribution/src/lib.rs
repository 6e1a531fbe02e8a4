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
mod output;
mod quoted;
mod reported;
mod role_index;
mod roles;
pub mod scorer;
mod speaker;
mod speaker_form;
mod speaker_rules;
mod speaker_type;
mod state;
mod statement;
mod summary;

use std::sync::Arc;

use whosaid_tokenize::{Document, Span};

use crate::coref::resolver::Resolver;
use crate::coref::{MentionKind, MentionSet};
use crate::cues::Cues;
use crate::layout::Layout;
pub use crate::scorer::ReportedFrom;
use crate::scorer::{features, Basis, Scorer};
use crate::state::{is_title_case_sentence, round3, State};

pub use crate::output::{
    Attribution, CorefReport, CueRef, MentionReport, Quotation, QuoteKind, SpeakerCandidate, SpeakerRef,
    SpeakerSummary, TextSpan,
};
pub use crate::speaker_type::SpeakerType;

pub use coref::gender::{GenderEvidence, GenderFrom};
pub use lexicon::Gender;

/// The attribution rules' word lists, for tests and tools that write text with them (the
/// property tests and `scripts/crash-hunt.py` build hostile text from every cue word).
pub mod vocabulary {
    pub use crate::lexicon::{cue_words, role_words};
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
    /// Which gender evidence the output reports.
    pub gender_from: GenderFrom,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reported: ReportedFrom::Both,
            scorer: None,
            resolver: None,
            with_features: false,
            gender_from: GenderFrom::default(),
        }
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

/// Attribute a document and report its coreference; `examples`: with what the resolver saw.
pub fn attribute_and_resolve(doc: &Document, options: &Options, examples: bool) -> (Attribution, CorefReport) {
    let headline: Vec<bool> =
        doc.sentences.iter().map(|s| is_title_case_sentence(doc, s.first_token, s.end_token)).collect();
    let use_roles = options.reported != ReportedFrom::Rules;
    // Read the layout; propose every mention, resolve them once, freeze.
    let coref_start = std::time::Instant::now();
    let layout = Layout::new(doc);
    let mut set = MentionSet::new(doc, &layout.aside);
    let cues = Cues::new(doc, &set.in_quote, &headline);
    let links = mentions::propose(doc, &cues, &layout, &mut set, use_roles);
    let coref = set.resolve(doc, options.resolver.as_deref(), examples);
    let coref_time = coref_start.elapsed();
    let roles = role_index::RoleIndex::new(doc);
    let pronoun_votes = state::pronoun_votes(&coref);
    let st =
        State { doc, coref, cues, links, layout, headline, roles, gender_from: options.gender_from, pronoun_votes };
    let mut quotes: Vec<(Quotation, Basis)> = Vec::new();

    // Suggest: quoted spans and every speaker the rules propose for each.
    let pending = quoted::suggest_quoted(&st, use_roles);
    let quoted_or_mark = reported::quoted_or_mark(doc, &st.coref.in_quote);
    for s in 0..doc.sentences.len() {
        quotes.extend(reported::indirect_in_sentence(&st, &quoted_or_mark, s));
    }
    // A paragraph's sentences are contiguous: one pass gives each paragraph's tokens.
    for para in doc.sentences.chunk_by(|a, b| a.paragraph == b.paragraph) {
        let (lo, hi) = (para[0].first_token, para[para.len() - 1].end_token);
        quotes.extend(reported::speaker_colon_paragraph(&st, lo, hi));
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
    // (quoted phrases, reported clauses) is part of the turn; asides (captions, bylines, link lines) hold no one's words.
    quotes.retain(|(q, _)| !st.in_turn_or_aside(q.start));
    quotes.extend(quoted::transcript_turns(&st));

    // Decide: each quoted span's speaker.
    // A scorer is trained on the candidates of the sources it lists: on others it would
    // misjudge (rule clauses are mostly wrong where role clauses cover the right ones).
    let effective = if doc.role_spans.is_empty() { ReportedFrom::Rules } else { options.reported };
    let scorer = options.scorer.as_ref().filter(|s| s.reported.contains(&effective));
    let ranker = scorer.and_then(|s| s.speaker_ranker.as_ref());
    quotes.extend(quoted::decide_quoted(&st, pending, ranker, options.with_features));
    quotes.sort_by_key(|(q, _)| (q.start, q.end));

    for (q, basis) in &mut quotes {
        q.speaker = basis.mention.and_then(|m| st.speaker_of_mention(m));
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

    for (q, _) in &mut quotes {
        if q.kind == QuoteKind::Mixed {
            q.clause = Some(st.statement_of(q).map(|s| TextSpan { start: s.start, end: s.end }));
        }
    }
    let speakers = summary::summarise(&st, &quotes);
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
