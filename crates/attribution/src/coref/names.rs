//! Clustering names by their strings: a full name joins the cluster with its surname and a
//! compatible first name, a bare surname joins the most mentioned such cluster, suffixes keep
//! `Donald Trump Jr.` apart from `Donald Trump`; organisations by their name, and by an
//! acronym the text defines for them ("Immigration, Refugees and Citizenship Canada (IRCC)").
//! A person's roles ("Secretary of State", "Trump's former lawyer") and the gender an
//! honorific or a gendered title gives are read around the name.

use std::cell::OnceCell;
use std::collections::HashSet;

use whosaid_tokenize::{Document, EntityLabel, Span, TokenKind};

use crate::coref::gender::GenderBelief;
use crate::coref::{evidence_of, Cluster};
use crate::lexicon::{
    first_name_share_female, gendered_title, honorific, is_month, is_postnominal, is_role_head, is_time_word,
    is_title_word, lower, party, suffix, ROLE_WORDS,
};
use crate::speaker_type::SpeakerType;

/// The document's entities as token ranges with their labels; a title tagged as a name of
/// its own right before the person's name ("Mayor" | "Ann Lee") is part of that name.
pub(crate) fn entity_names(doc: &Document) -> Vec<(usize, usize, EntityLabel)> {
    let mut names: Vec<(usize, usize, EntityLabel)> = Vec::new();
    // Every word as written (a lower-cased word found here occurs in lower case), gathered
    // once where first needed.
    let words_as_written: OnceCell<HashSet<&str>> = OnceCell::new();
    for e in &doc.entities {
        let a = doc.token_at_or_after(e.start);
        let b = doc.token_at_or_after(e.end);
        if a >= b {
            continue;
        }
        // Letters after a name that NER tagged on their own ("Mark Tedeschi, QC,") name no one.
        if (a..b).all(|t| doc.kind_at(t) != Some(TokenKind::Word) || is_postnominal(doc.word(t))) {
            continue;
        }
        // An article NER tagged as a name of its own ("The" | "Harbour Times") opens the name
        // after it; alone it names no one.
        if let Some(&last) = names.last().filter(|last| lone_article(doc, last.0, last.1)) {
            names.pop();
            if last.1 == a && last.2 == e.label {
                names.push((last.0, b, e.label));
                continue;
            }
        }
        // A first name NER tagged apart from the surname after it, or took into the name
        // before it ("academic" Simon | Ličen, "Washington State University Simon" | Ličen:
        // names it saw too rarely), belongs to the person: not where the person's name has
        // a first name already ("Washington" | "Chris Gregoire"), nor a word the text also
        // writes in lower case ("Will" | "Sanders come down ...?").
        if let Some(last) = names.last_mut().filter(|last| last.1 == a && e.label == EntityLabel::Person) {
            let given = last.1 - 1;
            let word = lower(doc, given);
            let first_name = doc.word(given).starts_with(char::is_uppercase)
                && first_name_share_female(&word).is_some()
                && (last.2 != EntityLabel::Person || last.0 == given)
                && doc.sentence_of_token(given) == doc.sentence_of_token(a)
                && (b == a + 1 || first_name_share_female(&lower(doc, a)).is_none())
                && !words_as_written
                    .get_or_init(|| (0..doc.tokens.len()).map(|t| doc.word(t)).collect())
                    .contains(word.as_str());
            if first_name {
                if last.0 == given {
                    names.pop();
                } else {
                    last.1 = given;
                }
                names.push((given, b, EntityLabel::Person));
                continue;
            }
        }
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
        // An organisation's name that NER cut at a lower-case link word ("Commission" on
        // "Presidential Debates", "Ministry" of "Defence", "Association" of "Flight
        // Attendants") is one name.
        if let Some(last) = names.last_mut() {
            let link = last.1 + 1 == a && matches!(doc.word(last.1), "of" | "on" | "for");
            if link && last.2 == EntityLabel::Organisation && e.label != EntityLabel::Person {
                last.1 = b;
                continue;
            }
        }
        names.push((a, b, e.label));
    }
    if names.last().is_some_and(|last| lone_article(doc, last.0, last.1)) {
        names.pop();
    }
    // The same with the rest left untagged ("Commission" on Presidential Debates): the
    // capitalised words after the link word, up to another name, not a day ("on Monday").
    let starts: Vec<usize> = names.iter().map(|n| n.0).collect();
    for name in names.iter_mut().filter(|n| n.2 == EntityLabel::Organisation) {
        if !matches!(doc.word(name.1), "of" | "on" | "for") {
            continue;
        }
        let capital = |t: usize| {
            doc.kind_at(t) == Some(TokenKind::Word)
                && doc.word(t).starts_with(char::is_uppercase)
                && !is_time_word(&lower(doc, t))
                && !is_month(&lower(doc, t))
                && !starts.contains(&t)
        };
        let mut end = name.1 + 1;
        while end < doc.tokens.len() && capital(end) && doc.sentence_of_token(end) == doc.sentence_of_token(name.1) {
            end += 1;
        }
        if end > name.1 + 1 {
            name.1 = end;
        }
    }
    // A lower-case word NER took into an organisation's name ("nonpartisan" Commission) is a
    // description of it, not part of it; "the" is left to the cluster key.
    for name in names.iter_mut().filter(|n| n.2 == EntityLabel::Organisation) {
        while name.0 + 1 < name.1
            && doc.kind_at(name.0) == Some(TokenKind::Word)
            && doc.word(name.0).chars().all(|c| c.is_lowercase() || c == '-')
            && doc.word(name.0) != "the"
        {
            name.0 += 1;
        }
    }
    // An organisation's name that NER cut at its commas ("Immigration," | "Refugees and
    // Citizenship Canada (IRCC)"): the acronym's letters find where it starts.
    for name in names.iter_mut().filter(|n| n.2 == EntityLabel::Organisation) {
        if let Some(start) =
            defined_acronym(doc, name.1).and_then(|acronym| acronym_start(doc, name.0, name.1, &acronym))
        {
            name.0 = start;
        }
    }
    // Initials right before a person's name are its first name, also where NER left them out
    // or tagged them as a name of their own ("T.J." as a place | "Brannigan"): the overlap is
    // dropped below. Not the end of a longer name ("Washington D.C.").
    let in_longer_name: HashSet<usize> = names.iter().filter(|n| n.1 > n.0 + 1).flat_map(|n| n.0..n.1).collect();
    for name in names.iter_mut().filter(|n| n.2 == EntityLabel::Person) {
        while name.0 > 0
            && is_initials(doc.word(name.0 - 1))
            && !in_longer_name.contains(&(name.0 - 1))
            && doc.sentence_of_token(name.0 - 1) == doc.sentence_of_token(name.0)
        {
            name.0 -= 1;
        }
    }
    let mut kept: Vec<(usize, usize, EntityLabel)> = Vec::with_capacity(names.len());
    for n in names {
        kept.retain(|k| k.1 <= n.0 || k.0 >= n.1);
        kept.push(n);
    }
    kept
}

