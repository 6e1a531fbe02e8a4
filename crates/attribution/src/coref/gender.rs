//! What a document says about a person's gender, strongest first: the pronouns that refer to
//! them ("she said"), an honorific ("Ms."), a gendered title or kin word ("spokeswoman",
//! "her brother"'s brother), and only where the text says nothing, the first name's
//! statistics from an international name list. Unknown stays unknown and blocks nothing.

use crate::lexicon::Gender;

/// Where a person's gender comes from, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenderEvidence {
    /// A pronoun the document uses for them ("she", "his"), resolved with confidence.
    Pronoun,
    /// An honorific with the name ("Ms.", "Mr.", "Sir").
    Honorific,
    /// A gendered title or kin word with the name ("spokeswoman", "chairman", "mother").
    Title,
    /// A user's alias file said so.
    Alias,
    /// The first name's statistics (`data/first_names.tsv`).
    FirstName,
}

impl GenderEvidence {
    /// As written in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            GenderEvidence::Pronoun => "pronoun",
            GenderEvidence::Honorific => "honorific",
            GenderEvidence::Title => "title",
            GenderEvidence::Alias => "alias",
            GenderEvidence::FirstName => "first_name",
        }
    }
}

/// Which evidence the output's `gender` draws on (`whosaid attribute --gender-from`). The
/// resolver always uses all of it to link pronouns; this only chooses what is reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GenderFrom {
    /// The document's own references (pronouns, honorifics, gendered titles), then a user's
    /// alias file, then first-name statistics where the text says nothing.
    #[default]
    Text,
    /// The document's own references and alias files only: no first-name statistics.
    TextOnly,
    /// First-name statistics only (for measuring that fallback alone).
    Names,
    /// No gender in the output.
    Off,
}

impl GenderFrom {
    pub const ALL: [GenderFrom; 4] = [GenderFrom::Text, GenderFrom::TextOnly, GenderFrom::Names, GenderFrom::Off];

    /// As `--gender-from` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            GenderFrom::Text => "text",
            GenderFrom::TextOnly => "text-only",
            GenderFrom::Names => "names",
            GenderFrom::Off => "off",
        }
    }

    /// The reported gender of a person whose document gives `stated` (evidence other than a
    /// first name, if any) and whose first name's statistics give `by_name`.
    pub fn choose(self, stated: Option<GenderBelief>, by_name: Option<GenderBelief>) -> Option<GenderBelief> {
        let known = |b: &GenderBelief| b.gender != Gender::Unknown;
        let unknown = GenderBelief::default();
        match self {
            GenderFrom::Off => None,
            GenderFrom::Names => Some(by_name.filter(known).unwrap_or(unknown)),
            GenderFrom::TextOnly => Some(stated.filter(known).unwrap_or(unknown)),
            GenderFrom::Text => Some(stated.filter(known).or(by_name.filter(known)).unwrap_or(unknown)),
        }
    }
}

impl std::str::FromStr for GenderFrom {
    type Err = String;
    fn from_str(s: &str) -> Result<GenderFrom, String> {
        GenderFrom::ALL.into_iter().find(|g| g.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = GenderFrom::ALL.iter().map(|g| g.as_str()).collect();
            format!("{s:?} is not one of {}", names.join(", "))
        })
    }
}

/// A person's gender as the document gives it so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GenderBelief {
    pub gender: Gender,
    pub evidence: Option<GenderEvidence>,
    /// The probability that the person is referred to as a woman: 0 or 1 from the text's own
    /// evidence, the name list's share for a first name, 0.5 when nothing is known.
    pub p_female: f32,
}

impl Default for GenderBelief {
    fn default() -> Self {
        GenderBelief { gender: Gender::Unknown, evidence: None, p_female: 0.5 }
    }
}

impl GenderBelief {
    /// What the text itself says: `gender` from `evidence`.
    pub fn stated(gender: Gender, evidence: GenderEvidence) -> GenderBelief {
        let p_female = match gender {
            Gender::Female => 1.0,
            Gender::Male => 0.0,
            Gender::Unknown => 0.5,
        };
        GenderBelief { gender, evidence: Some(evidence), p_female }
    }

    /// A first name's share of women in the name list; decided at 0.9 either way.
    pub fn from_first_name(p_female: f32) -> GenderBelief {
        let gender = if p_female >= 0.9 {
            Gender::Female
        } else if p_female <= 0.1 {
            Gender::Male
        } else {
            Gender::Unknown
        };
        GenderBelief { gender, evidence: Some(GenderEvidence::FirstName), p_female }
    }

    /// A speaker's output fields from the belief `GenderFrom::choose` gave: its gender, and
    /// what that rests on unless it is unknown.
    pub fn output_fields(belief: Option<GenderBelief>) -> (Option<Gender>, Option<GenderEvidence>) {
        let evidence = belief.filter(|b| b.gender != Gender::Unknown).and_then(|b| b.evidence);
        (belief.map(|b| b.gender), evidence)
    }

    /// Take `other` where it is stronger evidence than what is held.
    pub fn update(&mut self, other: GenderBelief) {
        let stronger = match (self.evidence, other.evidence) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(mine), Some(theirs)) => theirs < mine,
        };
        if stronger && other.gender != Gender::Unknown {
            *self = other;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_own_words_outrank_the_name_list() {
        let mut belief = GenderBelief::from_first_name(0.97);
        assert_eq!(belief.gender, Gender::Female);
        belief.update(GenderBelief::stated(Gender::Male, GenderEvidence::Pronoun));
        assert_eq!((belief.gender, belief.evidence), (Gender::Male, Some(GenderEvidence::Pronoun)));
        belief.update(GenderBelief::from_first_name(0.99));
        assert_eq!(belief.gender, Gender::Male);
        assert_eq!(GenderBelief::from_first_name(0.5).gender, Gender::Unknown);
    }
}
