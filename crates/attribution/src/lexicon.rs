//! Word lists: reporting cues, pronouns, titles and roles, first names. General English,
//! nothing taken from any evaluation article.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A list of English words, one per line of a file under `lang/en/` (compiled in), read once
/// into a set. The lists that decide what a clause, a description or a label is live there,
/// as data, not as literals in the modules that use them.
pub(crate) struct WordList {
    text: &'static str,
    set: OnceLock<HashSet<&'static str>>,
}

impl WordList {
    const fn new(text: &'static str) -> WordList {
        WordList { text, set: OnceLock::new() }
    }

    /// The list's words, in file order.
    pub(crate) fn words(&self) -> impl Iterator<Item = &'static str> {
        self.text.lines().map(str::trim).filter(|w| !w.is_empty())
    }

    /// Is `word` (as the caller normalised it, mostly lower case) on the list?
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.set.get_or_init(|| self.text.lines().map(str::trim).filter(|w| !w.is_empty()).collect()).contains(word)
    }
}

/// One `WordList` per file of `lang/en/`.
macro_rules! word_lists {
    ($($(#[$doc:meta])* $name:ident => $file:literal,)*) => {
        $(
            $(#[$doc])*
            pub(crate) static $name: WordList = WordList::new(include_str!(concat!("../lang/en/", $file, ".txt")));
        )*
        /// Every list, for the test that reads them all.
        #[cfg(test)]
        static ALL_WORD_LISTS: &[&WordList] = &[$(&$name),*];
    };
}

word_lists! {
    /// Words that are never part of a person's name in a transcript label ("is", "the", "who").
    NOT_IN_LABELS => "not-in-labels",
    /// Degree words and forms of "be" between a cue-like adjective and its subject ("is more likely to say").
    DEGREE_WORDS => "degree-words",
    /// Spelled numbers and counts ("twenty", "dozens") that open a description of a group.
    COUNT_WORDS => "count-words",
    /// Adjectives a speech verb can follow ("likely to say", "quick to point out").
    CUE_ADJECTIVES => "cue-adjectives",
    /// The small words a title leaves in lower case ("a", "of", "the"), for quoted titles ("The Art of the Deal").
    MINOR_TITLE_WORDS => "minor-title-words",
    /// Organisation nouns general enough to name any organisation ("the company").
    GENERIC_ORGANISATION_NOUNS => "generic-organisation-nouns",
    /// Words after a modifier that show it is not one ("Russia also said", "Republicans have").
    NOT_HEAD_NOUNS => "not-head-nouns",
    /// Role words that modify a role rather than head one ("vice", "senior", "former").
    ROLE_MODIFIERS => "role-modifiers",
    /// Honorifics of men ("mr", "sir").
    HONORIFICS_MALE => "honorifics-male",
    /// Honorifics of women ("ms", "dame").
    HONORIFICS_FEMALE => "honorifics-female",
    /// Gendered titles and kin words of men ("spokesman", "father").
    GENDERED_TITLES_MALE => "gendered-titles-male",
    /// Gendered titles and kin words of women ("spokeswoman", "mother").
    GENDERED_TITLES_FEMALE => "gendered-titles-female",
    /// Nouns that head a definite description of an organisation ([`is_organisation_head`]).
    ORGANISATION_HEADS => "organisation-heads",
    /// Nouns of institutions ([`is_institution_noun`]).
    INSTITUTION_NOUNS => "institution-nouns",
    /// Collective sources ([`is_group_head`]).
    GROUP_HEADS => "group-heads",
    /// Name-internal titles ([`is_title_word`]).
    TITLE_WORDS => "title-words",
    /// Letters after a name ([`is_postnominal`]); compared as written, not lower-cased.
    POSTNOMINALS => "postnominals",
    /// Words between a cue and its subject ([`is_cue_modifier`]).
    CUE_MODIFIERS => "cue-modifiers",
    /// Time words after a cue ([`is_time_word`]).
    TIME_WORDS => "time-words",
    /// Months' names ([`is_month`]).
    MONTHS => "months",
    /// Words of titles and roles that stand before or beside a name ("Secretary of State Mike
    /// Pompeo", "US Iran envoy Brian Hook", "Trump's former lawyer"), lower-cased. A definite
    /// description made of one ("the attorney general", "the secretary") refers back to the
    /// person who bore it.
    ROLE_WORDS => "role-words",
    /// Words a reported clause does not start with: prepositions, subordinators and adverbs
    /// after a cue ("said after the vote", "told reporters while ...") begin no reported clause.
    NOT_CLAUSE_STARTS => "not-clause-starts",
    /// Prepositions that open a cue's prepositional object rather than a reported statement
    /// ("warned of ...", "spoke about ...").
    OBJECT_PREPOSITIONS => "object-prepositions",
    /// Prepositions whose object a cue may take ("agreed on", "spoke about").
    PREPOSITIONS => "prepositions",
    /// Auxiliaries, modals and subject pronouns: words a clause has and a noun phrase ("Moscow's
    /// denials of interference") does not.
    CLAUSE_WORDS => "clause-words",
    /// Words that open a label-like line but name no speaker ("Update:", "Editor's note:").
    NOT_SPEAKERS => "not-speakers",
    /// Nouns of written or spoken messages, which speak for their author ("Cornyn's statement").
    MESSAGE_NOUNS => "message-nouns",
    /// Verbs of putting out a message, past and present ("issued a statement", "conducts
    /// the poll"): their subject is its author.
    MESSAGE_VERBS => "message-verbs",
    /// Phrases that open a line linking to another article ("read more", "related"), lower case.
    LINK_PHRASES => "link-phrases",
    /// Words that, after a comma, begin a clause outside the reported one.
    CLAUSE_JOINERS => "clause-joiners",
    /// Words that open a description of a speaker: an article, a possessive, a number or a rank
    /// ("the spokesman", "two officials", "a senior aide").
    DETERMINERS => "subject-determiners",
    /// Determiners that open a plain noun phrase in subject position ("one user", "the email").
    NOUN_DETERMINERS => "noun-determiners",
    /// Words that can never be part of a speaker's name found by the capitalisation fallback.
    FUNCTION_WORDS => "not-in-names",
    /// The short function words that title case leaves in lower case ("Ministers Fail to Agree on
    /// Tariffs").
    LOWER_IN_TITLES => "lower-in-titles",
}

use whosaid_tokenize::Document;

/// Token `t` lower-cased; "" when there is no token `t` (see [`Document::word`]).
pub(crate) fn lower(doc: &Document, t: usize) -> String {
    doc.word(t).to_lowercase()
}

/// The gender the text refers to a person with (written "male", "female", "unknown").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

impl Gender {
    /// As the output writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Unknown => "unknown",
        }
    }

    pub fn compatible(self, other: Gender) -> bool {
        self == Gender::Unknown || other == Gender::Unknown || self == other
    }
}

/// How a cue verb is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueInfo {
    /// Takes a reported clause (`said that ...`), so it can carry indirect speech.
    pub reports_clause: bool,
    /// Takes an addressee before its clause (`told reporters that ...`).
    pub takes_object: bool,
    /// A participle (`adding`, `saying`): its subject is the main clause's.
    pub participle: bool,
    /// Reports a clause only when "that" follows (`wrote that ...`, not `wrote a letter`).
    pub needs_that: bool,
    /// Reports a "to"-infinitive (`vowed to fight`, `urged Congress to act`).
    pub infinitive: bool,
}

