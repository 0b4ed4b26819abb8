//! Source files and spans: the one place that knows how bytes map to lines and columns.
//!
//! Every span in skew is a [`Span`]: a file id plus a byte range into that file's text,
//! kept from the parser on. Conversion to 1-based line/column (JSON, SARIF, human output)
//! happens only at the edges, through [`SourceFile::location`]. The scanner reads each
//! file once and hands the text over; after extraction a scan of the disk may release a
//! big file's text ([`SourceFile::release`]), keeping its line index, its length and a
//! hash: locations need only those, and the one reader that needs the lines themselves
//! (an excerpt of a finding) gets them through [`SourceFile::contents`], which reads the
//! file again (through [`crate::read`], the one way skew reads a file) and hands the text
//! out only when it is still the text that was scanned.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use std::sync::Arc;

use serde::Serialize;

/// Index of a file in [`Sources`]. Stable for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { file, start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A 1-based, end-inclusive-of-start / exclusive-of-end position as users see it.
///
/// Columns count Unicode scalar values (characters), not bytes, so a location stays
/// right for lines with non-ASCII text. `end_line`/`end_column` point just past the span.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One file the scanner read: its path relative to the scan root (with `/` separators)
/// and its full text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// Path relative to the scan root, `/`-separated. Used in every output.
    pub path: String,
    /// The text, for extractors. Empty once [`SourceFile::release`]d: past the scan,
    /// read it through [`SourceFile::contents`].
    pub text: String,
    /// Bytes in the text (released or not).
    len: usize,
    line_starts: LineStarts,
    /// Characters before every [`CHAR_BLOCK`]-th byte; empty for ASCII text, where
    /// characters are bytes. Keeps [`SourceFile::line_col`] O(block) on one-line files.
    char_marks: Vec<usize>,
    /// Set when the text was released: how to get it back.
    released: Option<Box<Released>>,
}

/// A released text: where it was read, what it hashed to, and (once asked for) the text
/// read again, or `None` when the file is no longer what was scanned.
#[derive(Debug, Clone)]
struct Released {
    abs: PathBuf,
    max_size: u64,
    hash: u64,
    again: OnceLock<Option<String>>,
}

