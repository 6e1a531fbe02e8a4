//! Structured decoding of the role head: each paragraph's most probable sequence of BIO role
//! labels in which every `I-X` continues an `X` (Viterbi), instead of each word's own best
//! label.
//!
//! Why: word by word, the head often gives one `O` or a stray `B-` inside a long CONTENT or a
//! lone `I-` after `O`, and conlleval's grouping then cuts one span in two or starts one where
//! none begins; span-exact F1 counts each of those as a miss and a false positive. Scored as a
//! sequence, the words' own probabilities decide together where a span begins and ends. A
//! model's `config.json` may add label-to-label scores (`role_transitions`, log-probabilities
//! of one tag following another in the training annotation, written by
//! scripts/fit_role_transitions.py) with the weight chosen there; without them only the BIO
//! constraint applies.

use std::path::Path;

use serde::Deserialize;

use crate::error::NerError;
use crate::model::{Tag, WordLabel};

/// How the role head's labels become spans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleDecoding {
    /// The best label sequence with every I- continuing its span, with the model's learned
    /// transitions ([`RoleDecoder`]).
    #[default]
    Sequence,
    /// Each word's own best label, grouped with conlleval semantics (the decoding before
    /// sequences; kept for ablations).
    Words,
}

impl RoleDecoding {
    /// Its name on the command line and in run records.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleDecoding::Sequence => "sequence",
            RoleDecoding::Words => "words",
        }
    }
}

/// The index of the largest value (the first of equals; 0 for none).
fn argmax(values: &[f32]) -> usize {
    (0..values.len()).fold(0, |best, k| if values[k] > values[best] { k } else { best })
}

/// Learned scores of one role tag following another, added to the words' log-probabilities
/// times `weight`.
#[derive(Clone, Debug, Deserialize)]
struct TransitionsField {
    weight: f32,
    /// Per tag, the score of opening a paragraph with it (null: never).
    start: Vec<Option<f32>>,
    /// `scores[from][to]` (null: never).
    scores: Vec<Vec<Option<f32>>>,
}

/// The role head's decoder: its tags, which tag may follow which, and the transition scores.
#[derive(Clone, Debug)]
pub struct RoleDecoder {
    labels: usize,
    /// Per tag, the score of opening a sequence with it; `None`: not allowed.
    start: Vec<Option<f32>>,
    /// `next[from * labels + to]`: the score of `to` after `from`; `None`: not allowed.
    next: Vec<Option<f32>>,
}

/// Whether `to` may follow `from` (`None`: the sequence's start) in BIO: an `I-X` only after
/// a `B-X` or an `I-X`.
fn may_follow(from: Option<&Tag>, to: &Tag) -> bool {
    match to {
        Tag::Inside(typ) => matches!(from, Some(Tag::Begin(t) | Tag::Inside(t)) if t == typ),
        _ => true,
    }
}

impl RoleDecoder {
    /// The decoder for `tags` with the `role_transitions` of a parsed config.json, if any.
    pub(crate) fn from_config(tags: &[Tag], config: &serde_json::Value, config_path: &Path) -> Result<Self, NerError> {
        let fail = |message: String| NerError::Config { path: config_path.to_path_buf(), message };
        let transitions = match config.get("role_transitions") {
            None => None,
            Some(v) => Some(
                TransitionsField::deserialize(v)
                    .map_err(|e| fail(format!("role_transitions: {e} (expected weight, start and scores)")))?,
            ),
        };
        let n = tags.len();
        if let Some(t) = &transitions {
            if t.start.len() != n || t.scores.len() != n || t.scores.iter().any(|row| row.len() != n) {
                return Err(fail(format!(
                    "role_transitions must have {n} start scores and {n} x {n} scores, one per role label"
                )));
            }
            if !t.weight.is_finite() || t.weight < 0.0 {
                return Err(fail(format!("role_transitions weight {} is not a non-negative number", t.weight)));
            }
        }
        // A transition is allowed when BIO allows it and, with learned scores, when it has one.
        let score = |learned: Option<Option<f32>>, allowed: bool| -> Option<f32> {
            if !allowed {
                return None;
            }
            match (learned, &transitions) {
                (Some(value), Some(t)) => value.map(|v| t.weight * v),
                _ => Some(0.0),
            }
        };
        let start =
            (0..n).map(|to| score(transitions.as_ref().map(|t| t.start[to]), may_follow(None, &tags[to]))).collect();
        let next = (0..n * n)
            .map(|i| {
                let (from, to) = (i / n, i % n);
                score(transitions.as_ref().map(|t| t.scores[from][to]), may_follow(Some(&tags[from]), &tags[to]))
            })
            .collect();
        Ok(RoleDecoder { labels: n, start, next })
    }

    /// Each word's label, with its own probability, from `log_probs` (`labels` values per
    /// word, the head's log-softmax, word after word), by `decoding`.
    pub fn decode(&self, log_probs: &[f32], decoding: RoleDecoding) -> Vec<WordLabel> {
        match decoding {
            RoleDecoding::Sequence => self.best_sequence(log_probs),
            RoleDecoding::Words => log_probs
                .chunks_exact(self.labels.max(1))
                .map(|word| {
                    let label = argmax(word);
                    WordLabel { label, prob: word[label].exp() }
                })
                .collect(),
        }
    }