/// A reporting verb: one row of [`REPORTING_VERBS`], everything whosaid knows about it.
struct ReportingVerb {
    base: &'static str,
    /// Its forms when they are not the regular ones ([`regular_forms`]).
    forms: Option<&'static [&'static str]>,
    /// Takes a reported clause (`said that ...`); otherwise it only attributes quoted words
    /// (`called it "a disgrace"`).
    reports_clause: bool,
    /// Takes an addressee before its clause (`told reporters that ...`).
    takes_object: bool,
    /// Reports a clause only when "that" follows: its object is as often a document as a
    /// clause (`wrote a letter`, `tweeted a photo`).
    needs_that: bool,
    /// Reports an intention or request as a "to"-infinitive (`vowed to fight`).
    infinitive: bool,
    /// Forms far more often nouns (`the United States`, `news reports`): never cues.
    noun_forms: &'static [&'static str],
    /// Forms unambiguous enough to justify an attribution alone ([`is_core_speech`]).
    core: &'static [&'static str],
    /// Speech, or writing (`wrote`, `tweeted`).
    class: CueClass,
}

const fn verb(base: &'static str, reports_clause: bool) -> ReportingVerb {
    ReportingVerb {
        base,
        forms: None,
        reports_clause,
        takes_object: false,
        needs_that: false,
        infinitive: false,
        noun_forms: &[],
        core: &[],
        class: CueClass::Speech,
    }
}

/// A speech verb that takes a reported clause.
const fn clause(base: &'static str) -> ReportingVerb {
    verb(base, true)
}

/// A verb that attributes quoted words but introduces no reported clause.
const fn quote_only(base: &'static str) -> ReportingVerb {
    verb(base, false)
}

