//! What a speaker mention names, once the rules and the ranker have chosen it: the checks that
//! keep words which are not anyone's name out of the output's speakers. The proposers find a
//! speaker's *place* well; what sits there is sometimes a modifier ("one Democratic source"),
//! a place in an appositive ("Ann Lee, of Springfield, Va., said"), the tail of a longer
//! organisation name that NER cut ("the Commission on Presidential Debates"), a kin or role
//! word written with a capital ("Mom"), or markup and clitics left in a name (">Sanders",
//! "'s"). Each check looks at the mention's own tokens and its neighbours only.

use whosaid_tokenize::{EntityLabel, Span, TokenKind};

use crate::coref::gender::{GenderBelief, GenderEvidence};
use crate::coref::MentionKind;
use crate::lexicon;
use crate::lexicon::{gendered_title, is_organisation_head, is_role_head, is_title_word, lower, Gender};
use crate::output::SpeakerRef;
use crate::speaker_type::SpeakerType;
use crate::state::State;

impl State<'_> {
    /// The output's speaker for mention `m`: [`State::speaker_ref`] after the checks above;
    /// None when what is left names no one.
    pub(crate) fn speaker_of_mention(&self, m: usize) -> Option<SpeakerRef> {
        let mention = &self.coref.mentions[m];
        let mut speaker = self.speaker_ref(m);
        if mention.kind == MentionKind::Description {
            // "Cornyn's statement added": a message speaks for the person who wrote it.
            if let Some(author) = self.author_of_message(mention.tok_start, mention.tok_end) {
                return Some(self.speaker_ref(author));
            }
            // "A Bloomberg poll shows ... , according to the poll": a message described again
            // speaks for the author named where it was introduced; the mention stays as
            // written.
            if self.coref.cluster_of(m).is_none() {
                if let Some(author) = self.author_of_earlier_message(m) {
                    let by = self.speaker_ref(author);
                    return Some(SpeakerRef {
                        name: by.name,
                        kind: by.kind,
                        gender: by.gender,
                        gender_evidence: by.gender_evidence,
                        ..speaker
                    });
                }
            }
        }
        if mention.kind != MentionKind::Name {
            return Some(speaker);
        }
        if let Some(person) = self.person_after_title(mention.tok_end) {
            // "Charlotte Mayor Jennifer Roberts said": the place or party is the title's.
            return Some(self.speaker_ref(person));
        }
        match speaker.kind {
            // A title-case subhead ("Veto Power Impedes Peace Efforts: ...") is no one.
            SpeakerType::Entity(EntityLabel::Misc)
                if speaker.name.split_whitespace().count() >= 3 && self.in_headline(mention.tok_start) =>
            {
                return Some(SpeakerRef { kind: SpeakerType::Other, ..speaker });
            }
            // A plural ("Democrats", "Saudis") is a group that speaks ("Democrats involved in
            // the talks"); a singular adjective before a lower-case word modifies it.
            SpeakerType::Entity(EntityLabel::Misc) if !speaker.text.ends_with('s') => {
                if let Some(head) = self.head_noun_after(mention.tok_end) {
                    // "one Democratic source", "an Iraqi official": the description is the speaker.
                    return Some(self.description(mention.tok_start, head + 1));
                }
            }
            SpeakerType::Entity(EntityLabel::Location) => {
                if let Some(person) = self.person_before_place(mention.tok_start) {
                    return Some(self.speaker_ref(person));
                }
            }
            SpeakerType::Entity(EntityLabel::Person) => {
                if let Some(start) = self.organisation_name_before(mention.tok_start) {
                    // "the Commission on Presidential Debates": the organisation is the speaker.
                    let span = Span::new(self.doc.tokens[start].span.start, mention.span.end);
                    let name = self.doc.slice(span).to_string();
                    return Some(SpeakerRef {
                        name: name.clone(),
                        start: span.start,
                        text: name,
                        kind: SpeakerType::ORGANISATION,
                        gender: speaker.gender.map(|_| Gender::Unknown),
                        gender_evidence: None,
                        ..speaker
                    });
                }
                if speaker.name.split_whitespace().all(|w| is_kin_or_role(&w.to_lowercase())) {
                    // "Mom", "Senator": a role written with a capital names no one.
                    return Some(SpeakerRef { kind: SpeakerType::Other, ..speaker });
                }
            }
            _ => {}
        }
        let name = clean_name(&speaker.name)?;
        speaker.name = name;
        Some(speaker)
    }

    /// The named author of a message described by tokens `lo..hi`: a name, a possessive mark
    /// and a message noun ("Cornyn's statement", "the senator's letter" has no name and is
    /// left as it is; `lang/en/message-nouns.txt`).
    fn author_of_message(&self, lo: usize, hi: usize) -> Option<usize> {
        if !lexicon::MESSAGE_NOUNS.contains(lower(self.doc, hi - 1).as_str()) {
            return None;
        }
        // "Cornyn's statement", "Acme's recent analysis": at most two words between.
        let author = self.coref.mentions_starting_in(lo, lo + 1).iter().copied().find(|&i| {
            let name = &self.coref.mentions[i];
            name.kind == MentionKind::Name && name.tok_end + 2 <= hi && name.tok_end + 4 >= hi
        })?;
        let mark = self.coref.mentions[author].tok_end;
        let modifiers = (mark + 1..hi - 1).all(|t| {
            self.doc.kind_at(t) == Some(TokenKind::Word)
                && self.doc.word(t).chars().next().is_some_and(char::is_lowercase)
        });
        (lexicon::is_possessive_mark(self.doc.word(mark)) && modifiers).then_some(author)
    }

    /// The named author of the message a definite description ("the poll", "the statement")
    /// refers back to, where an earlier sentence (at most [`MESSAGE_LOOKBACK`] back) introduced
    /// it with its author: "A Bloomberg poll", "its 2013 report", "a statement issued by the
    /// Sanders campaign", "a note from Dana Reyes", "Cook provided a written statement".
    fn author_of_earlier_message(&self, m: usize) -> Option<usize> {
        const MESSAGE_LOOKBACK: usize = 8;
        let doc = self.doc;
        let mention = &self.coref.mentions[m];
        let noun = lower(doc, mention.head);
        let determiner = lower(doc, mention.tok_start);
        if !lexicon::MESSAGE_NOUNS.contains(noun.as_str())
            || !matches!(determiner.as_str(), "the" | "this" | "that")
            || mention.tok_end - mention.tok_start > 4
            // "The Monmouth poll" names its own author, or another message.
            || (mention.tok_start + 1..mention.head).any(|k| doc.word(k).starts_with(char::is_uppercase))
        {
            return None;
        }
        let singular = noun.strip_suffix('s').unwrap_or(&noun);
        let sentence = doc.sentence_of_token(mention.tok_start)?;
        let from = doc.sentences[sentence.saturating_sub(MESSAGE_LOOKBACK)].first_token;
        let named = |i: usize| {
            let x = &self.coref.mentions[i];
            (x.kind == MentionKind::Name || self.coref.cluster_of(i).is_some())
                && matches!(self.resolve(i).1, SpeakerType::Entity(EntityLabel::Person | EntityLabel::Organisation))
        };
        let lower_word = |t: usize| {
            doc.kind_at(t) == Some(TokenKind::Word) && doc.word(t).chars().next().is_some_and(char::is_lowercase)
        };
        for t in (from..mention.tok_start).rev() {
            let w = lower(doc, t);
            if w != noun && w.strip_suffix('s').unwrap_or(&w) != singular {
                continue;
            }
            // Before it: "A Bloomberg poll", "Acme's new report", "its 2013 report"; or the
            // subject of a verb that put it out: "Cook provided a written statement",
            // "Boistard said in a statement".
            let mut k = t;
            let mut words = 0;
            while k > from && words < 3 && (lower_word(k - 1) || doc.kind_at(k - 1) == Some(TokenKind::Number)) {
                // Modifiers only: a verb or a clause word ("reports that the letter") ends them.
                let before = lower(doc, k - 1);
                if lexicon::MESSAGE_VERBS.contains(before.as_str())
                    || lexicon::CLAUSE_WORDS.contains(before.as_str())
                    || matches!(before.as_str(), "in" | "that" | "which")
                {
                    break;
                }
                k -= 1;
                words += 1;
            }
            // (`mention_ending_at` takes a mention's last token.)
            let owner = k.checked_sub(1).and_then(|last| {
                self.coref.mention_ending_at(last).or_else(|| {
                    let mark = Some(last).filter(|&j| lexicon::is_possessive_mark(doc.word(j)))?;
                    self.coref.mention_ending_at(mark.checked_sub(1)?)
                })
            });
            if let Some(i) = owner.filter(|&i| named(i)) {
                return Some(i);
            }
            let mut v = k;
            if v > from && lower(doc, v - 1) == "in" {
                v -= 1;
            }
            if v > from + 1 {
                let verb = lower(doc, v - 1);
                let puts_out = lexicon::MESSAGE_VERBS.contains(verb.as_str())
                    || (lower(doc, v) == "in" && lexicon::cue(&verb).is_some());
                if puts_out {
                    if let Some(i) = self.coref.mention_ending_at(v - 2).filter(|&i| named(i)) {
                        return Some(i);
                    }
                }
            }
            // After it: "a statement issued by the campaign", "a note from Dana Reyes".
            let by = (t + 1..(t + 6).min(mention.tok_start))
                .take_while(|&j| !matches!(doc.word(j), "," | "." | ";" | ":"))
                .find(|&j| matches!(lower(doc, j).as_str(), "by" | "from"));
            let after_by = |j: usize| {
                let start = if lower(doc, j + 1) == "the" { j + 2 } else { j + 1 };
                self.coref.mention_starting_at(start).or_else(|| self.coref.mention_starting_at(j + 1))
            };
            if let Some(i) = by.and_then(after_by).filter(|&i| named(i)) {
                return Some(i);
            }
            // The nearest earlier mention of the message names no author: an older one would
            // be another message.
            return None;
        }
        None
    }

    /// A person named right after a title that follows token `t - 1` ("Charlotte Mayor
    /// Jennifer Roberts", "Ohio Gov. Tom Bradley").
    fn person_after_title(&self, t: usize) -> Option<usize> {
        let title = |k: usize| {
            let w = lower(self.doc, k);
            let w = w.trim_end_matches('.');
            self.doc.word(k).chars().next().is_some_and(char::is_uppercase) && (is_role_head(w) || is_title_word(w))
        };
        if !title(t) {
            return None;
        }
        let mut k = t + 1;
        while k < t + 3 && title(k) {
            k += 1;
        }
        let person = self.coref.mention_starting_at(k)?;
        (self.coref.mentions[person].kind == MentionKind::Name && self.coref.is_person(person)).then_some(person)
    }

    /// Is token `t` in a title-case sentence (a headline or subhead)?
    fn in_headline(&self, t: usize) -> bool {
        let start = self.doc.tokens.get(t).map(|tok| tok.span.start);
        start.and_then(|p| self.doc.sentence_of(p)).is_some_and(|s| self.headline.get(s).copied().unwrap_or(false))
    }

    /// The head noun of a description that token `t` (after a modifier) opens: a lower-case
    /// word that is not a cue, a verb of being or having, or a function word.
    fn head_noun_after(&self, t: usize) -> Option<usize> {
        let word = self.doc.word(t);
        let lowercase_word = self.doc.kind_at(t) == Some(TokenKind::Word)
            && word.chars().next().is_some_and(char::is_lowercase)
            && word.chars().all(|c| c.is_alphabetic() || c == '-');
        let head = lowercase_word
            && self.cue_at(t).is_none()
            && !self.according_to(t)
            && !lexicon::NOT_HEAD_NOUNS.contains(word)
            && !word.ends_with("ly");
        head.then_some(t)
    }

    /// A speaker in the same sentence written "Person, of Town, State," before the place that
    /// starts at token `t`.
    fn person_before_place(&self, t: usize) -> Option<usize> {
        let mut k = t;
        // Back over "Town, " pieces to "of".
        for _ in 0..6 {
            let prev = k.checked_sub(1)?;
            let word = self.doc.word(prev);
            if word == "of" {
                let comma = prev.checked_sub(1)?;
                if self.doc.word(comma) != "," {
                    return None;
                }
                let person = self.coref.mention_ending_at(comma.checked_sub(1)?)?;
                return self.coref.is_person(person).then_some(person);
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if !(capitalised || word == ",") {
                return None;
            }
            k = prev;
        }
        None
    }

    /// The first token of a capitalised organisation name ending in "of", "on" or "for"
    /// right before token `t` ("Commission on" before "Presidential Debates"): its last word
    /// is an organisation noun ("Commission", "Department", "Committee"), so that "Fans of",
    /// "Attorneys for" or "Holger Schmieding of" do not count.
    fn organisation_name_before(&self, t: usize) -> Option<usize> {
        let link = t.checked_sub(1)?;
        if !matches!(self.doc.word(link), "of" | "on" | "for") {
            return None;
        }
        let noun = link.checked_sub(1)?;
        if !is_organisation_head(&lower(self.doc, noun)) {
            return None;
        }
        let sentence = self.doc.sentence_of_token(t);
        let mut start = noun;
        while let Some(prev) = start.checked_sub(1) {
            let word = self.doc.word(prev);
            let capitalised = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '.')
                && !is_title_word(&word.to_lowercase());
            if !capitalised || self.doc.sentence_of_token(prev) != sentence {
                break;
            }
            start = prev;
        }
        self.doc.word(start).chars().next().is_some_and(char::is_uppercase).then_some(start)
    }

    /// Tokens `a..b` as an unresolved description speaker.
    fn description(&self, a: usize, b: usize) -> SpeakerRef {
        let span = Span::new(self.doc.tokens[a].span.start, self.doc.tokens[b - 1].span.end);
        let text = self.doc.slice(span).to_string();
        let stated = gendered_title(&lower(self.doc, b - 1)).map(|g| GenderBelief::stated(g, GenderEvidence::Title));
        let (gender, gender_evidence) = GenderBelief::output_fields(self.gender_from.choose(stated, None));
        SpeakerRef {
            name: text.clone(),
            start: span.start,
            end: span.end,
            text,
            kind: SpeakerType::Other,
            gender,
            id: None,
            gender_evidence,
        }
    }
}

/// A kin word or a role noun ("mom", "senator"), which a capital does not make a name.
fn is_kin_or_role(word_lower: &str) -> bool {
    gendered_title(word_lower).is_some() || is_role_head(word_lower) || is_title_word(word_lower)
}

/// A name without the markup or punctuation an extraction left around it (">Sanders"); None
/// when nothing of a name is left ("'s").
fn clean_name(name: &str) -> Option<String> {
    let trimmed = name.trim_start_matches(|c: char| !c.is_alphanumeric());
    let is_clitic = matches!(name.trim().to_lowercase().as_str(), "'s" | "’s" | "s");
    (!is_clitic && trimmed.chars().any(char::is_alphabetic)).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_leading_markup_and_clitics_name_no_one() {
        assert_eq!(clean_name(">Sanders").as_deref(), Some("Sanders"));
        assert_eq!(clean_name("Ana Ruiz").as_deref(), Some("Ana Ruiz"));
        assert_eq!(clean_name("'s"), None);
        assert_eq!(clean_name("’s"), None);
        assert!(is_kin_or_role("mom") && is_kin_or_role("senator") && !is_kin_or_role("ruiz"));
    }
}