/// Bytes between two entries of `char_marks`.
const CHAR_BLOCK: usize = 4096;

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = LineStarts::of(&text);
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut count = 0;
            text.as_bytes()
                .chunks(CHAR_BLOCK)
                .map(|block| {
                    let before = count;
                    count += chars_in(block);
                    before
                })
                .collect()
        };
        SourceFile {
            id,
            path: path.into(),
            len: text.len(),
            text,
            line_starts,
            char_marks,
            released: None,
        }
    }

    /// Bytes in the file's text (also once released).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Drop the text (extraction is done), keeping what locations need: it can be read
    /// again from `abs` (a regular file of at most `max_size` bytes, decoded as
    /// [`crate::read::decode`] does) by [`SourceFile::contents`]. Only ASCII text is
    /// released (columns of other text count characters, which needs the text); `false`
    /// when the text is kept for that reason.
    pub fn release(&mut self, abs: &Path, max_size: u64) -> bool {
        if self.released.is_some() {
            return true;
        }
        if !self.char_marks.is_empty() {
            return false;
        }
        self.released = Some(Box::new(Released {
            abs: abs.to_path_buf(),
            max_size,
            hash: text_hash(self.text.as_bytes()),
            again: OnceLock::new(),
        }));
        self.text = String::new();
        true
    }

    /// Was the text released ([`SourceFile::release`])?
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// The file's text: the one held, or for a released file the file read again, if it
    /// still has the length and hash of the text that was scanned. `None` when it does
    /// not (changed or removed since the scan): nothing may then be shown from it, as
    /// its spans would point at other text.
    pub fn contents(&self) -> Option<&str> {
        let Some(r) = &self.released else {
            return Some(&self.text);
        };
        r.again
            .get_or_init(|| {
                let bytes = crate::read::read_regular(&r.abs, r.max_size).ok()?;
                let decoded = crate::read::decode(bytes);
                (decoded.problem.is_none()
                    && decoded.text.len() == self.len
                    && text_hash(decoded.text.as_bytes()) == r.hash)
                    .then_some(decoded.text)
            })
            .as_deref()
    }

    /// How many lines the text has (a final `\n` starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of 1-based `line`, without its `\n`.
    pub fn line_range(&self, line: usize) -> (usize, usize) {
        let line = line.clamp(1, self.line_starts.len());
        let start = self.line_starts.at(line - 1);
        let end = self
            .line_starts
            .get(line)
            .map(|s| s - 1)
            .unwrap_or(self.len);
        (start, end)
    }

    /// Characters in `text[..offset]`, `offset` on a character boundary.
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        self.char_marks[block] + chars_in(&self.text.as_bytes()[block * CHAR_BLOCK..offset])
    }

    /// The span of a sub-slice of `self.text`. `part` must point into `self.text`
    /// (borrowed parsers hand out such slices); this is how spans come "for free".
    pub fn span_of(&self, part: &str) -> Span {
        let base = self.text.as_ptr() as usize;
        let start = (part.as_ptr() as usize).wrapping_sub(base);
        assert!(
            start <= self.text.len() && start + part.len() <= self.text.len(),
            "span_of: slice does not point into the source text"
        );
        Span::new(self.id, start, start + part.len())
    }

    /// A span from a byte range.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.len);
        Span::new(self.id, start.min(end), end)
    }

    /// The byte offset of a 1-based line and column (column in characters).
    /// Parsers that report positions as line/column use this to build spans.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line = line.clamp(1, self.line_starts.len());
        let start = self.line_starts.at(line - 1);
        let line_end = self
            .line_starts
            .get(line)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(self.len);
        if self.char_marks.is_empty() {
            // ASCII (released texts are): a character is a byte
            return start + column.saturating_sub(1).min(line_end - start);
        }
        let line_text = &self.text[start..line_end];
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(line_text.len());
        start + byte
    }

    /// 1-based (line, column) of a byte offset; column counts characters. Needs no text
    /// for ASCII files (every byte a character), so it works on released ones.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_starts.lines_through(offset);
        let start = self.line_starts.at(line - 1);
        let offset = if self.char_marks.is_empty() {
            offset
        } else {
            floor_char_boundary(&self.text, offset)
        };
        (
            line,
            self.chars_before(offset) - self.chars_before(start) + 1,
        )
    }

    pub fn location(&self, span: Span) -> Location {
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(span.end);
        Location {
            path: self.path.clone(),
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// This file with its text, for a step after extraction that parses it again (a
    /// compose file another one `extends`, the Helm values a chart's dependencies are
    /// read from): itself while the text is held, else a copy holding the text read
    /// again; `None` when that is not the text scanned ([`SourceFile::contents`]).
    pub fn with_text(&self) -> Option<std::borrow::Cow<'_, SourceFile>> {
        if !self.is_released() {
            return Some(std::borrow::Cow::Borrowed(self));
        }
        let text = self.contents()?.to_string();
        Some(std::borrow::Cow::Owned(SourceFile::new(
            self.id,
            self.path.clone(),
            text,
        )))
    }

    /// The text of a span; empty when the text is not there any more (see
    /// [`SourceFile::contents`]).
    pub fn slice(&self, span: Span) -> &str {
        self.contents()
            .and_then(|t| t.get(span.start..span.end))
            .unwrap_or("")
    }
}

/// A hash of a text, to tell whether a file read again is the one scanned. Four
/// independent FxHash-style lanes over 8-byte words (fast on big lockfiles), folded
/// together with the length: every step is a bijection of the lane state for a fixed
/// word, so a change within one word always changes the hash.
fn text_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let mut lanes = [1u64, 2, 3, 4];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(w));
        }
    }
    let mut h = step(0, bytes.len() as u64);
    for lane in lanes {
        h = step(h, lane);
    }
    for w in blocks.remainder().chunks(8) {
        h = step(h, word(w));
    }
    h
}

