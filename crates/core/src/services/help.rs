//! The help pages: Markdown written for users in IA's words, built into
//! the binary, plus the Warnings page made from the rules themselves (so
//! a new warning cannot go unexplained). The GUI shows them (F1, Help ›
//! Contents); search runs here, without a screen.

use std::sync::OnceLock;

/// One help page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its name in links between pages (`users` for `users.md`) and, for
    /// a view's page, the view's `--view` name.
    pub slug: &'static str,
    /// The first heading.
    pub title: String,
    /// The Markdown.
    pub text: String,
    /// The Markdown as the Help window draws it: tables become lists, so
    /// that long cells wrap to the window (a table row does not).
    pub screen: String,
}

/// The written pages, in the order of the contents page's list: every
/// `docs/help/*.md`, listed by `build.rs` (so a view's page, named by its
/// `--view` name, needs no line here).
const WRITTEN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/help_pages.rs"));

/// The slug of the contents page.
pub const CONTENTS: &str = "index";
/// The slug of the page made from the rules.
pub const WARNINGS: &str = "warnings";

/// Every page: the written ones, then Warnings.
pub fn pages() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let mut pages: Vec<Page> = WRITTEN
            .iter()
            .map(|(slug, text)| Page {
                slug,
                title: title_of(text).unwrap_or(slug).to_string(),
                text: (*text).to_string(),
                screen: tables_as_lists(text),
            })
            .collect();
        let warnings = warnings_page();
        pages.push(Page {
            slug: WARNINGS,
            title: "Warnings".into(),
            screen: tables_as_lists(&warnings),
            text: warnings,
        });
        pages
    })
}

/// The page called `slug` (`users`, or `users.md` as links write it).
pub fn page(slug: &str) -> Option<&'static Page> {
    let slug = slug.trim_end_matches(".md");
    let slug = slug.split('#').next().unwrap_or(slug);
    pages().iter().find(|p| p.slug == slug)
}

fn title_of(text: &str) -> Option<&str> {
    text.lines().find_map(|l| l.strip_prefix("# ")).map(str::trim)
}

/// The cells of a Markdown table row (`| a | b |`), or `None` for another
/// line. An escaped `\|` stays in its cell.
fn table_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(s) = cells.last_mut() {
                    s.push('|');
                }
            }
            '|' => cells.push(String::new()),
            c => {
                if let Some(s) = cells.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    Some(cells.into_iter().map(|c| c.trim().to_string()).collect())
}

fn is_separator(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Markdown with every table written as a list: each row one item, its
/// first cell in bold, the others after a dash (two columns) or named by
/// their header (more).
pub fn tables_as_lists(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let header = table_cells(lines[i]);
        let separator = lines.get(i + 1).and_then(|l| table_cells(l));
        if let (Some(header), Some(sep)) = (header, separator)
            && is_separator(&sep)
            && sep.len() == header.len()
        {
            i += 2;
            while let Some(row) = lines.get(i).and_then(|l| table_cells(l)) {
                let first = row.first().map(String::as_str).unwrap_or("");
                let first = if first.starts_with("**") || first.is_empty() {
                    first.to_string()
                } else {
                    format!("**{first}**")
                };
                let rest: Vec<String> = row
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(n, c)| {
                        if header.len() == 2 {
                            c.clone()
                        } else {
                            format!("{}: {c}", header.get(n).map(String::as_str).unwrap_or(""))
                        }
                    })
                    .collect();
                out.push_str(&format!("- {first} — {}\n", rest.join("; ")));
                i += 1;
            }
            continue;
        }
        out.push_str(lines[i]);
        out.push('\n');
        i += 1;
    }
    out
}

/// The Warnings page: every diagnostic the rules can raise, by severity,
/// with what it means and what to do, in the words the Warnings panel
/// uses.
fn warnings_page() -> String {
    use crate::rules::catalog::{self, Entry};
    let mut out = String::from(
        "# Warnings\n\nEvery error, warning and information item the Warnings panel can show: what it \
         means and what to do about it. Errors are what the system would refuse or count wrongly; \
         warnings are allowed but probably not what you want; information items explain a count.\n",
    );
    for severity in [
        crate::model::diagnostic::Severity::Error,
        crate::model::diagnostic::Severity::Warning,
        crate::model::diagnostic::Severity::Info,
    ] {
        let entries: Vec<&Entry> = catalog::ALL.iter().filter(|e| e.severity == severity).collect();
        if entries.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n", plural(severity)));
        for e in entries {
            out.push_str(&format!(
                "\n### {}\n\n{}\n\n**What to do:** {}\n",
                e.title, e.meaning, e.fix
            ));
        }
    }
    out
}

fn plural(s: crate::model::diagnostic::Severity) -> &'static str {
    match s {
        crate::model::diagnostic::Severity::Error => "Errors",
        crate::model::diagnostic::Severity::Warning => "Warnings",
        crate::model::diagnostic::Severity::Info => "Information",
    }
}

/// A page that matches a search, with the line that matched best.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub slug: &'static str,
    pub title: String,
    /// The first line holding all the words (Markdown marks removed), or
    /// the title when only the title matched.
    pub excerpt: String,
}

