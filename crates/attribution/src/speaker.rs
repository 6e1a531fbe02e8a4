//! Finding the speaker of a reporting cue: the subject before it ("Pompeo said", "Cohen,
//! Trump's former lawyer, said"), or after it in inverted order ("said Pompeo", "according to
//! the attorney general").

use whosaid_tokenize::{Document, EntityLabel, TokenKind};

use crate::coref::{MentionKind, MentionSet, MentionTable};
use crate::lexicon;
use crate::lexicon::{
    is_cue_modifier, is_group_head, is_role_head, is_time_word, lower, pronoun, DETERMINERS, FUNCTION_WORDS,
    NOUN_DETERMINERS,
};
use crate::speaker_type::SpeakerType;

fn is_capitalised_word(doc: &Document, t: usize) -> bool {
    doc.kind_at(t) == Some(TokenKind::Word) && doc.word(t).chars().next().is_some_and(char::is_uppercase)
}

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.contains(w)
}

/// Is this mention usable as the subject of a cue?
fn usable(coref: &MentionTable, m: usize) -> bool {
    match coref.mentions[m].kind {
        MentionKind::Pronoun(p) => p.subject,
        MentionKind::Name | MentionKind::Description => true,
    }
}

/// A description ending at token `end` (its head noun is a role or group word), extended left
/// over modifiers, possessives and one determiner. Returns the mention.
fn description_ending_at(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    let head = lower(doc, end);
    if !(is_role_head(&head) || is_group_head(&head)) || coref.quoted_at(end) {
        return None;
    }
    let mut start = end;
    let mut definite = false;
    while start > lo && end - start < 6 {
        let t = start - 1;
        let w = lower(doc, t);
        if coref.quoted_at(t) || doc.kind_at(t) == Some(TokenKind::Quote) {
            break;
        }
        if DETERMINERS.contains(w.as_str()) {
            start = t;
            definite = w == "the";
            if !matches!(w.as_str(), "senior" | "top" | "former") {
                break;
            }
            continue;
        }
        if w == "'s" || w == "’s" {
            // "Trump's lawyer": take the owner along.
            if let Some(m) = coref.mention_ending_at(t - 1) {
                start = coref.mentions[m].tok_start;
            }
            break;
        }
        if let Some(m) = coref.mention_ending_at(t) {
            // "campaign spokesman", "White House spokesman": an ORG modifier.
            if coref.mentions[m].kind == MentionKind::Name {
                start = coref.mentions[m].tok_start;
                continue;
            }
            break;
        }
        if doc.kind_at(t) == Some(TokenKind::Word)
            && !is_cue_modifier(&w)
            && !is_function_word(&w)
            && pronoun(&w).is_none()
        {
            start = t;
            continue;
        }
        break;
    }
    // The second of two coordinated descriptions: "the former first lady and U.S. senator"
    // is one person.
    let coordinated = start > lo + 1
        && lower(doc, start - 1) == "and"
        && (start.saturating_sub(10).max(lo)..start - 1)
            .rev()
            .take_while(|&k| doc.kind_at(k) == Some(TokenKind::Word))
            .any(|k| lower(doc, k) == "the");
    // "the attorney general", "the secretary" (or a bare "spokesman"): resolution may link it
    // to the person introduced with that role.
    Some(coref.add_description(doc, start, end + 1, definite || coordinated || start == end))
}

/// Capitalised words ending at `end` that NER did not tag: a name in speaker position.
fn fallback_name_ending_at(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    if !is_capitalised_word(doc, end) || is_function_word(&lower(doc, end)) {
        return None;
    }
    let mut start = end;
    while start > lo
        && end - start < 3
        && is_capitalised_word(doc, start - 1)
        && !is_function_word(&lower(doc, start - 1))
    {
        start -= 1;
    }
    // A single capitalised word at the start of a sentence is too weak.
    if start == end && start == lo {
        return None;
    }
    Some(coref.add_fallback_name(doc, start, end + 1))
}