/// Byte offsets where lines start, the first 0. `u32` while the text is under 4 GiB
/// (every real file: a big lockfile has a million lines, and these are kept for the
/// whole run), `usize` beyond.
#[derive(Debug, Clone)]
enum LineStarts {
    Short(Vec<u32>),
    Long(Vec<usize>),
}

impl LineStarts {
    fn of(text: &str) -> LineStarts {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        let mut starts = if u32::try_from(text.len()).is_ok() {
            let mut v = vec![0u32];
            v.extend(newlines.map(|i| i as u32 + 1));
            LineStarts::Short(v)
        } else {
            let mut v = vec![0usize];
            v.extend(newlines.map(|i| i + 1));
            LineStarts::Long(v)
        };
        // kept for the run: no growth slack
        match &mut starts {
            LineStarts::Short(v) => v.shrink_to_fit(),
            LineStarts::Long(v) => v.shrink_to_fit(),
        }
        starts
    }

    fn len(&self) -> usize {
        match self {
            LineStarts::Short(v) => v.len(),
            LineStarts::Long(v) => v.len(),
        }
    }

    fn get(&self, i: usize) -> Option<usize> {
        match self {
            LineStarts::Short(v) => v.get(i).map(|&s| s as usize),
            LineStarts::Long(v) => v.get(i).copied(),
        }
    }

    /// The start of line `i` (0-based), which exists.
    fn at(&self, i: usize) -> usize {
        match self {
            LineStarts::Short(v) => v[i] as usize,
            LineStarts::Long(v) => v[i],
        }
    }

    /// How many lines start at or before `offset` (the 1-based line holding it).
    fn lines_through(&self, offset: usize) -> usize {
        match self {
            LineStarts::Short(v) => v.partition_point(|&s| s as usize <= offset),
            LineStarts::Long(v) => v.partition_point(|&s| s <= offset),
        }
    }
}

/// Characters in a UTF-8 byte run: every byte that is not a continuation byte starts one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One table of files, indexed by [`FileId`]: the files the scan read, or a small table
/// stacked after them ([`Sources::after`]) for the files a scenario adds (rule files,
/// `skew.toml`, `(assumed)`). A table is never copied: readers see the tables together
/// through a [`SourceView`]. Files are shared, not owned: `skew lsp` keeps each file it
/// read and builds every evaluation's table from the same files ([`Sources::share`]),
/// so a text is read and indexed once, however often it is checked.
#[derive(Debug, Default)]
pub struct Sources {
    /// The id of the first file: 0 for the scan's table, the scan's end for a stacked one.
    first: u32,
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `additional` more files.
    pub fn reserve(&mut self, additional: usize) {
        self.files.reserve_exact(additional);
    }

    /// An empty table whose first id follows every file of `below`.
    pub fn after(below: &Sources) -> Self {
        Sources {
            first: below.end(),
            files: Vec::new(),
        }
    }

    /// The id the next file added gets.
    pub fn end(&self) -> u32 {
        self.first + self.files.len() as u32
    }