/// Is `word` a person's initials ("K.C.", "J.", "A.J.")? Capital letters, each with its point.
fn is_initials(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (1..=3).contains(&letters)
        && word.chars().filter(|&c| c == '.').count() == letters
        && word.ends_with('.')
        && word.chars().all(|c| c.is_uppercase() || c == '.')
        && !word.contains("..")
}

/// Is the name over tokens `a..b` an article alone?
fn lone_article(doc: &Document, a: usize, b: usize) -> bool {
    b == a + 1 && matches!(lower(doc, a).as_str(), "the" | "a" | "an")
}

/// Where an organisation's name over tokens `a..b` really starts when its acronym (in
/// brackets after it) has more letters than its capitalised words: the earlier capitalised
/// words, over commas and "and", whose initials complete the acronym.
fn acronym_start(doc: &Document, a: usize, b: usize, acronym: &str) -> Option<usize> {
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphabetic()).collect();
    let initial = |t: usize| doc.word(t).chars().next().filter(|c| c.is_uppercase());
    let inside: Vec<char> = (a..b).filter_map(initial).flat_map(char::to_lowercase).collect();
    if inside.len() >= letters.len() || !letters.ends_with(&inside) {
        return None;
    }
    let mut need = letters.len() - inside.len();
    let mut t = a;
    while need > 0 && t > 0 {
        t -= 1;
        match initial(t) {
            Some(c) if c.to_lowercase().next() == Some(letters[need - 1]) => need -= 1,
            Some(_) => return None,
            None if matches!(doc.word(t), "," | "and" | "&" | "of" | "for") => {}
            None => return None,
        }
    }
    (need == 0).then_some(t)
}