/// The subject of the cue at token `cue`, searching left down to token `lo`. Returns the
/// mention and whether the search ran straight into a boundary (quotation mark, comma,
/// sentence start), which marks an inverted cue ("..., said Pompeo").
pub(crate) fn subject_left(doc: &Document, coref: &mut MentionSet, cue: usize, lo: usize) -> (Option<usize>, bool) {
    let mut i = cue;
    // A passive cue ("the team was denied visas", "she was told that ...") reports nothing its
    // subject said; "was saying" is no passive.
    let participle = !lower(doc, cue).ends_with("ing");
    loop {
        if i == lo {
            return (None, true);
        }
        i -= 1;
        let w = lower(doc, i);
        if coref.quoted_at(i) || doc.kind_at(i) == Some(TokenKind::Quote) {
            return (None, true);
        }
        if participle && matches!(w.as_str(), "is" | "was" | "were" | "are" | "been" | "being" | "be") {
            return (None, false);
        }
        if is_cue_modifier(&w) || is_time_word(&w) {
            continue;
        }
        if w == "on" && i + 1 < cue && is_time_word(&lower(doc, i + 1)) {
            continue;
        }
        break;
    }
    // "..., a source close to him said", "..., one official familiar with the talks said": a
    // description with a postmodifier, from the comma to the cue.
    if let Some(m) = postmodified_description(doc, coref, i, lo) {
        return (Some(m), false);
    }
    // "Sen. Mitch McConnell (R-Ky.) said": the bracket goes with the name before it.
    if doc.word(i) == ")" {
        if let Some(open) = (lo..i).rev().take(8).find(|&k| doc.word(k) == "(") {
            if open > lo && !coref.quoted_at(open - 1) {
                i = open - 1;
            }
        }
    }
    let mut w = lower(doc, i);
    // "continued to say", "went on to say": the subject of the verb before "to".
    if w == "to" && i > lo + 1 && doc.kind_at(i - 1) == Some(TokenKind::Word) {
        let verb = lower(doc, i - 1);
        if verb.chars().all(char::is_lowercase) && !is_function_word(&verb) {
            i -= 1;
            if verb == "on" && i > lo + 1 {
                i -= 1; // "went on to say"
            }
            // "voters are more likely to say": over degree words and the copula too.
            let adjective = lexicon::CUE_ADJECTIVES.contains(verb.as_str());
            let skippable =
                |w: &str| is_cue_modifier(w) || is_time_word(w) || adjective && lexicon::DEGREE_WORDS.contains(w);
            while i > lo && skippable(&lower(doc, i - 1)) {
                i -= 1;
            }
            if i == lo {
                return (None, true);
            }
            i -= 1;
            w = lower(doc, i);
        }
    }
    if matches!(w.as_str(), "who" | "which") && i > lo {
        // "Corey, who said ...", "voters who say ...", "the police department, which
        // reported ...": the relative pronoun speaks for the noun phrase before it.
        let end = if doc.word(i - 1) == "," { i - 1 } else { i };
        return (
            (end > lo)
                .then(|| noun_phrase_ending_at(doc, coref, end - 1, lo))
                .flatten()
                .map(|a| coref.add_relative(doc, i, a)),
            false,
        );
    }
    if matches!(w.as_str(), "and" | "but" | "then") {
        // "Lavrov repeated Moscow's denials and said": the subject of the first verb.
        return (coref.sentence_subject(doc, lo, i), false);
    }
    if w == "," {
        // An inserted phrase between commas: "Cohen, Trump's former lawyer, said", "Pompeo,
        // who met Lavrov, said" (the name before the opening comma), or "Trump's former
        // lawyer, Michael Cohen, said" (the name before the closing one).
        let find_opening = |close: usize| {
            let mut j = close;
            while j > lo && close - j < 20 {
                j -= 1;
                if coref.quoted_at(j) || doc.kind_at(j) == Some(TokenKind::Quote) {
                    return None;
                }
                if doc.word(j) == "," {
                    return Some(j);
                }
            }
            None
        };
        let mut opening = find_opening(i);
        // A place set off by commas belongs to the insert before it ("Cynthia Thompson,
        // curator at the University of Arkansas, Fayetteville, said").
        while let Some(open) = opening.filter(|&o| o > lo) {
            let place = coref.mention_ending_at(i - 1).is_some_and(|m| {
                coref.mentions[m].tok_start == open + 1
                    && coref.mentions[m].kind == MentionKind::Name
                    && coref.mentions[m]
                        .cluster
                        .is_some_and(|c| coref.clusters[c].label == SpeakerType::Entity(EntityLabel::Location))
            });
            if !place {
                break;
            }
            i = open;
            opening = find_opening(open);
        }
        // A name right after the cue makes it inverted ("..., said Pompeo").
        let inverted = cue + 1 < doc.tokens.len() && is_capitalised_word(doc, cue + 1) && lower(doc, cue + 1) != "i";
        let Some(open) = opening else {
            // An insert longer than the search: still the noun phrase opening the sentence.
            let subject = if inverted { None } else { opening_subject(doc, coref, lo, i) };
            return (subject, subject.is_none());
        };
        let relative = open + 1 < i && matches!(lower(doc, open + 1).as_str(), "who" | "which" | "whose" | "whom");
        let is_name = |m: usize| coref.mentions[m].kind == MentionKind::Name;
        if !relative {
            if let Some(m) =
                coref.mention_ending_at(i - 1).filter(|&m| is_name(m) && coref.mentions[m].tok_start == open + 1)
            {
                return (Some(m), false);
            }
        }
        if open > lo {
            if let Some(m) = coref
                .mention_ending_at(open - 1)
                .filter(|&m| usable(coref, m) && !matches!(coref.mentions[m].kind, MentionKind::Description))
            {
                return (Some(m), false);
            }
        }
        // A longer insert ("Anderson, 21, a junior from Las Vegas, said", "Officials, however,
        // said that"): the noun phrase that opens the sentence, unless the cue is inverted.
        if !inverted {
            if let Some(m) = opening_subject(doc, coref, lo, i) {
                return (Some(m), false);
            }
        }
        return (None, true);
    }
    (noun_phrase_ending_at(doc, coref, i, lo), false)
}

