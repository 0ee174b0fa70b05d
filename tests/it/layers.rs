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

/// Code without comments and with string and char literals emptied, so a
/// path or brace inside them is not read.
fn code_of(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => break,
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        break;
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

/// The module paths a `{ … }` group or a single path names, from `text`
/// (which starts right after `crate::` or the last `super::`).
fn paths_after(text: &str) -> Vec<Vec<String>> {
    let single = |s: &str| -> Vec<String> {
        let end = s.find(|c: char| !(is_ident(c) || c == ':')).unwrap_or(s.len());
        s[..end]
            .split("::")
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let Some(group) = text.strip_prefix('{') else {
        return vec![single(text)];
    };
    // The group's top-level elements (nested groups keep their first
    // segment, which is what decides the module).
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.push(single(group[start..i].trim()));
                return out;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(single(group[start..i].trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(single(group[start..].trim()));
    out
}

/// The crate root's `pub use LAYER::{a, b}` re-exports: name → layer.
fn flat_names(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let text = lib.replace('\n', " ");
    for part in text.split("pub use ").skip(1) {
        let stmt = part.split(';').next().unwrap_or("");
        let Some((layer, rest)) = stmt.split_once("::") else {
            continue;
        };
        for path in paths_after(rest.trim()) {
            if let Some(first) = path.first() {
                out.insert(first.clone(), layer.trim().to_string());
            }
        }
    }
    out
}

struct Layers {
    children: BTreeMap<String, BTreeSet<String>>,
    flat: BTreeMap<String, String>,
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
            // An item of the layer's own mod.rs.
            _ => Some((layer.clone(), layer.clone())),
        }
    }
}

/// Every import between modules: (from, to) → the first line saying it.
fn imports() -> BTreeMap<(Unit, Unit), String> {
    let root = core_src();
    let lib = std::fs::read_to_string(root.join("lib.rs")).expect("read lib.rs");
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
    let layers = Layers {
        children,
        flat: flat_names(&lib),
    };
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut found = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .expect("under the core")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" {
            continue;
        }
        let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        let from = layers
            .unit(&module)
            .unwrap_or_else(|| panic!("{rel} is in no layer folder ({LAYERS:?})"));
        let text = std::fs::read_to_string(&file).expect("read a source file");
        // Depths at which inline `mod x {` blocks opened.
        let (mut inline, mut depth) = (Vec::<i64>::new(), 0i64);
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            let here = module.len() + inline.len();
            let mut targets = Vec::new();
            let mut rest = code.as_str();
            while let Some(i) = rest.find("crate::") {
                let before = rest[..i].chars().last();
                let after = &rest[i + "crate::".len()..];
                if !before.is_some_and(|c| is_ident(c) || c == '$') {
                    targets.extend(paths_after(after));
                }
                rest = after;
            }
            let mut rest = code.as_str();
            while let Some(i) = rest.find("super::") {
                let before = rest[..i].chars().last();
                let mut after = &rest[i..];
                let mut ups = 0;
                while let Some(r) = after.strip_prefix("super::") {
                    ups += 1;
                    after = r;
                }
                if !before.is_some_and(|c| is_ident(c) || c == ':') && ups <= here {
                    let base = here - ups;
                    // Inside an inline module the base may be that module.
                    if base <= module.len() {
                        for p in paths_after(after) {
                            targets.push(module[..base].iter().cloned().chain(p).collect());
                        }
                    }
                }
                rest = &rest[i + "super::".len() * ups..];
            }
            for t in targets {
                if let Some(to) = layers.unit(&t)
                    && to != from
                {
                    found
                        .entry((from.clone(), to))
                        .or_insert_with(|| format!("{rel}:{}: {}", n + 1, line.trim()));
                }
            }
            let trimmed = code.trim_start();
            let opens_mod = ["mod ", "pub mod ", "pub(crate) mod ", "pub(super) mod "]
                .iter()
                .any(|p| trimmed.starts_with(p) && trimmed.trim_end().ends_with('{'));
            if opens_mod {
                inline.push(depth);
            }
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            while inline.last().is_some_and(|d| depth <= *d) {
                inline.pop();
            }
        }
    }
    found
}

fn rank(unit: &Unit) -> usize {
    LAYERS.iter().position(|l| *l == unit.0).unwrap_or(usize::MAX)
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let found = imports();
    assert!(found.len() > 50, "the scan reads the imports: {}", found.len());
    let upward: Vec<String> = found
        .iter()
        .filter(|((from, to), _)| rank(to) > rank(from))
        .map(|((from, to), line)| format!("{}::{} imports {}::{} ({line})", from.0, from.1, to.0, to.1))
        .collect();
    assert!(upward.is_empty(), "imports from a layer above:\n{}", upward.join("\n"));
}

#[test]
fn no_two_modules_of_the_core_import_each_other_in_a_circle() {
    let found = imports();
    let mut graph: BTreeMap<&Unit, Vec<&Unit>> = BTreeMap::new();
    for (from, to) in found.keys() {
        graph.entry(from).or_default().push(to);
    }
    // A module is in a circle when it reaches itself.
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
    assert!(circles.is_empty(), "import circles:\n{}", circles.join("\n"));
}

/// The checks themselves: a path read from each form of import.
#[test]
fn the_scan_reads_each_form_of_path() {
    assert_eq!(
        paths_after("{model::text, edit::{command, document::Doc}, self}"),
        vec![
            vec!["model".to_string(), "text".to_string()],
            vec!["edit".to_string()],
            vec!["self".to_string()],
        ]
    );
    assert_eq!(
        code_of(r#"let s = "crate::edit"; // crate::analysis"#),
        r#"let s = ""; "#
    );
    assert_eq!(code_of("let c = '{'; f::<'a>()"), "let c = ' '; f::<'a>()");
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