impl ReportingVerb {
    const fn forms(mut self, forms: &'static [&'static str]) -> Self {
        self.forms = Some(forms);
        self
    }
    const fn object_first(mut self) -> Self {
        self.takes_object = true;
        self
    }
    const fn needs_that(mut self) -> Self {
        self.needs_that = true;
        self
    }
    const fn infinitive(mut self) -> Self {
        self.infinitive = true;
        self
    }
    const fn noun_forms(mut self, forms: &'static [&'static str]) -> Self {
        self.noun_forms = forms;
        self
    }
    const fn core(mut self, forms: &'static [&'static str]) -> Self {
        self.core = forms;
        self
    }
    /// Its forms: the listed ones, else the regular ones of its base.
    fn word_forms(&self) -> Vec<String> {
        self.forms.map_or_else(|| regular_forms(self.base), |f| f.iter().map(|s| s.to_string()).collect())
    }
    const fn writing(mut self) -> Self {
        self.class = CueClass::Writing;
        self
    }
}

/// Every reporting verb, a row each. General English; the first row naming a form wins.
const REPORTING_VERBS: &[ReportingVerb] = &[
    clause("say").forms(&["say", "says", "said", "saying"]).core(&["say", "says", "said", "saying"]),
    clause("add").core(&["adds", "added", "adding"]),
    clause("note").noun_forms(&["note", "notes"]).core(&["notes", "noted", "noting"]),
    clause("write")
        .forms(&["write", "writes", "wrote", "writing", "written"])
        .noun_forms(&["writing"])
        .needs_that()
        .core(&["writes", "wrote"])
        .writing(),
    clause("argue").core(&["argues", "argued"]),
    clause("explain").core(&["explained"]),
    clause("state").noun_forms(&["state", "states"]).core(&["states", "stated"]),
    clause("declare").core(&["declared"]),
    clause("insist").core(&["insists", "insisted"]),
    clause("warn").noun_forms(&["warning"]).object_first().core(&["warns", "warned"]),
    clause("claim").noun_forms(&["claim", "claims"]).core(&["claims", "claimed"]),
    clause("acknowledge").core(&["acknowledged"]),
    clause("admit").forms(&["admit", "admits", "admitted", "admitting"]),
    clause("suggest"),
    clause("predict").core(&["predicted"]),
    clause("promise").noun_forms(&["promise", "promises"]).object_first().infinitive().core(&["promised"]),
    clause("vow").noun_forms(&["vow", "vows"]).infinitive().core(&["vowed"]),
    clause("pledge").noun_forms(&["pledge", "pledges"]).infinitive(),
    clause("stress"),
    clause("emphasize"),
    clause("emphasise"),
    clause("announce").core(&["announced"]),
    clause("recall").core(&["recalled"]),
    clause("concede"),
    clause("maintain"),
    clause("assert"),
    clause("reiterate"),
    clause("contend"),
    clause("complain"),
    clause("tweet").noun_forms(&["tweet", "tweets"]).needs_that().core(&["tweets", "tweeted"]).writing(),
    clause("testify").forms(&["testify", "testifies", "testified", "testifying"]),
    clause("confirm"),
    clause("deny").forms(&["deny", "denies", "denied", "denying"]),
    clause("reply")
        .forms(&["reply", "replies", "replied", "replying"])
        .noun_forms(&["reply", "replies"])
        .core(&["replied"]),
    clause("respond").core(&["responded"]),
    clause("continue").core(&["continued"]),
    clause("observe"),
    clause("remark").noun_forms(&["remark", "remarks"]).core(&["remarked"]),
    clause("joke").noun_forms(&["joke", "jokes"]).core(&["joked"]),
    clause("quip").forms(&["quip", "quips", "quipped", "quipping"]).noun_forms(&["quip", "quips"]).core(&["quipped"]),
    clause("ask").object_first().infinitive().core(&["asks", "asked"]),
    clause("caution"),
    clause("retort"),
    clause("mention"),
    clause("allege"),
    clause("boast").noun_forms(&["boast", "boasts"]),
    clause("brag").forms(&["brag", "brags", "bragged", "bragging"]).noun_forms(&["brag"]),
    clause("lament").noun_forms(&["lament", "laments"]),
    clause("repeat").noun_forms(&["repeat", "repeats"]),
    clause("proclaim"),
    clause("affirm"),
    clause("scoff"),
    clause("shout"),
    clause("yell"),
    clause("whisper"),
    clause("muse"),
    clause("agree").forms(&["agree", "agrees", "agreed", "agreeing"]).infinitive(),
    clause("disclose"),
    clause("reveal"),
    clause("stipulate"),
    clause("specify").forms(&["specify", "specifies", "specified", "specifying"]),
    clause("indicate"),
    clause("speculate"),
    clause("theorize"),
    clause("recount"),
    clause("assure").object_first(),
    clause("inform").object_first(),
    clause("remind").object_first(),
    clause("tell")
        .forms(&["tell", "tells", "told", "telling"])
        .object_first()
        .core(&["tell", "tells", "told", "telling"]),
    quote_only("describe"),
    quote_only("dub").forms(&["dub", "dubs", "dubbed", "dubbing"]),
    quote_only("label")
        .forms(&["label", "labels", "labeled", "labelled", "labeling", "labelling"])
        .noun_forms(&["label", "labels"]),
    quote_only("term").noun_forms(&["term", "terms"]),
    quote_only("chant").noun_forms(&["chant", "chants"]),
    quote_only("read").forms(&["read", "reads", "reading"]).noun_forms(&["read", "reads", "reading"]),
    quote_only("slam").forms(&["slam", "slams", "slammed", "slamming"]),
    quote_only("praise"),
    quote_only("mock"),
    quote_only("criticize"),
    quote_only("criticise"),
    quote_only("decry"),
    quote_only("denounce"),
    quote_only("condemn"),
    quote_only("conclude").core(&["concluded"]),
    quote_only("call").noun_forms(&["call", "calls"]).object_first(),
    quote_only("accuse"),
    quote_only("blast"),
    quote_only("cite").noun_forms(&["cite", "cites"]),
    quote_only("urge").noun_forms(&["urge"]).object_first().infinitive(),
    quote_only("post").noun_forms(&["post", "posts"]).writing(),
    quote_only("report").noun_forms(&["report", "reports"]).writing(),
    quote_only("hail").noun_forms(&["hail"]),
    quote_only("welcome").noun_forms(&["welcome"]),
    quote_only("characterize"),
    quote_only("characterise"),
    quote_only("pen").forms(&["pen", "pens", "penned", "penning"]).noun_forms(&["pen", "pens"]).writing(),
    quote_only("sing").forms(&["sing", "sings", "sang", "sung", "singing"]).noun_forms(&["sing", "sings"]),
    quote_only("cry").forms(&["cry", "cries", "cried", "crying"]).noun_forms(&["cry", "cries"]),
    quote_only("exclaim"),
    quote_only("thunder"),
    quote_only("snap").forms(&["snap", "snaps", "snapped", "snapping"]).noun_forms(&["snap", "snaps"]),
    quote_only("sigh").noun_forms(&["sigh", "sighs"]),
    quote_only("laugh").noun_forms(&["laugh", "laughs"]),
    quote_only("plead").forms(&["plead", "pleads", "pleaded", "pled", "pleading"]).noun_forms(&["plead"]),
    quote_only("implore"),
    quote_only("beg").forms(&["beg", "begs", "begged", "begging"]),
    quote_only("demand").noun_forms(&["demand", "demands"]).infinitive(),
    quote_only("order").noun_forms(&["order", "orders"]),
    quote_only("query").forms(&["query", "queries", "queried", "querying"]).noun_forms(&["query"]),
    quote_only("wonder").noun_forms(&["wonder"]),
    quote_only("huff"),
];