/// A determiner, a role or group head within three words, then a postmodifier running to
/// token `end` ("a source close to him", "one official familiar with the talks", "a
/// spokesman for the campaign"), opening the sentence or right after a comma.
fn postmodified_description(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    if doc.kind_at(end) != Some(TokenKind::Word) {
        return None;
    }
    let start = (lo..=end).rev().take(12).find(|&k| k == lo || doc.word(k - 1) == ",")?;
    if !DETERMINERS.contains(lower(doc, start).as_str()) || (start..=end).any(|k| coref.quoted_at(k)) {
        return None;
    }
    let head = (start + 1..=(start + 3).min(end)).find(|&k| {
        let w = lower(doc, k);
        is_role_head(&w) || is_group_head(&w) || matches!(w.as_str(), "source" | "person" | "insider" | "aide")
    })?;
    let modifier = head < end
        && matches!(
            lower(doc, head + 1).as_str(),
            "for" | "of" | "close" | "familiar" | "with" | "at" | "in" | "to" | "from" | "on" | "who"
        );
    (modifier && (start..=end).all(|k| doc.kind_at(k) != Some(TokenKind::Quote)))
        .then(|| coref.add_description(doc, start, end + 1, false))
}

/// A noun phrase (name, pronoun, description, plain noun with a determiner or a capitalised
/// name NER missed) ending at token `end`, starting no earlier than `lo`.
fn noun_phrase_ending_at(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    if coref.quoted_at(end) {
        return None;
    }
    let found = match coref.mention_ending_at(end) {
        Some(m) => usable(coref, m).then_some(m),
        None => description_ending_at(doc, coref, end, lo)
            .or_else(|| determined_noun_ending_at(doc, coref, end, lo))
            .or_else(|| fallback_name_ending_at(doc, coref, end, lo)),
    };
    // "Acme's recent analysis of its own sales figures concluded", "the agency's report on the
    // harbour said": the object of a preposition after a message is not the subject; the
    // phrase it completes is. ("A study by the university found": "by" names the author.)
    if let Some(m) = found {
        let mut start = coref.mentions[m].tok_start;
        // A name's article is not part of its mention ("on the" | "Harbour Board").
        if start > lo + 2 && lower(doc, start - 1) == "the" {
            start -= 1;
        }
        if start > lo + 1 && matches!(lower(doc, start - 1).as_str(), "of" | "on" | "about" | "into" | "for" | "over") {
            let head = lower(doc, start - 2);
            if lexicon::MESSAGE_NOUNS.contains(head.as_str()) {
                if let Some(outer) = noun_phrase_ending_at(doc, coref, start - 2, lo) {
                    return Some(outer);
                }
            }
        }
        // "Protesters marching through the streets chanted", "Officials in Washington said", "A
        // man standing outside the store shouted": a place or a thing in a phrase after the
        // subject is not the subject; the noun phrase before the phrase is.
        if start > lo + 1 && PLACE_PREPOSITIONS.contains(&lower(doc, start - 1).as_str()) && !can_speak(doc, coref, m) {
            let mut before = start - 2;
            let word = doc.word(before);
            if before > lo
                && word.len() > 4
                && word.chars().all(char::is_lowercase)
                && (word.ends_with("ing") || word.ends_with("ed"))
            {
                before -= 1;
            }
            // Not a day ("a call on Sunday in which organizers claimed").
            if let Some(outer) = noun_phrase_ending_at(doc, coref, before, lo) {
                let head = lower(doc, coref.mentions[outer].head);
                if usable(coref, outer) && !is_time_word(&head) && !lexicon::is_month(&head) {
                    return Some(outer);
                }
            }
        }
    }
    found
}

