//! Inline suppressions: a comment holding `skew: ignore[RULE, …]` (text after the `]`,
//! an optional `--` first, is the reason) hides those rules' findings on its own line
//! when it trails code, or on the next line when it stands on a line of its own. An
//! `until=YYYY-MM-DD` right after the `]` (`skew: ignore[mysql-eol] until=2027-03-31 --
//! retired in Q1`) holds through that day, as `until` does in `[[ignore]]`: after it the
//! findings come back with an `expired-ignore` warning at the date (so does a date that
//! is not one: the directive is void until it is corrected).
//!
//! Comments are found by the format's own [`super::CommentSyntax`] (the extractor
//! registry names it per format), so `skew: ignore[…]` inside a string or a YAML block
//! scalar is text, not a directive. Formats without comments (JSON) have no inline
//! suppressions: `[[ignore]]` in `skew.toml` covers them.

use std::path::Path;

use crate::config::Selector;
use crate::diagnostic::{Code, Finding, Label};
use crate::extract::comments;
use crate::rule::Date;
use crate::source::{FileId, SourceFile, SourceView};

/// The directive, as users write it.
const MARKER: &str = "skew: ignore[";

/// The expiry of a directive, right after its `]`.
const UNTIL: &str = "until=";

/// One rule id (or prefix) of a directive.
struct Entry {
    selector: Selector,
    /// The line whose findings it hides.
    line: usize,
    own_line: bool,
    used: bool,
    /// `until=…` of its directive: the date (or why it is none) and the byte span of the
    /// date text.
    until: Option<(Result<Date, String>, (usize, usize))>,
}

impl Entry {
    /// Does the directive still hide findings on `today`? (Through its `until` day.)
    fn active(&self, today: Date) -> bool {
        match &self.until {
            None => true,
            Some((Ok(d), _)) => *d >= today,
            Some((Err(_), _)) => false,
        }
    }
}

/// Hide the findings inline directives name; return an `unused-ignore` finding for each
/// id that hid nothing.
pub(super) fn apply(
    findings: &mut Vec<Finding>,
    sources: &SourceView<'_>,
    known: &[&str],
    today: Date,
) -> Vec<Finding> {
    let mut per_file: Vec<(FileId, Vec<Entry>)> = Vec::new();
    for file in sources.iter() {
        // a released text held no directive: the scan keeps those (`scan::releasable`)
        if file.is_released() || !may_hold_directives(&file.text) {
            continue;
        }
        let entries = directives(&file);
        if !entries.is_empty() {
            per_file.push((file.id, entries));
        }
    }
    if per_file.is_empty() {
        return Vec::new();
    }
    findings.retain(|f| {
        let Some((_, entries)) = per_file
            .iter_mut()
            .find(|(id, _)| *id == f.primary.span.file)
        else {
            return true;
        };
        let file = sources.get(f.primary.span.file);
        let first = file.line_col(f.primary.span.start).0;
        let last = file.line_col(f.primary.span.end).0;
        let mut hide = false;
        for e in entries.iter_mut() {
            if (first..=last).contains(&e.line) && e.selector.matches(&f.rule_id) {
                e.used = true;
                hide |= e.active(today);
            }
        }
        !hide
    });
    let mut out = Vec::new();
    for (id, entries) in per_file {
        let file = sources.get(id);
        // one `expired-ignore` per directive (its ids share the date)
        let mut expired_at: Vec<(usize, usize)> = Vec::new();
        for e in entries.iter().filter(|e| !e.active(today)) {
            let Some((date, at)) = &e.until else { continue };
            if expired_at.contains(at) {
                continue;
            }
            expired_at.push(*at);
            let ids: Vec<&str> = entries
                .iter()
                .filter(|o| o.until.as_ref().is_some_and(|(_, a)| a == at))
                .map(|o| o.selector.text.as_str())
                .collect();
            let used = entries
                .iter()
                .any(|o| o.used && o.until.as_ref().is_some_and(|(_, a)| a == at));
            let directive = format!("`skew: ignore[{}]`", ids.join(", "));
            let message = match date {
                Ok(d) if used => {
                    format!("{directive} expired on {d}: what it hid is reported again")
                }
                Ok(d) => format!("{directive} expired on {d}; it matches no finding any more"),
                Err(why) => {
                    format!("{directive} has an `until` that is no date ({why}): it hides nothing")
                }
            };
            out.push(Finding {
                rule_id: Code::ExpiredIgnore.to_string(),
                severity: Code::ExpiredIgnore.severity(),
                message,
                primary: Label::new(file.span(at.0, at.1), "expired"),
                related: Vec::new(),
                fix: Some(
                    "fix what it hid and remove the comment, or move `until` and say why".into(),
                ),
                sources: Vec::new(),
                subject: Default::default(),
                components: Vec::new(),
            });
        }
        for e in entries.into_iter().filter(|e| !e.used && e.until.is_none()) {
            let text = &e.selector.text;
            let message = if text.is_empty() {
                "`skew: ignore[]` names no rule".to_string()
            } else if !known.iter().any(|k| e.selector.matches(k)) {
                let near = crate::diagnostic::nearest_id(text, known.iter().copied());
                let hint = near
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                format!("`skew: ignore[{text}]` names no known rule{hint}")
            } else {
                let which = if e.own_line {
                    "the next line"
                } else {
                    "this line"
                };
                format!("`skew: ignore[{text}]` hides no finding on {which}")
            };
            out.push(Finding {
                rule_id: Code::UnusedIgnore.to_string(),
                severity: Code::UnusedIgnore.severity(),
                message,
                primary: Label::new(file.span(e.selector.span.0, e.selector.span.1), "unused"),
                related: Vec::new(),
                fix: Some("remove it, or name the rule of a finding it should hide".into()),
                sources: Vec::new(),
                subject: Default::default(),
                components: Vec::new(),
            });
        }
    }
    out
}

