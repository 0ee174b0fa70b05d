//! The seed rule register (docs/seed-rules.toml, issue #29) is kept honest:
//! every entry is well formed; every `implemented` or `derived` entry names
//! tests that exist and mention its id; every quote is in the seeds; and no
//! sentence or table row of the seeds that holds a normative word (`must`,
//! `cannot`, `only`, `requires`, a number of days or licenses, …) is left
//! without an entry or a listed exclusion. docs/seed-rules.md is generated
//! from the register (`UPDATE_SEED_RULES=1` rewrites it).
//!
//! The seeds live outside the repository (`../shared/seeds/`); where they
//! are absent the checks that read them are skipped with a note.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Deserialize;

const DECISIONS: [&str; 7] = [
    "implemented",
    "shown-only",
    "not-modelled",
    "ambiguous",
    "derived",
    "superseded",
    "pending",
];

const SEEDS: [(&str, &str, &str); 3] = [
    ("000", "LTR", "PureConnect Licensing Technical Reference"),
    ("001", "AFMT", "Activation File Management Tool page"),
    ("002", "SUB", "Subscription usage (upload) page"),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Register {
    rule: Vec<Rule>,
    #[serde(default)]
    exclusion: Vec<Exclusion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    id: String,
    seed: String,
    section: String,
    quote: String,
    decision: String,
    note: String,
    tests: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exclusion {
    quote: String,
    reason: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn register() -> Register {
    let path = root().join("docs/seed-rules.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("docs/seed-rules.toml: {e}"))
}

/// The seed files by number (`000`, …), or `None` (with a note) where
/// `../shared/seeds/` is not there.
fn seeds() -> Option<BTreeMap<String, String>> {
    let dir = root().join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "note: {} is absent; the checks that read the seeds are skipped (CI has them)",
            dir.display()
        );
        return None;
    };
    let mut out = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("seed dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if name.ends_with(".txt") && name.len() > 3 {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.insert(name[..3].to_string(), text);
        }
    }
    for (seed, _, _) in SEEDS {
        assert!(out.contains_key(seed), "seed {seed} missing in {}", dir.display());
    }
    Some(out)
}

// ---- Normalising and splitting ----

/// The seeds' words without their markup: `**` and HTML tags removed,
/// `[text](target)` read as `text`, runs of whitespace as one space,
/// trimmed. Applied alike to the seeds and to the register's quotes.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let n = normalise_line(line);
        if !n.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&n);
        }
    }
    out
}

