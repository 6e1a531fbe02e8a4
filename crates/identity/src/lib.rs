//! One speaker across documents. Within a document, coreference already gives each person or
//! organisation its fullest name; across documents the same speaker still comes under
//! several: "Donald J. Trump" and "Donald Trump", "Joseph R. Biden Jr." and "Joe Biden",
//! "Obama" in an article that never gives the first name, "The Times" and "The New York
//! Times". [`identify`] groups a corpus's speaker names into speakers, each with a stable id
//! and the reason for every merge (`whosaid speakers --explain`):
//!
//! - **persons** with a first name and a surname are one when their surnames are equal, their
//!   first names equal, an initial of one another or a nickname of one another ("Joe",
//!   "Joseph"), their middle initials do not contradict each other, and their suffixes are
//!   equal, or one lacks it while the other is written in the formal style with a middle
//!   name ("Joseph R. Biden Jr." = "Joe Biden"; "Donald Trump Jr." stays apart from "Donald
//!   Trump"). Two groups join only when every name of one fits every name of the other, so
//!   "George Bush" does not chain "George W. Bush" to "George H. W. Bush";
//! - a **surname alone** joins the one speaker of the corpus with that surname and no suffix
//!   (or one written only in the formal style); with two ("George W. Bush", "Jeb Bush") it
//!   stays apart, unless one of them is quoted more than twice as often as the others
//!   together (the bearer a bare surname means in that corpus: "Obama" where Barack Obama
//!   has 13 quotations and Michelle Obama 5);
//! - **organisations** are one when their names are equal but for case, spacing and a leading
//!   "the"; a shorter name that ends another ("The Times", "The New York Times") or an
//!   acronym of its initials ("FBI") joins the one organisation of the corpus it fits;
//! - a user's **alias file** ([`AliasTable`]) comes first: its names are one speaker, under
//!   its id and canonical name.

mod aliases;
mod names;

use std::collections::{BTreeMap, HashMap};

pub use aliases::{AliasEntry, AliasError, AliasGender, AliasTable};
pub use names::{first_names_match, FirstNameMatch, PersonName, Suffix};

/// What kind of speaker a name is, as far as merging goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    Person,
    Organisation,
    /// Places, groups and the rest: merged only when spelled alike.
    Other,
}

/// One name a corpus quotes, with how many quotations it has.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub kind: NameKind,
    pub quotes: usize,
}

/// Why a name was merged into a speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeReason {
    /// The same but for case, spacing, apostrophes or a leading "the".
    Spelling,
    /// A middle name or initial more or less ("Donald J. Trump").
    MiddleName,
    /// A first initial for the first name ("J. Smith").
    Initial,
    /// A nickname of the first name ("Joe", "Joseph").
    Nickname,
    /// A generational suffix written only in the formal style ("Joseph R. Biden Jr.").
    FormalSuffix,
    /// A surname alone, and the corpus's only speaker with that surname.
    Surname,
    /// A surname alone, and the corpus's speaker with that surname quoted more than twice
    /// as often as all the others with it together ("Obama": Barack Obama, not Michelle).
    SurnameMostQuoted,
    /// An organisation's shorter name ("The Times"), the end of only one longer name.
    ShortName,
    /// An acronym of only one organisation's initials ("FBI").
    Acronym,
    /// Names of one entry of the user's alias file.
    AliasFile,
}

impl MergeReason {
    /// As `--explain` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MergeReason::Spelling => "spelling",
            MergeReason::MiddleName => "middle_name",
            MergeReason::Initial => "initial",
            MergeReason::Nickname => "nickname",
            MergeReason::FormalSuffix => "formal_suffix",
            MergeReason::Surname => "surname_only",
            MergeReason::SurnameMostQuoted => "surname_most_quoted",
            MergeReason::ShortName => "short_name",
            MergeReason::Acronym => "acronym",
            MergeReason::AliasFile => "alias_file",
        }
    }
}

/// One speaker across the corpus.
#[derive(Clone, Debug)]
pub struct Speaker {
    /// Stable across runs over the same names: the alias file's id, else the canonical name
    /// in lower case with hyphens ("donald-trump"), numbered when two speakers share it.
    pub id: String,
    pub name: String,
    pub kind: NameKind,
    /// The variants (indices into [`identify`]'s input) that are this speaker, and why each
    /// other than the canonical one was merged.
    pub variants: Vec<(usize, Option<MergeReason>)>,
    /// From the alias file.
    pub alias: Option<AliasEntry>,
}