/// What kind of act a cue reports: what someone said or wrote, or what they believe,
/// intend, perceived or refused. Speech and writing are the reporting verbs'
/// ([`REPORTING_VERBS`]); the others come from `lang/en/cue-classes/`, one lemma a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueClass {
    Speech,
    Writing,
    Belief,
    Intention,
    Perception,
    Refusal,
}

/// The non-speech classes' files: one lemma a line, then its irregular forms.
const CUE_CLASS_FILES: [(CueClass, &str); 4] = [
    (CueClass::Belief, include_str!("../lang/en/cue-classes/belief.txt")),
    (CueClass::Intention, include_str!("../lang/en/cue-classes/intention.txt")),
    (CueClass::Perception, include_str!("../lang/en/cue-classes/perception.txt")),
    (CueClass::Refusal, include_str!("../lang/en/cue-classes/refusal.txt")),
];

/// The class of a cue word form (lower-cased): a reporting verb's, else a non-speech verb's;
/// "according", "point(ed) out" and a colon are speech.
pub fn cue_class(word_lower: &str) -> Option<CueClass> {
    static TABLE: OnceLock<HashMap<String, CueClass>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for v in REPORTING_VERBS {
            let forms = v.word_forms();
            for form in forms.into_iter().chain(v.noun_forms.iter().map(|f| f.to_string())) {
                t.entry(form).or_insert(v.class);
            }
        }
        for (class, text) in CUE_CLASS_FILES {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                let mut words = line.split_whitespace();
                let Some(lemma) = words.next() else { continue };
                for form in regular_forms(lemma).into_iter().chain(words.map(String::from)) {
                    t.entry(form).or_insert(class);
                }
            }
        }
        // "according to", "pointed out" (a phrasal cue of `crate::cues`) and a colon.
        for speech in ["according", "point", "points", "pointed", "pointing", ":"] {
            t.insert(speech.to_string(), CueClass::Speech);
        }
        t
    });
    table.get(word_lower).copied()
}