fn normalise_line(line: &str) -> String {
    let stripped = strip_markup(line);
    let mut out = String::with_capacity(stripped.len());
    for word in stripped.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Removes `**`, HTML tags (`<` then a letter, `/`, `!` or `?`, up to the
/// next `>`; a lone `<` as in "(<=)" stays) and link targets.
fn strip_markup(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '*' && next == Some('*') {
            i += 2;
            continue;
        }
        if c == '<'
            && next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
            && let Some(end) = chars[i + 1..].iter().position(|&x| x == '>' || x == '<')
            && chars[i + 1 + end] == '>'
        {
            i += end + 2;
            continue;
        }
        if c == '['
            && let Some(close) = chars[i + 1..].iter().position(|&x| x == ']')
        {
            let close = i + 1 + close;
            if chars.get(close + 1) == Some(&'(')
                && let Some(end) = chars[close + 2..].iter().position(|&x| x == ')')
            {
                let inner: String = chars[i + 1..close].iter().collect();
                out.push_str(&strip_markup(&inner));
                i = close + 2 + end + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A seed's text normalised as one string, with where each line starts in
/// it (for the line an occurrence starts on).
struct Doc {
    text: String,
    /// (offset in `text`, 1-based line) of every non-empty line.
    lines: Vec<(usize, usize)>,
}

impl Doc {
    fn new(raw: &str) -> Doc {
        let mut text = String::new();
        let mut lines = Vec::new();
        for (i, line) in raw.lines().enumerate() {
            let n = normalise_line(line);
            if n.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            lines.push((text.len(), i + 1));
            text.push_str(&n);
        }
        Doc { text, lines }
    }

    fn line_at(&self, offset: usize) -> usize {
        let k = self.lines.partition_point(|&(o, _)| o <= offset);
        self.lines[k.saturating_sub(1)].1
    }

    /// The lines on which the (normalised) quote starts.
    fn occurrences(&self, quote: &str) -> Vec<usize> {
        self.text.match_indices(quote).map(|(o, _)| self.line_at(o)).collect()
    }
}

/// The units the scan reads, as (line, normalised text): a table row (a
/// line with a tab) whole, any other line split into sentences after `. `,
/// `? ` and `! `.
fn units(raw: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        let n = normalise_line(line);
        if n.is_empty() {
            continue;
        }
        if line.contains('\t') {
            out.push((i + 1, n));
            continue;
        }
        let mut start = 0;
        for (k, pair) in n.as_bytes().windows(2).enumerate() {
            if matches!(pair[0], b'.' | b'?' | b'!') && pair[1] == b' ' {
                out.push((i + 1, n[start..=k].to_string()));
                start = k + 2;
            }
        }
        if start < n.len() {
            out.push((i + 1, n[start..].to_string()));
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

const WORDS: [&str; 11] = [
    "must",
    "cannot",
    "can't",
    "can’t",
    "only",
    "requires",
    "required",
    "not available",
    "no longer",
    "maximum",
    "at least",
];
const NUMBER_WORDS: [&str; 15] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
    "thirty", "sixty",
];
const UNITS: [&str; 8] = ["day", "month", "year", "hour", "minute", "user", "license", "station"];

/// Byte spans of the normative words in a unit: the words above (whole
/// words, any case), `limit` and its forms, and a number (digits or a
/// number word) followed by a space or hyphen and day(s), month(s),
/// year(s), hour(s), minute(s), user(s), license(s) or station(s), or
/// digits followed by `%`.
fn normative_spans(unit: &str) -> Vec<(usize, usize)> {
    let lower = unit.to_lowercase();
    // to_lowercase keeps byte offsets for the ASCII words looked for; a
    // text whose length changes (rare letters) is read as it is.
    let text = if lower.len() == unit.len() {
        lower
    } else {
        unit.to_string()
    };
    let boundary_before = |i: usize| text[..i].chars().next_back().is_none_or(|c| !is_word(c));
    let boundary_after = |j: usize| text[j..].chars().next().is_none_or(|c| !is_word(c));
    let mut spans = Vec::new();
    for w in WORDS {
        for (i, _) in text.match_indices(w) {
            if boundary_before(i) && boundary_after(i + w.len()) {
                spans.push((i, i + w.len()));
            }
        }
    }
    for (i, _) in text.match_indices("limit") {
        if boundary_before(i) {
            let end = i + text[i..].find(|c: char| !is_word(c)).unwrap_or(text.len() - i);
            spans.push((i, end));
        }
    }
    // Numbers: digit runs and number words at a word start.
    let mut numbers: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < text.len() {
        let c = text[k..].chars().next().unwrap_or(' ');
        if c.is_ascii_digit() && boundary_before(k) {
            let end = k + text[k..].find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len() - k);
            numbers.push((k, end));
            k = end;
            continue;
        }
        k += c.len_utf8();
    }
    for w in NUMBER_WORDS {
        for (i, _) in text.match_indices(w) {
            if boundary_before(i) && boundary_after(i + w.len()) {
                numbers.push((i, i + w.len()));
            }
        }
    }
    for (start, end) in numbers {
        let rest = &text[end..];
        if text[start..end].bytes().all(|b| b.is_ascii_digit()) {
            let pct = rest.strip_prefix(' ').unwrap_or(rest);
            if pct.starts_with('%') {
                spans.push((start, text.len() - pct.len() + 1));
                continue;
            }
        }
        let Some(after) = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('-')) else {
            continue;
        };
        for u in UNITS {
            if let Some(tail) = after.strip_prefix(u) {
                let tail = tail.strip_prefix('s').unwrap_or(tail);
                if tail.chars().next().is_none_or(|c| !is_word(c)) {
                    spans.push((start, text.len() - tail.len()));
                }
            }
        }
    }
    spans.sort_unstable();
    spans.dedup();
    spans
}

/// The first 12 characters of a text (where an overlap is looked for),
/// `None` for a shorter one.
fn head(text: &str) -> Option<&str> {
    text.char_indices().nth(12).map(|(i, _)| &text[..i])
}

/// Which normative spans of `unit` the quotes account for: a quote that
/// holds the whole unit covers all of it; a quote found in the unit covers
/// the spans inside it; a quote that begins in the unit's end or ends in
/// its beginning (a sentence that goes on past a line's end, a quote that
/// starts after a list dash) covers the spans in the shared part.
fn uncovered(unit: &str, spans: &[(usize, usize)], quotes: &[String]) -> Vec<(usize, usize)> {
    let mut covered = vec![false; spans.len()];
    let mark = |from: usize, to: usize, covered: &mut Vec<bool>| {
        for (c, &(a, b)) in covered.iter_mut().zip(spans) {
            if a >= from && b <= to {
                *c = true;
            }
        }
    };
    for q in quotes {
        if q.contains(unit) {
            return Vec::new();
        }
        for (k, _) in unit.match_indices(q.as_str()) {
            mark(k, k + q.len(), &mut covered);
        }
        // The unit's end begins the quote.
        if let Some(head) = head(q) {
            for (k, _) in unit.match_indices(head) {
                if q.starts_with(&unit[k..]) {
                    mark(k, unit.len(), &mut covered);
                }
            }
        }
        // The unit's beginning ends the quote.
        if let Some(head) = head(unit) {
            for (p, _) in q.match_indices(head) {
                if unit.starts_with(&q[p..]) {
                    mark(0, q.len() - p, &mut covered);
                }
            }
        }
        if covered.iter().all(|&c| c) {
            return Vec::new();
        }
    }
    spans
        .iter()
        .zip(&covered)
        .filter(|(_, c)| !**c)
        .map(|(s, _)| *s)
        .collect()
}

// ---- Tests named by the register ----

/// The text of test function `name` in `source`: from the comments and
/// attributes just above `fn name(` to the end of its body.
fn function_text<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("fn {name}(");
    let at = source
        .match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| source[..i].chars().next_back().is_none_or(|c| c.is_whitespace()))?;
    // Back over the lines of comments and attributes above it.
    let mut start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    while start > 0 {
        let prev_start = source[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = source[prev_start..start - 1].trim();
        if prev.starts_with("//") || prev.starts_with("#[") {
            start = prev_start;
        } else {
            break;
        }
    }
    let open = at + source[at..].find('{')?;
    let end = matching_brace(source, open)?;
    Some(&source[start..=end])
}

/// The byte offset of the `}` closing the `{` at `open`, skipping string
/// and char literals and comments.
fn matching_brace(source: &str, open: usize) -> Option<usize> {
    let b = source.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i += source[i..].find('\n').unwrap_or(b.len() - i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += source[i..].find("*/").map_or(b.len() - i, |k| k + 2);
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'r' if (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                && matches!(b.get(i + 1), Some(b'"' | b'#')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + 2 + hashes;
                    i = body + source[body..].find(&close).map_or(b.len() - body, |k| k + close.len());
                    continue;
                }
            }
            b'\'' => {
                // A char literal ('{', '\''), or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    // Past the backslash and the escaped character, to the
                    // closing quote ('\'', '\\', '\u{7f}').
                    i += 2;
                    i += source[i..].chars().next().map_or(1, char::len_utf8);
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                } else if let Some(c) = source[i + 1..].chars().next()
                    && source[i + 1 + c.len_utf8()..].starts_with('\'')
                {
                    i += 1 + c.len_utf8();
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Checks one `FILE::FN` of an entry; `Err` says what is wrong.
fn check_test_name(id: &str, test: &str, sources: &mut HashMap<PathBuf, String>) -> Result<(), String> {
    let (file, name) = test
        .rsplit_once("::")
        .ok_or_else(|| format!("{id}: `{test}` is not FILE::FN"))?;
    let path = if (file.starts_with("src/") || file.starts_with("crates/")) && file.ends_with(".rs") {
        root().join(file)
    } else if !file.is_empty()
        && file
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    {
        root().join("tests/it").join(format!("{file}.rs"))
    } else {
        return Err(format!(
            "{id}: `{file}` is neither a tests/it module nor a src/…rs file"
        ));
    };
    if !sources.contains_key(&path) {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{id}: {}: {e}", path.display()))?;
        sources.insert(path.clone(), text);
    }
    let source = &sources[&path];
    let body = function_text(source, name).ok_or_else(|| format!("{id}: no `fn {name}(` in {}", path.display()))?;
    if !body.contains(id) {
        return Err(format!(
            "{id}: {test} does not mention {id} (add a comment naming it in or above the test)"
        ));
    }
    Ok(())
}

// ---- The checks ----

/// `LTR-<line>-<slug>` (and AFMT-, SUB-): the prefix of its seed, a line
/// number without leading zeros, a lower-case slug.
fn parse_id(id: &str) -> Option<(&str, usize, &str)> {
    let (prefix, rest) = id.split_once('-')?;
    let (line, slug) = rest.split_once('-')?;
    let ok_line = !line.is_empty() && !line.starts_with('0') && line.bytes().all(|b| b.is_ascii_digit());
    let ok_slug = !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (ok_line && ok_slug).then(|| (prefix, line.parse().unwrap_or(0), slug))
}

#[test]
fn the_register_is_well_formed_and_names_real_tests() {
    let reg = register();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut sources = HashMap::new();
    for r in &reg.rule {
        if !seen.insert(r.id.as_str()) {
            problems.push(format!("{}: id used twice", r.id));
        }
        let prefix = SEEDS.iter().find(|(s, _, _)| *s == r.seed).map(|(_, p, _)| *p);
        match (prefix, parse_id(&r.id)) {
            (None, _) => problems.push(format!("{}: seed `{}` is not 000, 001 or 002", r.id, r.seed)),
            (_, None) => problems.push(format!("{}: not PREFIX-LINE-slug", r.id)),
            (Some(p), Some((got, _, _))) if p != got => {
                problems.push(format!("{}: seed {} entries are {p}-…", r.id, r.seed));
            }
            _ => {}
        }
        if !DECISIONS.contains(&r.decision.as_str()) {
            problems.push(format!(
                "{}: decision `{}` is not one of {DECISIONS:?}",
                r.id, r.decision
            ));
        }
        if r.section.trim().is_empty() {
            problems.push(format!("{}: no section", r.id));
        }
        if normalise(&r.quote).is_empty() {
            problems.push(format!("{}: empty quote", r.id));
        }
        let needs_note = !matches!(r.decision.as_str(), "implemented" | "shown-only");
        if needs_note && r.note.trim().is_empty() {
            problems.push(format!("{}: a {} entry says why in `note`", r.id, r.decision));
        }
        if matches!(r.decision.as_str(), "implemented" | "derived") && r.tests.is_empty() {
            problems.push(format!("{}: an {} entry names at least one test", r.id, r.decision));
        }
        for t in &r.tests {
            if let Err(p) = check_test_name(&r.id, t, &mut sources) {
                problems.push(p);
            }
        }
    }
    for e in &reg.exclusion {
        if normalise(&e.quote).is_empty() || e.reason.trim().is_empty() {
            problems.push(format!("exclusion `{}`: needs a quote and a reason", e.quote));
        }
    }
    let pending: Vec<&str> = reg
        .rule
        .iter()
        .filter(|r| r.decision == "pending")
        .map(|r| r.id.as_str())
        .collect();
    println!(
        "seed register: {} entries, {} exclusions; {} pending (issue #29): {}",
        reg.rule.len(),
        reg.exclusion.len(),
        pending.len(),
        pending.join(", ")
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_quote_is_in_the_seeds_at_the_line_its_id_names() {
    let Some(seeds) = seeds() else { return };
    let docs: BTreeMap<&str, Doc> = seeds.iter().map(|(k, v)| (k.as_str(), Doc::new(v))).collect();
    let reg = register();
    let mut problems = Vec::new();
    for r in &reg.rule {
        let Some(doc) = docs.get(r.seed.as_str()) else { continue };
        let quote = normalise(&r.quote);
        let lines = doc.occurrences(&quote);
        let named = parse_id(&r.id).map(|(_, line, _)| line);
        if lines.is_empty() {
            problems.push(format!("{}: quote not found in seed {}: {quote}", r.id, r.seed));
        } else if named.is_some_and(|n| !lines.contains(&n)) {
            problems.push(format!("{}: the quote starts on line(s) {lines:?}, not the id's", r.id));
        }
    }
    for e in &reg.exclusion {
        let quote = normalise(&e.quote);
        if !docs.values().any(|d| d.text.contains(&quote)) {
            problems.push(format!("exclusion not found in any seed: {quote}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_normative_sentence_of_the_seeds_has_an_entry_or_an_exclusion() {
    let Some(seeds) = seeds() else { return };
    let reg = register();
    let quotes: Vec<String> = reg
        .rule
        .iter()
        .map(|r| normalise(&r.quote))
        .chain(reg.exclusion.iter().map(|e| normalise(&e.quote)))
        .collect();
    let mut missing = Vec::new();
    let mut normative = 0;
    for (seed, raw) in &seeds {
        for (line, unit) in units(raw) {
            let spans = normative_spans(&unit);
            if spans.is_empty() {
                continue;
            }
            normative += 1;
            let left = uncovered(&unit, &spans, &quotes);
            if !left.is_empty() {
                let words: Vec<&str> = left.iter().map(|&(a, b)| &unit[a..b]).collect();
                missing.push(format!("seed {seed} line {line} ({}): {unit}", words.join(", ")));
            }
        }
    }
    println!("seed register: {normative} normative sentences and table rows in the seeds");
    assert!(
        missing.is_empty(),
        "{} normative sentences have no entry in docs/seed-rules.toml (add a [[rule]] quoting it, or an \
         [[exclusion]] with the reason):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

// ---- docs/seed-rules.md ----

fn markdown_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('<', "&lt;")
        .replace('|', "\\|")
}

/// docs/seed-rules.md as the register makes it.
fn markdown(reg: &Register) -> String {
    let mut out = String::new();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &reg.rule {
        *count.entry(r.decision.as_str()).or_default() += 1;
    }
    out.push_str(
        "# Seed rule register\n\n\
         Generated from [`seed-rules.toml`](seed-rules.toml) by `tests/it/seed_register.rs`; edit the TOML, then \
         run `UPDATE_SEED_RULES=1 cargo test --test it seed_register` to rewrite this page.\n\n\
         Every normative statement of the three seeds (a sentence or table row that says what must, cannot, may, \
         requires, is limited to, expires, counts, bills, or is (not) available), with our decision and the tests \
         that exercise it. A test keeps it honest: each `implemented` or `derived` entry names tests that exist \
         and mention its id, each quote is found in the seeds, and no normative sentence of the seeds is left \
         without an entry or an exclusion.\n\n\
         - **implemented** — the code follows it; the tests named check it.\n\
         - **shown-only** — the app displays it as information.\n\
         - **not-modelled** — deliberately not modelled; the note says why.\n\
         - **ambiguous** — the note gives the reading chosen and the other reading.\n\
         - **derived** — a rule of ours resting on the seed's sentence.\n\
         - **superseded** — a later statement of the seeds replaces it.\n\
         - **pending** — in issue #29's list of wrong or missing rules, being fixed; the note says what is \
         planned.\n\n\
         | decision | entries |\n|---|---|\n",
    );
    for d in DECISIONS {
        let _ = writeln!(out, "| {d} | {} |", count.get(d).copied().unwrap_or(0));
    }
    let _ = writeln!(out, "| **total** | {} |", reg.rule.len());
    let pending: Vec<String> = reg
        .rule
        .iter()
        .filter(|r| r.decision == "pending")
        .map(|r| format!("`{}`", r.id))
        .collect();
    if !pending.is_empty() {
        let _ = write!(out, "\nPending ({}): {}.\n", pending.len(), pending.join(", "));
    }
    for (seed, _, title) in SEEDS {
        let mut entries: Vec<&Rule> = reg.rule.iter().filter(|r| r.seed == seed).collect();
        if entries.is_empty() {
            continue;
        }
        let line = |r: &Rule| parse_id(&r.id).map_or(0, |(_, l, _)| l);
        entries.sort_by(|a, b| (line(a), a.id.as_str()).cmp(&(line(b), b.id.as_str())));
        // Sections in the order they first appear in the seed.
        let mut sections: Vec<&str> = Vec::new();
        for r in &entries {
            if !sections.contains(&r.section.as_str()) {
                sections.push(r.section.as_str());
            }
        }
        let _ = write!(out, "\n## Seed {seed}: {title}\n");
        for section in sections {
            let _ = write!(out, "\n### {}\n", markdown_text(section));
            for r in entries.iter().filter(|r| r.section == section) {
                let _ = write!(
                    out,
                    "\n#### {}\n\n**{}**\n\n> {}\n",
                    r.id,
                    r.decision,
                    markdown_text(&normalise(&r.quote))
                );
                if !r.note.trim().is_empty() {
                    let _ = write!(out, "\n{}\n", markdown_text(&normalise(&r.note)));
                }
                if !r.tests.is_empty() {
                    let tests: Vec<String> = r.tests.iter().map(|t| format!("`{t}`")).collect();
                    let _ = write!(out, "\nTests: {}\n", tests.join(", "));
                }
            }
        }
    }
    if !reg.exclusion.is_empty() {
        out.push_str(
            "\n## Exclusions\n\nSentences that hold a normative word but state no rule.\n\n\
             | quote | reason |\n|---|---|\n",
        );
        for e in &reg.exclusion {
            let _ = writeln!(
                out,
                "| {} | {} |",
                markdown_text(&normalise(&e.quote)),
                markdown_text(&normalise(&e.reason))
            );
        }
    }
    out
}

#[test]
fn seed_rules_doc_matches_the_register() {
    let path = root().join("docs/seed-rules.md");
    let expected = markdown(&register());
    if std::env::var_os("UPDATE_SEED_RULES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/seed-rules.md differs from docs/seed-rules.toml; run UPDATE_SEED_RULES=1 cargo test --test it \
         seed_register"
    );
}

// ---- The helpers' own cases ----

#[test]
fn the_normaliser_strips_markup_and_collapses_whitespace() {
    assert_eq!(normalise("  **Media 1** - You\tcan\n only  "), "Media 1 - You can only");
    assert_eq!(normalise("Name *\t<input type=\"text\"/>"), "Name *");
    assert_eq!(
        normalise("<code>I3_ACCESS_ACD_MEDIA_1</code> or any add-on license"),
        "I3_ACCESS_ACD_MEDIA_1 or any add-on license"
    );
    assert_eq!(
        normalise("see [Request a License File](#) and [Blank] (<=) box"),
        "see Request a License File and [Blank] (<=) box"
    );
    assert_eq!(normalise("3.0 -> 4.0 <https://x.example/y> done"), "3.0 -> 4.0 done");
    assert_eq!(
        normalise("Generation Date (<=)\tDisplays … Date (>=) box."),
        "Generation Date (<=) Displays … Date (>=) box."
    );
    assert_eq!(normalise("a\u{a0}b\r\n\r\nc"), "a b c");
    assert_eq!(normalise(""), "");
}

#[test]
fn the_splitter_keeps_table_rows_and_splits_sentences() {
    let raw = "One rule. Another? Yes! e.g.done\nRow\tcell one. cell two.\n\n- a dash line\n";
    let got: Vec<(usize, String)> = units(raw);
    let want: Vec<(usize, String)> = vec![
        (1, "One rule.".into()),
        (1, "Another?".into()),
        (1, "Yes!".into()),
        (1, "e.g.done".into()),
        (2, "Row cell one. cell two.".into()),
        (4, "- a dash line".into()),
    ];
    assert_eq!(got, want);
    let doc = Doc::new("first line\n\n  second   line\nthird");
    assert_eq!(doc.text, "first line second line third");
    assert_eq!(doc.occurrences("second line"), vec![3]);
    assert_eq!(doc.occurrences("line third"), vec![3]);
    assert_eq!(doc.occurrences("first"), vec![1]);
}

#[test]
fn normative_words_numbers_and_percentages_are_found() {
    let words = |s: &str| -> Vec<String> {
        normative_spans(s)
            .into_iter()
            .map(|(a, b)| s[a..b].to_string())
            .collect()
    };
    assert_eq!(words("You cannot add components."), ["cannot"]);
    assert_eq!(words("Only one; commonly not."), ["Only"]);
    assert_eq!(words("It can't, nor can’t it."), ["can't", "can’t"]);
    assert_eq!(words("The limits are limited"), ["limits", "limited"]);
    assert_eq!(words("requires X, required Y, require Z"), ["requires", "required"]);
    assert_eq!(
        words("Bundles are not available; no longer new; at least once"),
        ["not available", "no longer", "at least"]
    );
    assert_eq!(words("expires after 60 days"), ["60 days"]);
    assert_eq!(words("30-day non-ordered licenses"), ["30-day"]);
    assert_eq!(words("after one year and 50 users"), ["one year", "50 users"]);
    assert_eq!(words("the CIC 4.0 License Upgrade Guide"), ["0 License"]);
    assert_eq!(words("limited to 20% of ports, or 20 %"), ["limited", "20%", "20 %"]);
    assert_eq!(words("at 12 hour intervals"), ["12 hour"]);
    assert!(words("3 MB per day, 50 Interaction Tracker, someone").is_empty());
    assert!(words("mustard, onlyness").is_empty());
}

#[test]
fn coverage_takes_whole_parts_and_overlapping_quotes() {
    let unit = "- CIC licenses Contact Center 1, 2, and 3 licenses.";
    let spans = normative_spans(unit);
    assert_eq!(spans.len(), 1);
    // Nothing quotes it.
    assert_eq!(uncovered(unit, &spans, &["unrelated words here".into()]), spans);
    // A quote that is the unit without its dash, and goes on.
    let q = "CIC licenses Contact Center 1, 2, and 3 licenses. Ensure in advance.".to_string();
    assert!(uncovered(unit, &spans, &[q]).is_empty());
    // A quote inside the unit covers only what it holds.
    let unit = "You must do this; you cannot do that.";
    let spans = normative_spans(unit);
    let left = uncovered(unit, &spans, &["you cannot do that".into()]);
    assert_eq!(left.iter().map(|&(a, b)| &unit[a..b]).collect::<Vec<_>>(), ["must"]);
    // A sentence cut at a line end is part of a longer quote.
    let unit = "This option requires a connection between PureConnect and Genesys";
    let spans = normative_spans(unit);
    let q = "This option requires a connection between PureConnect and Genesys Cloud.".to_string();
    assert!(uncovered(unit, &spans, &[q]).is_empty());
    // A quote that starts in the middle of a line and goes on to the next.
    let unit = "The billing period is the 28th. For example, all files must be uploaded from";
    let spans = normative_spans(unit);
    let q = "For example, all files must be uploaded from the portal by June 4th.".to_string();
    assert!(uncovered(unit, &spans, &[q]).is_empty());
}

#[test]
fn a_named_test_is_found_from_its_comments_to_its_closing_brace() {
    let source = r##"
fn helper() { let x = "{"; }

/// Seed rule LTR-1-doc.
#[test]
fn the_case() {
    let s = "}}} {";
    let r = r#"}"#;
    let c = '}';
    let l: &'static str = "x";
    // a comment with a brace }
    /* and { another } */
    // Seed rule LTR-2-body.
    if true { let _ = (s, r, c, l); }
}

fn after() { /* LTR-3-after */ }
"##;
    let body = function_text(source, "the_case").expect("found");
    assert!(body.starts_with("/// Seed rule LTR-1-doc."), "{body}");
    assert!(body.contains("LTR-2-body"));
    assert!(body.trim_end().ends_with('}'));
    assert!(!body.contains("LTR-3-after"));
    assert!(function_text(source, "missing").is_none());
    assert!(function_text(source, "case").is_none(), "whole names only");
}

#[test]
fn ids_are_prefix_line_and_slug() {
    assert_eq!(parse_id("LTR-264-client-access"), Some(("LTR", 264, "client-access")));
    assert_eq!(parse_id("SUB-15-x2"), Some(("SUB", 15, "x2")));
    for bad in [
        "LTR-0264-x",
        "LTR-264",
        "LTR-264-",
        "LTR-x-slug",
        "LTR-1-Upper",
        "LTR-1-a--b",
        "LTR-1-a_b",
    ] {
        assert_eq!(parse_id(bad), None, "{bad}");
    }
}