/// Prepositions of a phrase that places its subject ("marching through ...", "in Washington").
const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "at", "on", "near", "outside", "inside", "through", "across", "around", "behind", "along", "from", "with",
    "under", "among", "beside", "toward", "towards", "into",
];

/// Can mention `m` be a speaker at all: a person's or an organisation's name, or a noun that
/// names people or an organisation ("the spokesman", "the ministry"), not a place or a thing
/// ("Washington", "the streets", "the store")?
fn can_speak(doc: &Document, coref: &MentionTable, m: usize) -> bool {
    let mention = &coref.mentions[m];
    match mention.kind {
        MentionKind::Pronoun(_) => true,
        MentionKind::Name => mention.cluster.is_none_or(|c| {
            matches!(coref.clusters[c].label, SpeakerType::Entity(EntityLabel::Person | EntityLabel::Organisation))
        }),
        MentionKind::Description => {
            let head = lower(doc, mention.head);
            is_role_head(&head)
                || is_group_head(&head)
                || lexicon::is_organisation_head(&head)
                || lexicon::is_institution_noun(&head)
        }
    }
}

/// The noun phrase that opens the sentence (tokens from `lo`) and ends at its first comma,
/// when that comma comes before token `before`: the subject of a verb after an insert.
fn opening_subject(doc: &Document, coref: &mut MentionSet, lo: usize, before: usize) -> Option<usize> {
    let mut start = lo;
    while start < before && matches!(lower(doc, start).as_str(), "but" | "and" | "so" | "still" | "yet") {
        start += 1;
    }
    let comma = (start..before).find(|&t| doc.word(t) == ",")?;
    if comma <= start || (start..comma).any(|t| coref.quoted_at(t) || doc.kind_at(t) == Some(TokenKind::Quote)) {
        return None;
    }
    // "Rep. Elijah Cummings (D-Md.),": the bracket goes with the name.
    let mut end = comma - 1;
    if doc.word(end) == ")" {
        end = (start..end).rev().find(|&t| doc.word(t) == "(")?.checked_sub(1)?;
        if end < start {
            return None;
        }
    }
    let m = noun_phrase_ending_at(doc, coref, end, start)?;
    let first = coref.mentions[m].tok_start;
    // The phrase must open the sentence, or follow another phrase joined by "and" ("Cyber
    // security experts and U.S. officials").
    let joined = first > start + 1
        && lower(doc, first - 1) == "and"
        && (start..first - 1).all(|t| doc.kind_at(t) == Some(TokenKind::Word) && !is_function_word(&lower(doc, t)));
    (first == start || joined).then_some(m)
}