    /// Add a file and return its id.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.end());
        self.files.push(Arc::new(SourceFile::new(id, path, text)));
        id
    }

    /// Add a file already read (its line index already built) and return its id, which
    /// becomes the file's own.
    pub fn push(&mut self, mut file: SourceFile) -> FileId {
        let id = FileId(self.end());
        file.id = id;
        self.files.push(Arc::new(file));
        id
    }

    /// Add a file another table shares (text and line index are not copied) and return
    /// its id, which must be the file's own: its spans are already in that id.
    pub fn share(&mut self, file: Arc<SourceFile>) -> FileId {
        let id = FileId(self.end());
        assert_eq!(file.id, id, "a shared file keeps its id");
        self.files.push(file);
        id
    }

    /// The file with id `id`, as the table shares it.
    pub fn shared(&self, id: FileId) -> &Arc<SourceFile> {
        assert!(self.contains(id), "file {id:?} is not in this table");
        &self.files[(id.0 - self.first) as usize]
    }

    /// Is `id` one of this table's files?
    pub fn contains(&self, id: FileId) -> bool {
        (self.first..self.end()).contains(&id.0)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        assert!(self.contains(id), "file {id:?} is not in this table");
        &self.files[(id.0 - self.first) as usize]
    }

    pub fn location(&self, span: Span) -> Location {
        self.get(span.file).location(span)
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(|f| &**f)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Find a file by its relative path.
    pub fn by_path(&self, path: &str) -> Option<&SourceFile> {
        self.iter().find(|f| f.path == path)
    }

    /// This table alone, as readers take it.
    pub fn view(&self) -> SourceView<'_> {
        SourceView::new(self, None)
    }
}

/// The files of one run as every reader sees them: the scan's table, the table a
/// scenario stacked after it (when there is one), and optionally other names for the
/// paths (relative to the current directory or the repository, for reporters). Ids and
/// spans are those of the tables; nothing is copied but the renamed paths.
#[derive(Debug)]
pub struct SourceView<'a> {
    scan: &'a Sources,
    extra: Option<&'a Sources>,
    /// By id, when paths are shown under other names ([`SourceView::with_paths`]).
    paths: Option<Vec<String>>,
}

/// One file seen through a [`SourceView`]: the file, and the path the view shows for it.
/// Derefs to the file (text, line index, spans); `path` and `location` use the view's path.
#[derive(Debug, Clone, Copy)]
pub struct FileRef<'a> {
    pub file: &'a SourceFile,
    pub path: &'a str,
}

impl std::ops::Deref for FileRef<'_> {
    type Target = SourceFile;
    fn deref(&self) -> &SourceFile {
        self.file
    }
}

impl FileRef<'_> {
    /// Like [`SourceFile::location`], with the path the view shows.
    pub fn location(&self, span: Span) -> Location {
        let (line, column) = self.file.line_col(span.start);
        let (end_line, end_column) = self.file.line_col(span.end);
        Location {
            path: self.path.to_string(),
            line,
            column,
            end_line,
            end_column,
        }
    }
}

impl<'a> From<&'a Sources> for SourceView<'a> {
    fn from(scan: &'a Sources) -> Self {
        SourceView::new(scan, None)
    }
}

impl<'a> SourceView<'a> {
    /// The scan's table, and the table stacked after it.
    pub fn new(scan: &'a Sources, extra: Option<&'a Sources>) -> Self {
        debug_assert!(extra.is_none_or(|e| e.first == scan.end()));
        SourceView {
            scan,
            extra,
            paths: None,
        }
    }