/// The speakers of a corpus and which speaker each variant is.
#[derive(Clone, Debug)]
pub struct Identities {
    pub speaker_of: Vec<usize>,
    pub speakers: Vec<Speaker>,
}

/// A name as compared for spelling: lower case, one space, straight apostrophes, no leading
/// "the", no trailing period.
pub fn normalise(name: &str) -> String {
    let lower = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace(['’', '‘'], "'");
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower.trim_end_matches('.').to_string()
}

/// The words whose initials an acronym spells.
const NOT_IN_ACRONYMS: &[&str] = &["of", "the", "and", "for", "on", "in", "&", "at", "to"];

/// Union-find over the variants, with each group's members and whether an alias file
/// names any of them kept at its root, so that no step rescans the corpus.
struct Groups {
    parent: Vec<usize>,
    /// At a root: the group's variants (in no particular order); empty elsewhere.
    members: Vec<Vec<usize>>,
    /// At a root: some variant of the group is in the alias file.
    aliased: Vec<bool>,
}

impl Groups {
    fn new(aliased: Vec<bool>) -> Groups {
        let n = aliased.len();
        Groups { parent: (0..n).collect(), members: (0..n).map(|i| vec![i]).collect(), aliased }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Every group's members in index order, by root in index order.
    fn by_root(&mut self) -> BTreeMap<usize, Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.parent.len() {
            let root = self.find(i);
            by_root.entry(root).or_default().push(i);
        }
        by_root
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
            let moved = std::mem::take(&mut self.members[hi]);
            self.members[lo].extend(moved);
            self.aliased[lo] |= self.aliased[hi];
        }
    }
}

/// Why two persons' names can be one person's, or None.
fn persons_match(a: &PersonName, b: &PersonName) -> Option<MergeReason> {
    if a.surname != b.surname {
        return None;
    }
    let (fa, fb) = (a.first.as_deref()?, b.first.as_deref()?);
    let first = first_names_match(fa, fb)?;
    // Middle initials that differ ("George W." and "George H. W.") are two people.
    let middle_clash = !a.middle.is_empty()
        && !b.middle.is_empty()
        && a.middle.first().and_then(|m| m.chars().next()) != b.middle.first().and_then(|m| m.chars().next());
    if middle_clash {
        return None;
    }
    let suffix = match (a.suffix, b.suffix) {
        (x, y) if x == y => None,
        (Some(_), None) if a.is_formal() => Some(MergeReason::FormalSuffix),
        (None, Some(_)) if b.is_formal() => Some(MergeReason::FormalSuffix),
        _ => return None,
    };
    Some(match first {
        FirstNameMatch::Nickname => MergeReason::Nickname,
        FirstNameMatch::Initial => MergeReason::Initial,
        FirstNameMatch::Same => {
            suffix.unwrap_or(if a.middle != b.middle { MergeReason::MiddleName } else { MergeReason::Spelling })
        }
    })
}

fn initials(words: &[&str]) -> String {
    words.iter().filter(|w| !NOT_IN_ACRONYMS.contains(w)).filter_map(|w| w.chars().next()).collect()
}

/// Is `name` written as an acronym ("FBI", "N.A.A.C.P.")? Its lower-cased letters.
fn acronym(name: &str) -> Option<String> {
    let letters: String = name.chars().filter(|c| *c != '.').collect();
    let ok = (2..=6).contains(&letters.chars().count()) && letters.chars().all(|c| c.is_ascii_uppercase());
    ok.then(|| letters.to_lowercase())
}

