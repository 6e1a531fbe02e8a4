//! CoNLL-U documents (GUM's `conllu/` files): the running text rebuilt from their sentences,
//! and the entity mentions of their coreference layer, with code-point offsets into that text.
//!
//! The text follows `scripts/gum_docs.py` exactly (the out-of-domain fixture's offsets index
//! it): each `# newpar` starts a paragraph, paragraphs are separated by a blank line, a
//! paragraph's sentences are their `# text = ...` lines joined by one space, and a paragraph
//! that opens a speaker turn (`# newpar_block = sp who:::"#ChristopherHill" ...`) starts with
//! the speaker's name and a colon, its CamelCase split into words, as Wikinews prints its
//! interviews.

/// A gold entity mention: code points `start..end` of the document text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldMention {
    pub start: usize,
    pub end: usize,
    /// The entity's id within the document: mentions with the same id corefer.
    pub entity: String,
    /// GUM's entity type: person, organization, place, abstract, object, event, time, ...
    pub etype: String,
}

/// One document of a CoNLL-U file.
#[derive(Clone, Debug, Default)]
pub struct ConlluDoc {
    pub id: String,
    pub text: String,
    pub mentions: Vec<GoldMention>,
}

/// Why a CoNLL-U file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

/// "ChristopherHill" -> "Christopher Hill", "WilliamSSaturn" -> "William S Saturn",
/// "HughMcGuire" -> "Hugh McGuire" (a word's "Mc" keeps its capital).
pub fn split_camel(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_uppercase() {
            let word = out.rsplit(' ').next().unwrap_or("");
            let after_lower = chars[i - 1].is_lowercase() && word != "Mc";
            let before_word = chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || before_word {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// An entity bracket of a token's `Entity=` value: `(ID-type-...` opens, `ID)` closes.
enum Bracket {
    Open { entity: String, etype: String, closes_here: bool },
    Close { entity: String },
}

fn brackets(value: &str) -> Vec<Bracket> {
    let mut out = Vec::new();
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '(' && chars[j] != ')' {
                j += 1;
            }
            let body: String = chars[i + 1..j].iter().collect();
            let mut fields = body.split('-');
            let entity = fields.next().unwrap_or("").to_string();
            let etype = fields.next().unwrap_or("").to_string();
            let closes_here = chars.get(j) == Some(&')');
            out.push(Bracket::Open { entity, etype, closes_here });
            i = if closes_here { j + 1 } else { j };
        } else {
            let mut j = i;
            while j < chars.len() && chars[j] != ')' && chars[j] != '(' {
                j += 1;
            }
            let entity: String = chars[i..j].iter().collect();
            if chars.get(j) == Some(&')') && !entity.is_empty() {
                out.push(Bracket::Close { entity });
                i = j + 1;
            } else {
                i = j.max(i + 1);
            }
        }
    }
    out
}

/// The document being read.
#[derive(Default)]
struct Builder {
    doc: ConlluDoc,
    /// Code points of `doc.text` so far.
    len: usize,
    /// Sentences of the current paragraph so far (0: none yet; None: no paragraph open).
    paragraph_sentences: Option<usize>,
    /// The current sentence's text and its first code point in the document.
    sentence: Option<(Vec<char>, usize)>,
    /// Where the next token is searched for in the sentence.
    cursor: usize,
    /// Open mentions: (entity, type, start).
    open: Vec<(String, String, usize)>,
    /// A multi-word token's span, and its last word's index.
    range: Option<(usize, usize, usize)>,
}

impl Builder {
    fn push_text(&mut self, s: &str) {
        self.doc.text.push_str(s);
        self.len += s.chars().count();
    }

    fn start_paragraph(&mut self) {
        if !self.doc.text.is_empty() {
            self.push_text("\n\n");
        }
        self.paragraph_sentences = Some(0);
    }

    fn start_sentence(&mut self, text: &str) {
        match self.paragraph_sentences {
            None => self.start_paragraph(),
            Some(n) if n > 0 => self.push_text(" "),
            Some(_) => {}
        }
        *self.paragraph_sentences.get_or_insert(0) += 1;
        self.sentence = Some((text.chars().collect(), self.len));
        self.cursor = 0;
        self.push_text(text);
    }

    /// The span of `form` in the current sentence, searched from the cursor.
    fn find(&mut self, form: &str) -> Option<(usize, usize)> {
        let (chars, base) = self.sentence.as_ref()?;
        let needle: Vec<char> = form.chars().collect();
        if needle.is_empty() {
            return None;
        }
        let at = (self.cursor..=chars.len().saturating_sub(needle.len())).find(|&i| chars[i..].starts_with(&needle))?;
        self.cursor = at + needle.len();
        Some((base + at, base + at + needle.len()))
    }

    fn token(&mut self, line: usize, fields: &[&str]) -> Result<(), ConlluError> {
        let index = fields[0];
        if let Some((a, b)) = index.split_once('-') {
            // A multi-word token: its words' forms need not be substrings of its surface.
            let last: usize =
                b.parse().map_err(|_| ConlluError { line, message: format!("bad token range {index}") })?;
            let _: usize = a.parse().map_err(|_| ConlluError { line, message: format!("bad token range {index}") })?;
            let span = self.find(fields[1]).ok_or_else(|| ConlluError {
                line,
                message: format!("token {:?} is not in the sentence text", fields[1]),
            })?;
            self.range = Some((span.0, span.1, last));
            return Ok(());
        }
        if index.contains('.') {
            return Ok(()); // an empty node
        }
        let word: usize = index.parse().map_err(|_| ConlluError { line, message: format!("bad token id {index}") })?;
        let span = match self.range {
            Some((start, end, last)) => {
                let saved = self.cursor;
                let inside = self.find(fields[1]).filter(|&(a, b)| a >= start && b <= end);
                if inside.is_none() {
                    self.cursor = saved;
                }
                if word >= last {
                    self.range = None;
                }
                inside.unwrap_or((start, end))
            }
            None => self.find(fields[1]).ok_or_else(|| ConlluError {
                line,
                message: format!("token {:?} is not in the sentence text", fields[1]),
            })?,
        };
        let misc = fields.get(9).copied().unwrap_or("_");
        let Some(value) = misc.split('|').find_map(|f| f.strip_prefix("Entity=")) else { return Ok(()) };
        for b in brackets(value) {
            match b {
                Bracket::Open { entity, etype, closes_here: true } => {
                    self.doc.mentions.push(GoldMention { start: span.0, end: span.1, entity, etype })
                }
                Bracket::Open { entity, etype, closes_here: false } => self.open.push((entity, etype, span.0)),
                Bracket::Close { entity } => {
                    let Some(k) = self.open.iter().rposition(|(e, _, _)| *e == entity) else {
                        return Err(ConlluError { line, message: format!("entity {entity} closes but is not open") });
                    };
                    let (entity, etype, start) = self.open.remove(k);
                    self.doc.mentions.push(GoldMention { start, end: span.1, entity, etype });
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> ConlluDoc {
        self.doc.mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        self.doc
    }
}

/// The documents of a CoNLL-U file's text.
pub fn read_conllu(text: &str) -> Result<Vec<ConlluDoc>, ConlluError> {
    let mut docs = Vec::new();
    let mut b: Option<Builder> = None;
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if let Some(id) = line.strip_prefix("# newdoc id = ") {
            docs.extend(b.take().map(Builder::finish));
            b = Some(Builder {
                doc: ConlluDoc { id: id.trim().to_string(), ..ConlluDoc::default() },
                ..Builder::default()
            });
            continue;
        }
        let builder = b.get_or_insert_with(Builder::default);
        if line == "# newpar" || line.starts_with("# newpar ") {
            builder.start_paragraph();
        } else if let Some(block) = line.strip_prefix("# newpar_block = ") {
            let turn = block.strip_prefix("sp who:::\"#").and_then(|rest| rest.split('"').next());
            if let (Some(name), Some(0)) = (turn, builder.paragraph_sentences) {
                let label = format!("{}: ", split_camel(name));
                builder.push_text(&label);
            }
        } else if let Some(sentence) = line.strip_prefix("# text = ") {
            builder.start_sentence(sentence);
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 2 {
                return Err(ConlluError { line: line_no, message: "a token line needs tab-separated fields".into() });
            }
            builder.token(line_no, &fields)?;
        }
    }
    docs.extend(b.map(Builder::finish));
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = doc_a\n# newpar\n# newpar_block = head (1 s)\n# text = Ana Ruiz wins\n\
1\tAna\t_\t_\t_\t_\t_\t_\t_\tEntity=(1-person-new-x-cf1-1-coref\n2\tRuiz\t_\t_\t_\t_\t_\t_\t_\tEntity=1)\n\
3\twins\t_\t_\t_\t_\t_\t_\t_\t_\n\n# newpar\n# newpar_block = sp who:::\"#AnaRuiz\" (2 s) | p (2 s)\n\
# text = I won't stop.\n1\tI\t_\t_\t_\t_\t_\t_\t_\tEntity=(1-person-giv-x-cf1-1-ana)\n\
2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\two\t_\t_\t_\t_\t_\t_\t_\t_\n3\tnot\t_\t_\t_\t_\t_\t_\t_\t_\n\
4\tstop\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n# text = She said it.\n\
1\tShe\t_\t_\t_\t_\t_\t_\t_\tEntity=(1-person-giv-x-cf1-1-ana)\n2\tsaid\t_\t_\t_\t_\t_\t_\t_\t_\n\
3\tit\t_\t_\t_\t_\t_\t_\t_\tEntity=(2-abstract-new-x-cf2-1-sgl)\n";

    #[test]
    fn the_text_is_rebuilt_with_paragraphs_turn_labels_and_mentions() {
        // "won't" is one token of two words, "wo" and "not": "not" is not in its surface and
        // takes the whole token's span.
        let docs = read_conllu(SAMPLE).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.id, "doc_a");
        assert_eq!(d.text, "Ana Ruiz wins\n\nAna Ruiz: I won't stop. She said it.");
        let chars: Vec<char> = d.text.chars().collect();
        let slice = |m: &GoldMention| chars[m.start..m.end].iter().collect::<String>();
        let texts: Vec<(String, &str)> = d.mentions.iter().map(|m| (slice(m), m.entity.as_str())).collect();
        assert_eq!(texts, [("Ana Ruiz".to_string(), "1"), ("I".into(), "1"), ("She".into(), "1"), ("it".into(), "2")]);
        assert_eq!(d.mentions[0].etype, "person");
    }

    #[test]
    fn camel_case_speaker_ids_become_names() {
        assert_eq!(split_camel("ChristopherHill"), "Christopher Hill");
        assert_eq!(split_camel("WilliamSSaturn"), "William S Saturn");
        assert_eq!(split_camel("HughMcGuire"), "Hugh McGuire");
        assert_eq!(split_camel("Wikinews"), "Wikinews");
    }
}
