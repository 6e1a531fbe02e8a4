//! Reported speech proposed by the role head: the NER stage's CONTENT spans
//! (`Document::role_spans`) that carry no quotation marks become reported clauses when the
//! nearest tagged cue in their paragraph holds a speech word; their speaker is the rules'
//! speaker where a rule's reported clause covers the same words, else the tagged SOURCE
//! nearest that cue, resolved through coreference.

use whosaid_tokenize::{QuoteStyle, Quoted, Role, RoleSpan, Span, TokenKind};

use crate::coref::MentionKind;
use crate::lexicon::cue;
use crate::scorer::Basis;
use crate::{round3, Attributed, CueRef, Evidence, Quotation, QuoteKind, State};

/// Reported clauses shorter than this many words are fragments, not speech (selected on
/// polnear-dev: 1, 2 and 3 words gave reported F1 0.729, 0.728 and 0.717).
const MIN_WORDS: usize = 2;

/// A tagged content span accepted as reported speech, before its speaker is chosen.
pub(crate) struct Proposal {
    pub content: RoleSpan,
    pub cue: RoleSpan,
    pub source: Option<RoleSpan>,
}

fn gap(a: &RoleSpan, b: &RoleSpan) -> usize {
    if a.end_token <= b.first_token {
        b.first_token - a.end_token
    } else {
        a.first_token.saturating_sub(b.end_token)
    }
}

/// Does a tagged cue hold a speech word ("said", "according to", "accused")? With
/// `takes_clause`, one that takes a reported clause ("said", "told", "according to"): cues
/// such as "accused", "discussed" or "pleaded" take objects, not what was said.
fn is_speech_cue(st: &State, c: &RoleSpan, takes_clause: bool) -> bool {
    (c.first_token..c.end_token).any(|t| {
        let w = st.doc.word(t).to_lowercase();
        w == "according" || cue(&w).is_some_and(|i| i.reports_clause || !takes_clause)
    })
}

/// Words that open a prepositional object or an indirect question, not a reported statement
/// ("pleaded guilty to two counts", "asked if ...").
const NOT_CLAUSE_OPENERS: &[&str] = &["to", "of", "for", "about", "over", "against", "if", "whether"];

/// Prepositions whose object a cue may take ("agreed on", "spoke about").
const PREPOSITIONS: &[&str] = &["on", "to", "of", "for", "about", "over", "against", "with", "at", "in", "upon"];

/// Does a reported clause starting at token `first` read as a statement: after an optional
/// "that", neither a preposition, an indirect question nor a gerund phrase ("improving
/// relations")?
pub(crate) fn clause_like(st: &State, first: usize) -> bool {
    let mut t = first;
    if st.doc.word(t).eq_ignore_ascii_case("that") {
        t += 1;
    } else if first > 0
        && PREPOSITIONS.contains(&st.doc.word(first - 1).to_lowercase().as_str())
        && st.doc.sentence_of(st.doc.tokens[first].span.start).is_some_and(|s| st.headline[s])
    {
        // In a headline, the object of a preposition ("Ministers Fail to Agree on Steel
        // Tariffs"), not a statement. (In running text PolNeAR counts "warned of ..." and
        // the like, and the scorer weighs them: on polnear-dev this test everywhere cost
        // 0.003 reported F1.)
        return false;
    }
    let first = st.doc.word(t);
    let lower = first.to_lowercase();
    let gerund = lower.len() > 5 && lower.ends_with("ing") && first == lower;
    !NOT_CLAUSE_OPENERS.contains(&lower.as_str()) && !gerund
}

/// Suggest: CONTENT spans outside (double) quotation marks, at least [`MIN_WORDS`] words,
/// reading as a statement, whose nearest tagged cue in the paragraph is a speech cue that
/// takes a clause; each with that cue and the tagged source nearest it.
pub(crate) fn suggest(st: &State) -> Vec<Proposal> {
    let doc = st.doc;
    let paragraph_of = |t: usize| doc.sentence_of(doc.tokens[t].span.start).map(|s| doc.sentences[s].paragraph);
    let of_role = |role: Role| doc.role_spans.iter().filter(move |r| r.role == role);
    // Single quotation marks inside a clause mark a phrase ("called it 'a disgrace'"), not
    // quoted speech, unless doubled as the New York Times writes them (''...'').
    let chars = doc.chars();
    let doubled = |q: &Quoted| q.open.is_some_and(|o| chars.get(o + 1) == Some(&'\'') && chars[o] == '\'');
    let mut out = Vec::new();
    for content in of_role(Role::Content) {
        let quoted = doc
            .quoted
            .iter()
            .any(|q| q.content.overlap(content.span) > 0 && (q.style == QuoteStyle::Double || doubled(q)));
        if quoted || doc.word_count(content.first_token..content.end_token) < MIN_WORDS {
            continue;
        }
        let paragraph = paragraph_of(content.first_token);
        let same_paragraph = |r: &&RoleSpan| paragraph_of(r.first_token) == paragraph;
        let Some(cue) = of_role(Role::Cue).filter(same_paragraph).min_by_key(|c| gap(c, content)) else { continue };
        // Reported speech is a statement after a cue that takes one. PolNeAR also annotates
        // the objects of "accused", "urged", "called for" ("accused the US of ...", "the
        // repeal of Obamacare"); they are left out here (on polnear-dev that costs about 0.03
        // reported F1; the hand-checked seeds count none of them).
        if !is_speech_cue(st, cue, true) || !clause_like(st, content.first_token) {
            continue;
        }
        let source = of_role(Role::Source).filter(same_paragraph).min_by_key(|s| gap(s, cue)).copied();
        out.push(Proposal { content: *content, cue: *cue, source });
    }
    out
}