/// Base, third-person, past and -ing forms of a regular verb ("note" -> "notes", "noted",
/// "noting"; "stress" -> "stresses"). A verb that doubles its last consonant ("admit" ->
/// "admitted") lists its forms instead.
fn regular_forms(base: &str) -> Vec<String> {
    let third = if base.ends_with('s') || base.ends_with("sh") || base.ends_with("ch") || base.ends_with('x') {
        format!("{base}es")
    } else {
        format!("{base}s")
    };
    let (past, ing) = match base.strip_suffix('e') {
        Some(stem) => (format!("{base}d"), format!("{stem}ing")),
        None => (format!("{base}ed"), format!("{base}ing")),
    };
    vec![base.to_string(), third, past, ing]
}

fn cue_table() -> &'static HashMap<String, CueInfo> {
    static TABLE: OnceLock<HashMap<String, CueInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for v in REPORTING_VERBS {
            let forms = v.word_forms();
            for form in forms {
                if v.noun_forms.contains(&form.as_str()) {
                    continue;
                }
                let participle = form.ends_with("ing");
                t.entry(form).or_insert(CueInfo {
                    reports_clause: v.reports_clause,
                    takes_object: v.takes_object,
                    participle,
                    needs_that: v.needs_that,
                    infinitive: v.infinitive,
                });
            }
        }
        t
    })
}

/// The forms that are rather nouns (`claims`, `notes`, `warning`): a cue only where they stand
/// as verbs (see `crate::cues`).
fn noun_form_table() -> &'static HashMap<String, CueInfo> {
    static TABLE: OnceLock<HashMap<String, CueInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for v in REPORTING_VERBS {
            for form in v.noun_forms {
                t.entry(form.to_string()).or_insert(CueInfo {
                    reports_clause: v.reports_clause,
                    takes_object: v.takes_object,
                    participle: form.ends_with("ing"),
                    needs_that: v.needs_that,
                    infinitive: v.infinitive,
                });
            }
        }
        t
    })
}

/// The cue a form that is rather a noun would be as a verb ("Paris claims she was ...").
pub fn noun_form_cue(word_lower: &str) -> Option<CueInfo> {
    noun_form_table().get(word_lower).copied()
}

/// The role and title words ([`ROLE_WORDS`]), for tools that write text with them.
pub fn role_words() -> Vec<&'static str> {
    ROLE_WORDS.words().collect()
}

/// Every word form that is a cue, sorted: for tests and tools that write text with them.
pub fn cue_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = cue_table().keys().map(String::as_str).collect();
    words.extend(["according", "read", "point", "points", "pointed", "pointing"]);
    words.sort_unstable();
    words.dedup();
    words
}

/// The cue a lower-cased word is, if any.
pub fn cue(word_lower: &str) -> Option<CueInfo> {
    cue_table().get(word_lower).copied()
}

