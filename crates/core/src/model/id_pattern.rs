//! ID patterns of license policies: `*` for any run of characters, `?` for
//! one, nothing else special, compared ignoring case. A pattern is compiled
//! once per rule and matched in time linear in the ID and the pattern
//! (a policy file is input: `*aaa…ab*` against long IDs must not take
//! seconds, as the backtracking matcher did).
//!
//! How: the pattern is split at `*` into segments. The first must match at
//! the start of the ID, the last at its end, and each one between is found
//! left to right after the previous — taking the leftmost place for each is
//! always right, because a `*` on both sides absorbs whatever lies between.
//! A segment (which may hold `?`) is found with the bit-parallel Shift-And
//! search: one pass over the ID, one word of state per 64 characters of
//! the segment.

use crate::model::names::fold;

/// A compiled ID pattern. It reads and writes as the text it was made
/// from, and compares by that text; it is compiled once, when it is read.
#[derive(Clone)]
pub struct IdPattern {
    text: String,
    chars: Compiled<char>,
    /// The same pattern over bytes when it is ASCII (IDs nearly always
    /// are: no allocation per ID then).
    bytes: Option<Compiled<u8>>,
    /// For each middle segment of `bytes` without `?`: memchr's
    /// precompiled substring search (Two-Way with a SIMD prefilter: linear,
    /// and many times faster than Shift-And on long segments; the hostile
    /// `*aaa…ab*` rules took 3.4 s over 20k IDs without it).
    finders: Vec<Option<memchr::memmem::Finder<'static>>>,
}

impl std::fmt::Debug for IdPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.text)
    }
}

impl std::fmt::Display for IdPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for IdPattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for IdPattern {}

impl serde::Serialize for IdPattern {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for IdPattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IdPattern, D::Error> {
        Ok(IdPattern::new(&String::deserialize(d)?))
    }
}

