//! The core's layers, kept by reading its source (`crates/core/src/`): a
//! module imports only from its own layer and the layers below it, and no
//! two modules import each other in a circle. A module is a child of a
//! layer folder (`model/workspace`); `fs` and `engine` are one module each.
//! Paths are read from `crate::…` and `super::…` (inline `mod` blocks
//! counted), with the crate root's flat re-exports (`core::workspace`)
//! mapped to the layer that holds them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first (crates/core/src/lib.rs says what each holds).
const LAYERS: &[&str] = &["fs", "model", "rules", "engine", "edit", "analysis", "services"];
/// Layers that are one module (their files are that module's parts).
const SINGLE: &[&str] = &["fs", "engine"];

type Unit = (String, String);

fn core_src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/core/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read the core's source")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text without comments and with string and char literals emptied
/// (newlines kept, so offsets still give lines): a path or brace inside
/// them is not read.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    match c {
                        // An escape; `\` at a line's end continues the
                        // string on the next line, whose newline is kept
                        // (or every line after would be misnumbered).
                        '\\' => out.push_str(if chars.next() == Some('\n') { "\n" } else { "" }),
                        '"' => break,
                        '\n' => out.push('\n'),
                        _ => {}
                    }
                }
                out.push('"');
            }
            '\'' => {
                // A char literal ('{', '\n'), or a lifetime ('a): a lifetime
                // has no closing quote two or three characters on.
                let rest: String = chars.clone().take(4).collect();
                let close = if rest.starts_with('\\') {
                    rest.chars().skip(2).position(|c| c == '\'').map(|p| p + 3)
                } else if rest.chars().nth(1) == Some('\'') {
                    Some(2)
                } else {
                    None
                };
                match close {
                    Some(n) => {
                        for _ in 0..n {
                            chars.next();
                        }
                        out.push_str("' '");
                    }
                    None => out.push('\''),
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads a path or a use tree at `at` (after `crate::` or the last
/// `super::`), across lines: `a::b`, `a::{b, c::{d, e}}`, `a::*`, `self`.
/// Gives every full path it names.
fn use_tree(s: &[char], mut at: usize) -> Vec<Vec<String>> {
    fn skip_ws(s: &[char], at: &mut usize) {
        while *at < s.len() && s[*at].is_whitespace() {
            *at += 1;
        }
    }
    fn tree(s: &[char], at: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        loop {
            skip_ws(s, at);
            if *at < s.len() && s[*at] == '{' {
                *at += 1;
                loop {
                    skip_ws(s, at);
                    if *at >= s.len() {
                        return;
                    }
                    if s[*at] == '}' {
                        *at += 1;
                        return;
                    }
                    if s[*at] == ',' {
                        *at += 1;
                        continue;
                    }
                    let before = *at;
                    tree(s, at, path.clone(), out);
                    if *at == before {
                        // Not a path (`*`, a stray token): step over it.
                        *at += 1;
                    }
                }
            }
            let start = *at;
            while *at < s.len() && is_ident(s[*at]) {
                *at += 1;
            }
            if *at == start {
                if !path.is_empty() {
                    out.push(path);
                }
                return;
            }
            let word: String = s[start..*at].iter().collect();
            if word != "self" {
                path.push(word);
            }
            let mut look = *at;
            skip_ws(s, &mut look);
            if s.get(look) == Some(&':') && s.get(look + 1) == Some(&':') {
                *at = look + 2;
            } else {
                if !path.is_empty() {
                    out.push(path);
                }
                return;
            }
        }
    }
    let mut out = Vec::new();
    tree(s, &mut at, Vec::new(), &mut out);
    out
}

/// The crate root's `pub use LAYER::…` re-exports: the name each is known
/// by (its `as` name, or its last segment) → the layer.
fn flat_names(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let text = clean(lib);
    for part in text.split("pub use ").skip(1) {
        let stmt = part.split(';').next().unwrap_or("");
        let chars: Vec<char> = stmt.chars().collect();
        for path in use_tree(&chars, 0) {
            if let (Some(layer), Some(last)) = (path.first(), path.last())
                && path.len() > 1
            {
                out.insert(last.clone(), layer.clone());
            }
        }
    }
    out
}

struct Layers {
    children: BTreeMap<String, BTreeSet<String>>,
    flat: BTreeMap<String, String>,
    /// (layer, name) → the child a layer's `mod.rs` re-exports it from
    /// (`pub use diagnostics::*` in `rules/mod.rs`): a path through the
    /// re-export is an edge to the module the name is defined in.
    reexported: BTreeMap<(String, String), String>,
}

/// The names each layer's `mod.rs` re-exports from its children, by name
/// (`pub use refusals::{Refusal, check_allowed}`) or all of a child's
/// public items (`pub use diagnostics::*`). `files`: (path under the
/// core's `src/`, text).
fn reexports(
    files: &[(String, String)],
    children: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (layer, kids) in children {
        let Some((_, text)) = files.iter().find(|(rel, _)| *rel == format!("{layer}/mod.rs")) else {
            continue;
        };
        let code: Vec<char> = clean(text).chars().collect();
        let text: String = code.iter().collect();
        for (at, _) in text.match_indices("pub use ") {
            let start = text[..at].chars().count() + "pub use ".len();
            for path in use_tree(&code, start) {
                let Some(child) = path.first().filter(|c| kids.contains(*c)) else {
                    continue;
                };
                let names: Vec<String> = if path.len() > 1 {
                    path.last().into_iter().cloned().collect()
                } else {
                    public_items(files, &format!("{layer}/{child}"))
                };
                for name in names {
                    out.insert((layer.clone(), name), child.clone());
                }
            }
        }
    }
    out
}

/// The names a module (`rules/diagnostics`: its `.rs` or its folder)
/// declares `pub`.
fn public_items(files: &[(String, String)], module: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (rel, text) in files {
        if rel != &format!("{module}.rs") && !rel.starts_with(&format!("{module}/")) {
            continue;
        }
        let text = clean(text);
        for kind in [
            "fn ", "struct ", "enum ", "const ", "static ", "type ", "trait ", "mod ",
        ] {
            for (at, _) in text.match_indices(&format!("pub {kind}")) {
                let rest = &text[at + 4 + kind.len()..];
                let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        }
    }
    names
}

impl Layers {
    /// The module a path from the crate root lands in, if it is a layer's.
    fn unit(&self, path: &[String]) -> Option<Unit> {
        let mut path = path.to_vec();
        if let Some(layer) = path.first().and_then(|n| self.flat.get(n)) {
            path.insert(0, layer.clone());
        }
        let layer = path.first()?;
        let children = self.children.get(layer)?;
        if SINGLE.contains(&layer.as_str()) {
            return Some((layer.clone(), layer.clone()));
        }
        match path.get(1) {
            Some(child) if children.contains(child) => Some((layer.clone(), child.clone())),
            // A name the layer's mod.rs re-exports: its own module; any
            // other, an item of the layer's own mod.rs.
            Some(name) => {
                let child = self.reexported.get(&(layer.clone(), name.clone())).unwrap_or(layer);
                Some((layer.clone(), child.clone()))
            }
            None => Some((layer.clone(), layer.clone())),
        }
    }

    /// The imports of one file (`rel`, its path under the core's `src/`):
    /// (to, line) for every path into another module.
    fn imports_of(&self, rel: &str, text: &str) -> Vec<(Unit, Unit, String)> {
        let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        let Some(from) = self.unit(&module) else {
            panic!("{rel} is in no layer folder ({LAYERS:?})");
        };
        let code: Vec<char> = clean(text).chars().collect();
        let lines: Vec<&str> = text.lines().collect();
        let line_of = |at: usize| code[..at].iter().filter(|c| **c == '\n').count();
        let mut found = Vec::new();
        // Depths at which inline `mod x {` blocks opened.
        let (mut inline, mut depth) = (Vec::<i64>::new(), 0i64);
        let mut i = 0;
        while i < code.len() {
            let c = code[i];
            // `$crate::` (a macro's path to the crate root) is read as `crate::`.
            let at_word = i == 0 || !is_ident(code[i - 1]) && code[i - 1] != ':';
            let starts = |w: &str| code[i..].iter().take(w.len()).copied().eq(w.chars());
            if c == '{' {
                depth += 1;
            } else if c == '}' {
                depth -= 1;
                while inline.last().is_some_and(|d| depth <= *d) {
                    inline.pop();
                }
            } else if at_word && starts("mod ") {
                // `mod name {` opens an inline module.
                let mut j = i + 4;
                while j < code.len() && (is_ident(code[j]) || code[j].is_whitespace()) {
                    j += 1;
                }
                if code.get(j) == Some(&'{') {
                    inline.push(depth);
                }
            }
            let mut targets: Vec<Vec<String>> = Vec::new();
            let mut next = i + 1;
            if at_word && starts("crate::") {
                targets = use_tree(&code, i + "crate::".len());
                next = i + "crate::".len();
            } else if at_word && starts("super::") {
                let mut j = i;
                let mut ups = 0;
                while code[j..].iter().take(7).copied().eq("super::".chars()) {
                    ups += 1;
                    j += 7;
                }
                let here = module.len() + inline.len();
                // Inside an inline module the base may be that module.
                if ups <= here && here - ups <= module.len() {
                    let base = &module[..here - ups];
                    targets = use_tree(&code, j)
                        .into_iter()
                        .map(|p| base.iter().cloned().chain(p).collect())
                        .collect();
                }
                next = j;
            }
            for t in targets {
                if let Some(to) = self.unit(&t)
                    && to != from
                {
                    let n = line_of(i);
                    found.push((
                        from.clone(),
                        to,
                        format!("{rel}:{}: {}", n + 1, lines.get(n).map_or("", |l| l.trim())),
                    ));
                }
            }
            i = next;
        }
        found
    }
}

/// The layers of a tree: each layer's children, from the folders.
fn layer_children(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut children = BTreeMap::new();
    for layer in LAYERS {
        let dir = root.join(layer);
        assert!(dir.is_dir(), "the layer folder {} is missing", dir.display());
        let names: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("read a layer")
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let name = name.strip_suffix(".rs").map(str::to_string).unwrap_or(name);
                (name != "mod").then_some(name)
            })
            .collect();
        children.insert(layer.to_string(), names);
    }
    children
}

/// Every import between modules of the core: (from, to) → the first line
/// saying it.
fn imports() -> BTreeMap<(Unit, Unit), String> {
    let root = core_src();
    let lib = std::fs::read_to_string(root.join("lib.rs")).expect("read lib.rs");
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|file| {
            let rel = file
                .strip_prefix(&root)
                .expect("under the core")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(file).expect("read a source file"))
        })
        .filter(|(rel, _)| rel != "lib.rs")
        .collect();
    let children = layer_children(&root);
    let layers = Layers {
        reexported: reexports(&files, &children),
        children,
        flat: flat_names(&lib),
    };
    let mut found = BTreeMap::new();
    for (rel, text) in &files {
        for (from, to, line) in layers.imports_of(rel, text) {
            found.entry((from, to)).or_insert(line);
        }
    }
    found
}

