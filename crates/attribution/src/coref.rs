//! Within-document coreference for speakers: name clusters (Mike Pompeo = Pompeo = Secretary
//! of State Mike Pompeo, Donald Trump Jr. kept apart from Donald Trump), the roles people are
//! introduced with (for "the attorney general says"), pronoun resolution by gender, number
//! and recency, and what definite descriptions ("the Indiana governor", "the commission")
//! refer to.

use std::collections::{BTreeSet, HashMap};

use whosaid_tokenize::{Document, EntityLabel, Span, TokenKind};

use crate::lexicon::{
    first_name_gender, honorific_gender, is_organisation_head, is_role_head, is_title_word, party, pronoun, suffix,
    Gender, PronounInfo, ROLE_WORDS,
};
use crate::speaker::lower;
use crate::SpeakerType;

/// What a referring expression stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Referent {
    /// A person of a gender ("he", "she", "the senator").
    Person(Gender),
    /// An organisation ("it", "the commission").
    Organisation,
}

impl Referent {
    /// Can a cluster be this referent?
    fn accepts(self, c: &Cluster) -> bool {
        match self {
            Referent::Person(g) => c.label == SpeakerType::PERSON && c.gender.compatible(g),
            Referent::Organisation => c.label == SpeakerType::ORGANISATION,
        }
    }

    /// Does an earlier subject pronoun carry a chain to this referent ("he" for a man)?
    fn carried_by(self, p: PronounInfo) -> bool {
        if p.plural || p.person != crate::lexicon::Person::Third {
            return false;
        }
        match self {
            Referent::Person(g) => p.gender != Gender::Unknown && p.gender.compatible(g),
            Referent::Organisation => p.gender == Gender::Unknown,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    /// A named entity of the given NER type.
    Name,
    Pronoun(PronounInfo),
    /// A role or group description ("the attorney general", "officials").
    Description,
}

#[derive(Clone, Debug)]
pub struct Mention {
    /// Tokens `tok_start..tok_end`.
    pub tok_start: usize,
    pub tok_end: usize,
    pub span: Span,
    pub kind: MentionKind,
    pub cluster: Option<usize>,
    pub in_quote: bool,
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
    pub gender: Gender,
    /// Role words the person was introduced with, lower-cased.
    pub roles: BTreeSet<String>,
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
            gender: Gender::Unknown,
            roles: BTreeSet::new(),
            mentions: 0,
        }
    }

    fn note_mention(&mut self) {
        self.mentions += 1;
    }
}

pub struct Coref {
    pub mentions: Vec<Mention>,
    pub clusters: Vec<Cluster>,
    /// Mention indices sorted by first token (the speaker search adds mentions while attribution suggests candidates).
    order: Vec<usize>,
    /// Mention index by its last token, and by its first token.
    by_end: HashMap<usize, usize>,
    by_start: HashMap<usize, usize>,
    /// For each token, whether it lies inside quoted content.
    pub in_quote: Vec<bool>,
}

/// The words of a person's name, titles and possessives dropped.
fn name_words(doc: &Document, start: usize, end: usize) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, String)> = (start..end)
        .filter(|&t| doc.kind_at(t) == Some(TokenKind::Word))
        .map(|t| (t, doc.word(t).to_string()))
        .filter(|(_, w)| !matches!(w.to_lowercase().as_str(), "'s" | "’s"))
        .collect();
    while words.len() > 1 && is_title_word(&words[0].1.to_lowercase()) {
        words.remove(0);
    }
    words
}

impl Coref {
    /// Does token `t` lie inside quoted content? False past the last token.
    pub fn quoted_at(&self, t: usize) -> bool {
        self.in_quote.get(t).copied().unwrap_or(false)
    }

