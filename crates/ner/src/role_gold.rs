//! Gold role tags from attribution annotations in PolNeAR's form, for scoring the role head
//! span by span (`whosaid eval-roles`) the way scripts/train_roles.py trains and selects it.

use serde::Deserialize;
use whosaid_tokenize::Document;

/// One annotated attribution: its pieces of each role, `[start, end)` in code points.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AnnotatedAttribution {
    #[serde(default)]
    pub cue: Vec<(usize, usize)>,
    #[serde(default)]
    pub source: Vec<(usize, usize)>,
    #[serde(default)]
    pub content: Vec<(usize, usize)>,
}

/// Each token's gold BIO role tag: a token takes the role of the annotated piece that holds
/// its first annotated code point (the first attribution's, then CUE, SOURCE, CONTENT, where
/// pieces overlap); a token of another piece than the token before begins a new span.
pub fn gold_role_tags(doc: &Document, attributions: &[AnnotatedAttribution]) -> Vec<String> {
    // (attribution, role, piece) owning each code point, the first claim kept.
    let mut owner: Vec<Option<(usize, &str, usize)>> = vec![None; doc.chars().len()];
    for (a, attribution) in attributions.iter().enumerate() {
        let roles = [("CUE", &attribution.cue), ("SOURCE", &attribution.source), ("CONTENT", &attribution.content)];
        for (role, pieces) in roles {
            for (p, &(start, end)) in pieces.iter().enumerate() {
                for slot in owner.iter_mut().take(end).skip(start) {
                    slot.get_or_insert((a, role, p));
                }
            }
        }
    }
    let mut previous = None;
    doc.tokens
        .iter()
        .map(|token| {
            let here = (token.span.start..token.span.end).find_map(|c| owner.get(c).copied().flatten());
            let tag = match here {
                None => "O".to_string(),
                Some((_, role, _)) if here == previous => format!("I-{role}"),
                Some((_, role, _)) => format!("B-{role}"),
            };
            previous = here;
            tag
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_piece_is_one_span_and_pieces_side_by_side_stay_apart() {
        let text = "The mayor said the bridge will open soon.";
        let doc = Document::new("t", text);
        let at = |needle: &str| {
            let start = text.find(needle).expect("in the text");
            (start, start + needle.len())
        };
        let attribution = AnnotatedAttribution {
            source: vec![at("The mayor")],
            cue: vec![at("said")],
            content: vec![at("the bridge"), at("will open soon")],
        };
        let tags = gold_role_tags(&doc, &[attribution]);
        assert_eq!(
            tags,
            ["B-SOURCE", "I-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "B-CONTENT", "I-CONTENT", "I-CONTENT", "O"]
        );
    }
}