/// Strong cues: unambiguous speech verb forms that alone justify an attribution (the rows'
/// `core` forms).
pub fn is_core_speech(word_lower: &str) -> bool {
    REPORTING_VERBS.iter().any(|v| v.core.contains(&word_lower))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Person {
    First,
    Third,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PronounInfo {
    pub gender: Gender,
    pub plural: bool,
    pub person: Person,
    /// Nominative: can be the subject of a cue.
    pub subject: bool,
}

pub fn pronoun(word_lower: &str) -> Option<PronounInfo> {
    use Gender::*;
    let p = |gender, plural, person, subject| Some(PronounInfo { gender, plural, person, subject });
    match word_lower {
        "he" => p(Male, false, Person::Third, true),
        "him" | "his" | "himself" => p(Male, false, Person::Third, false),
        "she" => p(Female, false, Person::Third, true),
        "her" | "hers" | "herself" => p(Female, false, Person::Third, false),
        "they" => p(Unknown, true, Person::Third, true),
        "them" | "their" | "themselves" => p(Unknown, true, Person::Third, false),
        "it" => p(Unknown, false, Person::Third, true),
        "its" | "itself" => p(Unknown, false, Person::Third, false),
        "i" => p(Unknown, false, Person::First, true),
        "we" => p(Unknown, true, Person::First, true),
        _ => None,
    }
}

/// A possessive determiner ("their" in "their friends and advisers").
pub fn is_possessive_determiner(word_lower: &str) -> bool {
    matches!(word_lower, "his" | "her" | "their" | "its" | "our" | "my" | "your")
}

/// Honorifics that give a gender ("Ms.", "Mr.", "Sir").
pub fn honorific(word_lower: &str) -> Option<Gender> {
    gendered(&HONORIFICS_MALE, &HONORIFICS_FEMALE, word_lower.trim_end_matches('.'))
}

/// Gendered titles and kin words ("spokeswoman", "chairman", "mother").
pub fn gendered_title(word_lower: &str) -> Option<Gender> {
    gendered(&GENDERED_TITLES_MALE, &GENDERED_TITLES_FEMALE, word_lower.trim_end_matches('.'))
}

/// `Male` for a word on `male`, `Female` for one on `female`.
fn gendered(male: &WordList, female: &WordList, word: &str) -> Option<Gender> {
    if male.contains(word) {
        Some(Gender::Male)
    } else if female.contains(word) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// An honorific or a gendered title.
pub fn honorific_gender(word_lower: &str) -> Option<Gender> {
    honorific(word_lower).or_else(|| gendered_title(word_lower))
}

/// Role nouns that head a definite description of a speaker ("the attorney general",
/// "a campaign spokesman"): the subset of ROLE_WORDS that are nouns of persons.
pub fn is_role_head(word_lower: &str) -> bool {
    ROLE_WORDS.contains(word_lower) && !ROLE_MODIFIERS.contains(word_lower)
}

/// The US party a word names ("Democratic", "GOP"), lower-cased: descriptions of two
/// nominees ("the Democratic nominee") are told apart by it.
pub fn party(word_lower: &str) -> Option<&'static str> {
    match word_lower {
        "democratic" | "democrat" => Some("democratic"),
        "republican" | "gop" => Some("republican"),
        _ => None,
    }
}

/// Groups of words a line, `#` comments.
fn read_groups(text: &'static str) -> Vec<HashSet<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

/// The groups of occupations and offices that tell people apart (`lang/en/occupations/groups.txt`).
fn occupation_groups() -> &'static [HashSet<&'static str>] {
    static GROUPS: OnceLock<Vec<HashSet<&'static str>>> = OnceLock::new();
    GROUPS.get_or_init(|| read_groups(include_str!("../lang/en/occupations/groups.txt")))
}

/// Does the occupation `head` of a description ("the surgeon") rule out a person whose
/// introduction gave them `roles` ("Ms. Okafor, a teacher")? Only when they were given an
/// occupation and none of theirs shares a group of `lang/en/occupations/groups.txt` with the head
/// ("veteran comedian Tim Allen" is "the actor") or a stem ("chief of surgery" fits "the
/// surgeon").
pub fn occupations_conflict<'a>(head: &str, roles: impl IntoIterator<Item = &'a String>) -> bool {
    let groups = occupation_groups();
    let of_head: Vec<&HashSet<&str>> = groups.iter().filter(|g| g.contains(head)).collect();
    if of_head.is_empty() {
        return false;
    }
    let mut theirs =
        roles.into_iter().map(|r| spelled_office(r)).filter(|r| groups.iter().any(|g| g.contains(r))).peekable();
    theirs.peek().is_some() && !theirs.any(|r| shares_stem(r, head) || of_head.iter().any(|g| g.contains(r)))
}

/// An office as a description names it: titles before a name are often abbreviated ("Gov.
/// Terry Reed" is "the governor"). "Rep." is left out: a representative is also a congressman
/// or congresswoman.
pub fn spelled_office(role: &str) -> &str {
    match role {
        "gov" => "governor",
        "sen" => "senator",
        "prof" => "professor",
        other => other,
    }
}

/// Do two words share a stem of at least five letters ("surgeon" and "surgery")?
pub fn shares_stem(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common >= 5 || (a == b && !a.is_empty())
}

/// Does the description from token `lo` to its head noun `head` name a past office ("the
/// former governor", "the ex-mayor")? An introduction often leaves a former office out.
pub fn names_past_office(doc: &Document, lo: usize, head: usize) -> bool {
    (lo..head).any(|k| matches!(lower(doc, k).as_str(), "former" | "ex" | "onetime" | "one-time"))
        || lower(doc, head).starts_with("ex-")
}

/// Nouns that head a definite description of an organisation ("the commission said", "the
/// bank said"): it refers to an organisation named earlier.
pub fn is_organisation_head(word_lower: &str) -> bool {
    ORGANISATION_HEADS.contains(word_lower)
}

/// Nouns of institutions that a definite description names only when the institution's name
/// holds them: "the ministry" is not the company or the commission mentioned before it.
pub fn is_institution_noun(word_lower: &str) -> bool {
    INSTITUTION_NOUNS.contains(word_lower)
}

/// Collective sources: a description headed by one is a speaker too ("officials said").
pub fn is_group_head(word_lower: &str) -> bool {
    GROUP_HEADS.contains(word_lower)
}

/// Name-internal titles that are not part of a person's name.
pub fn is_title_word(word_lower: &str) -> bool {
    TITLE_WORDS.contains(word_lower.trim_end_matches('.'))
}

/// Generational suffixes: "Donald Trump Jr." is not "Donald Trump".
pub fn suffix(word_lower: &str) -> Option<&'static str> {
    match word_lower.trim_end_matches('.') {
        "jr" => Some("jr"),
        "sr" => Some("sr"),
        "ii" => Some("ii"),
        "iii" => Some("iii"),
        "iv" => Some("iv"),
        _ => None,
    }
}

