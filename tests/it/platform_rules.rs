//! Windows without surprises, by construction (there is no Windows machine
//! here): every Unix-only `cfg` in `src/` has a twin of the same name under
//! the opposite `cfg` in the same scope, so no call quietly exists on Unix
//! only. The source is parsed (syn), not grepped:
//! - an item (fn, const, struct, mod, use, …) under `#[cfg(unix)]` needs
//!   an item of the same kind and name under `#[cfg(not(unix))]` or
//!   `#[cfg(windows)]` in the same file and scope (module, impl, block);
//! - a statement or block under `#[cfg(unix)]` needs one under the opposite
//!   `cfg` in the same block (`#[cfg(unix)] { … } #[cfg(windows)] { … }`);
//! - `cfg(target_os = "linux")` and other Unix-only predicates likewise
//!   need `not(…)`; a Windows arm (`windows`, `not(unix)`, the `not(…)` of
//!   a narrower predicate) needs no twin;
//! - a Unix-only `cfg` anywhere else (a field, an argument, a match arm) is
//!   reported as a place the rule cannot pair: move it to an item.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::visit::Visit;

/// The source folders the rule reads: the crate's, and the core crate's
/// once it has its own (issue #30).
const ROOTS: &[&str] = &["src", "crates/core/src"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A cfg'd thing in a scope: its predicate (no spaces), what it is, where.
#[derive(Debug)]
struct Entry {
    cfg: String,
    key: String,
    line: usize,
}

/// Is a predicate about the platform at all?
fn is_platform(cfg: &str) -> bool {
    ["unix", "windows", "target_os", "target_family"]
        .iter()
        .any(|w| cfg.contains(w))
}

/// The twins a predicate needs, or `None` when it needs none (it is not
/// about the platform, or it is already the Windows arm).
fn twins(cfg: &str) -> Option<Vec<String>> {
    if !is_platform(cfg) {
        return None;
    }
    if cfg == "windows" || cfg == "target_os=\"windows\"" || cfg == "target_family=\"windows\"" {
        return None;
    }
    if let Some(inner) = cfg.strip_prefix("not(").and_then(|r| r.strip_suffix(')')) {
        // `not(windows)` is Unix-only; the `not` of anything narrower
        // includes Windows and is the other arm.
        return (inner == "windows").then(|| vec!["windows".to_string()]);
    }
    let mut out = vec![format!("not({cfg})")];
    if cfg == "unix" || cfg == "target_family=\"unix\"" {
        out.push("windows".to_string());
    }
    Some(out)
}

/// The predicate of a `#[cfg(…)]` attribute, without spaces.
fn cfg_of(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let list = attr.meta.require_list().ok()?;
    Some(list.tokens.to_string().chars().filter(|c| !c.is_whitespace()).collect())
}

fn line_of(attr: &syn::Attribute) -> usize {
    attr.pound_token.span.start().line
}

/// The name an item is paired by: its kind and identifier.
fn item_key(item: &syn::Item) -> (Vec<syn::Attribute>, String) {
    use syn::Item;
    let named = |attrs: &Vec<syn::Attribute>, kind: &str, name: &dyn std::fmt::Display| {
        (attrs.clone(), format!("{kind} {name}"))
    };
    match item {
        Item::Fn(i) => named(&i.attrs, "fn", &i.sig.ident),
        Item::Const(i) => named(&i.attrs, "const", &i.ident),
        Item::Static(i) => named(&i.attrs, "static", &i.ident),
        Item::Struct(i) => named(&i.attrs, "struct", &i.ident),
        Item::Enum(i) => named(&i.attrs, "enum", &i.ident),
        Item::Union(i) => named(&i.attrs, "union", &i.ident),
        Item::Type(i) => named(&i.attrs, "type", &i.ident),
        Item::Trait(i) => named(&i.attrs, "trait", &i.ident),
        Item::Mod(i) => named(&i.attrs, "mod", &i.ident),
        Item::ExternCrate(i) => named(&i.attrs, "extern crate", &i.ident),
        // `use std::os::unix::fs::MetadataExt` pairs with
        // `use std::os::windows::fs::MetadataExt`: the names it brings in.
        Item::Use(i) => {
            let mut names = Vec::new();
            use_names(&i.tree, &mut names);
            (i.attrs.clone(), format!("use {}", names.join(", ")))
        }
        Item::Impl(i) => {
            let of = i
                .trait_
                .as_ref()
                .map(|(_, t, _)| format!("{} for ", t.to_token_stream()))
                .unwrap_or_default();
            (i.attrs.clone(), format!("impl {of}{}", i.self_ty.to_token_stream()))
        }
        Item::Macro(i) => (i.attrs.clone(), format!("macro {}", i.mac.path.to_token_stream())),
        Item::ForeignMod(i) => (i.attrs.clone(), "extern block".to_string()),
        Item::TraitAlias(i) => named(&i.attrs, "trait", &i.ident),
        other => (leading_attrs(other), "item".to_string()),
    }
}

fn use_names(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Glob(_) => out.push("*".into()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
    }
}

/// The outer attributes at the front of any syntax node.
fn leading_attrs(node: &dyn ToTokens) -> Vec<syn::Attribute> {
    struct Leading(Vec<syn::Attribute>);
    impl syn::parse::Parse for Leading {
        fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
            let attrs = input.call(syn::Attribute::parse_outer)?;
            input.parse::<proc_macro2::TokenStream>()?;
            Ok(Leading(attrs))
        }
    }
    syn::parse2::<Leading>(node.to_token_stream()).map_or_else(|_| Vec::new(), |l| l.0)
}

