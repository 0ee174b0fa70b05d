//! Multi-selection over a filtered, sorted list of rows: click, Ctrl-click,
//! Shift-click, Ctrl+A and arrow keys, as in a desktop list view.

use std::borrow::Cow;

/// Selected ids, case-folded: a hash set, so that selecting 100,000 rows
/// and asking each row whether it is selected cost no sorting.
pub type Ids = rustc_hash::FxHashSet<String>;

/// `id` case-folded, without a copy when it already is (most IDs are).
fn folded(id: &str) -> Cow<'_, str> {
    if id.is_ascii() && !id.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(id.to_lowercase())
    }
}

#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Selected ids (case-folded).
    pub ids: Ids,
    /// The row the keyboard cursor is on (index into the visible rows).
    pub cursor: Option<usize>,
    anchor: Option<usize>,
}

impl Selection {
    pub fn clear(&mut self) {
        self.ids.clear();
        self.cursor = None;
        self.anchor = None;
    }

    pub fn contains(&self, id: &str) -> bool {
        !self.ids.is_empty() && self.ids.contains(folded(id).as_ref())
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// A click on visible row `row` (whose id is `id`); `ids` gives the id of
    /// any visible row, for Shift ranges.
    pub fn click(&mut self, row: usize, id: &str, modifiers: egui::Modifiers, ids: impl Fn(usize) -> String) {
        let id = id.to_lowercase();
        if modifiers.shift {
            let anchor = self.anchor.unwrap_or(row);
            let (a, b) = if anchor <= row { (anchor, row) } else { (row, anchor) };
            if !modifiers.command {
                self.ids.clear();
            }
            for r in a..=b {
                self.ids.insert(ids(r).to_lowercase());
            }
        } else if modifiers.command {
            if !self.ids.remove(&id) {
                self.ids.insert(id);
            }
            self.anchor = Some(row);
        } else {
            self.ids.clear();
            self.ids.insert(id);
            self.anchor = Some(row);
        }
        self.cursor = Some(row);
    }

    /// Selects every visible row (`ids`: their IDs).
    pub fn select_all<'a>(&mut self, ids: impl ExactSizeIterator<Item = &'a str>) {
        let mut all = Ids::default();
        all.reserve(ids.len());
        all.extend(ids.map(|id| folded(id).into_owned()));
        self.ids = all;
    }

    /// Moves the cursor by `delta` rows and selects that row alone.
    pub fn step(&mut self, delta: isize, count: usize, ids: impl Fn(usize) -> String) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let row = match self.cursor {
            None => 0,
            Some(c) => (c as isize + delta).clamp(0, count as isize - 1) as usize,
        };
        self.ids.clear();
        self.ids.insert(ids(row).to_lowercase());
        self.cursor = Some(row);
        self.anchor = Some(row);
        Some(row)
    }

    /// Moves the cursor to `row` (clamped) and selects from the anchor to it
    /// (Shift+arrows, Shift+Page Up/Down, Shift+Home/End).
    pub fn extend_to(&mut self, row: isize, count: usize, ids: impl Fn(usize) -> String) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let row = row.clamp(0, count as isize - 1) as usize;
        let anchor = self.anchor.unwrap_or(self.cursor.unwrap_or(row)).min(count - 1);
        let (a, b) = if anchor <= row { (anchor, row) } else { (row, anchor) };
        self.ids = (a..=b).map(|r| ids(r).to_lowercase()).collect();
        self.anchor = Some(anchor);
        self.cursor = Some(row);
        Some(row)
    }

    /// Moves the cursor to `row` (clamped) and selects that row alone
    /// (arrows, Page Up/Down, Home/End).
    pub fn jump_to(&mut self, row: isize, count: usize, ids: impl Fn(usize) -> String) -> Option<usize> {
        if count == 0 {
            return None;
        }
        let row = row.clamp(0, count as isize - 1) as usize;
        self.ids.clear();
        self.ids.insert(ids(row).to_lowercase());
        self.cursor = Some(row);
        self.anchor = Some(row);
        Some(row)
    }

    /// Space: the cursor row in or out of the selection, the rest kept.
    pub fn toggle_cursor(&mut self, ids: impl Fn(usize) -> String) {
        if let Some(c) = self.cursor {
            let id = ids(c).to_lowercase();
            if !self.ids.remove(&id) {
                self.ids.insert(id);
            }
            self.anchor = Some(c);
        }
    }

    /// Keeps the selection to ids that still exist.
    pub fn retain(&mut self, exists: impl Fn(&str) -> bool) {
        self.ids.retain(|id| exists(id));
    }
}

/// Case-insensitive substring test without allocating for ASCII text (the
/// common case in a 100k-row filter); `needle` is already lower case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

/// Case-insensitive ordering without allocating for ASCII text.
pub fn cmp_ci(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}