/// Letters after a name that are not part of it ("Mark Tedeschi QC", "Jane Ross MP", "Ann
/// Lee PhD"), as British, Commonwealth and academic copy writes them.
pub fn is_postnominal(word: &str) -> bool {
    POSTNOMINALS.contains(word.trim_end_matches('.'))
}

/// A possessive mark as tokenize splits it off a name ("Labour|'s", "Reyes|'").
pub fn is_possessive_mark(word: &str) -> bool {
    matches!(word, "'s" | "’s" | "'" | "’")
}

/// Words skipped between a cue and its subject ("Pompeo also said", "he has repeatedly said").
pub fn is_cue_modifier(word_lower: &str) -> bool {
    CUE_MODIFIERS.contains(word_lower)
}

/// Time words that may follow a cue ("said Tuesday", "said on Monday").
pub fn is_time_word(word_lower: &str) -> bool {
    TIME_WORDS.contains(word_lower)
}

/// A month's name ("on March 5").
pub fn is_month(word_lower: &str) -> bool {
    MONTHS.contains(word_lower)
}

fn names() -> &'static HashMap<&'static str, f32> {
    static NAMES: OnceLock<HashMap<&'static str, f32>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../data/first_names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, share) = l.split_once('\t')?;
                Some((name, share.parse().ok()?))
            })
            .collect()
    })
}

/// The share of women among the bearers of a first name, from the international name list
/// (`data/first_names.tsv`, made by `scripts/update_first_names.sh`); None for a name it lacks.
pub fn first_name_share_female(name_lower: &str) -> Option<f32> {
    names().get(name_lower).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupations_of_other_groups_conflict() {
        let roles = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<String>>();
        assert!(occupations_conflict("surgeon", &roles(&["teacher"])));
        assert!(occupations_conflict("senator", &roles(&["gov", "former"])));
        assert!(!occupations_conflict("actor", &roles(&["comedian"])));
        assert!(!occupations_conflict("surgeon", &roles(&["chief", "surgery"])));
        assert!(!occupations_conflict("senator", &roles(&["sen"])));
        // No occupation given, or a head that is none: nothing to conflict with.
        assert!(!occupations_conflict("surgeon", &roles(&["mr", "republican"])));
        assert!(!occupations_conflict("official", &roles(&["teacher"])));
    }

    #[test]
    fn every_cue_form_has_one_class() {
        assert_eq!(cue_class("said"), Some(CueClass::Speech));
        assert_eq!(cue_class("tweeted"), Some(CueClass::Writing));
        assert_eq!(cue_class("believes"), Some(CueClass::Belief));
        assert_eq!(cue_class("thought"), Some(CueClass::Belief));
        assert_eq!(cue_class("planned"), Some(CueClass::Intention));
        assert_eq!(cue_class("saw"), Some(CueClass::Perception));
        assert_eq!(cue_class("refused"), Some(CueClass::Refusal));
        assert_eq!(cue_class("denied"), Some(CueClass::Speech), "a denial is a statement");
        assert_eq!(cue_class("according"), Some(CueClass::Speech));
        assert_eq!(cue_class("table"), None);
        // Every reporting verb form has the class of its row.
        for form in cue_words() {
            assert!(matches!(cue_class(form), Some(CueClass::Speech | CueClass::Writing)), "{form}");
        }
    }

    #[test]
    fn the_word_lists_of_lang_en_are_read_one_word_a_line() {
        assert_eq!(
            ALL_WORD_LISTS.len(),
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/lang/en"))
                .unwrap()
                .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "txt"))
                .count()
        );
        for list in ALL_WORD_LISTS {
            let words: Vec<&str> = list.text.lines().collect();
            assert!(!words.is_empty());
            for w in &words {
                // A word a line; a phrase list (link-phrases) has words joined by one space.
                assert!(!w.is_empty() && *w == w.trim() && w.split(' ').all(|part| !part.is_empty()), "{w:?}");
                assert!(list.contains(w), "{w:?}");
            }
            let unique: HashSet<&str> = words.iter().copied().collect();
            assert_eq!(unique.len(), words.len(), "a word listed twice");
        }
        assert!(CLAUSE_WORDS.contains("’s") && !CLAUSE_WORDS.contains("said"));
    }

    #[test]
    fn cue_forms_cover_all_tenses() {
        for w in
            ["say", "says", "said", "saying", "told", "adds", "added", "adding", "warned", "tweeted", "writes", "wrote"]
        {
            assert!(cue(w).is_some_and(|c| c.reports_clause), "{w}");
        }
        assert!(cue("told").unwrap().takes_object);
        assert!(cue("adding").unwrap().participle);
        assert!(cue("described").is_some_and(|c| !c.reports_clause));
        assert!(cue("table").is_none());
        assert!(cue("states").is_none() && cue("stated").is_some());
        assert!(cue("wrote").unwrap().needs_that && !cue("said").unwrap().needs_that);
        // A verb that doubles its last consonant lists its forms: "admited" is no word.
        for w in ["admitted", "admitting", "bragged", "slammed", "begged"] {
            assert!(cue(w).is_some(), "{w}");
        }
        let vowel = |c: char| "aeiou".contains(c);
        for v in REPORTING_VERBS.iter().filter(|v| v.forms.is_none()) {
            let b: Vec<char> = v.base.chars().collect();
            let syllables = b.windows(2).filter(|w| vowel(w[1]) && !vowel(w[0])).count() + usize::from(vowel(b[0]));
            let cvc = b.len() >= 3
                && !vowel(b[b.len() - 3])
                && vowel(b[b.len() - 2])
                && !vowel(b[b.len() - 1])
                && !"wxy".contains(b[b.len() - 1]);
            assert!(!(cvc && syllables == 1), "{} doubles its last consonant: list its forms", v.base);
        }
    }

    #[test]
    fn first_names_come_from_an_international_list() {
        let share = |name: &str| first_name_share_female(name).unwrap();
        for name in ["sally", "svetlana", "priya", "fatima", "aisha"] {
            assert!(share(name) >= 0.9, "{name}");
        }
        for name in ["mike", "sergey", "mohammad", "dmitry"] {
            assert!(share(name) <= 0.1, "{name}");
        }
        assert!((0.3..0.7).contains(&share("jean")));
        assert_eq!(first_name_share_female("zzyzx"), None);
    }
}

