//! Lists the help pages: every `docs/help/*.md` is a page, so a view's page
//! is in Help the day its file exists (the view list names it by the view's
//! `--view` name; nothing else lists it). The order is the contents page's:
//! `index` first, then the pages in the order its lists link them, then any
//! page it does not link, by name.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/help");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut slugs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    slugs.sort();
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap_or_else(|e| panic!("docs/help/index.md: {e}"));
    let mut ordered = vec!["index".to_string()];
    // The contents' lists ("- [Users](users.md) — …"), not the links in
    // its prose, give the order.
    let listed = index
        .lines()
        .filter_map(|line| line.strip_prefix("- ["))
        .filter_map(|item| item.split("](").nth(1))
        .filter_map(|link| link.split(".md").next());
    for slug in listed {
        if slugs.iter().any(|s| s == slug) && !ordered.iter().any(|s| s == slug) {
            ordered.push(slug.to_string());
        }
    }
    for slug in &slugs {
        if !ordered.contains(slug) {
            ordered.push(slug.clone());
        }
    }
    let mut out = String::from("&[\n");
    for slug in &ordered {
        let path = dir.join(format!("{slug}.md"));
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({slug:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"))).join("help_pages.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}