fn rank(unit: &Unit) -> usize {
    LAYERS.iter().position(|l| *l == unit.0).unwrap_or(usize::MAX)
}

type Found = BTreeMap<(Unit, Unit), String>;

/// Imports from a layer above, in words.
fn upward(found: &Found) -> Vec<String> {
    found
        .iter()
        .filter(|((from, to), _)| rank(to) > rank(from))
        .map(|((from, to), line)| format!("{}::{} imports {}::{} ({line})", from.0, from.1, to.0, to.1))
        .collect()
}

/// Circles: a module that reaches itself, with the lines on the way.
fn circles(found: &Found) -> Vec<String> {
    let mut graph: BTreeMap<&Unit, Vec<&Unit>> = BTreeMap::new();
    for (from, to) in found.keys() {
        graph.entry(from).or_default().push(to);
    }
    let mut circles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(&Unit, Vec<&Unit>)> = vec![(start, vec![start])];
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(at).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = path.iter().map(|u| format!("{}::{}", u.0, u.1)).collect();
                    let lines: Vec<&str> = path
                        .iter()
                        .zip(path.iter().skip(1).chain([start]))
                        .filter_map(|(a, b)| found.get(&((*a).clone(), (*b).clone())).map(String::as_str))
                        .collect();
                    circles.push(format!("{} → back\n  {}", names.join(" → "), lines.join("\n  ")));
                } else if seen.insert(*next) {
                    let mut p = path.clone();
                    p.push(next);
                    stack.push((next, p));
                }
            }
        }
    }
    circles
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let found = imports();
    assert!(found.len() > 100, "the scan reads the imports: {}", found.len());
    let upward = upward(&found);
    assert!(upward.is_empty(), "imports from a layer above:\n{}", upward.join("\n"));
}