#[cfg(test)]
mod fuzz_dictionary {
    /// The fuzzers' dictionary (`fuzz/news.dict`) holds every cue word form, so that libFuzzer
    /// splices them into its inputs; regenerate it with `scripts/fuzz.sh --write-dict`.
    #[test]
    fn the_fuzz_dictionary_has_every_cue_word() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/news.dict");
        let dict = std::fs::read_to_string(path).expect("fuzz/news.dict");
        let entries: std::collections::HashSet<&str> =
            dict.lines().filter_map(|l| l.strip_prefix('"')?.strip_suffix('"')).collect();
        let missing: Vec<&str> = super::cue_words().into_iter().filter(|w| !entries.contains(w)).collect();
        assert!(missing.is_empty(), "not in fuzz/news.dict: {missing:?}");
    }

    /// Print the dictionary (`cargo test -p whosaid-attribution print_fuzz_dictionary -- --ignored
    /// --nocapture`), as `scripts/fuzz.sh --write-dict` does.
    #[test]
    #[ignore]
    fn print_fuzz_dictionary() {
        let marks = ["\"", "“", "”", "‘", "’", "'", "«", "»", "‹", "›", "„", "``", "''", "â€œ", "â€\u{9d}", "â€"];
        let other = [
            " said ",
            " according to ",
            ", he said.",
            ", she said",
            ": ",
            " — ",
            " ― ",
            "\n\n",
            "Mr. ",
            "Ms. ",
            "Sen. ",
            "Jr.",
            " that ",
            " in a statement ",
            " told reporters ",
            "?",
            "!",
            "(",
            ")",
        ];
        let mut out = String::from("# libFuzzer dictionary: cue words, quotation marks, news punctuation.\n");
        let sections: [(&str, Vec<&str>); 4] = [
            ("cue words", super::cue_words()),
            ("role words", super::role_words()),
            ("quotation marks", marks.to_vec()),
            ("news punctuation", other.to_vec()),
        ];
        for (w, section) in sections.iter().flat_map(|(name, words)| words.iter().map(move |w| (*w, *name))) {
            if !out.contains(&format!("# {section}\n")) {
                out.push_str(&format!("# {section}\n"));
            }
            let escaped: String = w
                .bytes()
                .map(|b| match b {
                    b'"' => "\\\"".to_string(),
                    b'\\' => "\\\\".to_string(),
                    0x20..=0x7e => (b as char).to_string(),
                    _ => format!("\\x{b:02X}"),
                })
                .collect();
            out.push_str(&format!("\"{escaped}\"\n"));
        }
        print!("{out}");
    }
}