/// Any lower-case noun with a determiner right before a cue: "one user wrote", "the email
/// read", "another voter said".
fn determined_noun_ending_at(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    if let Some(m) = counted_subject_ending_at(doc, coref, end, lo) {
        return Some(m);
    }
    let head = lower(doc, end);
    let is_plain_word = |t: usize| {
        doc.kind_at(t) == Some(TokenKind::Word)
            && !coref.quoted_at(t)
            && doc.word(t).chars().all(|c| c.is_lowercase() || c == '-')
    };
    if !is_plain_word(end) || is_function_word(&head) || is_cue_modifier(&head) || pronoun(&head).is_some() {
        return None;
    }
    let mut start = end;
    while start > lo && end - start < 4 {
        let w = lower(doc, start - 1);
        if NOUN_DETERMINERS.contains(w.as_str()) {
            return Some(coref.add_description(doc, start - 1, end + 1, false));
        }
        if !is_plain_word(start - 1) || is_function_word(&w) {
            break;
        }
        start -= 1;
    }
    // A bare plural needs no determiner: "Social conservatives say", "prosecutors said".
    let plural = head.len() > 3 && head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("us");
    if plural {
        // Capitalised modifiers go along: "White House officials", "Iowa biofuels advocates".
        while start > lo
            && end - start < 5
            && doc.kind_at(start - 1) == Some(TokenKind::Word)
            && !coref.quoted_at(start - 1)
        {
            let w = lower(doc, start - 1);
            if is_function_word(&w) || is_cue_modifier(&w) || pronoun(&w).is_some() {
                break;
            }
            start -= 1;
        }
        return Some(coref.add_description(doc, start, end + 1, false));
    }
    None
}

/// Numbers and shares of people as subjects: "Twenty-four percent said", "nine in 10 say",
/// "39 have said", "most said", and survey participles: "those surveyed say", "Republicans
/// polled said".
fn counted_subject_ending_at(doc: &Document, coref: &mut MentionSet, end: usize, lo: usize) -> Option<usize> {
    let head = lower(doc, end);
    if coref.quoted_at(end) || doc.kind_at(end) != Some(TokenKind::Word) {
        return None;
    }
    if matches!(head.as_str(), "polled" | "surveyed" | "interviewed" | "questioned" | "sampled") {
        // The phrase before the participle, or a bare "those".
        let plural_before = end > lo && doc.kind_at(end - 1) == Some(TokenKind::Word) && {
            let w = lower(doc, end - 1);
            matches!(w.as_str(), "those" | "people") || (!is_function_word(&w) && w.ends_with('s'))
        };
        if plural_before && (end - 1 == lo || !is_capitalised_word(doc, end - 1)) {
            return Some(coref.add_description(doc, end - 1, end + 1, false));
        }
        let m = (end > lo).then(|| noun_phrase_ending_at(doc, coref, end - 1, lo)).flatten()?;
        let start = coref.mentions[m].tok_start;
        return Some(coref.add_description(doc, start, end + 1, false));
    }
    let counted = is_count_word(&head) || matches!(head.as_str(), "percent" | "%" | "half" | "majority" | "most");
    if !counted {
        return None;
    }
    // Extend left over numbers, share words and their hedges ("Some 56 percent", "nine in 10",
    // "a majority").
    let mut start = end;
    while start > lo && end - start < 5 {
        let w = lower(doc, start - 1);
        let part = is_count_word(&w)
            || matches!(
                w.as_str(),
                "in" | "of"
                    | "some"
                    | "about"
                    | "nearly"
                    | "almost"
                    | "around"
                    | "roughly"
                    | "only"
                    | "just"
                    | "over"
                    | "a"
                    | "the"
                    | "percent"
                    | "%"
                    | "than"
                    | "more"
                    | "fewer"
                    | "less"
            );
        if !part || coref.quoted_at(start - 1) {
            break;
        }
        start -= 1;
    }
    // The share must stand on its own: not "in 2015 said" or "the 10 said".
    let opens = start == lo
        || matches!(doc.word(start - 1), "," | ";" | ":" | "(" | "—" | "–")
        || matches!(lower(doc, start - 1).as_str(), "and" | "but" | "while" | "whereas");
    let year = head.len() == 4 && head.chars().all(|c| c.is_ascii_digit());
    (opens && !year && !matches!(lower(doc, start).as_str(), "in" | "of" | "than"))
        .then(|| coref.add_description(doc, start, end + 1, false))
}