    pub fn build(doc: &Document) -> Coref {
        let mut in_quote = vec![false; doc.tokens.len()];
        for q in doc.quoted.iter().filter(|q| q.depth == 0) {
            let a = doc.token_at_or_after(q.content.start);
            let b = doc.token_at_or_after(q.content.end);
            for v in &mut in_quote[a..b] {
                *v = true;
            }
        }
        let mut c = Coref {
            mentions: Vec::new(),
            clusters: Vec::new(),
            order: Vec::new(),
            by_end: HashMap::new(),
            by_start: HashMap::new(),
            in_quote,
        };

        let mut taken = vec![false; doc.tokens.len()];
        let mut names: Vec<(usize, usize, EntityLabel)> = Vec::new();
        for e in &doc.entities {
            let a = doc.token_at_or_after(e.start);
            let b = doc.token_at_or_after(e.end);
            if a >= b {
                continue;
            }
            // A title tagged as a name of its own right before the person's name ("Mayor" |
            // "Ann Lee") is part of that name.
            if let Some(last) = names.last_mut() {
                let title_only = (last.0..last.1).all(|t| {
                    let w = lower(doc, t);
                    is_title_word(&w) || is_role_head(&w)
                });
                if title_only && last.1 == a && last.2 == EntityLabel::Person && e.label == EntityLabel::Person {
                    last.1 = b;
                    continue;
                }
            }
            names.push((a, b, e.label));
        }
        for (a, b, label) in names {
            c.add_name(doc, a, b, label);
            taken[a..b].iter_mut().for_each(|t| *t = true);
        }
        for (t, _) in taken.iter().enumerate().filter(|(_, taken)| !**taken) {
            if let Some(info) = pronoun(&lower(doc, t)) {
                let m = c.push(Mention {
                    tok_start: t,
                    tok_end: t + 1,
                    span: doc.tokens[t].span,
                    kind: MentionKind::Pronoun(info),
                    cluster: None,
                    in_quote: c.in_quote[t],
                });
                c.by_end.insert(t, m);
                c.by_start.insert(t, m);
            }
        }
        // Definite descriptions of a person or an organisation ("the attorney general", "the
        // Indiana governor", "the commission"), resolved in document order so that each can
        // lean on the ones before it; as antecedents they carry pronoun chains.
        for t in 0..doc.tokens.len() {
            let head = lower(doc, t);
            if taken[t] || c.in_quote[t] || !(is_role_head(&head) || is_organisation_head(&head)) {
                continue;
            }
            let next_is_name = t + 1 < doc.tokens.len() && taken[t + 1];
            let det = (t.saturating_sub(5)..t).rev().find(|&k| lower(doc, k) == "the");
            if let (Some(d), false) = (det, next_is_name) {
                // Modifiers may be names ("the New York businessman", "the GOP nominee").
                if (d + 1..t).all(|k| doc.kind_at(k) == Some(TokenKind::Word)) {
                    let cluster = c.resolve_description_tokens(doc, d, t);
                    if cluster.is_some() {
                        c.add_description(doc, d, t + 1, cluster);
                    }
                }
            }
        }
        c
    }

    fn push(&mut self, m: Mention) -> usize {
        let start = m.tok_start;
        self.mentions.push(m);
        let id = self.mentions.len() - 1;
        let at = self.order.partition_point(|&i| self.mentions[i].tok_start <= start);
        self.order.insert(at, id);
        id
    }

    /// Add a named-entity mention over tokens `a..b` and give it a cluster.
    pub fn add_name(&mut self, doc: &Document, a: usize, b: usize, label: EntityLabel) -> usize {
        let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
        let cluster = match label {
            EntityLabel::Person => self.person_cluster(doc, a, b),
            _ => self.org_cluster(doc, a, b, SpeakerType::Entity(label)),
        };
        let m = self.push(Mention {
            tok_start: a,
            tok_end: b,
            span,
            kind: MentionKind::Name,
            cluster,
            in_quote: self.in_quote[a],
        });
        self.by_end.insert(b - 1, m);
        self.by_start.insert(a, m);
        m
    }

