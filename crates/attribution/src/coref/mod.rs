//! Within-document coreference for speakers, in three steps, each finished before the next
//! starts (as spaCy's components each finish their layer of the `Doc`):
//!
//! 1. *Propose.* A [`MentionSet`] collects every mention: names from NER, clustered by the
//!    string rules of [`names`] (Mike Pompeo = Pompeo = Secretary of State Mike Pompeo; Donald
//!    Trump Jr. kept apart from Donald Trump; an acronym defined in the text is its name),
//!    pronouns, definite descriptions ("the ministry", "the Indiana governor"), and the phrases
//!    the speaker finders take (`crate::mentions`: descriptions, relative pronouns, names NER
//!    missed).
//! 2. *Resolve.* Each pronoun and definite description is linked once to a named person or
//!    organisation mentioned before it, or to none (the description then stays itself): by the
//!    trained [`resolver::Resolver`] where the model directory has one, else by the rules of
//!    [`rules`]. Going through the document in order, a confident "she" or "he" also tells the
//!    person's gender for the rest of the document ([`gender`]).
//! 3. *Freeze.* The result is a [`Coref`]; attribution only reads it.

pub mod gender;
mod names;
pub mod resolver;
mod rules;

use std::collections::{BTreeSet, HashMap};

use whosaid_tokenize::{Document, EntityLabel, Span, TokenKind};

use crate::coref::gender::{GenderBelief, GenderEvidence};
use crate::coref::resolver::Resolver;
use crate::lexicon::{
    is_organisation_head, is_possessive_mark, is_role_head, is_title_word, lower, pronoun, Gender, PronounInfo,
};
use crate::speaker_type::SpeakerType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    /// A named entity (or a name NER missed, found in a speaker's place).
    Name,
    Pronoun(PronounInfo),
    /// A description ("the attorney general", "officials", "a source close to him") or a
    /// relative pronoun ("who" in "Corey, who said").
    Description,
}

#[derive(Clone, Debug)]
pub struct Mention {
    /// Tokens `tok_start..tok_end`.
    pub tok_start: usize,
    pub tok_end: usize,
    pub span: Span,
    pub kind: MentionKind,
    /// A name's cluster; for a relative pronoun or description of an unnamed group ("voters
    /// who say"), the group's own cluster; None for what resolution decides.
    pub cluster: Option<usize>,
    pub in_quote: bool,
    /// In an aside (a caption, a photo credit, a byline, a link line; `Layout::aside`): no
    /// one's words, and no antecedent.
    pub in_aside: bool,
    /// A definite description of a person or an organisation ("the ministry", "the Indiana
    /// governor", "Trump's spokeswoman"): resolution may link it to a named entity.
    pub definite: bool,
    /// The word the mention is about: a description's head noun, a pronoun itself, a name's
    /// last word.
    pub head: usize,
    /// A relative pronoun's antecedent mention ("Corey" for "who" in "Corey, who said").
    pub antecedent: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Cluster {
    /// The names' entity type; OTHER for a group named by its description.
    pub label: SpeakerType,
    /// The fullest name form seen.
    pub canonical: String,
    pub surname: String,
    pub suffix: Option<&'static str>,
    pub first: Option<String>,
    /// The person's gender as the document gives it (updated while resolving).
    pub gender: GenderBelief,
    /// Role words the person was introduced with, lower-cased.
    pub roles: BTreeSet<String>,
    /// An acronym the text defines for an organisation ("Immigration, Refugees and
    /// Citizenship Canada (IRCC)"), lower-cased.
    pub acronym: Option<String>,
    pub mentions: usize,
}

impl Cluster {
    fn new(label: SpeakerType, canonical: String, key: String) -> Cluster {
        Cluster {
            label,
            canonical,
            surname: key,
            suffix: None,
            first: None,
            gender: GenderBelief::default(),
            roles: BTreeSet::new(),
            acronym: None,
            mentions: 0,
        }
    }
}

/// The mentions of a document and their lookups, shared by the set being proposed and the
/// frozen result.
#[derive(Clone)]
pub struct MentionTable {
    pub mentions: Vec<Mention>,
    pub clusters: Vec<Cluster>,
    /// Mention indices sorted by first token.
    order: Vec<usize>,
    /// Mention index by its last token, and by its first token (the one added last).
    by_end: HashMap<usize, usize>,
    by_start: HashMap<usize, usize>,
    /// For each token, whether it lies inside quoted content.
    pub in_quote: Vec<bool>,
    /// For each token, whether it lies in an aside (`Layout::aside`).
    pub in_aside: Vec<bool>,
}

impl MentionTable {
    /// Does token `t` lie inside quoted content? False past the last token.
    pub fn quoted_at(&self, t: usize) -> bool {
        self.in_quote.get(t).copied().unwrap_or(false)
    }