/// Could `text` hold a directive? (It holds the marker somewhere.) The scan keeps the
/// text of such files for [`apply`].
pub fn may_hold_directives(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// Every directive in the comments of `file`, one entry per id.
fn directives(file: &SourceFile) -> Vec<Entry> {
    let Some(syntax) = crate::extract::comment_syntax_of(Path::new(&file.path)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in comments::comments(&file.text, syntax) {
        let text = &file.text[c.start..c.end];
        let line = if c.own_line {
            file.line_col(c.end).0 + 1
        } else {
            file.line_col(c.start).0
        };
        let mut from = 0;
        while let Some(i) = text[from..].find(MARKER) {
            let open = from + i + MARKER.len();
            let Some(close) = text[open..].find(']').map(|j| open + j) else {
                break;
            };
            let list = &text[open..close];
            let until = until_after(text, close + 1, c.start);
            let mut at = open;
            for part in list.split(',') {
                let id = part.trim();
                let lead = part.len() - part.trim_start().len();
                let start = c.start + at + lead;
                if !id.is_empty() || list.trim().is_empty() {
                    out.push(Entry {
                        selector: Selector {
                            text: id.to_string(),
                            span: (start, start + id.len()),
                        },
                        line,
                        own_line: c.own_line,
                        used: false,
                        until: until.clone(),
                    });
                }
                at += part.len() + 1;
            }
            from = close + 1;
        }
    }
    out
}

/// `until=YYYY-MM-DD` at `from` in a comment's `text` (after blanks), with the span of
/// the date in the file (`base`: the comment's offset).
fn until_after(
    text: &str,
    from: usize,
    base: usize,
) -> Option<(Result<Date, String>, (usize, usize))> {
    let rest = &text[from..];
    let lead = rest.len() - rest.trim_start().len();
    let after = rest.trim_start().strip_prefix(UNTIL)?;
    let start = from + lead + UNTIL.len();
    let len = after.find(char::is_whitespace).unwrap_or(after.len());
    let len = after[..len]
        .trim_end_matches("-->")
        .trim_end_matches("*/")
        .len();
    let date = &text[start..start + len];
    Some((date.parse(), (base + start, base + start + len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(path: &str, text: &str) -> Vec<(String, usize)> {
        let file = SourceFile::new(FileId(0), path, text);
        directives(&file)
            .into_iter()
            .map(|e| (e.selector.text, e.line))
            .collect()
    }

    #[test]
    fn trailing_and_own_line_directives() {
        let text = "\
services:
  db:
    # skew: ignore[unpinned-server] -- dev only
    image: mysql
    other: \"# skew: ignore[in-a-string]\"
    image2: redis # skew: ignore[a, b-] -- two
";
        assert_eq!(
            entries("compose.yaml", text),
            [
                ("unpinned-server".into(), 4),
                ("a".into(), 6),
                ("b-".into(), 6)
            ]
        );
    }

    #[test]
    fn xml_directive_on_the_line_above() {
        let text =
            "<project>\n  <!-- skew: ignore[x] legacy -->\n  <version>1</version>\n</project>\n";
        assert_eq!(entries("pom.xml", text), [("x".into(), 3)]);
    }

    #[test]
    fn until_follows_the_bracket() {
        let file = SourceFile::new(
            FileId(0),
            "requirements.txt",
            "PyMySQL==0.8.1  # skew: ignore[a, b] until=2027-03-31 -- worker retired\n\
             x==1  # skew: ignore[c] until=2027-02-30\n\
             y==1  # skew: ignore[d] -- until=2027-01-01 is the reason's text\n",
        );
        let got: Vec<(String, Option<Result<String, String>>)> = directives(&file)
            .into_iter()
            .map(|e| {
                let until = e
                    .until
                    .map(|(d, (s, end))| d.map(|d| format!("{d} {}", &file.text[s..end])));
                (e.selector.text, until)
            })
            .collect();
        assert_eq!(
            got[0],
            ("a".into(), Some(Ok("2027-03-31 2027-03-31".into())))
        );
        assert_eq!(got[1].1, got[0].1);
        assert!(matches!(&got[2].1, Some(Err(m)) if m.contains("not a calendar date")));
        assert_eq!(got[3], ("d".into(), None));
    }

    #[test]
    fn json_has_no_comments() {
        assert!(entries("package.json", "{\"a\": \"# skew: ignore[x]\"}").is_empty());
    }
}