/// Group a corpus's speaker names into speakers (module docs). Deterministic: the same
/// variants in the same order give the same speakers and ids.
pub fn identify(variants: &[Variant], aliases: Option<&AliasTable>) -> Identities {
    let n = variants.len();
    let keys: Vec<String> = variants.iter().map(|v| normalise(&v.name)).collect();
    let persons: Vec<Option<PersonName>> =
        variants.iter().map(|v| if v.kind == NameKind::Person { PersonName::parse(&v.name) } else { None }).collect();
    let alias_of: Vec<Option<usize>> = variants.iter().map(|v| aliases.and_then(|a| a.index_of(&v.name))).collect();
    let mut groups = Groups::new(alias_of.iter().map(Option::is_some).collect());
    let mut reason: Vec<Option<MergeReason>> = vec![None; n];

    // The alias file first; then names spelled alike (of one kind).
    let mut first_of_alias: HashMap<usize, usize> = HashMap::new();
    let mut first_of_key: HashMap<(NameKind, &str), usize> = HashMap::new();
    for i in 0..n {
        if let Some(a) = alias_of[i] {
            let first = *first_of_alias.entry(a).or_insert(i);
            if first != i {
                groups.union(first, i);
                reason[i] = Some(MergeReason::AliasFile);
            }
            continue;
        }
        let first = *first_of_key.entry((variants[i].kind, keys[i].as_str())).or_insert(i);
        if first != i {
            groups.union(first, i);
            reason[i] = Some(MergeReason::Spelling);
        }
    }

    // Full names of persons, most quoted first, whole groups at a time. Only names with one
    // surname can match, so each name is compared with the earlier ones of its surname.
    let mut order: Vec<usize> = (0..n).filter(|&i| persons[i].as_ref().is_some_and(|p| p.first.is_some())).collect();
    order.sort_by(|&a, &b| variants[b].quotes.cmp(&variants[a].quotes).then(a.cmp(&b)));
    let mut by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &order {
        let surname = persons[i].as_ref().map_or("", |p| p.surname.as_str());
        let earlier = by_surname.entry(surname).or_default();
        for &j in earlier.iter() {
            let (ri, rj) = (groups.find(i), groups.find(j));
            if ri == rj || (groups.aliased[ri] && groups.aliased[rj]) {
                continue;
            }
            let Some(why) = persons_match(persons[i].as_ref().unwrap(), persons[j].as_ref().unwrap()) else {
                continue;
            };
            let fits = |a: usize, b: usize| match (&persons[a], &persons[b]) {
                (Some(pa), Some(pb)) if pa.first.is_some() && pb.first.is_some() => persons_match(pa, pb).is_some(),
                _ => true,
            };
            let all_fit = groups.members[ri].iter().all(|&a| groups.members[rj].iter().all(|&b| fits(a, b)));
            if all_fit {
                groups.union(i, j);
                if reason[i].is_none() {
                    reason[i] = Some(why);
                }
            }
        }
        earlier.push(i);
    }

    // A surname alone: the one group with a full name of that surname and no plain suffix,
    // or the group quoted more than twice as often as the others with it together.
    for i in 0..n {
        let Some(p) = persons[i].as_ref().filter(|p| p.first.is_none() && p.suffix.is_none()) else {
            continue;
        };
        if reason[i].is_some() || alias_of[i].is_some() {
            continue;
        }
        let full_names = by_surname.get(p.surname.as_str()).map_or(&[][..], Vec::as_slice);
        let mut roots: Vec<usize> = full_names
            .iter()
            .filter(|&&j| persons[j].as_ref().is_some_and(|q| q.suffix.is_none() || q.is_formal()))
            .map(|&j| groups.find(j))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        if let [root] = roots[..] {
            groups.union(root, i);
            reason[i] = Some(MergeReason::Surname);
        } else if roots.len() > 1 {
            let quotes_of = |root: usize| groups.members[root].iter().map(|&j| variants[j].quotes).sum::<usize>();
            let mut counted: Vec<(usize, usize)> = roots.iter().map(|&r| (quotes_of(r), r)).collect();
            counted.sort_unstable_by(|a, b| b.cmp(a));
            let rest: usize = counted[1..].iter().map(|c| c.0).sum();
            if counted[0].0 > 2 * rest {
                groups.union(counted[0].1, i);
                reason[i] = Some(MergeReason::SurnameMostQuoted);
            }
        }
    }

    // Organisations: a shorter name that ends exactly one longer one, or an acronym of one.
    // Only a name with the same last word can end with it, and only one with those initials
    // be its acronym: each is looked up there.
    let org_words: Vec<Vec<&str>> = (0..n)
        .map(|i| if variants[i].kind == NameKind::Organisation { keys[i].split(' ').collect() } else { Vec::new() })
        .collect();
    let mut by_last_word: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, words) in org_words.iter().enumerate().filter(|(_, w)| !w.is_empty()) {
        by_last_word.entry(words[words.len() - 1]).or_default().push(j);
        by_initials.entry(initials(words)).or_default().push(j);
    }
    for i in 0..n {
        if variants[i].kind != NameKind::Organisation || reason[i].is_some() || alias_of[i].is_some() {
            continue;
        }
        let short = &org_words[i];
        let by_acronym = acronym(&variants[i].name);
        let mut candidates: Vec<usize> = by_last_word.get(short[short.len() - 1]).cloned().unwrap_or_default();
        if let Some(letters) = &by_acronym {
            candidates.extend(by_initials.get(letters).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut fits: Vec<(usize, MergeReason)> = Vec::new();
        for j in candidates {
            let long = &org_words[j];
            if j == i || long.len() <= short.len() || keys[j] == keys[i] {
                continue;
            }
            if long.ends_with(short) && !NOT_IN_ACRONYMS.contains(&short[0]) {
                fits.push((groups.find(j), MergeReason::ShortName));
            } else if by_acronym.as_deref() == Some(initials(long).as_str()) {
                fits.push((groups.find(j), MergeReason::Acronym));
            }
        }
        fits.sort_by_key(|f| f.0);
        fits.dedup_by_key(|f| f.0);
        if let [(root, why)] = fits[..] {
            if groups.find(i) != root {
                groups.union(root, i);
                reason[i] = Some(why);
            }
        }
    }

    // Speakers: each group's canonical name and id.
    let members = groups.by_root();
    let mut speakers: Vec<Speaker> = Vec::new();
    let mut speaker_of = vec![0; n];
    let mut ids: HashMap<String, usize> = HashMap::new();
    for group in members.values() {
        let alias = group.iter().find_map(|&i| alias_of[i]).and_then(|a| aliases.map(|t| t.entries[a].clone()));
        // The fullest form (a person's with a first name, an organisation's longest), then
        // the most quoted, then the first seen.
        let fullness = |i: usize| match variants[i].kind {
            NameKind::Person => usize::from(persons[i].as_ref().is_some_and(|p| p.first.is_some())),
            _ => keys[i].split(' ').count(),
        };
        let canonical = *group
            .iter()
            .max_by(|&&a, &&b| {
                fullness(a).cmp(&fullness(b)).then(variants[a].quotes.cmp(&variants[b].quotes)).then(b.cmp(&a))
            })
            .expect("a group has a member");
        let mut kinds: BTreeMap<NameKind, usize> = BTreeMap::new();
        for &i in group {
            *kinds.entry(variants[i].kind).or_default() += variants[i].quotes.max(1);
        }
        let kind =
            kinds.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(k, _)| *k).unwrap_or(NameKind::Other);
        let name = alias.as_ref().map_or_else(|| variants[canonical].name.clone(), |a| a.name.clone());
        let base = alias.as_ref().map_or_else(|| slug(&name), |a| a.id.clone());
        let count = ids.entry(base.clone()).or_default();
        *count += 1;
        let id = if *count == 1 { base } else { format!("{base}-{count}") };
        let mut with_reasons: Vec<(usize, Option<MergeReason>)> = group
            .iter()
            .map(|&i| {
                let why =
                    if i == canonical && alias.is_none() { None } else { reason[i].or(Some(MergeReason::Spelling)) };
                (i, if alias.is_some() && alias_of[i].is_some() { Some(MergeReason::AliasFile) } else { why })
            })
            .collect();
        with_reasons.sort_by_key(|(i, _)| (*i != canonical, *i));
        for &i in group {
            speaker_of[i] = speakers.len();
        }
        speakers.push(Speaker { id, name, kind, variants: with_reasons, alias });
    }
    Identities { speaker_of, speakers }
}