    /// The file with id `id`, under its own path (the view's names aside).
    pub fn file(&self, id: FileId) -> &'a SourceFile {
        match self.extra {
            Some(e) if e.contains(id) => e.get(id),
            _ => self.scan.get(id),
        }
    }

    pub fn get(&self, id: FileId) -> FileRef<'_> {
        let file = self.file(id);
        let path = match &self.paths {
            Some(p) => p[id.0 as usize].as_str(),
            None => file.path.as_str(),
        };
        FileRef { file, path }
    }

    /// The path the view shows for file `id`.
    pub fn path(&self, id: FileId) -> &str {
        self.get(id).path
    }

    pub fn location(&self, span: Span) -> Location {
        self.get(span.file).location(span)
    }

    /// Every file, in id order.
    pub fn iter(&self) -> impl Iterator<Item = FileRef<'_>> {
        self.scan
            .iter()
            .chain(self.extra.into_iter().flat_map(|e| e.iter()))
            .map(|f| self.get(f.id))
    }

    pub fn len(&self) -> usize {
        self.scan.len() + self.extra.map_or(0, Sources::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Find a file by the path the view shows.
    pub fn by_path(&self, path: &str) -> Option<FileRef<'_>> {
        self.iter().find(|f| f.path == path)
    }

    /// The same files under other names (`rename(id, path)`), ids and spans unchanged:
    /// how reporters get paths relative to the current directory or the repository.
    pub fn with_paths(self, rename: impl Fn(FileId, &str) -> String) -> SourceView<'a> {
        let paths = self.iter().map(|f| rename(f.id, f.path)).collect();
        SourceView {
            paths: Some(paths),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let f = SourceFile::new(FileId(0), "a", "ab\nçd e\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes: byte 5 is 'd', the second character
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.offset_of(2, 2), 5);
    }

    #[test]
    fn columns_on_long_non_ascii_lines_count_characters() {
        // several blocks of the character index, with multi-byte characters across the
        // block edges
        let line = "é".repeat(CHAR_BLOCK) + "x" + &"ü".repeat(3 * CHAR_BLOCK);
        let text = format!("a\n{line}\nz");
        let f = SourceFile::new(FileId(0), "a", text.clone());
        let x = text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, CHAR_BLOCK + 1));
        let z = text.len() - 1;
        assert_eq!(f.line_col(z), (3, 1));
        assert_eq!(f.line_col(z - 1), (2, 4 * CHAR_BLOCK + 2));
        assert_eq!(f.line_range(2), (2, z - 1));
        assert_eq!(f.line_count(), 3);
    }

    #[test]
    fn a_released_text_comes_back_only_as_it_was_scanned() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("package.json");
        let text = "{\n  \"mysql\": \"2.18.1\"\n}\n";
        std::fs::write(&path, text).unwrap();
        let kept = SourceFile::new(FileId(0), "package.json", text);
        let mut f = kept.clone();
        assert!(f.release(&path, 1 << 20));
        assert!(f.is_released() && f.text.is_empty());
        // locations need no text
        let span = kept.span(14, 20);
        assert_eq!(f.len(), text.len());
        assert_eq!(f.location(span), kept.location(span));
        assert_eq!(f.line_range(2), kept.line_range(2));
        assert_eq!(f.offset_of(2, 13), kept.offset_of(2, 13));
        assert_eq!(f.span(0, 999), kept.span(0, 999));
        assert_eq!(f.contents(), Some(text));
        assert_eq!(f.slice(span), "2.18.1");

        // the same length, other bytes: a span would point at other text
        let mut changed = kept.clone();
        changed.release(&path, 1 << 20);
        std::fs::write(&path, text.replace("2.18.1", "2.18.2")).unwrap();
        assert_eq!(changed.contents(), None);
        assert_eq!(changed.slice(span), "");
        // once read, the answer stays: the file read first is the one shown
        assert_eq!(f.contents(), Some(text));

        let mut removed = kept.clone();
        removed.release(&path, 1 << 20);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(removed.contents(), None);

        // columns of non-ASCII text count characters: such a text is kept
        let mut wide = SourceFile::new(FileId(0), "a", "é\n");
        assert!(!wide.release(&path, 1 << 20));
        assert_eq!(wide.contents(), Some("é\n"));
    }

    #[test]
    fn the_text_hash_sees_every_changed_word() {
        let base: Vec<u8> = (0..100u8).collect();
        let h = text_hash(&base);
        for i in 0..base.len() {
            let mut other = base.clone();
            other[i] ^= 1;
            assert_ne!(text_hash(&other), h, "byte {i}");
        }
        assert_ne!(text_hash(&base[..99]), h);
        assert_ne!(text_hash(b"a\0"), text_hash(b"a"));
    }

    #[test]
    fn span_of_borrowed_slice() {
        let f = SourceFile::new(FileId(3), "a", "image: mysql:8.0\n");
        let part = &f.text[7..16];
        let s = f.span_of(part);
        assert_eq!((s.start, s.end, s.file), (7, 16, FileId(3)));
        let loc = f.location(s);
        assert_eq!(
            (loc.line, loc.column, loc.end_line, loc.end_column),
            (1, 8, 1, 17)
        );
    }
}
