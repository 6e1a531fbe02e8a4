//! What a speaker is: the one type that the output and coreference share (coreference gives
//! each cluster its type; the output writes it), kept apart so neither depends on the other.

use serde::{Deserialize, Serialize};
use whosaid_tokenize::EntityLabel;

/// What a speaker is: a named entity's type, or OTHER for a pronoun or description whosaid
/// could not resolve (and a group named by its description: "voters who say"). Written as
/// the entity label ("PER", "ORG", "LOC", "MISC") or "OTHER".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum SpeakerType {
    Entity(EntityLabel),
    Other,
}

impl SpeakerType {
    pub const PERSON: SpeakerType = SpeakerType::Entity(EntityLabel::Person);
    pub const ORGANISATION: SpeakerType = SpeakerType::Entity(EntityLabel::Organisation);

    /// As written in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerType::Entity(label) => label.as_str(),
            SpeakerType::Other => "OTHER",
        }
    }
}

impl From<SpeakerType> for &'static str {
    fn from(kind: SpeakerType) -> Self {
        kind.as_str()
    }
}

impl TryFrom<String> for SpeakerType {
    type Error = String;
    fn try_from(name: String) -> Result<Self, String> {
        match name.as_str() {
            "OTHER" => Ok(SpeakerType::Other),
            _ => EntityLabel::from_conll(&name)
                .map(SpeakerType::Entity)
                .ok_or_else(|| format!("unknown speaker type {name:?}: PER, ORG, LOC, MISC or OTHER")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_types_read_and_write_as_the_output_names_them() {
        for (kind, name) in [
            (SpeakerType::PERSON, "\"PER\""),
            (SpeakerType::Entity(EntityLabel::Misc), "\"MISC\""),
            (SpeakerType::Other, "\"OTHER\""),
        ] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), name);
            assert_eq!(serde_json::from_str::<SpeakerType>(name).unwrap(), kind);
        }
        let unknown = serde_json::from_str::<SpeakerType>("\"PERSON\"").unwrap_err().to_string();
        assert!(unknown.contains("unknown speaker type"), "{unknown}");
    }
}
