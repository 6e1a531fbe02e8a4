//! Word lists: reporting cues, pronouns, titles and roles, first names. General English,
//! nothing taken from any evaluation article.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

impl Gender {
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

/// Speech verbs that take a reported clause, by base form. Inflections are derived.
const CLAUSE_VERBS: &[&str] = &[
    "say",
    "add",
    "note",
    "write",
    "argue",
    "explain",
    "state",
    "declare",
    "insist",
    "warn",
    "claim",
    "acknowledge",
    "admit",
    "suggest",
    "predict",
    "promise",
    "vow",
    "pledge",
    "stress",
    "emphasize",
    "emphasise",
    "announce",
    "recall",
    "concede",
    "maintain",
    "assert",
    "reiterate",
    "contend",
    "complain",
    "tweet",
    "testify",
    "confirm",
    "deny",
    "reply",
    "respond",
    "continue",
    "observe",
    "remark",
    "joke",
    "quip",
    "ask",
    "caution",
    "retort",
    "mention",
    "allege",
    "boast",
    "brag",
    "lament",
    "repeat",
    "proclaim",
    "affirm",
    "scoff",
    "shout",
    "yell",
    "whisper",
    "muse",
    "agree",
    "disclose",
    "reveal",
    "stipulate",
    "specify",
    "indicate",
    "speculate",
    "theorize",
    "recount",
    "assure",
    "inform",
    "remind",
    "tell",
];

/// Verbs that attribute quoted words but do not introduce reported clauses.
const QUOTE_ONLY_VERBS: &[&str] = &[
    "describe",
    "dub",
    "label",
    "term",
    "chant",
    "read",
    "slam",
    "praise",
    "mock",
    "criticize",
    "criticise",
    "decry",
    "denounce",
    "condemn",
    "conclude",
    "call",
    "accuse",
    "blast",
    "cite",
    "urge",
    "post",
    "report",
    "hail",
    "welcome",
    "characterize",
    "characterise",
    "pen",
    "sing",
    "cry",
    "exclaim",
    "thunder",
    "snap",
    "sigh",
    "laugh",
    "plead",
    "implore",
    "beg",
    "demand",
    "order",
    "query",
    "wonder",
    "huff",
];

/// Base and third-person forms that are far more often nouns ("the United States", "news
/// reports", "phone calls"): never cues. Their past and -ing forms still are.
const NOUN_LIKE_FORMS: &[&str] = &[
    "state",
    "states",
    "report",
    "reports",
    "post",
    "posts",
    "call",
    "calls",
    "answer",
    "answers",
    "read",
    "reads",
    "order",
    "orders",
    "demand",
    "demands",
    "cry",
    "cries",
    "label",
    "labels",
    "term",
    "terms",
    "pen",
    "pens",
    "snap",
    "snaps",
    "sigh",
    "sighs",
    "laugh",
    "laughs",
    "query",
    "wonder",
    "claim",
    "claims",
    "promise",
    "promises",
    "pledge",
    "pledges",
    "vow",
    "vows",
    "reply",
    "replies",
    "note",
    "notes",
    "joke",
    "jokes",
    "quip",
    "quips",
    "plead",
    "welcome",
    "hail",
    "cite",
    "cites",
    "urge",
    "tweet",
    "tweets",
    "remark",
    "remarks",
    "warning",
    "counter",
    "sing",
    "sings",
    "chant",
    "chants",
    "boast",
    "boasts",
    "brag",
    "lament",
    "laments",
    "complaint",
    "repeat",
    "repeats",
    "comment",
    "comments",
    "reading",
    "writing",
    "ruling",
];

/// Verbs whose object is as often a document as a clause (`wrote a letter`, `tweeted a
/// photo`): they carry reported speech only with an explicit "that". Other speech verbs with
/// a noun-phrase object (`announced a plan`) report that object.
const NEEDS_THAT: &[&str] = &["write", "tweet"];

/// Verbs that report an intention or request as a "to"-infinitive.
const INFINITIVE_VERBS: &[&str] = &["vow", "promise", "pledge", "threaten", "urge", "ask", "agree", "demand"];

/// Verbs whose object comes before the reported clause.
const OBJECT_VERBS: &[&str] = &["tell", "assure", "inform", "remind", "warn", "promise", "ask", "urge", "call"];

/// Inflected forms of a regular English verb, with the irregular ones this list needs.
fn inflections(base: &str) -> Vec<String> {
    let irregular: &[(&str, &[&str])] = &[
        ("say", &["say", "says", "said", "saying"]),
        ("tell", &["tell", "tells", "told", "telling"]),
        ("write", &["write", "writes", "wrote", "writing", "written"]),
        ("read", &["read", "reads", "reading"]),
        ("forecast", &["forecast", "forecasts", "forecasted", "forecasting"]),
        ("chime", &["chimed", "chiming"]),
        ("sing", &["sing", "sings", "sang", "sung", "singing"]),
        ("pen", &["pen", "pens", "penned", "penning"]),
        ("quip", &["quip", "quips", "quipped", "quipping"]),
        ("dub", &["dub", "dubs", "dubbed", "dubbing"]),
        ("snap", &["snap", "snaps", "snapped", "snapping"]),
        ("label", &["label", "labels", "labeled", "labelled", "labeling", "labelling"]),
        ("signal", &["signal", "signals", "signaled", "signalled", "signaling", "signalling"]),
        ("cry", &["cry", "cries", "cried", "crying"]),
        ("reply", &["reply", "replies", "replied", "replying"]),
        ("deny", &["deny", "denies", "denied", "denying"]),
        ("testify", &["testify", "testifies", "testified", "testifying"]),
        ("specify", &["specify", "specifies", "specified", "specifying"]),
        ("query", &["query", "queries", "queried", "querying"]),
        ("vow", &["vow", "vows", "vowed", "vowing"]),
        ("agree", &["agree", "agrees", "agreed", "agreeing"]),
        ("plead", &["plead", "pleads", "pleaded", "pled", "pleading"]),
    ];
    if let Some((_, forms)) = irregular.iter().find(|(b, _)| *b == base) {
        return forms.iter().map(|s| s.to_string()).collect();
    }
    let (third, stem) = if base.ends_with('s') || base.ends_with("sh") || base.ends_with("ch") || base.ends_with('x') {
        (format!("{base}es"), base.to_string())
    } else {
        (format!("{base}s"), base.to_string())
    };
    let (past, ing) = if let Some(s) = stem.strip_suffix('e') {
        (format!("{stem}d"), format!("{s}ing"))
    } else {
        (format!("{stem}ed"), format!("{stem}ing"))
    };
    vec![base.to_string(), third, past, ing]
}

fn cue_table() -> &'static HashMap<String, CueInfo> {
    static TABLE: OnceLock<HashMap<String, CueInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for (verbs, reports_clause) in [(CLAUSE_VERBS, true), (QUOTE_ONLY_VERBS, false)] {
            for base in verbs {
                for form in inflections(base) {
                    if NOUN_LIKE_FORMS.contains(&form.as_str()) {
                        continue;
                    }
                    let participle = form.ends_with("ing");
                    let takes_object = OBJECT_VERBS.contains(base);
                    let needs_that = NEEDS_THAT.contains(base);
                    let infinitive = INFINITIVE_VERBS.contains(base);
                    t.entry(form).or_insert(CueInfo {
                        reports_clause,
                        takes_object,
                        participle,
                        needs_that,
                        infinitive,
                    });
                }
            }
        }
        t
    })
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