/// The speaker of a quotation no rule attributes (`lo..hi` its sentences' tokens, the marks
/// at `open_tok` and `close_tok`): the tagged source outside the quotation nearest to it,
/// beside a tagged speech cue (no more than 3 tokens apart) in the same sentences.
pub(crate) fn quote_source(
    st: &mut State,
    lo: usize,
    hi: usize,
    open_tok: usize,
    close_tok: usize,
) -> Option<Attributed> {
    let doc = st.doc;
    let within = |r: &&RoleSpan| r.first_token >= lo && r.end_token <= hi;
    let outside = |r: &&RoleSpan| r.end_token <= open_tok || r.first_token > close_tok;
    let cues: Vec<&RoleSpan> = doc
        .role_spans
        .iter()
        .filter(|r| r.role == Role::Cue)
        .filter(within)
        .filter(|c| is_speech_cue(st, c, false))
        .collect();
    let distance = |r: &RoleSpan| {
        if r.end_token <= open_tok {
            open_tok - r.end_token
        } else {
            r.first_token.saturating_sub(close_tok)
        }
    };
    let source = doc
        .role_spans
        .iter()
        .filter(|r| r.role == Role::Source)
        .filter(within)
        .filter(outside)
        .filter(|s| cues.iter().any(|c| gap(c, s) <= 3))
        .min_by_key(|s| distance(s))
        .copied()?;
    let cue = cues.iter().filter(|c| gap(c, &source) <= 3).min_by_key(|c| gap(c, &source)).map(|c| c.span);
    let mention = source_mention(st, &source)?;
    Some(Attributed { mention, cue, evidence: Evidence::RoleSource })
}

/// The coreference mention a tagged source rests on: a name inside it, else a pronoun, else
/// a description; a source with no mention gets a description mention of its own words.
fn source_mention(st: &mut State, source: &RoleSpan) -> Option<usize> {
    let inside = |m: &crate::coref::Mention| m.tok_start >= source.first_token && m.tok_end <= source.end_token;
    let rank = |k: MentionKind| match k {
        MentionKind::Name => 0,
        MentionKind::Pronoun(_) => 1,
        MentionKind::Description => 2,
    };
    let best = st
        .coref
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| inside(m))
        .min_by_key(|(_, m)| (rank(m.kind), usize::MAX - (m.tok_end - m.tok_start)))
        .map(|(i, _)| i);
    if best.is_some() {
        return best;
    }
    let (a, b) = (source.first_token, source.end_token);
    (st.doc.word_count(a..b) > 0).then(|| st.coref.add_description(st.doc, a, b, None))
}

/// Score and decide: each proposal becomes an indirect quotation. A rule's reported clause
/// over the same words (half of either) lends its speaker and cue; otherwise the tagged
/// source speaks.
pub(crate) fn reported(
    st: &mut State,
    proposals: Vec<Proposal>,
    rule_reported: &[(Quotation, Basis)],
) -> Vec<(Quotation, Basis)> {
    let mut out = Vec::new();
    for p in proposals {
        let mut span = p.content.span;
        // A clause's closing punctuation is not part of what was said.
        let mut end = p.content.end_token;
        while end > p.content.first_token + 1 && st.doc.kind_at(end - 1) == Some(TokenKind::Punct) {
            end -= 1;
        }
        if let Some(s) = st.doc.tokens_span(p.content.first_token..end) {
            span = s;
        }
        let rule = rule_reported.iter().find(|(q, _)| {
            let o = Span::new(q.start, q.end).overlap(span);
            2 * o >= span.len() || 2 * o >= q.end - q.start
        });
        let (speaker, mention, cue, confidence, evidence) = match rule {
            Some((q, b)) if q.speaker.is_some() => {
                (q.speaker.clone(), b.mention, q.cue.clone(), 0.85 * p.content.score, Evidence::RoleRuleSpeaker)
            }
            _ => {
                let mention = p.source.as_ref().and_then(|s| source_mention(st, s));
                let named = mention.is_some_and(|m| st.coref.mentions[m].kind == MentionKind::Name);
                let confidence = p.content.score * if named { 0.8 } else { 0.6 };
                let evidence = if mention.is_some() { Evidence::RoleSource } else { Evidence::RoleUnsourced };
                (
                    mention.map(|m| st.speaker_ref(m)),
                    mention,
                    Some(CueRef::new(st.doc, p.cue.span)),
                    confidence,
                    evidence,
                )
            }
        };
        let words = st.doc.word_count(p.content.first_token..end);
        out.push((
            Quotation {
                start: span.start,
                end: span.end,
                text: st.doc.slice(span).to_string(),
                kind: QuoteKind::Indirect,
                speaker,
                cue,
                confidence: round3(confidence),
                features: None,
            },
            Basis { mention, evidence, words, unbalanced: false, role_score: p.content.score, clause_like: true },
        ));
    }
    out
}
