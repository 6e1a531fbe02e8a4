//! Helpers shared by the attribution phenomena tests: documents with entities given by hand.

#![allow(dead_code)]

use whosaid_attribution::{attribute, Attribution, Quotation};
use whosaid_tokenize::{Document, Entity, EntityLabel};

pub fn run(text: &str, people: &[&str], orgs: &[&str]) -> (Document, Attribution) {
    let doc = with_entities(text, &[(people, EntityLabel::Person), (orgs, EntityLabel::Organisation)]);
    let a = attribute(&doc);
    (doc, a)
}

/// A document whose entities are every whole-word occurrence of the names given, with their
/// labels (names listed earlier win over their parts).
pub fn with_entities(text: &str, labelled: &[(&[&str], EntityLabel)]) -> Document {
    let mut doc = Document::new("t", text);
    let chars: Vec<char> = text.chars().collect();
    let mut entities = Vec::new();
    for &(names, label) in labelled {
        for name in names {
            let pat: Vec<char> = name.chars().collect();
            let mut i = 0;
            while i + pat.len() <= chars.len() {
                let boundary_before = i == 0 || !chars[i - 1].is_alphanumeric();
                let boundary_after = chars.get(i + pat.len()).is_none_or(|c| !c.is_alphanumeric());
                if chars[i..i + pat.len()] == pat[..] && boundary_before && boundary_after {
                    // Longer names listed earlier win over their parts.
                    let taken = entities.iter().any(|e: &Entity| e.start < i + pat.len() && i < e.end);
                    if !taken {
                        entities.push(Entity {
                            start: i,
                            end: i + pat.len(),
                            text: name.to_string(),
                            label,
                            score: 1.0,
                        });
                    }
                    i += pat.len();
                } else {
                    i += 1;
                }
            }
        }
    }
    entities.sort_by_key(|e| e.start);
    doc.entities = entities;
    doc
}

pub fn find<'a>(a: &'a Attribution, fragment: &str) -> &'a Quotation {
    a.quotes
        .iter()
        .find(|q| q.text.contains(fragment))
        .unwrap_or_else(|| panic!("no quotation containing {fragment:?} in {:#?}", a.quotes))
}

pub fn speaker(a: &Attribution, fragment: &str) -> String {
    find(a, fragment).speaker.as_ref().map(|s| s.name.clone()).unwrap_or_default()
}

/// Role spans as the role head would tag them: each (role, words) marks the first occurrence
/// of those words.
pub fn tag_roles(doc: &mut whosaid_tokenize::Document, roles: &[(whosaid_tokenize::Role, &str)]) {
    for (role, words) in roles {
        let start = doc.text.find(words).map(|b| doc.text[..b].chars().count()).expect("tagged words are in the text");
        let end = start + words.chars().count();
        let first = doc.token_at_or_after(start);
        let last = doc.token_at_or_after(end);
        doc.role_spans.push(whosaid_tokenize::RoleSpan {
            role: *role,
            first_token: first,
            end_token: last,
            span: whosaid_tokenize::Span::new(start, end),
            score: 0.9,
        });
    }
    doc.role_spans.sort_by_key(|r| r.first_token);
}

/// Options whose speaker ranker weighs one of its features alone (and a scorer that keeps
/// every quotation), so that a test can make one rule's candidate win.
pub fn ranker_weighing(feature: &str) -> whosaid_attribution::Options {
    use std::sync::Arc;
    use whosaid_attribution::candidates::{ranker_features, SpeakerRanker};
    use whosaid_attribution::scorer::{feature_names, Scorer};
    use whosaid_attribution::{Options, ReportedFrom};
    let weights = ranker_features().iter().map(|f| if *f == feature { 5.0 } else { 0.0 }).collect();
    let scorer = Scorer {
        features: feature_names().iter().map(|f| f.to_string()).collect(),
        weights: vec![0.0; feature_names().len()],
        bias: 0.0,
        reject_reported_below: 0.0,
        reported: vec![ReportedFrom::Both, ReportedFrom::Rules, ReportedFrom::Roles],
        speaker_ranker: Some(SpeakerRanker {
            features: ranker_features().iter().map(|f| f.to_string()).collect(),
            weights,
        }),
    };
    Options { scorer: Some(Arc::new(scorer)), ..Options::default() }
}