/// Strong cues: unambiguous speech verbs that alone justify an attribution.
pub fn is_core_speech(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "said"
            | "says"
            | "say"
            | "saying"
            | "told"
            | "tells"
            | "tell"
            | "telling"
            | "added"
            | "adds"
            | "adding"
            | "wrote"
            | "writes"
            | "tweeted"
            | "tweets"
            | "stated"
            | "states"
            | "declared"
            | "explained"
            | "noted"
            | "notes"
            | "noting"
            | "argued"
            | "argues"
            | "insisted"
            | "insists"
            | "warned"
            | "warns"
            | "claimed"
            | "claims"
            | "asked"
            | "asks"
            | "replied"
            | "responded"
            | "continued"
            | "recalled"
            | "acknowledged"
            | "announced"
            | "predicted"
            | "promised"
            | "vowed"
            | "concluded"
            | "remarked"
            | "quipped"
            | "joked"
    )
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
        "i" => p(Unknown, false, Person::First, true),
        "we" => p(Unknown, true, Person::First, true),
        _ => None,
    }
}

/// Honorifics that give a gender.
pub fn honorific_gender(word_lower: &str) -> Option<Gender> {
    match word_lower.trim_end_matches('.') {
        "mr" | "sir" | "lord" | "king" | "prince" | "congressman" | "councilman" | "assemblyman" | "alderman"
        | "spokesman" | "chairman" | "father" | "brother" | "son" | "husband" | "uncle" | "nephew" | "grandfather" => {
            Some(Gender::Male)
        }
        "mrs" | "ms" | "miss" | "madam" | "dame" | "lady" | "queen" | "princess" | "congresswoman" | "councilwoman"
        | "assemblywoman" | "spokeswoman" | "chairwoman" | "mother" | "sister" | "daughter" | "wife" | "aunt"
        | "niece" | "grandmother" | "first lady" => Some(Gender::Female),
        _ => None,
    }
}

