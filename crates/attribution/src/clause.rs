//! Tests on a reported clause's words, shared by the rules' clauses (lib.rs), the role head's
//! (`crate::roles`) and the scorer's features (`crate::scorer`): how it opens, whether it holds
//! a verb, whether it reads as a statement. They read only the document (and its headline
//! flags), so the modules that use them do not depend on one another.

use whosaid_tokenize::Document;

use crate::lexicon::{CLAUSE_WORDS, OBJECT_PREPOSITIONS, PREPOSITIONS};

/// How a reported clause opens: the scorer weighs them (PolNeAR counts all of them as
/// reported speech; the hand-checked seeds only statements).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClauseOpener {
    /// "that ...".
    That,
    /// An indirect question: "if ...", "whether ...".
    Question,
    /// "to ..." ("vowed to ...", "urged them to ...").
    Infinitive,
    /// A preposition: "of ...", "about ...".
    Preposition,
    /// A gerund phrase: "improving relations".
    Gerund,
    /// Anything else: most often a statement without "that".
    Other,
}

impl ClauseOpener {
    /// Does a clause opening so read as a statement?
    pub(crate) fn is_statement(self) -> bool {
        matches!(self, ClauseOpener::That | ClauseOpener::Other)
    }
}

/// How the reported clause starting at token `first` opens.
pub(crate) fn clause_opener(doc: &Document, first: usize) -> ClauseOpener {
    let word = doc.word(first);
    let lower = word.to_lowercase();
    match lower.as_str() {
        "that" => ClauseOpener::That,
        "if" | "whether" => ClauseOpener::Question,
        "to" => ClauseOpener::Infinitive,
        w if OBJECT_PREPOSITIONS.contains(w) => ClauseOpener::Preposition,
        w if w.len() > 5 && w.ends_with("ing") && word == lower => ClauseOpener::Gerund,
        _ => ClauseOpener::Other,
    }
}

/// Do tokens `a..b` hold a verb: an auxiliary, a modal, a subject pronoun or a past-tense form
/// after the first word? Reported clauses mostly do, the objects of a cue mostly do not
/// (on polnear-train, 0.80 against 0.49 of the role head's reported candidates are right).
pub(crate) fn has_verb(doc: &Document, a: usize, b: usize) -> bool {
    (a..b).any(|t| {
        let word = doc.word(t);
        let lower = word.to_lowercase();
        CLAUSE_WORDS.contains(lower.as_str())
            || (t > a && word == lower && lower.chars().count() > 4 && lower.ends_with("ed"))
    })
}

/// In a headline, the object of a preposition ("Ministers Fail to Agree on Steel Tariffs"),
/// not a statement. (In running text PolNeAR counts "warned of ..." and the like, and the
/// scorer weighs them: on polnear-dev this test everywhere cost 0.003 reported F1.)
/// `headline`: per sentence, whether it is a headline.
pub(crate) fn headline_object(doc: &Document, headline: &[bool], first: usize) -> bool {
    first > 0
        && PREPOSITIONS.contains(doc.word(first - 1).to_lowercase().as_str())
        && doc.sentence_of_token(first).is_some_and(|s| headline[s])
}

/// Does a reported clause starting at token `first` read as a statement: a "that" clause, or
/// neither a preposition, an indirect question nor a gerund phrase ("improving relations"),
/// nor a headline's prepositional object?
pub(crate) fn clause_like(doc: &Document, headline: &[bool], first: usize) -> bool {
    !headline_object(doc, headline, first) && clause_opener(doc, first).is_statement()
}
