//! The part of a source file one human diagnostic shows: the lines around its labels,
//! long lines cut around the span, every character that could act on a terminal escaped.
//!
//! miette draws snippets from a [`SourceCode`]; handing it the whole file made each
//! finding cost a scan from the file's start (quadratic on a big lockfile), printed ESC
//! and bidi controls raw, and panicked on underlines past column 65535 (minified JSON).
//! An [`Excerpt`] is built once per diagnostic from only the lines it needs, so its size
//! is bounded by the number of labels, not the file. Label spans are translated into the
//! excerpt's own offsets; line numbers and the `[path:line:col]` header stay those of the
//! real file. Must not: change what a label points at, only how much of the line is
//! shown around it.

use std::collections::HashMap;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape;
use crate::limits::SNIPPET_CONTEXT_CHARS;
use crate::source::{FileRef, Span};

/// A label spanning more lines than this is shown by its first line only.
const MAX_LABEL_LINES: usize = 8;

/// Lines around each label, as miette's default context shows them.
const CONTEXT_LINES: usize = 1;

#[derive(Debug)]
pub struct Excerpt {
    /// The path of each file shown; [`ExLine::file`] indexes it.
    names: Vec<String>,
    text: String,
    lines: Vec<ExLine>,
    /// Excerpt offset of each label start -> its real 0-based (line, column).
    starts: HashMap<usize, (usize, usize)>,
}

#[derive(Debug)]
struct ExLine {
    /// Byte range of the line in `text`, without its `\n`.
    start: usize,
    end: usize,
    /// Real 0-based line number.
    number: usize,
    /// Lines of one chunk are consecutive in the real file; context never crosses chunks.
    chunk: usize,
    /// Index into [`Excerpt::names`]: a span never crosses files.
    file: usize,
}