    fn org_cluster(&mut self, doc: &Document, a: usize, b: usize, label: SpeakerType) -> Option<usize> {
        let text = doc.slice(Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end)).to_string();
        let key = text.trim_start_matches("the ").to_lowercase();
        let found = self.clusters.iter().position(|c| c.label == label && c.surname == key);
        let id = found.unwrap_or_else(|| {
            self.clusters.push(Cluster::new(label, text, key));
            self.clusters.len() - 1
        });
        self.clusters[id].note_mention();
        Some(id)
    }

    fn person_cluster(&mut self, doc: &Document, a: usize, b: usize) -> Option<usize> {
        let words = name_words(doc, a, b);
        let lowered: Vec<String> = words.iter().map(|(_, w)| w.to_lowercase()).collect();
        let mut core: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let suf = core.last().and_then(|w| suffix(w));
        if suf.is_some() && core.len() > 1 {
            core.pop();
        }
        let surname = core.last()?.trim_end_matches(['.', ',']).to_string();
        let first = (core.len() >= 2).then(|| core[0].trim_end_matches('.').to_string());

        let (roles, gender_hint) = self.roles_around(doc, a, b);
        let gender = gender_hint.unwrap_or_else(|| first.as_deref().map(first_name_gender).unwrap_or(Gender::Unknown));

        let compatible = |c: &Cluster| {
            c.label == SpeakerType::PERSON
                && c.suffix == suf
                && match (&c.first, &first) {
                    (Some(x), Some(y)) => x == y || x.starts_with(y.as_str()) || y.starts_with(x.as_str()),
                    _ => true,
                }
        };
        // A full name joins the cluster with that surname and a compatible first name; a bare
        // surname joins the most mentioned such cluster (ties: the earliest); a bare name that
        // is some cluster's first name joins it when that is unambiguous.
        let mut found: Option<usize> = None;
        for (i, c) in self.clusters.iter().enumerate() {
            if c.surname == surname && compatible(c) {
                let better = match found {
                    None => true,
                    Some(f) => {
                        let cf = &self.clusters[f];
                        (first.is_some() && c.first == first && cf.first != first) || c.mentions > cf.mentions
                    }
                };
                if better {
                    found = Some(i);
                }
            }
        }
        if found.is_none() && first.is_none() {
            let by_first: Vec<usize> = self
                .clusters
                .iter()
                .enumerate()
                .filter(|(_, c)| c.label == SpeakerType::PERSON && c.first.as_deref() == Some(surname.as_str()))
                .map(|(i, _)| i)
                .collect();
            if by_first.len() == 1 {
                found = Some(by_first[0]);
            }
        }
        let name: String = words.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join(" ");
        let id = match found {
            Some(i) => i,
            None => {
                let mut c = Cluster::new(SpeakerType::PERSON, name.clone(), surname.clone());
                c.suffix = suf;
                c.first = first.clone();
                c.gender = gender;
                self.clusters.push(c);
                self.clusters.len() - 1
            }
        };
        let c = &mut self.clusters[id];
        c.note_mention();
        if name.split(' ').count() > c.canonical.split(' ').count() {
            c.canonical = name;
        }
        if c.first.is_none() {
            c.first = first;
        }
        if c.gender == Gender::Unknown {
            c.gender = gender;
        }
        c.roles.extend(roles);
        Some(id)
    }

    /// Role words introducing a name (before it, or in an appositive after it), and a gender
    /// from an honorific.
    fn roles_around(&self, doc: &Document, a: usize, b: usize) -> (Vec<String>, Option<Gender>) {
        let mut roles = Vec::new();
        let mut gender = None;
        // Inside the entity itself (NER sometimes includes the title).
        for t in a..b {
            let w = lower(doc, t).trim_end_matches('.').to_string();
            if let Some(g) = honorific_gender(&w) {
                gender = Some(g);
            }
            if ROLE_WORDS.contains(&w.as_str()) {
                roles.push(w);
            }
        }
        // Before: "Secretary of State Mike Pompeo", "Trump's former lawyer, Michael Cohen".
        let sent_start = doc.sentence_of(doc.tokens[a].span.start).map(|s| doc.sentences[s].first_token).unwrap_or(0);
        let mut t = a;
        let mut steps = 0;
        while t > sent_start && steps < 8 {
            t -= 1;
            steps += 1;
            let w = lower(doc, t).trim_end_matches('.').to_string();
            if w == "," && steps == 1 {
                continue;
            }
            // The honorific nearest the name wins: in "the chairman of Mrs. Clinton's
            // campaign", "chairman" is someone else's.
            if let Some(g) = honorific_gender(&w) {
                gender = gender.or(Some(g));
            }
            if ROLE_WORDS.contains(&w.as_str()) || party(&w).is_some() {
                roles.push(w);
            } else if !(doc.kind_at(t) == Some(TokenKind::Word)
                && (matches!(
                    w.as_str(),
                    "of" | "'s" | "’s" | "state" | "foreign" | "prime" | "the" | "us" | "u.s" | "presidential"
                ) || doc.word(t).chars().next().is_some_and(char::is_uppercase)))
            {
                break;
            }
        }
        // After: "Michael Cohen, Trump's former lawyer,".
        if b < doc.tokens.len() && doc.word(b) == "," {
            for t in b + 1..(b + 8).min(doc.tokens.len()) {
                let w = lower(doc, t);
                if matches!(w.as_str(), "," | "." | ";" | "who" | "said" | "says") {
                    break;
                }
                if let Some(g) = honorific_gender(&w) {
                    gender = gender.or(Some(g));
                }
                if is_role_head(&w) {
                    roles.push(w);
                }
            }
        }
        (roles, gender)
    }

    /// The mentions whose first token lies in `lo..hi`, in token order.
    pub fn mentions_starting_in(&self, lo: usize, hi: usize) -> &[usize] {
        let a = self.order.partition_point(|&i| self.mentions[i].tok_start < lo);
        let b = self.order.partition_point(|&i| self.mentions[i].tok_start < hi);
        &self.order[a..b]
    }

    /// Is mention `m` in a person's cluster?
    pub fn is_person(&self, m: usize) -> bool {
        self.mentions[m].cluster.is_some_and(|c| self.clusters[c].label == SpeakerType::PERSON)
    }

    pub fn mention_ending_at(&self, t: usize) -> Option<usize> {
        self.by_end.get(&t).copied()
    }

    pub fn mention_starting_at(&self, t: usize) -> Option<usize> {
        self.by_start.get(&t).copied()
    }

    /// The person (or, for "it", organisation) a pronoun at token `t` refers to. Candidates
    /// are names and resolved descriptions outside quotations with compatible gender and
    /// number, and earlier subject pronouns (whose own referent then counts), searched as
    /// Hobbs does: sentence by sentence backwards from the current one, each left to right
    /// (subjects first), up to `MAX_BACK` sentences back.
    ///
    /// A chain of pronouns is followed at most `MAX_CHAIN` links back. Each (pronoun, link)
    /// pair is resolved once per call: without that, every earlier same pronoun in the window
    /// was re-resolved for every later one, exponential in the chain length (a 4 KB text of
    /// repeated "which ... it" sentences took a minute).
    pub fn resolve_pronoun(&self, doc: &Document, t: usize, info: PronounInfo) -> Option<usize> {
        if info.person != crate::lexicon::Person::Third {
            return None;
        }
        if info.plural {
            return self.organisation_as_they(doc, t);
        }
        // "it" stands for an organisation; "he" and "she" for a person of that gender.
        let want = if info.gender == Gender::Unknown { Referent::Organisation } else { Referent::Person(info.gender) };
        self.antecedent(doc, t, want, 0, &mut HashMap::new())
    }

    /// "They" for an organisation ("Politifact checked the claim. They published ..."): the
    /// first mention from the previous sentence on, when it is an organisation's name. Any
    /// other first mention (a person, a group) leaves "they" unresolved.
    fn organisation_as_they(&self, doc: &Document, t: usize) -> Option<usize> {
        let sent = doc.sentence_of(doc.tokens.get(t)?.span.start)?;
        let lo_token = doc.sentences[sent.saturating_sub(1)].first_token;
        let first = self.mentions_starting_in(lo_token, t).iter().map(|&i| &self.mentions[i]).find(|m| !m.in_quote)?;
        first
            .cluster
            .filter(|&c| first.kind == MentionKind::Name && self.clusters[c].label == SpeakerType::ORGANISATION)
    }

    /// The antecedent of a mention at token `t` that wants `want`.
    fn antecedent(
        &self,
        doc: &Document,
        t: usize,
        want: Referent,
        depth: usize,
        memo: &mut HashMap<(usize, usize), Option<usize>>,
    ) -> Option<usize> {
        const MAX_BACK: usize = 6;
        const MAX_CHAIN: usize = 8;
        if depth > MAX_CHAIN {
            return None;
        }
        if let Some(&known) = memo.get(&(t, depth)) {
            return known;
        }
        let possessor = |m: &Mention| matches!(doc.word(m.tok_end), "'s" | "’s" | "'" | "’");
        // A name modifying a role noun ("Clinton spokeswoman Jennifer Palmieri") is not the
        // one the sentence is about.
        let modifier = |m: &Mention| m.kind == MentionKind::Name && is_role_head(&lower(doc, m.tok_end));
        let sent = doc.sentence_of(doc.tokens.get(t)?.span.start)?;
        let mut found = None;
        'search: for back in 0..=MAX_BACK.min(sent) {
            let s = &doc.sentences[sent - back];
            let end = if back == 0 { t } else { s.end_token };
            for &i in self.mentions_starting_in(s.first_token, end) {
                let m = &self.mentions[i];
                // Names inside quotations and possessors ("Trump's lawyer, Cohen") are not antecedents.
                if m.in_quote || possessor(m) || modifier(m) {
                    continue;
                }
                let cluster = match m.kind {
                    MentionKind::Pronoun(p) if p.subject && want.carried_by(p) => {
                        self.antecedent(doc, m.tok_start, want, depth + 1, memo)
                    }
                    MentionKind::Pronoun(_) => None,
                    _ => m.cluster.filter(|&c| want.accepts(&self.clusters[c])),
                };
                if cluster.is_some() {
                    found = cluster;
                    break 'search;
                }
            }
        }
        memo.insert((t, depth), found);
        found
    }

    /// The first subject-like mention (name, subject pronoun, description) of tokens
    /// `lo..before`, outside quotations: the subject of a sentence's main clause.
    pub fn sentence_subject(&self, lo: usize, before: usize) -> Option<usize> {
        self.mentions_starting_in(lo, before).iter().copied().find(|&i| {
            let m = &self.mentions[i];
            !m.in_quote
                && match m.kind {
                    MentionKind::Pronoun(p) => p.subject,
                    MentionKind::Name => m.cluster.is_some_and(|c| {
                        matches!(self.clusters[c].label, SpeakerType::PERSON | SpeakerType::ORGANISATION)
                    }),
                    MentionKind::Description => true,
                }
        })
    }

    /// The person a definite role description ("the attorney general") refers to: the most
    /// recently mentioned person introduced with that role.
    pub fn resolve_role(&self, head: &str, before_token: usize) -> Option<usize> {
        self.latest_before(before_token, |c| c.label == SpeakerType::PERSON && c.roles.contains(head))
    }

    /// Of the clusters `accept` takes, the one mentioned last before token `before_token`.
    fn latest_before(&self, before_token: usize, accept: impl Fn(&Cluster) -> bool) -> Option<usize> {
        let before = self.order.partition_point(|&i| self.mentions[i].tok_start < before_token);
        self.order[..before].iter().rev().find_map(|&i| self.mentions[i].cluster.filter(|&c| accept(&self.clusters[c])))
    }

    /// What the description mention `m` refers to, when it is definite ("the ...") and its
    /// head is a person or an organisation noun: see [`Coref::resolve_description_tokens`].
    pub fn resolve_description(&self, doc: &Document, m: usize) -> Option<usize> {
        let mention = &self.mentions[m];
        let (a, b) = (mention.tok_start, mention.tok_end);
        let det = (a..b.saturating_sub(1)).find(|&k| lower(doc, k) == "the").or_else(|| {
            // The second of two coordinated descriptions: "the former first lady and U.S.
            // senator" is one person.
            (a > 0 && lower(doc, a - 1) == "and")
                .then(|| (a.saturating_sub(9)..a - 1).rev().take_while(|&k| doc.kind_at(k) == Some(TokenKind::Word)))
                .into_iter()
                .flatten()
                .find(|&k| lower(doc, k) == "the")
        })?;
        self.resolve_description_tokens(doc, det, b - 1)
    }

    /// What the definite description `the ... HEAD` (tokens `det..=head`) refers to:
    /// - a person noun ("the attorney general", "the Indiana governor", "the New York
    ///   businessman"): the person introduced with that role, else the person the discourse
    ///   is about, found as a pronoun's antecedent is (sentence by sentence backwards, each
    ///   from its subject on), of the gender the noun gives ("congresswoman");
    /// - an organisation noun ("the commission", "the bank"): the latest organisation whose
    ///   name holds the noun ("Commission on Presidential Debates"), else the organisation
    ///   found as "it"'s antecedent is.
    pub fn resolve_description_tokens(&self, doc: &Document, det: usize, head: usize) -> Option<usize> {
        let noun = lower(doc, head);
        if is_role_head(&noun) {
            // "the Democratic nominee" is not the person introduced as the Republican one.
            let described = (det..head).find_map(|k| party(&lower(doc, k)));
            let same_side = |c: usize| {
                let theirs = self.clusters[c].roles.iter().find_map(|r| party(r));
                described.is_none() || theirs.is_none() || described == theirs
            };
            if let Some(c) = self.resolve_role(&noun, det).filter(|&c| same_side(c)) {
                return Some(c);
            }
            let gender = honorific_gender(&noun).unwrap_or(Gender::Unknown);
            return self.antecedent(doc, det, Referent::Person(gender), 0, &mut HashMap::new());
        }
        if is_organisation_head(&noun) {
            let named = self.latest_before(det, |c| {
                c.label == SpeakerType::ORGANISATION
                    && c.canonical.split_whitespace().any(|w| w.to_lowercase() == noun)
                    // A name that is the noun alone ("Commission", a name cut short) says no more.
                    && c.canonical.trim_start_matches("The ").to_lowercase() != noun
            });
            return named.or_else(|| self.antecedent(doc, det, Referent::Organisation, 0, &mut HashMap::new()));
        }
        None
    }

    /// Register a description mention made during speaker search and return it.
    pub fn add_description(&mut self, doc: &Document, a: usize, b: usize, cluster: Option<usize>) -> usize {
        if let Some(&m) = self.by_start.get(&a).filter(|&&m| self.mentions[m].tok_end == b) {
            return m;
        }
        let span = Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end);
        let m = self.push(Mention {
            tok_start: a,
            tok_end: b,
            span,
            kind: MentionKind::Description,
            cluster,
            in_quote: false,
        });
        self.by_end.insert(b - 1, m);
        self.by_start.insert(a, m);
        m
    }

    /// A relative pronoun in subject position ("Corey, who said ..."): a mention of its
    /// antecedent's cluster, or of a new cluster named after an unnamed antecedent ("voters
    /// who say ...").
    pub fn add_relative(&mut self, doc: &Document, t: usize, antecedent: usize) -> usize {
        let cluster = self.mentions[antecedent].cluster.unwrap_or_else(|| {
            let text = doc.slice(self.mentions[antecedent].span).to_string();
            let key = text.to_lowercase();
            self.clusters.push(Cluster::new(SpeakerType::Other, text, key));
            self.clusters.len() - 1
        });
        self.clusters[cluster].note_mention();
        self.add_description(doc, t, t + 1, Some(cluster))
    }

    /// A cluster for a capitalised name that NER missed, found in a speaker position.
    pub fn add_fallback_name(&mut self, doc: &Document, a: usize, b: usize) -> usize {
        self.add_name(doc, a, b, EntityLabel::Person)
    }
}
