//! A person's name in parts, and when two first names can be one person's.

/// Generational suffixes, as they are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suffix {
    Junior,
    Senior,
    Second,
    Third,
    Fourth,
}

impl Suffix {
    fn parse(word_lower: &str) -> Option<Suffix> {
        match word_lower.trim_end_matches('.') {
            "jr" => Some(Suffix::Junior),
            "sr" => Some(Suffix::Senior),
            "ii" => Some(Suffix::Second),
            "iii" => Some(Suffix::Third),
            "iv" => Some(Suffix::Fourth),
            _ => None,
        }
    }
}

/// Titles written before a name that are not part of it.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "president",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "gen",
    "general",
    "lt",
    "col",
    "capt",
    "sgt",
    "adm",
    "secretary",
    "minister",
    "mayor",
    "judge",
    "justice",
    "attorney",
    "chancellor",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "ayatollah",
    "sheikh",
    "rabbi",
    "father",
    "vice",
    "former",
    "the",
];

/// A person's name: first name, middle names or initials, surname and suffix, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName {
    pub first: Option<String>,
    /// Middle names and initials ("j", "ellis"), dots removed.
    pub middle: Vec<String>,
    pub surname: String,
    pub suffix: Option<Suffix>,
}

impl PersonName {
    /// The parts of a name as written ("Joseph R. Biden Jr.", "Sen. Ted Cruz", "Obama");
    /// None when nothing of a name is left.
    pub fn parse(name: &str) -> Option<PersonName> {
        let mut words: Vec<String> = name
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace(['’', '‘'], "'"))
            .collect();
        while words.len() > 1 && TITLES.contains(&words[0].trim_end_matches('.')) {
            words.remove(0);
        }
        let suffix = words.last().and_then(|w| Suffix::parse(w));
        if suffix.is_some() && words.len() > 1 {
            words.pop();
        }
        let surname = words.pop()?.trim_end_matches('.').to_string();
        if surname.is_empty() {
            return None;
        }
        let first = (!words.is_empty()).then(|| words.remove(0).trim_end_matches('.').to_string());
        let middle = words.into_iter().map(|w| w.trim_end_matches('.').to_string()).collect();
        Some(PersonName { first, middle, surname, suffix })
    }

    /// A name written with a middle name or initial ("Joseph R. Biden Jr."): the formal style
    /// that spells out a suffix the person is otherwise named without.
    pub fn is_formal(&self) -> bool {
        !self.middle.is_empty()
    }
}

/// Common English nicknames and the formal first names they stand for.
const NICKNAMES: &[(&str, &[&str])] = &[
    ("al", &["albert", "alan", "allen", "alfred"]),
    ("alex", &["alexander", "alexandra"]),
    ("andy", &["andrew"]),
    ("ben", &["benjamin"]),
    ("bernie", &["bernard"]),
    ("bill", &["william"]),
    ("billy", &["william"]),
    ("bob", &["robert"]),
    ("bobby", &["robert"]),
    ("chris", &["christopher", "christine", "christina"]),
    ("chuck", &["charles"]),
    ("dan", &["daniel"]),
    ("danny", &["daniel"]),
    ("dave", &["david"]),
    ("dick", &["richard"]),
    ("don", &["donald"]),
    ("ed", &["edward", "edwin"]),
    ("frank", &["francis", "franklin"]),
    ("fred", &["frederick"]),
    ("greg", &["gregory"]),
    ("hank", &["henry"]),
    ("jack", &["john"]),
    ("jeb", &["john"]),
    ("jeff", &["jeffrey"]),
    ("jerry", &["gerald", "jerome"]),
    ("jim", &["james"]),
    ("jimmy", &["james"]),
    ("joe", &["joseph"]),
    ("jon", &["jonathan"]),
    ("kate", &["katherine", "catherine", "kathryn"]),
    ("ken", &["kenneth"]),
    ("larry", &["lawrence"]),
    ("len", &["leonard"]),
    ("liz", &["elizabeth"]),
    ("matt", &["matthew"]),
    ("mike", &["michael"]),
    ("mitch", &["mitchell", "addison"]),
    ("nick", &["nicholas"]),
    ("pat", &["patrick", "patricia"]),
    ("pete", &["peter"]),
    ("rick", &["richard"]),
    ("rob", &["robert"]),
    ("ron", &["ronald"]),
    ("sam", &["samuel", "samantha"]),
    ("steve", &["steven", "stephen"]),
    ("sue", &["susan"]),
    ("ted", &["edward", "theodore", "rafael"]),
    ("tim", &["timothy"]),
    ("tom", &["thomas"]),
    ("tony", &["anthony"]),
    ("vince", &["vincent"]),
    ("will", &["william"]),
];

/// The formal names a first name may stand for: itself, and a nickname's formal names.
fn formal_forms(first: &str) -> Vec<&str> {
    let mut forms = vec![first];
    if let Some((_, formal)) = NICKNAMES.iter().find(|(nick, _)| *nick == first) {
        forms.extend(formal.iter().copied());
    }
    forms
}

/// Can two first names be one person's? Equal, one a nickname of the other ("Joe",
/// "Joseph"), or one an initial of the other ("J.", "Joseph").
pub fn first_names_match(a: &str, b: &str) -> Option<FirstNameMatch> {
    if a == b {
        return Some(FirstNameMatch::Same);
    }
    if (a.len() == 1 && b.starts_with(a)) || (b.len() == 1 && a.starts_with(b)) {
        return Some(FirstNameMatch::Initial);
    }
    let (fa, fb) = (formal_forms(a), formal_forms(b));
    fa.iter().any(|x| fb.contains(x)).then_some(FirstNameMatch::Nickname)
}

/// How two first names matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstNameMatch {
    Same,
    Initial,
    Nickname,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_into_parts() {
        let biden = PersonName::parse("Joseph R. Biden Jr.").unwrap();
        assert_eq!(biden.first.as_deref(), Some("joseph"));
        assert_eq!(biden.middle, vec!["r".to_string()]);
        assert_eq!((biden.surname.as_str(), biden.suffix), ("biden", Some(Suffix::Junior)));
        assert!(biden.is_formal());
        let cruz = PersonName::parse("Sen. Ted Cruz").unwrap();
        assert_eq!((cruz.first.as_deref(), cruz.surname.as_str()), (Some("ted"), "cruz"));
        assert_eq!(PersonName::parse("Obama").unwrap().first, None);
        assert_eq!(PersonName::parse("  ").map(|n| n.surname), None);
    }

    #[test]
    fn first_names_match_by_nickname_and_initial_only() {
        assert_eq!(first_names_match("joe", "joseph"), Some(FirstNameMatch::Nickname));
        assert_eq!(first_names_match("j", "joseph"), Some(FirstNameMatch::Initial));
        assert_eq!(first_names_match("jeb", "george"), None);
        assert_eq!(first_names_match("donald", "donald"), Some(FirstNameMatch::Same));
    }
}