impl IdPattern {
    pub fn new(pattern: &str) -> IdPattern {
        let folded = fold(pattern);
        let chars: Vec<char> = folded.chars().collect();
        let bytes = folded.is_ascii().then(|| Compiled::new(folded.as_bytes(), b'*', b'?'));
        let finders = bytes
            .as_ref()
            .map(|b| {
                b.middle
                    .iter()
                    .map(|s| (!s.wild.iter().any(|w| *w)).then(|| memchr::memmem::Finder::new(&s.units).into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        IdPattern {
            text: pattern.to_string(),
            bytes,
            finders,
            chars: Compiled::new(&chars, '*', '?'),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Does an ID already case-folded (`names::fold`) match?
    pub fn matches_folded(&self, id: &str) -> bool {
        match &self.bytes {
            Some(b) if id.is_ascii() => b.matches_with(id.as_bytes(), |i, segment, hay| match self.finders.get(i) {
                Some(Some(finder)) => finder.find(hay),
                _ => segment.find(hay),
            }),
            _ => {
                let units: Vec<char> = id.chars().collect();
                self.chars.matches(&units)
            }
        }
    }

    /// Does an ID match, ignoring case?
    pub fn matches(&self, id: &str) -> bool {
        self.matches_folded(&fold(id))
    }
}

/// A pattern split at `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Compiled<T> {
    /// The pattern has no `*`: the one segment is the whole ID.
    exact: bool,
    first: Segment<T>,
    middle: Vec<Segment<T>>,
    last: Segment<T>,
}

impl<T: Copy + Ord> Compiled<T> {
    fn new(pattern: &[T], star: T, any: T) -> Self {
        let mut parts: Vec<Segment<T>> = pattern.split(|u| *u == star).map(|s| Segment::new(s, any)).collect();
        let exact = parts.len() == 1;
        let first = parts.remove(0);
        let last = if exact {
            Segment::new(&[], any)
        } else {
            parts.pop().unwrap_or_else(|| Segment::new(&[], any))
        };
        parts.retain(|s| !s.units.is_empty());
        Compiled {
            exact,
            first,
            middle: parts,
            last,
        }
    }

    fn matches(&self, id: &[T]) -> bool {
        self.matches_with(id, |_, segment, hay| segment.find(hay))
    }

    /// `matches`, finding the `i`th middle segment with `find`.
    fn matches_with(&self, id: &[T], find: impl Fn(usize, &Segment<T>, &[T]) -> Option<usize>) -> bool {
        if self.exact {
            return id.len() == self.first.units.len() && self.first.matches_at(id, 0);
        }
        let (head, tail) = (self.first.units.len(), self.last.units.len());
        if head + tail > id.len() || !self.first.matches_at(id, 0) {
            return false;
        }
        let end = id.len() - tail;
        if !self.last.matches_at(id, end) {
            return false;
        }
        let mut from = head;
        for (i, segment) in self.middle.iter().enumerate() {
            match find(i, segment, &id[from..end]) {
                Some(at) => from += at + segment.units.len(),
                None => return false,
            }
        }
        true
    }
}

/// One segment between stars, with its Shift-And masks.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment<T> {
    units: Vec<T>,
    /// `true` where the segment has `?`.
    wild: Vec<bool>,
    /// Per distinct unit of the segment (sorted): the positions it or a `?`
    /// matches, as bits.
    masks: Vec<(T, Vec<u64>)>,
    /// The positions only a `?` matches (for units not in the segment).
    any_mask: Vec<u64>,
}

impl<T: Copy + Ord> Segment<T> {
    fn new(units: &[T], any: T) -> Self {
        let words = units.len().div_ceil(64).max(1);
        let wild: Vec<bool> = units.iter().map(|u| *u == any).collect();
        let mut any_mask = vec![0u64; words];
        for (i, w) in wild.iter().enumerate() {
            if *w {
                any_mask[i / 64] |= 1 << (i % 64);
            }
        }
        let mut distinct: Vec<T> = units.iter().zip(&wild).filter(|(_, w)| !**w).map(|(u, _)| *u).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let masks = distinct
            .into_iter()
            .map(|c| {
                let mut m = any_mask.clone();
                for (i, u) in units.iter().enumerate() {
                    if *u == c && !wild[i] {
                        m[i / 64] |= 1 << (i % 64);
                    }
                }
                (c, m)
            })
            .collect();
        Segment {
            units: units.to_vec(),
            wild,
            masks,
            any_mask,
        }
    }

    /// Does the segment match `id` at `at` (which leaves room for it)?
    fn matches_at(&self, id: &[T], at: usize) -> bool {
        self.units
            .iter()
            .zip(&self.wild)
            .zip(&id[at..at + self.units.len()])
            .all(|((u, w), c)| *w || u == c)
    }

    fn mask(&self, c: T) -> &[u64] {
        match self.masks.binary_search_by(|(u, _)| u.cmp(&c)) {
            Ok(i) => &self.masks[i].1,
            Err(_) => &self.any_mask,
        }
    }

    /// The leftmost place the segment matches in `hay`: Shift-And, one
    /// pass over `hay`.
    fn find(&self, hay: &[T]) -> Option<usize> {
        let m = self.units.len();
        if m == 0 {
            return Some(0);
        }
        let words = self.any_mask.len();
        let top = (m - 1) / 64;
        let top_bit = 1u64 << ((m - 1) % 64);
        if words == 1 {
            // Most segments: one word of state, no allocation.
            let mut state = 0u64;
            for (j, c) in hay.iter().enumerate() {
                state = ((state << 1) | 1) & self.mask(*c)[0];
                if state & top_bit != 0 {
                    return Some(j + 1 - m);
                }
            }
            return None;
        }
        let mut state = vec![0u64; words];
        for (j, c) in hay.iter().enumerate() {
            let mask = self.mask(*c);
            // state = ((state << 1) | 1) & mask, across the words.
            let mut carry = 1u64;
            for (s, k) in state.iter_mut().zip(mask) {
                let next_carry = *s >> 63;
                *s = ((*s << 1) | carry) & k;
                carry = next_carry;
            }
            if state[top] & top_bit != 0 {
                return Some(j + 1 - m);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::IdPattern;

    fn glob(p: &str, t: &str) -> bool {
        IdPattern::new(p).matches(t)
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(glob("agent*", "agent01"));
        assert!(glob("*.ruiz?", "ann.ruiz1"));
        assert!(!glob("agent?", "agent01"));
        assert!(glob("*", ""));
        assert!(glob("**", "x"));
        assert!(!glob("a*b", "ac"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXcYb"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("abc", "abcd"));
        assert!(glob("*ab*ab*", "abab"));
        assert!(!glob("*ab*ab*", "aba"));
        assert!(glob("a*a", "a a".replace(' ', "").as_str()));
        assert!(!glob("aa*aa", "aaa"));
    }

    #[test]
    fn ignoring_case_in_any_script() {
        assert!(glob("Agent*", "agent01"));
        assert!(glob("*.RUIZ?", "ann.ruiz1"));
        assert!(!glob("agent?", "AGENT01"));
        assert!(glob("élan*", "ÉLAN-1"));
        assert!(glob("?lan", "Élan"));
    }

    #[test]
    fn long_segments_cross_word_boundaries() {
        let seg = "a".repeat(100) + "?b";
        let id = "x".repeat(10) + &"a".repeat(100) + "zb" + "tail";
        assert!(glob(&format!("*{seg}*"), &id));
        assert!(!glob(&format!("*{seg}c*"), &id));
    }

    /// The textbook dynamic-programming matcher, as the reference:
    /// `m[i][j]` says whether the first `i` pattern units match the first
    /// `j` ID units.
    fn naive(p: &[char], t: &[char]) -> bool {
        let mut m = vec![vec![false; t.len() + 1]; p.len() + 1];
        m[0][0] = true;
        for i in 1..=p.len() {
            for j in 0..=t.len() {
                m[i][j] = match p[i - 1] {
                    '*' => m[i - 1][j] || (j > 0 && m[i][j - 1]),
                    '?' => j > 0 && m[i - 1][j - 1],
                    c => j > 0 && m[i - 1][j - 1] && t[j - 1] == c,
                };
            }
        }
        m[p.len()][t.len()]
    }

    proptest::proptest! {
        /// The compiled matcher (Shift-And and the memchr finder alike)
        /// agrees with the reference on short patterns over a small
        /// alphabet, where every overlap and boundary case is reached.
        #[test]
        fn agrees_with_the_obvious_matcher(p in "[ab*?]{0,12}", t in "[ab]{0,20}", long in 0usize..3) {
            // Also segments past 64 units (the multi-word path).
            let pad = "a".repeat(long * 40);
            let p = p.replace('b', &format!("{pad}b"));
            let t = t.replace('b', &format!("{pad}b"));
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            proptest::prop_assert_eq!(glob(&p, &t), naive(&pc, &tc), "pattern {} id {}", p, t);
        }
    }
}