    /// The best-scoring allowed label sequence (Viterbi).
    fn best_sequence(&self, log_probs: &[f32]) -> Vec<WordLabel> {
        let n = self.labels;
        let words = log_probs.len() / n.max(1);
        if words == 0 {
            return Vec::new();
        }
        let mut score: Vec<f32> =
            (0..n).map(|to| self.start[to].map_or(f32::NEG_INFINITY, |s| s + log_probs[to])).collect();
        let mut back: Vec<usize> = Vec::with_capacity(words.saturating_sub(1) * n);
        let mut next_score = vec![0.0; n];
        for word in 1..words {
            let emit = &log_probs[word * n..(word + 1) * n];
            for to in 0..n {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0usize);
                for (from, &s) in score.iter().enumerate() {
                    if let Some(t) = self.next[from * n + to] {
                        if s + t > best {
                            (best, arg) = (s + t, from);
                        }
                    }
                }
                next_score[to] = best + emit[to];
                back.push(arg);
            }
            std::mem::swap(&mut score, &mut next_score);
        }
        let mut label = argmax(&score);
        let mut labels = vec![0usize; words];
        labels[words - 1] = label;
        for word in (1..words).rev() {
            label = back[(word - 1) * n + label];
            labels[word - 1] = label;
        }
        labels
            .into_iter()
            .enumerate()
            .map(|(word, label)| WordLabel { label, prob: log_probs[word * n + label].exp() })
            .collect()
    }
}

/// Each position's log-softmax over `labels` logits, for [`RoleDecoder::decode`].
pub(crate) fn log_softmax(logits: &[f32], labels: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(logits.len());
    for position in logits.chunks_exact(labels.max(1)) {
        let max = position.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let log_sum = position.iter().map(|&v| (v - max).exp()).sum::<f32>().ln() + max;
        out.extend(position.iter().map(|&v| v - log_sum));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<Tag> {
        ["O", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT"].iter().map(|l| Tag::parse(l).expect("a BIO label")).collect()
    }

    fn decoder(config: &str) -> RoleDecoder {
        let config = serde_json::from_str(config).expect("JSON");
        RoleDecoder::from_config(&tags(), &config, Path::new("config.json")).expect("a valid config")
    }

    /// Per word, probabilities over the five labels, as log-probs.
    fn log_probs(words: &[[f32; 5]]) -> Vec<f32> {
        words.iter().flat_map(|w| w.iter().map(|p| p.ln())).collect()
    }

    #[test]
    fn an_inside_label_after_outside_becomes_a_begin_or_outside() {
        // Word by word: O, I-CONTENT, I-CONTENT. Allowed sequences must open the span.
        let lp = log_probs(&[[0.9, 0.02, 0.02, 0.02, 0.04], [0.3, 0.0, 0.0, 0.3, 0.4], [0.1, 0.0, 0.0, 0.1, 0.8]]);
        let labels: Vec<usize> =
            decoder("{}").decode(&lp, RoleDecoding::Sequence).into_iter().map(|w| w.label).collect();
        assert_eq!(labels, vec![0, 3, 4]);
    }

    #[test]
    fn one_weak_outside_word_does_not_cut_a_span_in_two() {
        // B-CONTENT, I-CONTENT, then O by a hair, then I-CONTENT: argmax gives two spans.
        let lp = log_probs(&[
            [0.1, 0.0, 0.0, 0.8, 0.1],
            [0.1, 0.0, 0.0, 0.0, 0.9],
            [0.5, 0.0, 0.0, 0.05, 0.45],
            [0.1, 0.0, 0.0, 0.0, 0.9],
        ]);
        let labels: Vec<usize> =
            decoder("{}").decode(&lp, RoleDecoding::Sequence).into_iter().map(|w| w.label).collect();
        assert_eq!(labels, vec![3, 4, 4, 4]);
    }

    #[test]
    fn learned_transitions_weigh_in_and_keep_each_words_own_probability() {
        let config = r#"{"role_transitions": {"weight": 1.0,
            "start": [0, -9, null, -9, null],
            "scores": [[0, -9, null, -9, null], [0, -9, 0, 0, null], [0, -9, 0, 0, null],
                       [0, -9, null, -9, 0], [0, -9, null, -9, 0]]}}"#;
        // Without transitions the second word opens a CUE; starting one costs 9 here.
        let lp = log_probs(&[[0.6, 0.0, 0.0, 0.4, 0.0], [0.4, 0.6, 0.0, 0.0, 0.0]]);
        let plain: Vec<usize> =
            decoder("{}").decode(&lp, RoleDecoding::Sequence).into_iter().map(|w| w.label).collect();
        assert_eq!(plain, vec![0, 1]);
        let learned = decoder(config).decode(&lp, RoleDecoding::Sequence);
        assert_eq!(learned.iter().map(|w| w.label).collect::<Vec<_>>(), vec![0, 0]);
        assert!((learned[1].prob - 0.4).abs() < 1e-5);
    }

    #[test]
    fn word_by_word_decoding_keeps_each_words_best_label() {
        let lp = log_probs(&[[0.9, 0.02, 0.02, 0.02, 0.04], [0.3, 0.0, 0.0, 0.3, 0.4]]);
        let labels: Vec<usize> = decoder("{}").decode(&lp, RoleDecoding::Words).into_iter().map(|w| w.label).collect();
        assert_eq!(labels, vec![0, 4]);
    }

    #[test]
    fn malformed_transitions_are_refused_with_the_reason() {
        let err = RoleDecoder::from_config(
            &tags(),
            &serde_json::json!({"role_transitions": {"weight": 1, "start": [0], "scores": []}}),
            Path::new("config.json"),
        )
        .expect_err("wrong sizes");
        assert!(err.to_string().contains("5 start scores"), "{err}");
    }

    #[test]
    fn an_empty_sequence_decodes_to_nothing() {
        assert!(decoder("{}").decode(&[], RoleDecoding::Sequence).is_empty());
    }
}