/// Walks a file scope by scope, pairing the entries of each scope, and
/// counts every platform `cfg` it meets so none is skipped unseen.
#[derive(Default)]
struct Checker {
    file: String,
    problems: Vec<String>,
    paired_lines: BTreeSet<usize>,
    all_lines: BTreeSet<usize>,
}

impl Checker {
    fn scope(&mut self, what: &str, entries: Vec<(Vec<syn::Attribute>, String)>) {
        let mut cfgd: Vec<Entry> = Vec::new();
        for (attrs, key) in entries {
            for attr in &attrs {
                if let Some(cfg) = cfg_of(attr) {
                    if is_platform(&cfg) {
                        self.paired_lines.insert(line_of(attr));
                    }
                    cfgd.push(Entry {
                        cfg,
                        key: key.clone(),
                        line: line_of(attr),
                    });
                }
            }
        }
        for e in &cfgd {
            let Some(needed) = twins(&e.cfg) else { continue };
            let found = cfgd.iter().any(|o| o.key == e.key && needed.contains(&o.cfg));
            if !found {
                self.problems.push(format!(
                    "{}:{}: `#[cfg({})] {}` in {what} has no `#[cfg({})]` twin",
                    self.file,
                    e.line,
                    e.cfg,
                    e.key,
                    needed.join(")]` or `#[cfg(")
                ));
            }
        }
    }
}

fn stmt_key(stmt: &syn::Stmt) -> (Vec<syn::Attribute>, String) {
    match stmt {
        syn::Stmt::Item(item) => item_key(item),
        other => (leading_attrs(other), "statement".to_string()),
    }
}

impl<'ast> Visit<'ast> for Checker {
    fn visit_file(&mut self, f: &'ast syn::File) {
        self.scope("the file", f.items.iter().map(item_key).collect());
        syn::visit::visit_file(self, f);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.scope(&format!("mod {}", m.ident), items.iter().map(item_key).collect());
        }
        syn::visit::visit_item_mod(self, m);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let entries = i
            .items
            .iter()
            .map(|it| match it {
                syn::ImplItem::Fn(f) => (f.attrs.clone(), format!("fn {}", f.sig.ident)),
                syn::ImplItem::Const(c) => (c.attrs.clone(), format!("const {}", c.ident)),
                syn::ImplItem::Type(t) => (t.attrs.clone(), format!("type {}", t.ident)),
                other => (leading_attrs(other), "impl item".to_string()),
            })
            .collect();
        self.scope(&format!("impl {}", i.self_ty.to_token_stream()), entries);
        syn::visit::visit_item_impl(self, i);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let entries = t
            .items
            .iter()
            .map(|it| match it {
                syn::TraitItem::Fn(f) => (f.attrs.clone(), format!("fn {}", f.sig.ident)),
                syn::TraitItem::Const(c) => (c.attrs.clone(), format!("const {}", c.ident)),
                syn::TraitItem::Type(ty) => (ty.attrs.clone(), format!("type {}", ty.ident)),
                other => (leading_attrs(other), "trait item".to_string()),
            })
            .collect();
        self.scope(&format!("trait {}", t.ident), entries);
        syn::visit::visit_item_trait(self, t);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        let line = b.brace_token.span.open().start().line;
        self.scope(
            &format!("the block at line {line}"),
            b.stmts.iter().map(stmt_key).collect(),
        );
        syn::visit::visit_block(self, b);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if cfg_of(attr).is_some_and(|c| is_platform(&c)) {
            self.all_lines.insert(line_of(attr));
        }
    }
}