fn is_count_word(w: &str) -> bool {
    let digits = w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') && w.chars().any(|c| c.is_ascii_digit());
    let spelled = w.split('-').all(|part| lexicon::COUNT_WORDS.contains(part));
    digits || spelled
}

/// The subject after an inverted cue ("said Pompeo", "said US Iran envoy Brian Hook",
/// "said a campaign spokesman"), searching right up to token `hi`.
pub(crate) fn subject_right(doc: &Document, coref: &mut MentionSet, cue: usize, hi: usize) -> Option<usize> {
    let mut modifier = None;
    let mut i = cue + 1;
    while i < hi && (is_time_word(&lower(doc, i)) || lower(doc, i) == "on") {
        i += 1;
    }
    if i >= hi || coref.quoted_at(i) {
        return None;
    }
    // "according to the Ministry of Defence": the name, not "the Ministry".
    if lower(doc, i) == "the"
        && coref.mention_starting_at(i + 1).is_some_and(|m| coref.mentions[m].kind == MentionKind::Name)
    {
        i += 1;
    }
    // "according to their friends and advisers": a possessive determiner opens a description.
    let determiner = |m: usize| {
        matches!(coref.mentions[m].kind, MentionKind::Pronoun(_))
            && lexicon::is_possessive_determiner(&lower(doc, coref.mentions[m].tok_start))
            && doc.kind_at(coref.mentions[m].tok_end) == Some(TokenKind::Word)
    };
    if let Some(m) = coref.mention_starting_at(i).filter(|&m| !determiner(m)) {
        if usable(coref, m) && coref.mentions[m].kind != MentionKind::Description {
            // "according to Saudi Arabia's Civil Defense Authority": the possessed name.
            let end = coref.mentions[m].tok_end;
            let possessed = (end + 1 < hi && lexicon::is_possessive_mark(doc.word(end)))
                .then(|| coref.mention_starting_at(end + 1))
                .flatten()
                .filter(|&n| usable(coref, n) && coref.mentions[n].kind == MentionKind::Name);
            // A title-bearing ORG/LOC can precede the person: prefer a PER name right after it.
            if let Some(p) = next_person(doc, coref, i, hi).or(possessed) {
                return Some(p);
            }
            // "according to Dana Reyes's spokesman": the description, below.
            if !modifies_phrase(doc, coref, m, hi) {
                return Some(m);
            }
            modifier = Some(m);
        }
    }
    // A run of titles and roles before a name: the name is the speaker.
    if let Some(m) = next_person(doc, coref, i, hi) {
        return Some(m);
    }
    // A description: "said a spokesman for the campaign".
    let mut end = i;
    while end < hi && end - i < 6 {
        let w = lower(doc, end);
        if is_role_head(&w) || is_group_head(&w) {
            return description_ending_at(doc, coref, end, i);
        }
        // The phrase's head comes before a preposition: "her lawyers in a court filing" is
        // no court.
        if doc.kind_at(end) != Some(TokenKind::Word) || (end > i && lexicon::PREPOSITIONS.contains(w.as_str())) {
            break;
        }
        end += 1;
    }
    if modifier.is_some() {
        return modifier;
    }
    let mut end = i;
    while end + 1 < hi && end - i < 3 && is_capitalised_word(doc, end + 1) {
        end += 1;
    }
    fallback_name_ending_at(doc, coref, end, i)
}