/// The words of a person's name, titles and possessives dropped.
fn name_words(doc: &Document, start: usize, end: usize) -> Vec<(usize, String)> {
    let mut words: Vec<(usize, String)> = (start..end)
        .filter(|&t| doc.kind_at(t) == Some(TokenKind::Word))
        .map(|t| (t, doc.word(t).to_string()))
        .filter(|(_, w)| !matches!(w.to_lowercase().as_str(), "'s" | "’s"))
        .collect();
    while words.len() > 1 && words.last().is_some_and(|(_, w)| is_postnominal(w)) {
        words.pop();
    }
    while words.len() > 1 && is_title_word(&words[0].1.to_lowercase()) {
        words.remove(0);
    }
    words
}

/// The cluster of the name over tokens `a..b` (a new one when none fits).
pub(crate) fn cluster_name(
    doc: &Document,
    clusters: &mut Vec<Cluster>,
    a: usize,
    b: usize,
    label: EntityLabel,
) -> Option<usize> {
    // A lone word that is the surname of a person named before ("Valeska Paris" ... "Paris
    // claims") is that person, whatever type NER gave it.
    let surname_of_person = b == a + 1 && {
        let w = doc.word(a).to_lowercase();
        clusters.iter().any(|c| c.label == SpeakerType::PERSON && c.first.is_some() && c.surname == w)
    };
    match label {
        EntityLabel::Person => person_cluster(doc, clusters, a, b),
        _ if surname_of_person => person_cluster(doc, clusters, a, b),
        _ => org_cluster(doc, clusters, a, b, SpeakerType::Entity(label)),
    }
}

/// Is `written` a likely misspelling of the surname `known`: both of five letters or more,
/// the same first letter, and one edit apart (two for names of eight letters or more), an
/// edit being a letter inserted, dropped, changed or two neighbours swapped; not the plural
/// of a family. On polnear-train it links four misspelled surnames, each to the person
/// introduced by full name, and changes no other speaker.
fn misspelled_surname(written: &str, known: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (written.chars().collect(), known.chars().collect());
    if a.len() < 5 || b.len() < 5 || a[0] != b[0] || a == b || !a.iter().chain(&b).all(|c| c.is_alphabetic()) {
        return false;
    }
    // "both Clintons", "the Obamas": a family, not one of them misspelled.
    if a.len() == b.len() + 1 && a.ends_with(&['s']) && a.starts_with(&b) {
        return false;
    }
    let allowed = if a.len().min(b.len()) >= 8 { 2 } else { 1 };
    if a.len().abs_diff(b.len()) > allowed {
        return false;
    }
    // Optimal string alignment distance, three rows.
    let mut before = vec![0usize; b.len() + 1];
    let mut above: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut above, row);
    }
    above[b.len()] <= allowed
}

/// An acronym in brackets right after a name ("... Canada (IRCC)"): its letters, lower-cased.
fn defined_acronym(doc: &Document, b: usize) -> Option<String> {
    if doc.word(b) != "(" || doc.word(b + 2) != ")" {
        return None;
    }
    let w = doc.word(b + 1);
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.' || c == '&')).then(|| w.to_lowercase())
}

