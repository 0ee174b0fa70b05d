//! Events files (docs/events-file.md): the event type, the whole-text
//! parser, and the reader that streams a file's events one at a time into
//! a replay when the file is in time order (as `demo generate` and the
//! usage subsystem write them), so memory does not grow with the file.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fs::FileError;
use crate::model::error::DateError;

/// An events file is refused, naming the element of the first problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventsError {
    /// A byte-order mark or a NUL.
    Text(FileError),
    /// Not JSON of events (the parser's words, with the element's path).
    Json(String),
    /// A time outside the dates this tool accepts.
    Time(DateError),
    BlankUser(usize),
    /// A dynamic-remote-logon without the phone number.
    NoPhone(usize),
    /// The events span more than one file may (`MAX_SPAN_DAYS`).
    Span {
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        days: i64,
    },
}

impl std::fmt::Display for EventsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words = match self {
            EventsError::Text(e) => e.to_string(),
            EventsError::Json(why) => why.clone(),
            EventsError::Time(e) => e.to_string(),
            EventsError::BlankUser(i) => format!("$[{i}].user: the user is blank"),
            EventsError::NoPhone(i) => format!("$[{i}].phone: a dynamic-remote-logon needs the phone number"),
            EventsError::Span { first, last, days } => format!(
                "the events run from {first} to {last} ({days} days); one events file may cover at most \
                 {MAX_SPAN_DAYS} days — split it by month or year"
            ),
        };
        // Text from the file (a user, a value) is shortened and escaped.
        f.write_str(&crate::model::fileio::tidy_message(&words))
    }
}

impl std::error::Error for EventsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventsError::Text(e) => Some(e),
            EventsError::Time(e) => Some(e),
            _ => None,
        }
    }
}

impl From<FileError> for EventsError {
    fn from(e: FileError) -> Self {
        EventsError::Text(e)
    }
}

impl From<DateError> for EventsError {
    fn from(e: DateError) -> Self {
        EventsError::Time(e)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Logon,
    Logoff,
    DynamicRemoteLogon,
    /// A supervisor's Force User Logouts: ends the user's session on
    /// whatever computer and every application, returning its licenses.
    ForcedLogoff,
}

/// One event of an events file (see `docs/events-file.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[serde(with = "time_format")]
    pub at: DateTime<Utc>,
    pub event: EventKind,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Event times: RFC 3339, or without an offset (read as UTC).
mod time_format {
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    /// Read from the text as it is (no copy per event: a month of usage is
    /// millions of them); takes what `String` takes, so a value of another
    /// type is refused in the same words.
    struct Time;

    impl serde::de::Visitor<'_> for Time {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            crate::rules::enforcement::parse_time(v).map_err(E::custom)
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            match std::str::from_utf8(v) {
                Ok(s) => self.visit_str(s),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_string(Time)
    }
}

/// Files larger than this are refused before they are read.
pub const MAX_EVENTS_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The longest span one events file may cover (three years and a day).
pub const MAX_SPAN_DAYS: i64 = 3 * 366;

/// Parses an events file, naming the element of the first problem.
pub fn parse_events(text: &str) -> Result<Vec<Event>, EventsError> {
    crate::model::fileio::check_text(text, "events file")?;
    let mut events: Vec<Event> = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|e| {
            EventsError::Json(
                format!("$.{}: {}", e.path(), e.inner())
                    .replace("$..", "$")
                    .replace(".[", "["),
            )
        })?;
    for (i, e) in events.iter().enumerate() {
        check_event(i, e)?;
    }
    // Events are replayed in time order; equal times keep file order.
    events.sort_by_key(|e| e.at);
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        check_span(first.at, last.at)?;
    }
    Ok(events)
}

/// What an event must be beyond its JSON shape.
fn check_event(i: usize, e: &Event) -> Result<(), EventsError> {
    // The element's name is made only for a message (this runs per event).
    if crate::model::dates::check_time("at", e.at).is_err() {
        crate::model::dates::check_time(&format!("$[{i}].at"), e.at)?;
    }
    if e.user.trim().is_empty() {
        return Err(EventsError::BlankUser(i));
    }
    if e.event == EventKind::DynamicRemoteLogon && e.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
        return Err(EventsError::NoPhone(i));
    }
    Ok(())
}

