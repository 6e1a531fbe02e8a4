//! The attribution crate's modules form no import cycle, and lib.rs stays the entry.
//!
//! Each module (a file under src/, or a folder with its mod.rs) depends on the modules its
//! code names as `crate::module` (in `use` lines and in paths), test modules left out. lib.rs
//! is the entry: it may name every module, and no module may name it back (an item of lib.rs
//! named by a module would be an edge back to the entry). The graph must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ENTRY: &str = "lib";

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a source file belongs to: its first path component under src/ without ".rs".
fn module_of(src: &Path, file: &Path) -> String {
    let first = file.strip_prefix(src).expect("under src").components().next().expect("a component");
    first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The code of a file without comments and without `#[cfg(test)] mod ... { ... }` blocks.
fn code_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]" && lines.peek().is_some_and(|l| l.trim_start().starts_with("mod ")) {
            let mut depth = 0i32;
            for l in lines.by_ref() {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                if depth <= 0 && l.contains('}') {
                    break;
                }
            }
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push(line);
    }
    out
}

/// The names a line takes from the crate root: `crate::name` and each top-level name of
/// `crate::{a, b::c}`.
fn crate_names(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Split the group at its own commas, not at those of a nested group.
            let (mut depth, mut part) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.extend(first_name(&part));
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
            names.extend(first_name(&part));
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

/// The first name of a path inside a use group: "b" of "b::C".
fn first_name(part: &str) -> Option<String> {
    let name = part.trim().split("::").next()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let from = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("read source");
        for line in code_lines(&text) {
            for name in crate_names(line) {
                // A name that is no module is an item of lib.rs (or a re-export there).
                let to = if modules.contains(&name) { name } else { ENTRY.to_string() };
                if to != from {
                    graph.get_mut(&from).expect("known module").insert(to);
                }
            }
        }
    }
    graph
}

#[test]
fn no_module_names_the_entry_back() {
    let graph = import_graph();
    let back: Vec<&String> = graph.iter().filter(|(m, to)| *m != ENTRY && to.contains(ENTRY)).map(|(m, _)| m).collect();
    assert!(back.is_empty(), "modules that take items from lib.rs instead of their own module: {back:?}");
}

#[test]
fn modules_import_each_other_in_no_cycle() {
    let graph = import_graph();
    // Depth-first search with colours: a grey module met again closes a cycle.
    fn visit<'g>(
        m: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        colour: &mut BTreeMap<&'g str, u8>,
        path: &mut Vec<&'g str>,
    ) -> Option<Vec<String>> {
        colour.insert(m, 1);
        path.push(m);
        for next in &graph[m] {
            match colour.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| *p == next.as_str()).expect("on the path");
                    let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, graph, colour, path) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        colour.insert(m, 2);
        None
    }
    let mut colour = BTreeMap::new();
    for m in graph.keys() {
        if colour.get(m.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(m, &graph, &mut colour, &mut Vec::new()) {
                panic!("import cycle: {}", cycle.join(" -> "));
            }
        }
    }
    // The graph is read at all: the quoted rules take their candidates and state.
    assert!(graph["quoted"].contains("candidates") && graph["quoted"].contains("state"), "{:?}", graph["quoted"]);
}

#[test]
fn the_parser_reads_use_groups_and_paths_and_skips_tests_and_comments() {
    assert_eq!(crate_names("use crate::{a, b::C, c::{D, E}};"), ["a", "b", "c"]);
    assert_eq!(crate_names("let x = crate::scorer::features(st);"), ["scorer"]);
    let text = "use crate::a;\n// use crate::b;\n#[cfg(test)]\nmod tests {\n    use crate::c;\n}\nuse crate::d;\n";
    let names: Vec<String> = code_lines(text).into_iter().flat_map(crate_names).collect();
    assert_eq!(names, ["a", "d"]);
}
