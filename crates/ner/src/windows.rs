//! Overlapping windows over long sentences, so no word is ever truncated away.
//! Mirrors `windows` in scripts/train_ner.py (training and inference window alike).

/// A window over words `start..end` whose predictions are kept for `keep_start..keep_end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub keep_start: usize,
    pub keep_end: usize,
}

/// Split words with the given wordpiece counts into windows of at most `max_pieces` pieces.
/// Every word is kept by exactly one window; a window keeps up to three quarters of its span
/// and the next one starts at its half, so inner edges get a quarter window of context.
pub fn windows(piece_counts: &[usize], max_pieces: usize) -> Vec<Window> {
    let n = piece_counts.len();
    let count = |i: usize| piece_counts[i].min(max_pieces);
    if piece_counts.iter().sum::<usize>() <= max_pieces {
        return vec![Window { start: 0, end: n, keep_start: 0, keep_end: n }];
    }
    let mut out = Vec::new();
    let (mut start, mut keep_from) = (0, 0);
    loop {
        let (mut end, mut total) = (start, 0);
        while end < n && total + count(end) <= max_pieces {
            total += count(end);
            end += 1;
        }
        if end == n {
            out.push(Window { start, end, keep_start: keep_from, keep_end: n });
            return out;
        }
        let (mut keep_to, mut half, mut acc) = (None, None, 0usize);
        for i in start..end {
            acc += count(i);
            // acc >= total/2 and acc >= total*3/4, in integers exactly as the Python floats compare.
            if half.is_none() && 2 * acc >= total {
                half = Some(i + 1);
            }
            if keep_to.is_none() && 4 * acc >= 3 * total {
                keep_to = Some(i + 1);
            }
        }
        let keep_to = keep_to.unwrap_or(end).max(keep_from + 1);
        let next_start = half.unwrap_or(end).max(start + 1).min(keep_to);
        out.push(Window { start, end, keep_start: keep_from, keep_end: keep_to });
        keep_from = keep_to;
        start = next_start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sentence_is_one_window() {
        assert_eq!(windows(&[1, 2, 3], 126), vec![Window { start: 0, end: 3, keep_start: 0, keep_end: 3 }]);
    }

    #[test]
    fn every_word_kept_exactly_once() {
        for n in [10, 50, 333] {
            let counts: Vec<usize> = (0..n).map(|i| 1 + i % 4).collect();
            let ws = windows(&counts, 16);
            let mut kept = vec![0; n];
            for w in &ws {
                assert!(counts[w.start..w.end].iter().map(|c| c.min(&16)).sum::<usize>() <= 16);
                assert!(w.start <= w.keep_start && w.keep_end <= w.end);
                for k in &mut kept[w.keep_start..w.keep_end] {
                    *k += 1;
                }
            }
            assert!(kept.iter().all(|&k| k == 1), "{ws:?}");
        }
    }

    #[test]
    fn a_word_longer_than_a_window_still_gets_one() {
        let ws = windows(&[3, 500, 3], 10);
        let kept: usize = ws.iter().map(|w| w.keep_end - w.keep_start).sum();
        assert_eq!(kept, 3);
    }
}