/// Billing tallies walk every day a session spans: a file spanning
/// centuries would take minutes and gigabytes for two lines.
fn check_span(first: DateTime<Utc>, last: DateTime<Utc>) -> Result<(), EventsError> {
    let days = (last - first).num_days();
    if days > MAX_SPAN_DAYS {
        return Err(EventsError::Span {
            first: first.date_naive(),
            last: last.date_naive(),
            days,
        });
    }
    Ok(())
}

/// Where the events of a file go, in time order (equal times in file order).
pub trait EventSink {
    fn event(&mut self, e: Event);
    /// The file proved not to be in time order after some of its events
    /// were given: forget them, the events come again from the first, sorted.
    fn restart(&mut self);
}

/// Collects the events (the Simulation panel keeps them to step through).
impl EventSink for Vec<Event> {
    fn event(&mut self, e: Event) {
        self.push(e);
    }

    fn restart(&mut self) {
        self.clear();
    }
}

/// How a file was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub events: usize,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// The events were not in time order: the file was read whole and
    /// sorted in memory before they were replayed.
    pub sorted: bool,
}

impl ReadStats {
    /// What to tell the user about reading `name`: nothing for a file in
    /// time order.
    pub fn note(&self, name: &str) -> Option<String> {
        self.sorted.then(|| {
            format!(
                "The events in {name} are not in time order: the file was read whole and sorted before it was \
                 replayed, which takes more memory. Events files written in time order are read as they go."
            )
        })
    }
}

/// Why a file's events could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not opened or not read (missing, a folder or pipe, over the size cap).
    File(FileError),
    /// The bytes are not UTF-8 text.
    NotUtf8,
    /// Not an events file: the element of the first problem.
    Events(EventsError),
    /// The progress callback asked to stop.
    Cancelled,
}

impl From<FileError> for ReadError {
    fn from(e: FileError) -> Self {
        ReadError::File(e)
    }
}

/// Reads the events file at `path` into `sink`, in time order. A file in
/// time order is read as it goes (a small buffer, one event at a time);
/// anything else — a file out of order, or one with a problem, whose
/// message names the element as before — is read whole within the size
/// cap: sorted, or refused. `progress(read, size)` is told the bytes read
/// about every MiB (from the start: it moves with the reading, not after
/// it); returning false stops the read (`ReadError::Cancelled`).
pub fn read_file(
    path: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
    sink: &mut dyn EventSink,
) -> Result<ReadStats, ReadError> {
    let (file, size) = crate::fs::open_stream(path, MAX_EVENTS_FILE_BYTES)?;
    let (given, out_of_order) = match stream(file, size, PIECE, progress, sink) {
        Ok(stats) => return Ok(stats),
        Err(Stop::Cancelled) => return Err(ReadError::Cancelled),
        Err(Stop::Read(reason)) => {
            return Err(ReadError::File(FileError::Read {
                path: path.to_path_buf(),
                reason,
            }));
        }
        Err(Stop::Irregular { given, out_of_order }) => (given, out_of_order),
    };
    // The whole text, as every events file was read before streaming: the
    // sort, and the messages (which weigh the whole file: a file that is
    // not UTF-8 anywhere is said so before a JSON problem earlier on).
    let bytes = crate::fs::read_capped_with(path, MAX_EVENTS_FILE_BYTES, progress)?.ok_or(ReadError::Cancelled)?;
    let text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    whole(&text, given, out_of_order, sink)
}