    /// The mentions whose first token lies in `lo..hi`, in token order (none when `hi <= lo`).
    pub fn mentions_starting_in(&self, lo: usize, hi: usize) -> &[usize] {
        if hi <= lo {
            return &[];
        }
        let a = self.order.partition_point(|&i| self.mentions[i].tok_start < lo);
        let b = self.order.partition_point(|&i| self.mentions[i].tok_start < hi);
        &self.order[a..b]
    }

    /// All mentions in token order.
    pub fn in_order(&self) -> &[usize] {
        &self.order
    }

    /// Is mention `m` in a person's cluster (by its own cluster: a name)?
    pub fn is_person(&self, m: usize) -> bool {
        self.mentions[m].cluster.is_some_and(|c| self.clusters[c].label == SpeakerType::PERSON)
    }

    pub fn mention_ending_at(&self, t: usize) -> Option<usize> {
        self.by_end.get(&t).copied()
    }

    pub fn mention_starting_at(&self, t: usize) -> Option<usize> {
        self.by_start.get(&t).copied()
    }

    /// The first subject-like mention (name, subject pronoun, description) of tokens
    /// `lo..before`, outside quotations: the subject of a sentence's main clause; where that
    /// mention only modifies the person named at the end of its phrase, that person
    /// ([`MentionTable::phrase_head`]).
    pub fn sentence_subject(&self, doc: &Document, lo: usize, before: usize) -> Option<usize> {
        let first = self.mentions_starting_in(lo, before).iter().copied().find(|&i| {
            let m = &self.mentions[i];
            !m.in_quote
                && match m.kind {
                    MentionKind::Pronoun(p) => p.subject,
                    MentionKind::Name => m.cluster.is_some_and(|c| {
                        matches!(self.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
                    }),
                    MentionKind::Description => true,
                }
        })?;
        Some(self.phrase_head(doc, first, before))
    }

    /// The person a name `m` modifies, when `m` opens a noun phrase that ends in that person's
    /// name: a possessor or a premodifier before titles ("Labour's Shadow Home Secretary
    /// Yvette Cooper", "Acme chief executive Dana Ruiz"). The phrase runs over a possessive
    /// mark, capitalised words, titles and role words, at most six tokens, and stops at
    /// anything else (a comma, a verb); else `m` itself.
    pub fn phrase_head(&self, doc: &Document, m: usize, before: usize) -> usize {
        let mention = &self.mentions[m];
        if mention.kind != MentionKind::Name || self.is_person(m) {
            return m;
        }
        let continues = |t: usize| {
            let w = doc.word(t);
            let lw = lower(doc, t);
            is_possessive_mark(w)
                || doc.kind_at(t) == Some(TokenKind::Word)
                    && (w.chars().next().is_some_and(char::is_uppercase) || is_role_head(&lw) || is_title_word(&lw))
        };
        let mut t = mention.tok_end;
        while t < before && t < mention.tok_end + 6 {
            if let Some(n) = self.mention_starting_at(t) {
                let name = &self.mentions[n];
                if name.kind == MentionKind::Name && self.is_person(n) && !name.in_quote && t > mention.tok_end {
                    return n;
                }
            }
            if !continues(t) {
                break;
            }
            t += 1;
        }
        m
    }

    fn push(&mut self, mut m: Mention) -> usize {
        let (start, first, last) = (m.tok_start, m.tok_start, m.tok_end - 1);
        m.in_aside = self.in_aside.get(first).copied().unwrap_or(false);
        self.mentions.push(m);
        let id = self.mentions.len() - 1;
        let at = self.order.partition_point(|&i| self.mentions[i].tok_start <= start);
        self.order.insert(at, id);
        self.by_end.insert(last, id);
        self.by_start.insert(first, id);
        id
    }
}

/// The mentions of a document while they are being proposed.
pub struct MentionSet {
    table: MentionTable,
}

impl std::ops::Deref for MentionSet {
    type Target = MentionTable;
    fn deref(&self) -> &MentionTable {
        &self.table
    }
}

impl MentionSet {
    /// Names (NER entities, a title tagged on its own joined to the name after it), pronouns
    /// outside names, and definite descriptions of persons and organisations. `aside`: per
    /// paragraph, whether it is an aside (`crate::layout::Layout::aside`).
    pub fn new(doc: &Document, aside: &[bool]) -> MentionSet {
        let mut in_quote = vec![false; doc.tokens.len()];
        for q in doc.quoted.iter().filter(|q| q.depth == 0) {
            let a = doc.token_at_or_after(q.content.start);
            let b = doc.token_at_or_after(q.content.end);
            for v in &mut in_quote[a..b] {
                *v = true;
            }
        }
        let mut in_aside = vec![false; doc.tokens.len()];
        for s in doc.sentences.iter().filter(|s| aside.get(s.paragraph).copied().unwrap_or(false)) {
            in_aside[s.first_token..s.end_token].iter_mut().for_each(|t| *t = true);
        }
        let mut set = MentionSet {
            table: MentionTable {
                mentions: Vec::new(),
                clusters: Vec::new(),
                order: Vec::new(),
                by_end: HashMap::new(),
                by_start: HashMap::new(),
                in_quote,
                in_aside,
            },
        };
        let mut taken = vec![false; doc.tokens.len()];
        for (a, b, label) in names::entity_names(doc) {
            set.add_name(doc, a, b, label);
            taken[a..b].iter_mut().for_each(|t| *t = true);
        }
        for t in (0..doc.tokens.len()).filter(|&t| !taken[t]) {
            if let Some(info) = pronoun(&lower(doc, t)) {
                let in_quote = set.in_quote[t];
                set.table.push(Mention {
                    tok_start: t,
                    tok_end: t + 1,
                    span: doc.tokens[t].span,
                    kind: MentionKind::Pronoun(info),
                    cluster: None,
                    in_quote,
                    in_aside: false,
                    definite: false,
                    head: t,
                    antecedent: None,
                });
            }
        }
        // Definite descriptions of a person or an organisation ("the attorney general", "the
        // Indiana governor", "the commission"): resolution links them to a name or to none.
        for t in 0..doc.tokens.len() {
            let head = lower(doc, t);
            if taken[t] || set.in_quote[t] || !(is_role_head(&head) || is_organisation_head(&head)) {
                continue;
            }
            let next_is_name = t + 1 < doc.tokens.len() && taken[t + 1];
            let det = (t.saturating_sub(5)..t).rev().find(|&k| lower(doc, k) == "the");
            if let (Some(d), false) = (det, next_is_name) {
                // Modifiers may be names ("the New York businessman", "the GOP nominee").
                if (d + 1..t).all(|k| doc.kind_at(k) == Some(TokenKind::Word)) {
                    set.add_description(doc, d, t + 1, true);
                }
            }
        }
        set
    }

