//! The role head's spans (`Document::role_spans`) indexed once per document, for lookups by
//! role, paragraph and place.

use whosaid_tokenize::{Document, Role, RoleSpan};

/// The document's role spans indexed once, so that each quotation, clause and candidate finds
/// the spans near it by binary search instead of scanning the whole document (which made a
/// long document's attribution quadratic in its length). Every lookup gives the spans in the
/// order of `Document::role_spans`, as a scan would.
pub(crate) struct RoleIndex {
    /// Per role (CUE, SOURCE, CONTENT), its spans' indices in `role_spans`, in order.
    by_role: [Vec<usize>; 3],
    /// Per role and paragraph, its spans' indices, in order.
    by_paragraph: std::collections::HashMap<(usize, Option<usize>), Vec<usize>>,
    /// The NER stage writes spans in token order without overlaps; where that does not hold
    /// (a document built by hand), lookups scan, as before.
    sorted: bool,
}

fn role_slot(role: Role) -> usize {
    match role {
        Role::Cue => 0,
        Role::Source => 1,
        Role::Content => 2,
    }
}

impl RoleIndex {
    pub(crate) fn new(doc: &Document) -> RoleIndex {
        let spans = &doc.role_spans;
        let sorted = spans.windows(2).all(|w| w[0].end_token <= w[1].first_token);
        let mut by_role: [Vec<usize>; 3] = Default::default();
        let mut by_paragraph: std::collections::HashMap<(usize, Option<usize>), Vec<usize>> =
            std::collections::HashMap::new();
        for (i, r) in spans.iter().enumerate() {
            by_role[role_slot(r.role)].push(i);
            by_paragraph.entry((role_slot(r.role), paragraph_of(doc, r.first_token))).or_default().push(i);
        }
        RoleIndex { by_role, by_paragraph, sorted }
    }

    /// The spans of `role`, in order.
    pub(crate) fn of_role<'d>(&'d self, doc: &'d Document, role: Role) -> impl Iterator<Item = &'d RoleSpan> + 'd {
        self.by_role[role_slot(role)].iter().map(move |&i| &doc.role_spans[i])
    }

    /// The spans of `role` in the paragraph of token `t`, in order.
    pub(crate) fn in_paragraph<'d>(
        &'d self,
        doc: &'d Document,
        role: Role,
        t: usize,
    ) -> impl Iterator<Item = &'d RoleSpan> + 'd {
        let key = (role_slot(role), paragraph_of(doc, t));
        self.by_paragraph.get(&key).into_iter().flatten().map(move |&i| &doc.role_spans[i])
    }

    /// The spans of `role` lying within tokens `lo..hi`, in order.
    pub(crate) fn within<'d>(&'d self, doc: &'d Document, role: Role, lo: usize, hi: usize) -> Vec<&'d RoleSpan> {
        let ids = &self.by_role[role_slot(role)];
        let from = if self.sorted { ids.partition_point(|&i| doc.role_spans[i].first_token < lo) } else { 0 };
        let mut out = Vec::new();
        for &i in &ids[from..] {
            let r = &doc.role_spans[i];
            if self.sorted && r.first_token >= hi {
                break;
            }
            if r.first_token >= lo && r.end_token <= hi {
                out.push(r);
            }
        }
        out
    }

    /// Does a SOURCE span hold tokens `start..end`?
    pub(crate) fn in_source(&self, doc: &Document, start: usize, end: usize) -> bool {
        let ids = &self.by_role[role_slot(Role::Source)];
        let holds = |i: &usize| {
            let r = &doc.role_spans[*i];
            r.first_token <= start && end <= r.end_token
        };
        if !self.sorted {
            return ids.iter().any(holds);
        }
        // Spans do not overlap: only the last one starting at or before `start` can hold it.
        let after = ids.partition_point(|&i| doc.role_spans[i].first_token <= start);
        after.checked_sub(1).is_some_and(|k| holds(&ids[k]))
    }
}

/// The paragraph of token `t`.
fn paragraph_of(doc: &Document, t: usize) -> Option<usize> {
    doc.sentence_of_token(t).map(|s| doc.sentences[s].paragraph)
}