/// `read_file` with the reading and parsing on a thread of their own and
/// the events handed to `sink` on this one, in batches: parsing and what
/// the sink does with each event (a replay) overlap, on two cores. The
/// same events in the same order, the same errors; `progress` runs on the
/// reading thread.
pub fn read_file_piped(
    path: &Path,
    progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    sink: &mut dyn EventSink,
) -> Result<ReadStats, ReadError> {
    /// What goes from the reading thread to the sink.
    enum Piece {
        Events(Vec<Event>),
        Restart,
    }
    /// Events gathered into batches (one send per few thousand events).
    struct Batches {
        out: std::sync::mpsc::SyncSender<Piece>,
        batch: Vec<Event>,
    }
    const BATCH: usize = 4096;
    impl Batches {
        fn flush(&mut self) {
            if !self.batch.is_empty() {
                let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
                // The receiving side reads to the end: a send fails only
                // if it is gone, and then nothing is wanted any more.
                let _ = self.out.send(Piece::Events(batch));
            }
        }
    }
    impl EventSink for Batches {
        fn event(&mut self, e: Event) {
            self.batch.push(e);
            if self.batch.len() >= BATCH {
                self.flush();
            }
        }
        fn restart(&mut self) {
            self.batch.clear();
            let _ = self.out.send(Piece::Restart);
        }
    }
    // A few batches in flight: memory stays small whichever side is slower.
    let (out, pieces) = std::sync::mpsc::sync_channel::<Piece>(4);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batches = Batches {
                out,
                batch: Vec::with_capacity(BATCH),
            };
            let read = read_file(path, progress, &mut batches);
            batches.flush();
            read
        });
        for piece in pieces {
            match piece {
                Piece::Events(batch) => {
                    for e in batch {
                        sink.event(e);
                    }
                }
                Piece::Restart => sink.restart(),
            }
        }
        match reader.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// `read_file` over bytes in memory, read in pieces of `piece` bytes (a
/// few, so that events are cut between pieces): what the fuzzer and the
/// tests compare with `parse_events`.
pub fn read_bytes(bytes: &[u8], piece: usize, sink: &mut dyn EventSink) -> Result<ReadStats, ReadError> {
    let (given, out_of_order) = match stream(bytes, bytes.len() as u64, piece.max(1), &mut |_, _| true, sink) {
        Ok(stats) => return Ok(stats),
        Err(Stop::Cancelled) => return Err(ReadError::Cancelled),
        Err(Stop::Read(_)) => (0, false),
        Err(Stop::Irregular { given, out_of_order }) => (given, out_of_order),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    whole(text, given, out_of_order, sink)
}

/// The whole-text path: parsed (or refused) as before, sorted, and given
/// to the sink after it forgets the `given` events it had.
fn whole(text: &str, given: usize, out_of_order: bool, sink: &mut dyn EventSink) -> Result<ReadStats, ReadError> {
    let events = parse_events(text).map_err(ReadError::Events)?;
    if given > 0 {
        sink.restart();
    }
    let stats = ReadStats {
        events: events.len(),
        first: events.first().map(|e| e.at),
        last: events.last().map(|e| e.at),
        sorted: out_of_order,
    };
    for e in events {
        sink.event(e);
    }
    Ok(stats)
}

/// Reads a whole events file into a list in time order (the Simulation
/// panel steps through it), without holding the file's text as well.
pub fn load_file(path: &Path) -> Result<(Vec<Event>, ReadStats), ReadError> {
    let mut events = Vec::new();
    let stats = read_file(path, &mut |_, _| true, &mut events)?;
    Ok((events, stats))
}

/// Why the streaming read stopped.
enum Stop {
    /// A problem or an event out of order: read the file whole instead.
    /// `given`: events already handed to the sink.
    Irregular {
        given: usize,
        out_of_order: bool,
    },
    Cancelled,
    Read(String),
}

/// The file read in pieces: the bytes not parsed yet are `buf[pos..end]`.
struct Pieces<'p, R> {
    file: R,
    /// How much to read at a time.
    piece: usize,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The file has no more bytes.
    eof: bool,
    read: u64,
    size: u64,
    progress: &'p mut dyn FnMut(u64, u64) -> bool,
}

/// A piece: large enough that refilling is rare, small beside any budget.
const PIECE: usize = 1 << 20;

