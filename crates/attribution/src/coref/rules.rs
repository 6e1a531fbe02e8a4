//! Resolution by rules, for a model directory without a trained resolver, and the first
//! round of the resolver's training data: pronouns Hobbs-style (sentence by sentence
//! backwards, subjects first, by gender, number and recency, through earlier pronouns);
//! "they" right after an organisation's name is that organisation; a definite description of
//! a person goes to the person introduced with its role, else like "he"/"she"; of an
//! organisation, to the latest organisation whose name holds its noun, else (for a generic
//! noun such as "the company") like "it".

use whosaid_tokenize::Document;

use crate::coref::gender::{GenderBelief, GenderEvidence};
use crate::coref::{MentionKind, MentionTable, Referent, Resolution};
use crate::lexicon;
use crate::lexicon::{
    honorific_gender, is_institution_noun, is_organisation_head, is_role_head, lower, names_past_office,
    occupations_conflict, party, spelled_office, Gender, Person,
};
use crate::speaker_type::SpeakerType;

/// How far back a pronoun looks, in sentences.
const MAX_BACK: usize = 6;

/// Organisation nouns general enough to name any organisation ("the company said" after
/// "Apple"); the others ("the ministry", "the commission") need their noun in the name.
pub(crate) fn is_generic_organisation_noun(noun: &str) -> bool {
    lexicon::GENERIC_ORGANISATION_NOUNS.contains(noun)
}

/// A name modifying a role noun ("Clinton spokeswoman Jennifer Palmieri", "Clinton
/// communication director Jennifer Palmieri") is not the one the sentence is about.
pub(crate) fn is_name_modifier(doc: &Document, m: &crate::coref::Mention) -> bool {
    m.kind == MentionKind::Name
        && (m.tok_end..m.tok_end + 3)
            .take_while(|&t| {
                doc.kind_at(t) == Some(whosaid_tokenize::TokenKind::Word)
                    && !doc.word(t).starts_with(char::is_uppercase)
            })
            .any(|t| is_role_head(&lower(doc, t)))
}

/// Resolve every mention in document order.
pub(crate) fn resolve(doc: &Document, table: &mut MentionTable) -> Resolution {
    let mut res = Resolution::new(table.mentions.len());
    for &m in &table.in_order().to_vec() {
        let mention = table.mentions[m].clone();
        let cluster = match mention.kind {
            MentionKind::Name => mention.cluster,
            _ if mention.antecedent.is_some() => mention.antecedent.and_then(|a| res.cluster[a]),
            _ if mention.cluster.is_some() => mention.cluster,
            MentionKind::Pronoun(p) if p.person == Person::Third => {
                let found = if p.plural {
                    organisation_as_they(doc, table, mention.tok_start)
                } else {
                    antecedent(doc, table, &res, mention.tok_start, Referent::of_pronoun(p))
                };
                // A "she" the rules are sure of tells the person's gender.
                if let (Some(c), false) = (found, p.gender == Gender::Unknown) {
                    table.clusters[c].gender.update(GenderBelief::stated(p.gender, GenderEvidence::Pronoun));
                }
                found
            }
            MentionKind::Description if mention.definite => describe(doc, table, &res, mention.tok_start, mention.head),
            _ => None,
        };
        res.cluster[m] = cluster;
        res.confidence[m] = 1.0;
    }
    res
}

/// "They" for an organisation ("Politifact checked the claim. They published ..."): the first
/// mention from the previous sentence on, when it is an organisation's name.
fn organisation_as_they(doc: &Document, table: &MentionTable, t: usize) -> Option<usize> {
    let sent = doc.sentence_of_token(t)?;
    let lo_token = doc.sentences[sent.saturating_sub(1)].first_token;
    let first = table.mentions_starting_in(lo_token, t).iter().map(|&i| &table.mentions[i]).find(|m| !m.in_quote)?;
    first.cluster.filter(|&c| first.kind == MentionKind::Name && table.clusters[c].label == SpeakerType::ORGANISATION)
}