/// Words of titles and roles that stand before or beside a name ("Secretary of State Mike
/// Pompeo", "US Iran envoy Brian Hook", "Trump's former lawyer"), lower-cased. A definite
/// description made of one ("the attorney general", "the secretary") refers back to the
/// person who bore it.
pub const ROLE_WORDS: &[&str] = &[
    "president",
    "vice",
    "secretary",
    "minister",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "general",
    "gen",
    "attorney",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "lawyer",
    "candidate",
    "nominee",
    "leader",
    "official",
    "adviser",
    "advisor",
    "aide",
    "chief",
    "mayor",
    "judge",
    "justice",
    "prosecutor",
    "congressman",
    "congresswoman",
    "lawmaker",
    "strategist",
    "analyst",
    "expert",
    "professor",
    "prof",
    "economist",
    "manager",
    "executive",
    "ceo",
    "founder",
    "head",
    "commander",
    "officer",
    "agent",
    "host",
    "author",
    "writer",
    "columnist",
    "reporter",
    "correspondent",
    "editor",
    "historian",
    "researcher",
    "scientist",
    "activist",
    "chancellor",
    "king",
    "queen",
    "prince",
    "pope",
    "premier",
    "speaker",
    "whip",
    "counsel",
    "deputy",
    "undersecretary",
    "diplomat",
    "negotiator",
    "pollster",
    "consultant",
    "operative",
    "frontrunner",
    "front-runner",
    "hopeful",
    "contender",
    "challenger",
    "incumbent",
    "businessman",
    "businesswoman",
    "billionaire",
    "mogul",
    "magnate",
    "democrat",
    "republican",
    "independent",
    "senior",
    "former",
    "top",
    "dr",
    "mr",
    "mrs",
    "ms",
    "sir",
    "lt",
    "col",
    "capt",
    "sgt",
    "maj",
    "adm",
    "rev",
    "commissioner",
    "councilman",
    "councilwoman",
    "councillor",
    "councilor",
    "alderman",
    "assemblyman",
    "assemblywoman",
    "treasurer",
    "auditor",
    "comptroller",
    "administrator",
    "superintendent",
    "sheriff",
    "president-elect",
    "coordinator",
    "organizer",
    "campaigner",
    "spokespeople",
    "attorney-general",
    "secretary-general",
    "producer",
    "anchor",
    "commentator",
    "pundit",
    "founder",
    "owner",
    "partner",
    "investor",
    "banker",
    "physician",
    "doctor",
    "surgeon",
    "pastor",
    "bishop",
    "cardinal",
    "rabbi",
    "imam",
    "activist",
    "fellow",
    "scholar",
    "lecturer",
    "teacher",
    "student",
    "player",
    "coach",
    "star",
    "actor",
    "actress",
    "singer",
    "rapper",
    "comedian",
    "journalist",
    "blogger",
];

