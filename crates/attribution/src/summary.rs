//! Per-speaker counts of a document's attribution.

use std::collections::BTreeMap;

use crate::coref::MentionKind;
use crate::output::{Quotation, SpeakerSummary};
use crate::scorer::Basis;
use crate::state::State;

/// Per-speaker counts: mentions of the speaker's cluster (names, and the pronouns and
/// descriptions resolved to it) and quotations attributed to it.
pub(crate) fn summarise(st: &State, quotes: &[(Quotation, Basis)]) -> Vec<SpeakerSummary> {
    let mut by_name: BTreeMap<String, SpeakerSummary> = BTreeMap::new();
    for (q, _) in quotes {
        if let Some(s) = &q.speaker {
            let e = by_name.entry(s.name.clone()).or_insert_with(|| SpeakerSummary {
                name: s.name.clone(),
                kind: s.kind,
                mentions: 0,
                quotes: 0,
                gender: s.gender,
                gender_evidence: s.gender_evidence,
                id: s.id.clone(),
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