/// The antecedent of a mention at token `t` that wants `want`: sentence by sentence
/// backwards from its own, each left to right (subjects first); names and resolved
/// descriptions count by their cluster, earlier subject pronouns of the same kind by their
/// own resolution.
pub(crate) fn antecedent(
    doc: &Document,
    table: &MentionTable,
    res: &Resolution,
    t: usize,
    want: Referent,
) -> Option<usize> {
    let possessor = |m: &crate::coref::Mention| crate::lexicon::is_possessive_mark(doc.word(m.tok_end));
    let modifier = |m: &crate::coref::Mention| is_name_modifier(doc, m);
    let carried_by = |p: crate::lexicon::PronounInfo| {
        !p.plural
            && p.person == Person::Third
            && p.subject
            && match want {
                Referent::Person(g) => p.gender != Gender::Unknown && p.gender.compatible(g),
                Referent::Organisation => p.gender == Gender::Unknown,
            }
    };
    let sent = doc.sentence_of_token(t)?;
    // Inside a quotation (a quoted passage of narrative, "... she said ..."), names quoted
    // with it count too.
    let quoted = table.quoted_at(t);
    for back in 0..=MAX_BACK.min(sent) {
        let s = &doc.sentences[sent - back];
        let end = if back == 0 { t } else { s.end_token };
        for &i in table.mentions_starting_in(s.first_token, end) {
            let m = &table.mentions[i];
            if (m.in_quote && !quoted) || m.in_aside || possessor(m) || modifier(m) {
                continue;
            }
            let cluster = match m.kind {
                MentionKind::Pronoun(p) if carried_by(p) => res.cluster[i],
                MentionKind::Pronoun(_) => None,
                MentionKind::Name => m.cluster,
                MentionKind::Description => res.cluster[i],
            };
            if let Some(c) = cluster.filter(|&c| want.accepts(&table.clusters[c])) {
                return Some(c);
            }
        }
    }
    None
}

/// Of the clusters `accept` takes, the one mentioned last before token `before`.
fn latest_before(
    table: &MentionTable,
    res: &Resolution,
    before: usize,
    accept: impl Fn(&crate::coref::Cluster) -> bool,
) -> Option<usize> {
    let order = table.mentions_starting_in(0, before);
    order.iter().rev().find_map(|&i| {
        let c = table.mentions[i].cluster.or(res.cluster[i])?;
        accept(&table.clusters[c]).then_some(c)
    })
}

/// What the definite description with determiner at `det` and head noun at `head` refers to.
fn describe(doc: &Document, table: &MentionTable, res: &Resolution, det: usize, head: usize) -> Option<usize> {
    let noun = lower(doc, head);
    if is_role_head(&noun) {
        // "the Democratic nominee" is not the person introduced as the Republican one.
        let described = (det..head).find_map(|k| party(&lower(doc, k)));
        let same_side = |c: &crate::coref::Cluster| {
            let theirs = c.roles.iter().find_map(|r| party(r));
            described.is_none() || theirs.is_none() || described == theirs
        };
        let by_role = latest_before(table, res, det, |c| {
            c.label == SpeakerType::PERSON && c.roles.iter().any(|r| spelled_office(r) == noun) && same_side(c)
        });
        if by_role.is_some() {
            return by_role;
        }
        let gender = honorific_gender(&noun).unwrap_or(Gender::Unknown);
        // "the surgeon" is not the person introduced as "a teacher".
        let past = names_past_office(doc, det, head);
        return antecedent(doc, table, res, det, Referent::Person(gender))
            .filter(|&c| past || !occupations_conflict(&noun, &table.clusters[c].roles));
    }
    if is_organisation_head(&noun) {
        let named = latest_before(table, res, det, |c| {
            c.label == SpeakerType::ORGANISATION
                && c.canonical.split_whitespace().any(|w| w.to_lowercase() == noun)
                // A name that is the noun alone ("Commission", a name cut short) says no more.
                && c.canonical.trim_start_matches("The ").to_lowercase() != noun
        });
        // "the ministry" names no organisation without "ministry" in its name; a description
        // with a proper adjective of its own ("the Iranian foreign ministry") names itself.
        let self_named = (det + 1..head).any(|k| doc.word(k).starts_with(char::is_uppercase));
        if named.is_some() || is_institution_noun(&noun) || self_named {
            return named;
        }
        return antecedent(doc, table, res, det, Referent::Organisation);
    }
    None
}