/// Role nouns that head a definite description of a speaker ("the attorney general",
/// "a campaign spokesman"): the subset of ROLE_WORDS that are nouns of persons.
pub fn is_role_head(word_lower: &str) -> bool {
    ROLE_WORDS.contains(&word_lower)
        && !matches!(word_lower, "vice" | "senior" | "former" | "top" | "deputy" | "mr" | "mrs" | "ms" | "dr" | "sir")
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

/// Nouns that head a definite description of an organisation ("the commission said", "the
/// bank said"): it refers to an organisation named earlier.
pub fn is_organisation_head(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "commission"
            | "committee"
            | "agency"
            | "department"
            | "ministry"
            | "bank"
            | "company"
            | "firm"
            | "corporation"
            | "network"
            | "union"
            | "organization"
            | "organisation"
            | "foundation"
            | "council"
            | "board"
            | "coalition"
            | "association"
            | "institute"
            | "newspaper"
            | "paper"
            | "magazine"
            | "broadcaster"
            | "university"
            | "charity"
    )
}

/// Collective sources: a description headed by one is a speaker too ("officials said").
pub fn is_group_head(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "officials"
            | "sources"
            | "aides"
            | "advisers"
            | "advisors"
            | "analysts"
            | "experts"
            | "critics"
            | "supporters"
            | "lawmakers"
            | "democrats"
            | "republicans"
            | "voters"
            | "people"
            | "residents"
            | "witnesses"
            | "investigators"
            | "prosecutors"
            | "authorities"
            | "police"
            | "leaders"
            | "members"
            | "spokespeople"
            | "economists"
            | "pollsters"
            | "observers"
            | "activists"
            | "protesters"
            | "statement"
            | "report"
            | "campaign"
            | "spokesmen"
            | "diplomats"
            | "senators"
            | "strategists"
            | "researchers"
            | "scientists"
            | "administration"
            | "ministry"
            | "department"
            | "agency"
            | "government"
            | "committee"
            | "office"
            | "court"
            | "study"
            | "poll"
            | "survey"
            | "memo"
            | "letter"
            | "lawsuit"
            | "complaint"
            | "indictment"
            | "filing"
            | "document"
            | "documents"
            | "release"
            | "announcement"
            | "website"
            | "ad"
    )
}