    /// Add a named-entity mention over tokens `a..b` and give it a cluster.
    pub fn add_name(&mut self, doc: &Document, a: usize, b: usize, label: EntityLabel) -> usize {
        if let Some(&m) = self.by_start.get(&a).filter(|&&m| {
            let mention = &self.mentions[m];
            mention.tok_end == b && mention.kind == MentionKind::Name
        }) {
            return m;
        }
        let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
        let cluster = names::cluster_name(doc, &mut self.table.clusters, a, b, label);
        let in_quote = self.in_quote[a];
        self.table.push(Mention {
            tok_start: a,
            tok_end: b,
            span,
            kind: MentionKind::Name,
            cluster,
            in_quote,
            in_aside: false,
            definite: false,
            head: b - 1,
            antecedent: None,
        })
    }

    /// Add a description over tokens `a..b` (or return the one there); `definite`: "the ..."
    /// or a bare role word, which resolution may link to a named entity.
    pub fn add_description(&mut self, doc: &Document, a: usize, b: usize, definite: bool) -> usize {
        if let Some(&m) = self.by_start.get(&a).filter(|&&m| self.mentions[m].tok_end == b) {
            return m;
        }
        let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
        // Its head: the last word that is a role, group or organisation noun, else the last word.
        let head = (a..b)
            .rev()
            .find(|&t| {
                let w = lower(doc, t);
                is_role_head(&w) || is_organisation_head(&w) || crate::lexicon::is_group_head(&w)
            })
            .unwrap_or(b - 1);
        let in_quote = self.in_quote[a];
        self.table.push(Mention {
            tok_start: a,
            tok_end: b,
            span,
            kind: MentionKind::Description,
            cluster: None,
            in_quote,
            in_aside: false,
            definite,
            head,
            antecedent: None,
        })
    }

    /// A relative pronoun in subject position ("Corey, who said ..."): it refers to its
    /// antecedent; an unnamed antecedent ("voters who say ...") gets a group cluster of its
    /// own, named by its words.
    pub fn add_relative(&mut self, doc: &Document, t: usize, antecedent: usize) -> usize {
        if let Some(&m) = self.by_start.get(&t).filter(|&&m| self.mentions[m].antecedent.is_some()) {
            return m;
        }
        let named = self.mentions[antecedent].cluster.is_some()
            || matches!(self.mentions[antecedent].kind, MentionKind::Pronoun(_))
            || self.mentions[antecedent].definite;
        let cluster = if named {
            None
        } else {
            let text = doc.slice(self.mentions[antecedent].span).to_string();
            let key = text.to_lowercase();
            self.table.clusters.push(Cluster::new(SpeakerType::Other, text, key));
            let c = self.table.clusters.len() - 1;
            self.table.clusters[c].mentions += 1;
            self.table.mentions[antecedent].cluster = Some(c);
            Some(c)
        };
        self.table.push(Mention {
            tok_start: t,
            tok_end: t + 1,
            span: doc.tokens[t].span,
            kind: MentionKind::Description,
            cluster,
            in_quote: false,
            in_aside: false,
            definite: false,
            head: t,
            antecedent: named.then_some(antecedent),
        })
    }