fn org_cluster(doc: &Document, clusters: &mut Vec<Cluster>, a: usize, b: usize, label: SpeakerType) -> Option<usize> {
    let text = doc.slice(Span::new(doc.tokens[a].span.start, doc.tokens[b - 1].span.end)).to_string();
    let key = text.trim_start_matches("the ").to_lowercase();
    // A name that is an acronym the text defined ("IRCC") is the defined name's cluster.
    let found = clusters
        .iter()
        .position(|c| c.label == label && c.surname == key)
        .or_else(|| clusters.iter().position(|c| c.acronym.as_deref() == Some(key.as_str())));
    let id = found.unwrap_or_else(|| {
        clusters.push(Cluster::new(label, text, key));
        clusters.len() - 1
    });
    if clusters[id].acronym.is_none() {
        clusters[id].acronym = defined_acronym(doc, b);
    }
    clusters[id].mentions += 1;
    Some(id)
}

fn person_cluster(doc: &Document, clusters: &mut Vec<Cluster>, a: usize, b: usize) -> Option<usize> {
    let words = name_words(doc, a, b);
    let lowered: Vec<String> = words.iter().map(|(_, w)| w.to_lowercase()).collect();
    let mut core: Vec<&str> = lowered.iter().map(String::as_str).collect();
    let suf = core.last().and_then(|w| suffix(w));
    if suf.is_some() && core.len() > 1 {
        core.pop();
    }
    let surname = core.last()?.trim_end_matches(['.', ',']).to_string();
    let first = (core.len() >= 2).then(|| core[0].trim_end_matches('.').to_string());

    let (roles, stated) = roles_around(doc, a, b);
    let gender = stated.unwrap_or_else(|| {
        first.as_deref().and_then(first_name_share_female).map(GenderBelief::from_first_name).unwrap_or_default()
    });

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
    for (i, c) in clusters.iter().enumerate() {
        if c.surname == surname && compatible(c) {
            let better = match found {
                None => true,
                Some(f) => {
                    let cf = &clusters[f];
                    (first.is_some() && c.first == first && cf.first != first) || c.mentions > cf.mentions
                }
            };
            if better {
                found = Some(i);
            }
        }
    }
    if found.is_none() && first.is_none() {
        let by_first: Vec<usize> = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.label == SpeakerType::PERSON && c.first.as_deref() == Some(surname.as_str()))
            .map(|(i, _)| i)
            .collect();
        if by_first.len() == 1 {
            found = Some(by_first[0]);
        }
    }
    // A bare surname no one bears that is a slip of the pen for the surname of exactly one
    // person introduced by full name ("Lena Marsters" ... "Marster said"): that person.
    // Copy that reached print misspells names; the same initial and a small edit distance
    // keep two real people ("Johnson", "Jonas") apart.
    if found.is_none() && first.is_none() {
        let near: Vec<usize> = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.label == SpeakerType::PERSON && c.first.is_some() && c.suffix == suf)
            .filter(|(_, c)| misspelled_surname(&surname, &c.surname))
            .map(|(i, _)| i)
            .collect();
        if near.len() == 1 {
            found = Some(near[0]);
        }
    }
    let name: String = words.iter().map(|(_, w)| title_case_capitals(w)).collect::<Vec<_>>().join(" ");
    let id = match found {
        Some(i) => i,
        None => {
            let mut c = Cluster::new(SpeakerType::PERSON, name.clone(), surname.clone());
            c.suffix = suf;
            c.first = first.clone();
            clusters.push(c);
            clusters.len() - 1
        }
    };
    let c = &mut clusters[id];
    c.mentions += 1;
    if name.split(' ').count() > c.canonical.split(' ').count() {
        c.canonical = name;
    }
    if c.first.is_none() {
        c.first = first;
    }
    c.gender.update(gender);
    c.roles.extend(roles);
    Some(id)
}