/// The source after "according to" when no name or role is found: the noun phrase up to the
/// next punctuation ("according to reports emerging in the news media").
pub(crate) fn according_source(doc: &Document, coref: &mut MentionSet, to: usize, hi: usize) -> Option<usize> {
    if let Some(m) = subject_right(doc, coref, to, hi) {
        return Some(m);
    }
    // A quoted title inside the phrase is part of it ("according to the "Health for all"
    // document"); a quotation at its end is not.
    let start = to + 1;
    let (mut end, mut plain_end) = (start, start);
    while end < hi && end - start < 10 {
        let quoted = coref.quoted_at(end) || doc.kind_at(end) == Some(TokenKind::Quote);
        if !quoted && doc.kind_at(end) != Some(TokenKind::Word) {
            break;
        }
        end += 1;
        if !quoted {
            plain_end = end;
        }
    }
    let end = plain_end;
    (end > start && !(start..end).all(|t| lexicon::DETERMINERS.contains(lower(doc, t).as_str())))
        .then(|| coref.add_description(doc, start, end, false))
}

/// The first person name within a short run of title words, capitalised words and ORG/LOC
/// names starting at `i`.
fn next_person(doc: &Document, coref: &MentionTable, i: usize, hi: usize) -> Option<usize> {
    // After "to", a person is the object ("a former aide to President George W. Bush"),
    // unless a place or organisation comes first ("Ambassador to the United Nations Maria
    // Lopez").
    let mut object_of_to = false;
    let mut t = i;
    while t < hi && t - i < 10 {
        if let Some(m) = coref.mention_starting_at(t) {
            let mention = &coref.mentions[m];
            if mention.kind == MentionKind::Name {
                // A person who only modifies the phrase ("Trump's campaign manager Robby
                // Mook", or a demonym NER took for a person: "Freedonian Ambassador Maria
                // Lopez") gives way to the person the phrase ends in.
                if coref.is_person(m) && !modifies_phrase(doc, coref, m, hi) {
                    return (!object_of_to).then_some(m);
                }
                object_of_to &= coref.is_person(m);
                t = mention.tok_end;
                continue;
            }
        }
        let w = lower(doc, t);
        object_of_to |= w == "to";
        // "campaign manager", "press secretary": a role head's modifiers.
        let before_role =
            doc.kind_at(t) == Some(TokenKind::Word) && (t + 1..(t + 3).min(hi)).any(|k| is_role_head(&lower(doc, k)));
        let titled = is_role_head(&w)
            || before_role
            || matches!(
                w.as_str(),
                "of" | "to"
                    | "the"
                    | "'s"
                    | "’s"
                    | "former"
                    | "senior"
                    | "top"
                    | "deputy"
                    | "foreign"
                    | "state"
                    | "prime"
                    | "vice"
            )
            || is_capitalised_word(doc, t);
        if !titled {
            return None;
        }
        t += 1;
    }
    None
}

/// Does name `m` only modify the phrase it opens: a possessor or a word before a title
/// ("Dana Reyes's spokesman", "Freedonian Ambassador")?
fn modifies_phrase(doc: &Document, coref: &MentionTable, m: usize, hi: usize) -> bool {
    let end = coref.mentions[m].tok_end;
    end < hi
        && (lexicon::is_possessive_mark(doc.word(end))
            || doc.kind_at(end) == Some(TokenKind::Word) && is_role_head(&lower(doc, end)))
}