    /// A capitalised name NER missed, found in a speaker's place (a transcript label, a dash
    /// attribution, the subject of a cue).
    pub fn add_fallback_name(&mut self, doc: &Document, a: usize, b: usize) -> usize {
        self.add_name(doc, a, b, EntityLabel::Person)
    }

    /// Resolve every pronoun and definite description once, and freeze: with `resolver`, the
    /// trained model; without, the rules. `examples`: also keep what the resolver saw of each
    /// pronoun and description (its candidates' features and states), for training it.
    pub fn resolve(self, doc: &Document, resolver: Option<&Resolver>, examples: bool) -> Coref {
        let mut table = self.table;
        // A person the document only ever calls by one word that is a first name ("Kevin was
        // snoring") is known by that first name: its statistics count as they do for a full
        // name's, so "she" does not go to Kevin.
        for c in table.clusters.iter_mut().filter(|c| {
            c.label == SpeakerType::PERSON
                && c.first.is_none()
                && c.gender.evidence.is_none()
                && !c.surname.contains(' ')
        }) {
            if let Some(share) = crate::lexicon::first_name_share_female(&c.surname) {
                c.gender = GenderBelief::from_first_name(share);
            }
        }
        let resolution = match resolver {
            Some(model) => model.resolve(doc, &mut table, examples),
            None => rules::resolve(doc, &mut table),
        };
        Coref { table, resolution }
    }
}

/// Each mention's cluster after resolution, and how sure of it resolution is.
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    pub cluster: Vec<Option<usize>>,
    pub confidence: Vec<f32>,
    /// What the resolver saw, when asked for.
    pub examples: Vec<resolver::AnaphorExample>,
}

impl Resolution {
    pub(crate) fn new(mentions: usize) -> Resolution {
        Resolution { cluster: vec![None; mentions], confidence: vec![1.0; mentions], examples: Vec::new() }
    }
}

/// The document's coreference, complete and frozen.
pub struct Coref {
    table: MentionTable,
    resolution: Resolution,
}

impl std::ops::Deref for Coref {
    type Target = MentionTable;
    fn deref(&self) -> &MentionTable {
        &self.table
    }
}

impl Coref {
    /// The cluster mention `m` refers to: a name's own, a resolved pronoun's or description's,
    /// a relative pronoun's antecedent's; None for what refers to no named entity.
    pub fn cluster_of(&self, m: usize) -> Option<usize> {
        self.resolution.cluster[m]
    }

    /// How sure resolution is of [`Coref::cluster_of`] (1 for names; the resolver's
    /// probability of its choice, "none" included, for pronouns and descriptions).
    pub fn confidence_of(&self, m: usize) -> f32 {
        self.resolution.confidence[m]
    }

    /// What the resolver saw, when examples were asked for.
    pub fn examples(&self) -> &[resolver::AnaphorExample] {
        &self.resolution.examples
    }
}

/// What a referring expression stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Referent {
    /// A person of a gender ("he", "she", "the senator").
    Person(Gender),
    /// An organisation ("it", "the commission").
    Organisation,
}

impl Referent {
    /// What a pronoun stands for: "he"/"she" a person of that gender, "it" and "they" an
    /// organisation (a plural "they" only for an organisation's name; see the rules).
    pub fn of_pronoun(p: PronounInfo) -> Referent {
        if p.gender == Gender::Unknown {
            Referent::Organisation
        } else {
            Referent::Person(p.gender)
        }
    }

    /// Can a cluster be this referent?
    pub fn accepts(self, c: &Cluster) -> bool {
        match self {
            Referent::Person(g) => c.label == SpeakerType::PERSON && c.gender.gender.compatible(g),
            Referent::Organisation => c.label == SpeakerType::ORGANISATION,
        }
    }
}

/// Gender evidence of a name mention's own words and its surroundings ("Ms. Ruiz", "Ana Ruiz,
/// a spokeswoman for ..."), for [`names`].
pub(crate) fn evidence_of(gender: Gender, honorific: bool) -> GenderBelief {
    GenderBelief::stated(gender, if honorific { GenderEvidence::Honorific } else { GenderEvidence::Title })
}