impl<R: Read> Pieces<'_, R> {
    /// Reads more after what is left (moved to the front); the buffer
    /// grows only for an event longer than it. False at the end of the file.
    fn fill(&mut self) -> Result<bool, Stop> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        if self.buf.len() - self.end < self.piece.div_ceil(2) {
            self.buf.resize(self.buf.len() + self.piece, 0);
        }
        if !(self.progress)(self.read, self.size) {
            return Err(Stop::Cancelled);
        }
        let room = (self.end + self.piece).min(self.buf.len());
        loop {
            match self.file.read(&mut self.buf[self.end..room]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    self.read += n as u64;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // string-error: std::io::Error is neither Clone nor Eq, as `Stop` is; its words are kept.
                Err(e) => return Err(Stop::Read(e.to_string())),
            }
        }
    }

    /// The next byte that is not JSON whitespace (not consumed), `None`
    /// at the end of the file.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            while self.pos < self.end {
                match self.buf[self.pos] {
                    b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                    b => return Ok(Some(b)),
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// The next event of the array. serde_json parses it from the bytes in
    /// place (no copy of the text); an event cut by the end of the piece is
    /// parsed again once more is read. Any problem stops the stream.
    fn event(&mut self) -> Result<Event, Stop> {
        loop {
            let mut values = serde_json::Deserializer::from_slice(&self.buf[self.pos..self.end]).into_iter::<Event>();
            match values.next() {
                Some(Ok(e)) => {
                    self.pos += values.byte_offset();
                    return Ok(e);
                }
                Some(Err(e)) if e.is_eof() => {
                    if !self.fill()? {
                        return Err(Stop::irregular());
                    }
                }
                None if !self.eof => {
                    self.fill()?;
                }
                _ => return Err(Stop::irregular()),
            }
        }
    }
}

impl Stop {
    /// A problem: the whole-text reader says which.
    fn irregular() -> Stop {
        Stop::Irregular {
            given: 0,
            out_of_order: false,
        }
    }
}

/// Reads the file's array one event at a time into the sink while they
/// come in time order and as the whole-text parser would take them (the
/// array's brackets and commas here, each event by serde_json).
fn stream(
    file: impl Read,
    size: u64,
    piece: usize,
    progress: &mut dyn FnMut(u64, u64) -> bool,
    sink: &mut dyn EventSink,
) -> Result<ReadStats, Stop> {
    let mut p = Pieces {
        file,
        piece,
        buf: vec![0; piece],
        pos: 0,
        end: 0,
        eof: false,
        read: 0,
        size,
        progress,
    };
    let mut stats = ReadStats::default();
    let stopped = |stats: &ReadStats, out_of_order: bool| Stop::Irregular {
        given: stats.events,
        out_of_order,
    };
    let with_count = |stop: Stop, stats: &ReadStats| match stop {
        Stop::Irregular { out_of_order, .. } => stopped(stats, out_of_order),
        other => other,
    };
    if p.peek()? != Some(b'[') {
        return Err(Stop::irregular());
    }
    p.pos += 1;
    let mut first_element = true;
    loop {
        match p.peek().map_err(|s| with_count(s, &stats))? {
            Some(b']') if first_element => {
                p.pos += 1;
                break;
            }
            Some(_) => {}
            None => return Err(stopped(&stats, false)),
        }
        let e = p.event().map_err(|s| with_count(s, &stats))?;
        let i = stats.events;
        let first = *stats.first.get_or_insert(e.at);
        if stats.last.is_some_and(|last| e.at < last) {
            return Err(stopped(&stats, true));
        }
        // Anything the whole-text parser refuses is left to it, so the
        // message is its own.
        if check_event(i, &e).is_err() || check_span(first, e.at).is_err() {
            return Err(stopped(&stats, false));
        }
        stats.last = Some(e.at);
        stats.events += 1;
        sink.event(e);
        first_element = false;
        match p.peek().map_err(|s| with_count(s, &stats))? {
            Some(b',') => p.pos += 1,
            Some(b']') => {
                p.pos += 1;
                break;
            }
            _ => return Err(stopped(&stats, false)),
        }
    }
    // Nothing but whitespace after the array.
    if p.peek().map_err(|s| with_count(s, &stats))?.is_some() {
        return Err(stopped(&stats, false));
    }
    let _ = (p.progress)(p.read, p.size);
    Ok(stats)
}