#[test]
fn no_two_modules_of_the_core_import_each_other_in_a_circle() {
    let circles = circles(&imports());
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

/// The scan on a made-up tree: each form of import it must see.
fn scan(files: &[(&str, &str)], lib: &str) -> Found {
    let mut children: BTreeMap<String, BTreeSet<String>> =
        LAYERS.iter().map(|l| (l.to_string(), BTreeSet::new())).collect();
    for (rel, _) in files {
        let mut parts = rel.split('/');
        if let (Some(layer), Some(child)) = (parts.next(), parts.next()) {
            children
                .entry(layer.to_string())
                .or_default()
                .insert(child.trim_end_matches(".rs").to_string());
        }
    }
    let owned: Vec<(String, String)> = files.iter().map(|(r, t)| (r.to_string(), t.to_string())).collect();
    let layers = Layers {
        reexported: reexports(&owned, &children),
        children,
        flat: flat_names(lib),
    };
    let mut found = Found::new();
    for (rel, text) in files {
        for (from, to, line) in layers.imports_of(rel, text) {
            found.entry((from, to)).or_insert(line);
        }
    }
    found
}

#[test]
fn the_scan_sees_an_upward_import_in_every_form() {
    let lib = "pub use analysis::{cost};\n";
    for text in [
        "use crate::analysis::cost::Cents;",
        // rustfmt's form of a long group, over several lines.
        "use crate::{\n    analysis::cost::Cents,\n    model::names,\n};",
        "use crate::{analysis::{cost::{self, Cents}}};",
        // The crate root's name for it.
        "fn f() -> crate::cost::Cents { todo() }",
        // From a nested file, up to the root.
        "",
    ] {
        let files = [
            ("model/text.rs", text),
            ("model/names.rs", ""),
            ("analysis/cost.rs", ""),
        ];
        if text.is_empty() {
            let nested = [
                (
                    "model/workspace/file.rs",
                    "use super::super::super::analysis::cost::Cents;",
                ),
                ("analysis/cost.rs", ""),
            ];
            assert_eq!(upward(&scan(&nested, lib)).len(), 1, "super::super::super");
            continue;
        }
        let found = scan(&files, lib);
        assert_eq!(upward(&found).len(), 1, "{text}: {found:?}");
    }
    // Inside strings and comments it is not an import; a lifetime is no char.
    let quiet = [
        (
            "model/text.rs",
            "// use crate::analysis::cost;\nlet s = \"crate::analysis::cost\"; fn f<'a>() {}",
        ),
        ("analysis/cost.rs", ""),
    ];
    assert!(upward(&scan(&quiet, lib)).is_empty());
}

#[test]
fn the_scan_sees_a_circle_written_with_groups_and_inline_modules() {
    let files = [
        ("model/text.rs", "use crate::model::{\n    names::{self, Name},\n};"),
        ("model/names.rs", "mod tests {\n    use super::super::text;\n}"),
    ];
    let found = scan(&files, "");
    assert_eq!(circles(&found).len(), 2, "{found:?}");
    // `super::` inside an inline module is the file's own module.
    let own = [("model/names.rs", "fn a() {}\nmod tests {\n    use super::a;\n}")];
    assert!(scan(&own, "").is_empty());
}

/// A name reached through a layer's `mod.rs` re-export is an edge to the
/// module that defines it: `crate::model::Name` (re-exported by
/// `pub use names::*`) from `text` into `names`, and back, is a circle.
#[test]
fn the_scan_follows_a_layers_reexports_to_the_module_defining_the_name() {
    let lib = "";
    for reexport in [
        "pub use names::*;",
        "pub use names::{Name, other};",
        "pub use names::Name;",
    ] {
        let files = [
            ("model/mod.rs", reexport),
            (
                "model/names.rs",
                "pub struct Name;\nfn f() -> crate::model::text::Text { todo() }",
            ),
            (
                "model/text.rs",
                "pub struct Text;\nfn g() -> crate::model::Name { todo() }",
            ),
        ];
        let found = scan(&files, lib);
        assert_eq!(circles(&found).len(), 2, "{reexport}: {found:?}");
    }
    // An item of the layer's own mod.rs stays the layer's.
    let own = [
        ("model/mod.rs", "pub struct Own;"),
        ("model/text.rs", "fn g() -> crate::model::Own { todo() }"),
    ];
    let found = scan(&own, lib);
    assert!(found.keys().all(|(_, to)| to.1 == "model"), "{found:?}");
}

/// A string continued with `\` at a line's end keeps its line break, so a
/// later import is named by its own line.
#[test]
fn lines_stay_numbered_after_a_string_continued_over_lines() {
    assert_eq!(clean("let s = \"a \\\n b\";\nx"), "let s = \"\n\";\nx");
    let files = [
        (
            "model/text.rs",
            "const S: &str = \"one \\\n two \\\n three\";\nuse crate::analysis::cost;",
        ),
        ("analysis/cost.rs", ""),
    ];
    let found = scan(&files, "");
    let lines: Vec<&String> = found.values().collect();
    assert_eq!(lines.len(), 1, "{found:?}");
    assert!(
        lines[0].starts_with("model/text.rs:4: use crate::analysis::cost"),
        "{lines:?}"
    );
}

/// A macro's `$crate::` path is an import like `crate::`.
#[test]
fn the_scan_reads_a_macros_crate_paths() {
    let files = [
        (
            "model/text.rs",
            "macro_rules! m { () => { $crate::analysis::cost::Cents::default() }; }",
        ),
        ("analysis/cost.rs", ""),
    ];
    assert_eq!(upward(&scan(&files, "")).len(), 1);
}

/// The use-tree reader, on the forms rustfmt writes.
#[test]
fn the_scan_reads_each_form_of_path() {
    let chars: Vec<char> = "{model::text, edit::{command, document::Doc}, self, analysis::*}"
        .chars()
        .collect();
    assert_eq!(
        use_tree(&chars, 0),
        vec![
            vec!["model".to_string(), "text".to_string()],
            vec!["edit".to_string(), "command".to_string()],
            vec!["edit".to_string(), "document".to_string(), "Doc".to_string()],
            vec!["analysis".to_string()],
        ]
    );
    assert_eq!(
        clean("let s = \"crate::edit\"; // crate::analysis\nx"),
        "let s = \"\"; \nx"
    );
    assert_eq!(clean("let c = '{'; f::<'a>()"), "let c = ' '; f::<'a>()");
    let flat = flat_names("pub use model::{text, workspace};\npub use rules::policy;");
    assert_eq!(flat.get("workspace").map(String::as_str), Some("model"));
    assert_eq!(flat.get("policy").map(String::as_str), Some("rules"));
}

/// The core crate names none of the faces' crates among its dependencies,
/// so the compiler keeps it free of them.
#[test]
fn the_core_crate_depends_on_no_screen_or_command_line_crate() {
    let manifest = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/core/Cargo.toml"))
        .expect("read the core's Cargo.toml");
    let doc: toml::Table = toml::from_str(&manifest).expect("parse the core's Cargo.toml");
    let mut deps: Vec<String> = Vec::new();
    let mut collect = |t: Option<&toml::Value>| {
        if let Some(t) = t.and_then(toml::Value::as_table) {
            deps.extend(t.keys().cloned());
        }
    };
    collect(doc.get("dependencies"));
    if let Some(targets) = doc.get("target").and_then(toml::Value::as_table) {
        for t in targets.values() {
            collect(t.get("dependencies"));
        }
    }
    assert!(deps.len() > 10, "read the dependencies: {deps:?}");
    for face in [
        "egui",
        "eframe",
        "egui_extras",
        "egui_plot",
        "rfd",
        "clap",
        "winit",
        "egui_kittest",
    ] {
        assert!(!deps.iter().any(|d| d == face), "the core depends on {face}");
    }
}