/// The pages holding every word of `query` (any case), best first: pages
/// whose title holds a word, then by how often the words occur.
pub fn search(query: &str) -> Vec<Hit> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, Hit)> = Vec::new();
    for (order, p) in pages().iter().enumerate() {
        let lower = p.text.to_lowercase();
        if !words.iter().all(|w| lower.contains(w.as_str())) {
            continue;
        }
        let title = p.title.to_lowercase();
        let in_title = words.iter().filter(|w| title.contains(w.as_str())).count();
        let count: usize = words.iter().map(|w| lower.matches(w.as_str()).count()).sum();
        let excerpt = p
            .text
            .lines()
            .skip(1)
            .find(|l| {
                let l = l.to_lowercase();
                words.iter().all(|w| l.contains(w.as_str()))
            })
            .or_else(|| {
                p.text
                    .lines()
                    .skip(1)
                    .find(|l| l.to_lowercase().contains(words[0].as_str()))
            })
            .map(plain)
            .unwrap_or_else(|| p.title.clone());
        // More title words first, then more occurrences, then page order.
        scored.push((
            usize::MAX - in_title * 1_000_000 - count,
            order,
            Hit {
                slug: p.slug,
                title: p.title.clone(),
                excerpt,
            },
        ));
    }
    scored.sort_by_key(|(score, order, _)| (*score, *order));
    scored.into_iter().map(|(_, _, h)| h).collect()
}

/// A Markdown line as read: list marks, emphasis and link targets removed,
/// cut to 160 characters.
fn plain(line: &str) -> String {
    let mut s = line.trim().trim_start_matches(['#', '-', '*', '>', ' ']).to_string();
    // [text](target) → text
    while let (Some(a), Some(b)) = (s.find("]("), s.find("](").and_then(|i| s[i..].find(')').map(|j| i + j))) {
        let Some(open) = s[..a].rfind('[') else { break };
        s = format!("{}{}{}", &s[..open], &s[open + 1..a], &s[b + 1..]);
    }
    // Strong and emphasis (`**`, `*`) and code marks: a search result is
    // read as plain words ("*Read-only*" showed its stars).
    let s = s.replace(['*', '`'], "");
    match s.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_a_title_and_its_links_lead_somewhere() {
        for p in pages() {
            assert!(!p.title.is_empty(), "{}", p.slug);
            let mut rest = p.text.as_str();
            while let Some(i) = rest.find("](") {
                rest = &rest[i + 2..];
                let target = &rest[..rest.find(')').unwrap_or(rest.len())];
                if target.starts_with("http") {
                    continue;
                }
                assert!(page(target).is_some(), "{}: link to {target} leads nowhere", p.slug);
            }
        }
    }

    #[test]
    fn pages_hold_no_code_blocks() {
        // The renderer puts a copy button drawn with an emoji the app's
        // fonts lack on every code block; examples are inline code.
        for p in pages() {
            assert!(!p.text.contains("```"), "{}: a fenced code block", p.slug);
            assert!(
                !p.text.lines().any(|l| l.starts_with("    ")
                    && !l.trim_start().starts_with(['-', '*', '|'])
                    && !l.trim().chars().next().is_some_and(|c| c.is_ascii_digit())),
                "{}: an indented code block",
                p.slug
            );
        }
    }

    #[test]
    fn search_finds_pages_by_words_in_any_case_best_first() {
        let hits = search("basic STATION");
        assert!(!hits.is_empty());
        assert_eq!(hits[0].slug, "stations", "{hits:?}");
        assert!(hits.iter().all(|h| !h.excerpt.contains("](")), "{hits:?}");
        assert!(search("").is_empty());
        assert!(search("zzqqxx-not-a-word").is_empty());
        // Every word must be found.
        assert!(search("basic zzqqxx").is_empty());
    }

    #[test]
    fn search_excerpts_show_no_markdown_marks() {
        let mut marked = Vec::new();
        for p in pages() {
            for line in p.text.lines().filter(|l| l.contains('*') || l.contains('`')) {
                let read = plain(line);
                if read.contains('*') || read.contains('`') {
                    marked.push(format!("{}: {read}", p.slug));
                }
            }
        }
        assert!(marked.is_empty(), "{marked:?}");
        // An emphasised word found by a search reads without its stars.
        assert_eq!(
            plain("A *read-only* session: `--read-only`"),
            "A read-only session: --read-only"
        );
    }

    #[test]
    fn tables_become_lists() {
        let md = "Intro\n\n| Column | Meaning |\n|---|---|\n| User | The user ID. |\n| `a\\|b` | pipe |\n\nAfter\n";
        assert_eq!(
            tables_as_lists(md),
            "Intro\n\n- **User** — The user ID.\n- **`a|b`** — pipe\n\nAfter\n"
        );
        let wide = "| Key | Total | Used |\n|:--|--:|--|\n| X | 3 | 1 |\n";
        assert_eq!(tables_as_lists(wide), "- **X** — Total: 3; Used: 1\n");
        // Not a table: a line with bars but no separator row.
        assert_eq!(tables_as_lists("| a |\ntext\n"), "| a |\ntext\n");
        for p in pages() {
            assert!(!p.screen.contains("|---"), "{}", p.slug);
        }
    }

    #[test]
    fn plain_removes_markdown() {
        assert_eq!(
            plain("- See [Users](users.md) and **this** `code`"),
            "See Users and this code"
        );
        assert_eq!(plain("[a](b) [c](d)"), "a c");
        assert_eq!(plain("a ](x) b"), "a ](x) b");
    }

    #[test]
    fn the_warnings_page_lists_every_rule() {
        let w = page(WARNINGS).expect("warnings page");
        for e in crate::rules::catalog::ALL {
            assert!(w.text.contains(e.title), "{} missing", e.code);
        }
    }
}
