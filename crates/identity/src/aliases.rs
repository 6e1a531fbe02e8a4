//! A user's alias file: their own ids for speakers, to link whosaid's names to a knowledge
//! base. CSV, one speaker a line: `id,name,aliases,qid,gender`; `aliases` separated by `|` or
//! `;`, `qid` (a Wikidata id) and `gender` (female, male or unknown) optional; a first line
//! starting `id,` is a header. Fields may be quoted as in RFC 4180.

use std::collections::HashMap;

use crate::normalise;

/// One speaker of an alias file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasEntry {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub qid: Option<String>,
    pub gender: Option<AliasGender>,
}

/// The gender an alias file gives a speaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasGender {
    Female,
    Male,
    Unknown,
}

impl AliasGender {
    pub fn as_str(self) -> &'static str {
        match self {
            AliasGender::Female => "female",
            AliasGender::Male => "male",
            AliasGender::Unknown => "unknown",
        }
    }
}

/// Why an alias file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("cannot read the alias file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("alias file line {line}: {message}")]
    Line { line: usize, message: String },
}

/// The entries of an alias file, looked up by any of their names.
#[derive(Clone, Debug, Default)]
pub struct AliasTable {
    pub entries: Vec<AliasEntry>,
    by_name: HashMap<String, usize>,
}

impl AliasTable {
    pub fn read(path: &std::path::Path) -> Result<AliasTable, AliasError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| AliasError::Read { path: path.display().to_string(), source })?;
        AliasTable::parse(&text)
    }

    pub fn parse(text: &str) -> Result<AliasTable, AliasError> {
        let mut table = AliasTable::default();
        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = line.trim_start_matches('\u{feff}');
            if line.trim().is_empty() {
                continue;
            }
            let fields = split_csv(line).map_err(|message| AliasError::Line { line: line_no, message })?;
            if n == 0 && fields.first().is_some_and(|f| f.trim().eq_ignore_ascii_case("id")) {
                continue;
            }
            let field = |i: usize| fields.get(i).map(|f| f.trim()).filter(|f| !f.is_empty());
            let (Some(id), Some(name)) = (field(0), field(1)) else {
                return Err(AliasError::Line { line: line_no, message: "needs at least an id and a name".into() });
            };
            if fields.len() > 5 {
                return Err(AliasError::Line {
                    line: line_no,
                    message: format!("{} fields: id, name, aliases, qid, gender at most", fields.len()),
                });
            }
            let gender = match field(4).map(str::to_lowercase).as_deref() {
                None => None,
                Some("female") => Some(AliasGender::Female),
                Some("male") => Some(AliasGender::Male),
                Some("unknown") => Some(AliasGender::Unknown),
                Some(other) => {
                    return Err(AliasError::Line {
                        line: line_no,
                        message: format!("gender {other:?}: female, male, unknown or empty"),
                    })
                }
            };
            let aliases: Vec<String> = field(2)
                .map(|a| a.split(['|', ';']).map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect())
                .unwrap_or_default();
            let entry = AliasEntry {
                id: id.to_string(),
                name: name.to_string(),
                aliases,
                qid: field(3).map(String::from),
                gender,
            };
            let index = table.entries.len();
            for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                if let Some(&other) = table.by_name.get(&normalise(alias)) {
                    if other != index {
                        return Err(AliasError::Line {
                            line: line_no,
                            message: format!("{alias:?} is already a name of {}", table.entries[other].id),
                        });
                    }
                }
                table.by_name.insert(normalise(alias), index);
            }
            table.entries.push(entry);
        }
        Ok(table)
    }

    /// The entry one of whose names `name` is (compared without case, extra spaces or a
    /// leading "the").
    pub fn lookup(&self, name: &str) -> Option<&AliasEntry> {
        self.by_name.get(&normalise(name)).map(|&i| &self.entries[i])
    }

    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(&normalise(name)).copied()
    }
}

/// One CSV line's fields (RFC 4180 quoting; a line break inside quotes is not supported).
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if at_start => quoted = true,
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                at_start = true;
                continue;
            }
            _ => field.push(c),
        }
        at_start = false;
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_files_read_with_or_without_a_header() {
        let table = AliasTable::parse(
            "id,name,aliases,qid,gender\nP1,Ana Ruiz,\"Ruiz, Ana|A. Ruiz\",Q1,female\nO1,Harbour Board,HB;The Board,,\n",
        )
        .unwrap();
        assert_eq!(table.entries.len(), 2);
        assert_eq!(table.lookup("ruiz, ana").map(|e| e.id.as_str()), Some("P1"));
        assert_eq!(table.lookup("the harbour board").map(|e| e.id.as_str()), Some("O1"));
        assert_eq!(table.entries[0].gender, Some(AliasGender::Female));
        assert_eq!(table.entries[1].qid, None);
        let err = AliasTable::parse("X,Ana Ruiz\nY,Ana Ruiz\n").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("already a name of X"), "{err}");
        assert!(AliasTable::parse("X,Ana,,,woman\n").unwrap_err().to_string().contains("gender"));
        assert!(AliasTable::parse("X\n").is_err());
    }
}