impl Excerpt {
    /// The excerpt of `file` for `spans` (all in `file`), and each span translated into it.
    /// `file` as the report shows it: its header uses the path the report's view gives.
    pub fn new(file: &FileRef<'_>, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let Some(text) = file.contents() else {
            return Excerpt::unavailable(file, spans);
        };
        let last_line = file.line_count();
        let spans: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let (l0, _) = file.line_col(s.start);
                let (l1, _) = file.line_col(s.end);
                if l1 - l0 > MAX_LABEL_LINES {
                    (s.start, file.line_range(l0).1.max(s.start))
                } else {
                    (s.start, s.end.max(s.start))
                }
            })
            .collect();
        // wanted lines, merged into chunks of consecutive lines
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(s, e)| {
                let first = file.line_col(s).0.saturating_sub(CONTEXT_LINES).max(1);
                let end = file.line_col(e).0;
                let mut last = (end + CONTEXT_LINES).min(last_line);
                // the empty "line" after a final newline is no context worth showing
                if last > end && last == last_line && file.line_range(last).0 == text.len() {
                    last -= 1;
                }
                (first, last)
            })
            .collect();
        ranges.sort();
        let mut chunks: Vec<(usize, usize)> = Vec::new();
        for r in ranges {
            match chunks.last_mut() {
                Some(c) if r.0 <= c.1 + 1 => c.1 = c.1.max(r.1),
                _ => chunks.push(r),
            }
        }
        let mut points: Vec<usize> = spans.iter().flat_map(|&(s, e)| [s, e]).collect();
        points.sort();
        points.dedup();
        let mut ex = Excerpt {
            names: vec![escape::one_line(file.path).into_owned()],
            text: String::new(),
            lines: Vec::new(),
            starts: HashMap::new(),
        };
        let mut mapped: HashMap<usize, usize> = HashMap::new();
        for (chunk, &(first, last)) in chunks.iter().enumerate() {
            for line in first..=last {
                let (ls, le) = file.line_range(line);
                let next = if line < last_line {
                    file.line_range(line + 1).0
                } else {
                    text.len() + 1
                };
                // points on this line: from its start up to (not including) the next line
                let lo = points.partition_point(|&p| p < ls);
                let hi = points.partition_point(|&p| p < next);
                ex.push_line(
                    text,
                    (ls, le),
                    &points[lo..hi],
                    &mut mapped,
                    line - 1,
                    chunk,
                );
            }
        }
        let translated = spans
            .iter()
            .map(|&(s, e)| {
                let at = |p: usize| mapped.get(&p).copied().unwrap_or(0);
                let (a, b) = (at(s), at(e).max(at(s)));
                let (line, col) = file.line_col(s);
                ex.starts.insert(a, (line - 1, col - 1));
                SourceSpan::from(a..b)
            })
            .collect();
        (ex, translated)
    }

    /// The stand-in for a file whose text is gone (changed or removed on disk since the
    /// scan, see [`crate::source::SourceFile::contents`]): one line that says so, where
    /// every label points, under the real `[path:line:col]` header. Showing the lines
    /// there now would put the labels on text they were never about.
    fn unavailable(file: &FileRef<'_>, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        const NOTE: &str = "(this file changed since skew read it: no lines to show)";
        let first = spans.first().map_or((1, 1), |s| file.line_col(s.start));
        let ex = Excerpt {
            names: vec![escape::one_line(file.path).into_owned()],
            text: format!("{NOTE}\n"),
            lines: vec![ExLine {
                start: 0,
                end: NOTE.len(),
                number: first.0 - 1,
                chunk: 0,
                file: 0,
            }],
            starts: HashMap::from([(0, (first.0 - 1, first.1 - 1))]),
        };
        let translated = spans.iter().map(|_| SourceSpan::from(0..0)).collect();
        (ex, translated)
    }

    /// Append real line `ls..le` (0-based `number`), cut around `points` when long,
    /// recording where each point lands.
    fn push_line(
        &mut self,
        text: &str,
        (ls, le): (usize, usize),
        points: &[usize],
        mapped: &mut HashMap<usize, usize>,
        number: usize,
        chunk: usize,
    ) {
        // a CRLF file's `\r` is part of the line break, not of the line
        let le = if text[ls..le].ends_with('\r') {
            le - 1
        } else {
            le
        };
        let ctx = SNIPPET_CONTEXT_CHARS;
        let (ws, we) = if le - ls <= 3 * ctx {
            (ls, le)
        } else {
            let (lo, hi) = match (points.first(), points.last()) {
                (Some(&lo), Some(&hi)) => (lo.min(le), hi.min(le).min(lo + 2 * ctx)),
                _ => (ls, ls + ctx),
            };
            (
                floor_boundary(text, lo.saturating_sub(ctx).max(ls)),
                ceil_boundary(text, (hi + ctx).min(le)),
            )
        };
        let start = self.text.len();
        if ws > ls {
            self.text.push('…');
        }
        let body = self.text.len();
        self.text.push_str(&display(&text[ws..we]));
        if we < le {
            self.text.push('…');
        }
        self.lines.push(ExLine {
            start,
            end: self.text.len(),
            number,
            chunk,
            file: 0,
        });
        self.text.push('\n');
        // where each point lands: points outside the shown window stick to its edges
        let mut offset = body;
        let mut last = ws;
        for &p in points {
            let c = floor_boundary(text, p.clamp(ws, we));
            if c > last {
                offset += display(&text[last..c]).len();
                last = c;
            }
            mapped.insert(p, offset);
        }
    }

    /// Append the excerpt of another file (or of the same file again) after this one, so
    /// that one diagnostic can show snippets of several files, each under its own
    /// `[path:line:col]` header; returns the offset to add to `other`'s spans.
    pub fn append(&mut self, other: Excerpt) -> usize {
        let base = self.text.len();
        let files = self.names.len();
        let chunks = self.lines.last().map_or(0, |l| l.chunk + 1);
        self.text.push_str(&other.text);
        self.names.extend(other.names);
        self.lines.extend(other.lines.into_iter().map(|l| ExLine {
            start: l.start + base,
            end: l.end + base,
            number: l.number,
            chunk: l.chunk + chunks,
            file: l.file + files,
        }));
        self.starts
            .extend(other.starts.into_iter().map(|(k, v)| (k + base, v)));
        base
    }

    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let s = span.offset();
        let e = s + span.len();
        if e > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let i = self.line_at(s);
        let j = self.line_at(e.saturating_sub(1).max(s));
        if self.lines[i].file != self.lines[j].file {
            return Err(MietteError::OutOfBounds);
        }
        let chunk = self.lines[i].chunk;
        let mut first = i;
        while first > 0 && i - first < before && self.lines[first - 1].chunk == chunk {
            first -= 1;
        }
        let mut last = j;
        while last + 1 < self.lines.len()
            && last - j < after
            && self.lines[last + 1].chunk == self.lines[j].chunk
        {
            last += 1;
        }
        let from = if before == 0 {
            s
        } else {
            self.lines[first].start
        };
        let to = (self.lines[last].end + 1).min(self.text.len());
        let column = match (before, self.starts.get(&s)) {
            (0, Some(&(_, col))) => col,
            (0, None) => self.text[self.lines[i].start..s].chars().count(),
            _ => 0,
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.names[self.lines[first].file].clone(),
            &self.text.as_bytes()[from..to],
            (from, to - from).into(),
            self.lines[first].number,
            column,
            last - first + 1,
        )))
    }
}

/// Source text as shown: characters that could act are escaped, tabs stay.
fn display(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c != '\t' && escape::acts(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| {
            if c != '\t' && escape::acts(c) {
                escape::visible(c)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