/// Every problem in one file's source.
fn check_source(file: &str, text: &str) -> Vec<String> {
    let parsed = match syn::parse_file(text) {
        Ok(f) => f,
        Err(e) => return vec![format!("{file}: cannot parse: {e}")],
    };
    let mut checker = Checker {
        file: file.to_string(),
        ..Checker::default()
    };
    checker.visit_file(&parsed);
    for line in checker.all_lines.difference(&checker.paired_lines) {
        checker.problems.push(format!(
            "{file}:{line}: a platform `cfg` where no twin can be paired (a field, argument or arm); put it on \
             an item or statement"
        ));
    }
    checker.problems
}

#[test]
fn every_unix_only_cfg_in_src_has_a_windows_twin() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ROOTS {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "src/ not found from {}", root.display());
    let mut problems = Vec::new();
    let mut cfgs = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read source");
        cfgs += text.matches("#[cfg(unix)]").count();
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        problems.extend(check_source(&rel, &text));
    }
    assert!(cfgs > 0, "no #[cfg(unix)] at all: the rule would pass on nothing");
    assert!(
        problems.is_empty(),
        "Unix-only code without a Windows arm:\n{}",
        problems.join("\n")
    );
}

/// The rule itself finds what it must and accepts what it must.
#[test]
fn the_platform_rule_finds_an_arm_missing_and_accepts_twins() {
    let paired = r#"
        #[cfg(unix)]
        fn lock() {}
        #[cfg(windows)]
        fn lock() {}
        #[cfg(target_os = "linux")]
        fn alive() {}
        #[cfg(not(target_os = "linux"))]
        fn alive() {}
        fn open() {
            #[cfg(unix)]
            {
                flags();
            }
            #[cfg(not(unix))]
            {
                other();
            }
        }
        #[cfg(windows)]
        mod win {}
    "#;
    assert_eq!(check_source("paired.rs", paired), Vec::<String>::new());

    let missing_item = "#[cfg(unix)]\nfn lock() {}\n#[cfg(windows)]\nfn unlock() {}\n";
    let found = check_source("a.rs", missing_item);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("a.rs:1:") && found[0].contains("fn lock"),
        "{found:?}"
    );

    let missing_in_block = r#"
        fn open() {
            #[cfg(unix)]
            {
                flags();
            }
            let f = || {
                #[cfg(not(unix))]
                {
                    other();
                }
            };
        }
    "#;
    let found = check_source("b.rs", missing_in_block);
    assert_eq!(found.len(), 1, "a twin in another block does not count: {found:?}");
    assert!(
        found[0].contains("b.rs:3:") && found[0].contains("statement"),
        "{found:?}"
    );

    let linux_only = "#[cfg(target_os = \"linux\")]\nfn alive() {}\n#[cfg(windows)]\nfn alive() {}\n";
    assert_eq!(
        check_source("c.rs", linux_only).len(),
        1,
        "macOS is neither: linux needs not(linux)"
    );

    let in_a_field = "struct S {\n    #[cfg(unix)]\n    fd: i32,\n}\n";
    let found = check_source("d.rs", in_a_field);
    assert!(found.iter().any(|p| p.starts_with("d.rs:2:")), "{found:?}");

    let nested_impl = "impl S {\n    #[cfg(unix)]\n    fn raw(&self) {}\n}\n";
    assert_eq!(check_source("e.rs", nested_impl).len(), 1);
}

/// Windows' GUI-only executable is a Windows-subsystem program (no console
/// window behind the GUI) and starts the same GUI: its arguments are
/// `ia-licensing gui`'s.
#[test]
fn the_gui_only_executable_has_no_console_on_windows_and_takes_the_gui_arguments() {
    let source = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/bin/ia-licensing-gui.rs"),
    )
    .expect("read the GUI-only executable's source");
    assert!(
        source.contains(r#"#![cfg_attr(windows, windows_subsystem = "windows")]"#),
        "the GUI-only executable must be a Windows-subsystem program"
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ia-licensing-gui"))
            .args(args)
            .env("HOME", std::env::temp_dir())
            .output()
            .expect("run ia-licensing-gui")
    };
    // `gui --help`: the GUI's own options, not the command list.
    let help = run(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success(), "{help:?}");
    assert!(text.contains("--read-only") && text.contains("--view"), "{text}");
    assert!(!text.contains("csv"), "the GUI's help, not the CLI's: {text}");
    // A wrong GUI argument is refused as `ia-licensing gui` refuses it.
    let wrong = run(&["--view", "no-such-view"]);
    assert_eq!(wrong.status.code(), Some(2), "{wrong:?}");
    let plain = std::process::Command::new(env!("CARGO_BIN_EXE_ia-licensing"))
        .args(["gui", "--view", "no-such-view"])
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("run ia-licensing gui");
    assert_eq!(
        String::from_utf8_lossy(&wrong.stderr).replace("ia-licensing-gui", "ia-licensing"),
        String::from_utf8_lossy(&plain.stderr)
    );
}