/// A name as an id: lower-case letters and digits, words joined by hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "speaker".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str, kind: NameKind, quotes: usize) -> Variant {
        Variant { name: name.into(), kind, quotes }
    }

    fn speaker_names(ids: &Identities, variants: &[Variant]) -> Vec<Vec<String>> {
        ids.speakers.iter().map(|s| s.variants.iter().map(|(i, _)| variants[*i].name.clone()).collect()).collect()
    }

    #[test]
    fn name_variants_of_one_person_merge() {
        use NameKind::Person;
        let variants = [
            v("Marta Oyelaran", Person, 40),
            v("Marta K. Oyelaran", Person, 5),
            v("Oyelaran", Person, 9),
            v("Joseph T. Brannock Jr.", Person, 3),
            v("Joe Brannock", Person, 8),
            v("Peter Vance Jr.", Person, 2),
            v("Peter Vance", Person, 6),
        ];
        let ids = identify(&variants, None);
        let groups = speaker_names(&ids, &variants);
        assert!(groups.contains(&vec!["Marta Oyelaran".into(), "Marta K. Oyelaran".into(), "Oyelaran".into()]));
        assert!(groups.contains(&vec!["Joe Brannock".into(), "Joseph T. Brannock Jr.".into()]), "{groups:?}");
        assert!(groups.contains(&vec!["Peter Vance Jr.".into()]), "a plain Jr. is another person: {groups:?}");
        let marta = &ids.speakers[ids.speaker_of[0]];
        assert_eq!((marta.id.as_str(), marta.name.as_str()), ("marta-oyelaran", "Marta Oyelaran"));
        assert_eq!(marta.variants[1].1, Some(MergeReason::MiddleName));
        assert_eq!(marta.variants[2].1, Some(MergeReason::Surname));
        assert_eq!(ids.speakers[ids.speaker_of[3]].variants[1].1, Some(MergeReason::Nickname));
    }

    #[test]
    fn a_surname_shared_by_two_people_stays_apart() {
        use NameKind::Person;
        let variants = [
            v("Lena W. Halvorsen", Person, 10),
            v("Tove Halvorsen", Person, 10),
            v("Halvorsen", Person, 4),
            v("Lena Halvorsen", Person, 2),
            v("Lena H. W. Halvorsen", Person, 1),
        ];
        let ids = identify(&variants, None);
        let groups = speaker_names(&ids, &variants);
        assert!(groups.contains(&vec!["Halvorsen".into()]), "10 and 13 quotations: neither is the one: {groups:?}");
        assert!(groups.contains(&vec!["Tove Halvorsen".into()]), "{groups:?}");
        assert!(groups.contains(&vec!["Lena H. W. Halvorsen".into()]), "different middle initials: {groups:?}");
        assert!(groups.contains(&vec!["Lena W. Halvorsen".into(), "Lena Halvorsen".into()]), "{groups:?}");
    }

    #[test]
    fn a_surname_goes_to_the_bearer_quoted_far_more_often() {
        use NameKind::Person;
        let variants = [v("Ilse Brandt", Person, 30), v("Jonas Brandt", Person, 4), v("Brandt", Person, 9)];
        let ids = identify(&variants, None);
        assert_eq!(ids.speaker_of[2], ids.speaker_of[0]);
        let ilse = &ids.speakers[ids.speaker_of[0]];
        assert_eq!(ilse.variants[1], (2, Some(MergeReason::SurnameMostQuoted)));
        assert_ne!(ids.speaker_of[1], ids.speaker_of[0]);
    }

    #[test]
    fn organisation_short_names_and_acronyms_merge_when_unambiguous() {
        use NameKind::Organisation;
        let variants = [
            v("The Daily Ledger of Ashford", Organisation, 3),
            v("Ledger of Ashford", Organisation, 2),
            v("Federal Harbour Authority", Organisation, 4),
            v("FHA", Organisation, 2),
            v("the Federal Harbour Authority", Organisation, 1),
            v("Post", Organisation, 1),
            v("Morning Post", Organisation, 1),
            v("Evening Post", Organisation, 1),
        ];
        let ids = identify(&variants, None);
        let groups = speaker_names(&ids, &variants);
        assert!(groups.contains(&vec!["The Daily Ledger of Ashford".into(), "Ledger of Ashford".into()]));
        assert!(groups.contains(&vec![
            "Federal Harbour Authority".into(),
            "FHA".into(),
            "the Federal Harbour Authority".into()
        ]));
        assert!(groups.contains(&vec!["Post".into()]), "two Posts: stays apart: {groups:?}");
        let fha = &ids.speakers[ids.speaker_of[3]];
        assert_eq!(fha.variants.iter().find(|(i, _)| *i == 3).unwrap().1, Some(MergeReason::Acronym));
    }

    #[test]
    fn alias_files_give_ids_names_and_merges() {
        let table = AliasTable::parse("q-1,Marta Oyelaran,M. Oyelaran|Oyelaran,Q42,female\n").unwrap();
        let variants = [
            v("Oyelaran", NameKind::Person, 2),
            v("M. Oyelaran", NameKind::Person, 1),
            v("Marta Oyelaran", NameKind::Person, 5),
            v("Tove Oyelaran", NameKind::Person, 5),
        ];
        let ids = identify(&variants, Some(&table));
        let s = &ids.speakers[ids.speaker_of[0]];
        assert_eq!((s.id.as_str(), s.name.as_str(), s.variants.len()), ("q-1", "Marta Oyelaran", 3));
        assert_eq!(s.alias.as_ref().and_then(|a| a.qid.as_deref()), Some("Q42"));
        assert_ne!(ids.speaker_of[3], ids.speaker_of[0]);
        assert_eq!(slug("Ségolène Royal-Dubois Jr."), "ségolène-royal-dubois-jr");
    }
}