/// Name-internal titles that are not part of a person's name.
pub fn is_title_word(word_lower: &str) -> bool {
    matches!(
        word_lower.trim_end_matches('.'),
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "president"
            | "secretary"
            | "minister"
            | "sen"
            | "senator"
            | "rep"
            | "gov"
            | "governor"
            | "general"
            | "gen"
            | "attorney"
            | "us"
            | "the"
            | "foreign"
            | "prime"
            | "sir"
            | "lord"
            | "dame"
            | "lt"
            | "col"
            | "capt"
            | "sgt"
            | "maj"
            | "adm"
            | "rev"
            | "judge"
            | "justice"
            | "mayor"
            | "councilman"
            | "councilwoman"
            | "councillor"
            | "councilor"
            | "alderman"
            | "assemblyman"
            | "assemblywoman"
            | "ambassador"
            | "chancellor"
            | "vice"
            | "state"
            | "of"
            | "former"
            | "king"
            | "queen"
            | "pope"
            | "prince"
            | "princess"
            | "speaker"
            | "chairman"
            | "leader"
            | "director"
            | "envoy"
            | "deputy"
            | "congressman"
            | "congresswoman"
            | "premier"
            | "sheikh"
            | "cardinal"
            | "bishop"
    )
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

/// Words skipped between a cue and its subject ("Pompeo also said", "he has repeatedly said").
pub fn is_cue_modifier(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "also"
            | "later"
            | "then"
            | "previously"
            | "repeatedly"
            | "recently"
            | "once"
            | "again"
            | "further"
            | "simply"
            | "only"
            | "still"
            | "even"
            | "reportedly"
            | "publicly"
            | "privately"
            | "earlier"
            | "first"
            | "finally"
            | "quickly"
            | "flatly"
            | "bluntly"
            | "has"
            | "have"
            | "had"
            | "is"
            | "was"
            | "were"
            | "are"
            | "would"
            | "will"
            | "could"
            | "did"
            | "does"
            | "do"
            | "not"
            | "n't"
            | "never"
            | "often"
            | "frequently"
            | "himself"
            | "herself"
            | "themselves"
            | "both"
            | "all"
            | "just"
            | "subsequently"
            | "quietly"
            | "openly"
            | "angrily"
            | "tersely"
            | "firmly"
            | "forcefully"
            | "succinctly"
            | "plainly"
            | "already"
            | "since"
            | "long"
            | "ultimately"
            | "initially"
            | "originally"
            | "separately"
            | "jokingly"
            | "may"
            | "might"
            | "should"
            | "must"
            | "can"
            | "been"
            | "being"
            | "be"
            | "meanwhile"
            | "however"
            | "too"
            | "though"
            | "instead"
            | "now"
            | "today"
            | "yesterday"
            | "tonight"
            | "explicitly"
            | "emphatically"
            | "specifically"
            | "directly"
            | "personally"
            | "famously"
            | "memorably"
            | "sarcastically"
            | "proudly"
    )
}

/// Words a reported clause does not start with: prepositions, subordinators and adverbs
/// after a cue ("said after the vote", "told reporters while ...") begin no reported clause.
pub const NOT_CLAUSE_STARTS: &[&str] = &[
    "of",
    "about",
    "to",
    "for",
    "by",
    "with",
    "as",
    "so",
    "in",
    "on",
    "at",
    "from",
    "yes",
    "no",
    "nothing",
    "goodbye",
    "hello",
    "thanks",
    "more",
    "little",
    "much",
    "after",
    "before",
    "during",
    "while",
    "when",
    "since",
    "until",
    "following",
    "amid",
    "despite",
    "according",
    "through",
    "into",
    "over",
    "under",
    "without",
    "via",
    "alongside",
    "outside",
    "inside",
    "earlier",
    "later",
    "again",
    "too",
    "also",
    "instead",
    "otherwise",
    "anything",
    "something",
    "everything",
    "what",
    "why",
    "how",
    "whether",
    "if",
    "not",
];

/// Time words that may follow a cue ("said Tuesday", "said on Monday").
pub fn is_time_word(word_lower: &str) -> bool {
    matches!(
        word_lower,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "previously"
            | "last"
            | "this"
            | "week"
            | "month"
            | "year"
            | "night"
            | "morning"
            | "afternoon"
            | "evening"
            | "weekend"
            | "once"
            | "again"
            | "repeatedly"
            | "privately"
            | "publicly"
            | "simply"
            | "flatly"
            | "bluntly"
            | "also"
            | "then"
            | "now"
            | "too"
    )
}

fn names() -> &'static HashMap<&'static str, Gender> {
    static NAMES: OnceLock<HashMap<&'static str, Gender>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../data/first_names.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, g) = l.split_once('\t')?;
                Some((name, if g == "f" { Gender::Female } else { Gender::Male }))
            })
            .collect()
    })
}

/// Gender of a first name, from the stdlib-js English first-name lists.
pub fn first_name_gender(name_lower: &str) -> Gender {
    names().get(name_lower).copied().unwrap_or(Gender::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn first_names_come_from_the_package_list() {
        assert_eq!(first_name_gender("mike"), Gender::Male);
        assert_eq!(first_name_gender("sally"), Gender::Female);
        assert_eq!(first_name_gender("zzyzx"), Gender::Unknown);
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
            ("role words", super::ROLE_WORDS.to_vec()),
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