/// Role words introducing a name (before it, or in an appositive after it), and a gender
/// from an honorific or a gendered title.
fn roles_around(doc: &Document, a: usize, b: usize) -> (Vec<String>, Option<GenderBelief>) {
    let mut roles = Vec::new();
    let mut gender: Option<GenderBelief> = None;
    let gendered = |w: &str| {
        honorific(w).map(|g| evidence_of(g, true)).or_else(|| gendered_title(w).map(|g| evidence_of(g, false)))
    };
    // Inside the entity itself (NER sometimes includes the title).
    for t in a..b {
        let w = lower(doc, t).trim_end_matches('.').to_string();
        if let Some(g) = gendered(&w) {
            gender = Some(g);
        }
        if ROLE_WORDS.contains(w.as_str()) {
            roles.push(w);
        }
    }
    // Before: "Secretary of State Mike Pompeo", "Trump's former lawyer, Michael Cohen".
    let sent_start = doc.sentence_of_token(a).map(|s| doc.sentences[s].first_token).unwrap_or(0);
    let mut t = a;
    let mut steps = 0;
    // Past a capitalised word that is no title, a gendered word belongs to someone else: in
    // the headline "Gold Star Mom Corners Obama", "Mom" is not Obama's title.
    let mut past_other_capital = false;
    while t > sent_start && steps < 8 {
        t -= 1;
        steps += 1;
        let w = lower(doc, t).trim_end_matches('.').to_string();
        if w == "," && steps == 1 {
            continue;
        }
        // The honorific nearest the name wins: in "the chairman of Mrs. Clinton's
        // campaign", "chairman" is someone else's.
        if let Some(g) = gendered(&w).filter(|_| !past_other_capital) {
            gender = gender.or(Some(g));
        }
        let capital = doc.word(t).chars().next().is_some_and(char::is_uppercase);
        if capital && gendered(&w).is_none() && !ROLE_WORDS.contains(w.as_str()) && party(&w).is_none() {
            past_other_capital = true;
        }
        if ROLE_WORDS.contains(w.as_str()) || party(&w).is_some() {
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
            if let Some(g) = gendered(&w) {
                gender = gender.or(Some(g));
            }
            if is_role_head(&w) {
                roles.push(w);
            }
        }
    }
    (roles, gender)
}

/// A word written in capitals ("REYES", "O'BRIEN", "SMITH-JONES"), as a name is written
/// ("Reyes", "O'Brien", "Smith-Jones"); other words as they are.
fn title_case_capitals(word: &str) -> String {
    if word.chars().filter(|c| c.is_alphabetic()).count() < 2 || word.chars().any(char::is_lowercase) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '\'' | '’' | '-' | '.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_capitals_are_written_as_names() {
        assert_eq!(title_case_capitals("REYES"), "Reyes");
        assert_eq!(title_case_capitals("O'BRIEN"), "O'Brien");
        assert_eq!(title_case_capitals("SMITH-JONES"), "Smith-Jones");
        assert_eq!(title_case_capitals("McCain"), "McCain");
        assert_eq!(title_case_capitals("U.S."), "U.S.");
    }

    #[test]
    fn a_slip_of_the_pen_in_a_surname_is_recognised_and_other_names_are_not() {
        assert!(misspelled_surname("marster", "marsters"));
        assert!(misspelled_surname("water", "waters") && misspelled_surname("mauer", "maurer"));
        assert!(misspelled_surname("bauchtman", "buchtmann"), "two edits in a long name");
        assert!(misspelled_surname("hnaley", "hanley"), "two letters swapped");
        assert!(!misspelled_surname("johnson", "jonsen"), "two edits in a short name");
        assert!(!misspelled_surname("hanson", "janson"), "another initial");
        assert!(!misspelled_surname("lee", "lea"), "too short to tell");
        assert!(!misspelled_surname("obama", "obama"));
        assert!(!misspelled_surname("clintons", "clinton"), "a family");
    }

    #[test]
    fn initials_are_told_from_other_words() {
        assert!(is_initials("K.C.") && is_initials("J.") && is_initials("A.J."));
        assert!(!is_initials("U.S.A.S.") && !is_initials("Mr.") && !is_initials("NATO") && !is_initials("..."));
    }
}
